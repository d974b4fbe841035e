//! Fuzzy dates: how Dossier records *when* something happened.
//!
//! The records of a dispute rarely carry exact timestamps. A letter was "sent in February", a meeting
//! happened "around April", a call came "before the 7th". Forcing these into one timestamp invents a
//! precision the record does not have, and keeping them as free text makes them impossible to sort or
//! check. A [`FuzzyDate`] keeps what was actually known (a [`Point`] of some precision, qualified as
//! exact, approximate, open-ended or a range) and derives from it the bounds and the position that the
//! timeline needs, so entries are placed and compared honestly. The text syntax is parsed once, here,
//! so that the CLI, the store and the app all agree on it.
//!
//! # Syntax
//!
//! | Text                                   | Value                          |
//! |----------------------------------------|--------------------------------|
//! | `2023`, `2023-03`, `2023-05-18`        | `Exact(Year / Month / Day)`    |
//! | `2023-05-18T14:30+02:00`               | `Exact(Instant)`               |
//! | `2023-05-18T14:30:05.25Z`              | `Exact(Instant)`               |
//! | `~X`                                   | `About(X)`, X a year/month/day |
//! | `<X`, `>X`                             | `Before(X)`, `After(X)`        |
//! | `A..B`                                 | `Between(A, B)`                |
//!
//! Years have exactly four digits (1 to 9999), months and days two. A time needs a zone (`Z` or
//! `±HH:MM`), because a local time without one cannot be placed on the timeline. Only whitespace
//! around the whole text is ignored.
//!
//! # Choices worth knowing
//!
//! - A zero offset is always written back as `Z`: [`chrono::FixedOffset`] cannot tell `Z` from
//!   `+00:00`, so one spelling has to win, and `Z` is RFC 3339's.
//! - Seconds are written back only when they are not zero, fractions of a second only when present,
//!   so that [`FuzzyDate::canonical`] never loses information and two different values never share a
//!   canonical text.
//! - `~` on an instant is refused: "about 14:30" would widen by one second, which says nothing. Write
//!   `~2023-05-18` instead. An `About(Instant)` built by hand still gets bounds by the same rule.
//! - Dates without a time are UTC calendar days, so bounds never depend on the machine's zone.
//! - Two instants at the same moment written with different offsets are *different* values: the
//!   offset is part of what the source said. (chrono's own equality ignores the offset.)
//! - Values built by hand outside the parsable ranges (month 13, year 0) never panic: their bounds
//!   carry over into the next year, but their canonical text will not parse back.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};

pub mod deadline;
mod error;
mod holidays;
mod parse;
mod reading;
mod words;

pub use error::DateError;
use parse::*;
pub use reading::{numeric_order, DayMonth};
use words::*;

const SECONDS_PER_DAY: i64 = 86_400;

/// Longest input quoted whole in an error; longer inputs are cut so that a pasted page of text
/// does not turn into a page-long error message.
const EXCERPT_CHARS: usize = 64;

/// Characters that qualify a point; a range's ends must not carry them.
const QUALIFIERS: [char; 3] = ['~', '<', '>'];

/// A moment or period named at some precision.
#[derive(Clone, Debug)]
pub enum Point {
    Year(i32),
    /// Year, then month 1 to 12.
    Month(i32, u32),
    Day(NaiveDate),
    /// A moment to the second (or finer), keeping the offset the source gave.
    Instant(DateTime<FixedOffset>),
}

/// A date as precisely as the record knows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FuzzyDate {
    Exact(Point),
    About(Point),
    Before(Point),
    After(Point),
    /// From the start of the first point to the end of the second.
    Between(Point, Point),
}

/// How fine a date is; finest first, so the derived order puts finer dates first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Instant,
    Day,
    Month,
    Year,
}

/// Which kind of [`FuzzyDate`] a value is, without its points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    About,
    Before,
    After,
    Between,
}

/// Languages dates can be displayed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Instant => "instant",
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }

    /// 0 for an instant up to 3 for a year, for storing the precision as a number.
    pub fn rank(self) -> u8 {
        match self {
            Precision::Instant => 0,
            Precision::Day => 1,
            Precision::Month => 2,
            Precision::Year => 3,
        }
    }
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::About => "about",
            Qualifier::Before => "before",
            Qualifier::After => "after",
            Qualifier::Between => "between",
        }
    }

    /// Position among dates with the same sort key: what ends at the key comes first, what only
    /// starts after it comes last.
    fn chronology_rank(self) -> u8 {
        match self {
            Qualifier::Before => 0,
            Qualifier::Exact => 1,
            Qualifier::About => 2,
            Qualifier::Between => 3,
            Qualifier::After => 4,
        }
    }
}

impl Lang {
    /// Reads a language code, ignoring case and surrounding whitespace.
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim();
        if code.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if code.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

impl Point {
    pub fn precision(&self) -> Precision {
        match self {
            Point::Year(_) => Precision::Year,
            Point::Month(..) => Precision::Month,
            Point::Day(_) => Precision::Day,
            Point::Instant(_) => Precision::Instant,
        }
    }

    /// First second of the point, inclusive, in Unix seconds UTC.
    pub fn start(&self) -> i64 {
        self.unit_start(0)
    }

    /// First second after the point, in Unix seconds UTC.
    pub fn end(&self) -> i64 {
        self.unit_start(1)
    }

    /// Start of the unit `shift` units away from this point (a unit being the point's own span:
    /// a year, a calendar month, a day or a second). Calendar units are counted in the calendar
    /// rather than in seconds because months and years differ in length.
    fn unit_start(&self, shift: i64) -> i64 {
        match self {
            Point::Year(year) => days_from_civil(i64::from(*year) + shift, 1, 1) * SECONDS_PER_DAY,
            Point::Month(year, month) => {
                let (year, month) = normalise_month(i64::from(*year), i64::from(*month) + shift);
                days_from_civil(year, i64::from(month), 1) * SECONDS_PER_DAY
            }
            Point::Day(day) => (day_number(*day) + shift) * SECONDS_PER_DAY,
            Point::Instant(moment) => moment.timestamp() + shift,
        }
    }

    /// Canonical text of the point alone.
    fn write_canonical(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Point::Year(year) => write!(out, "{year:04}"),
            Point::Month(year, month) => write!(out, "{year:04}-{month:02}"),
            Point::Day(day) => write!(out, "{:04}-{:02}-{:02}", day.year(), day.month(), day.day()),
            Point::Instant(moment) => {
                let local = moment.naive_local();
                write!(
                    out,
                    "{:04}-{:02}-{:02}T{:02}:{:02}",
                    local.year(),
                    local.month(),
                    local.day(),
                    local.hour(),
                    local.minute()
                )?;
                let (second, nanos) = second_and_nanos(local.time());
                if second != 0 || nanos != 0 {
                    write!(out, ":{second:02}")?;
                }
                if nanos != 0 {
                    let fraction = format!("{nanos:09}");
                    write!(out, ".{}", fraction.trim_end_matches('0'))?;
                }
                match moment.offset().local_minus_utc() {
                    0 => out.write_str("Z"),
                    offset => out.write_str(&offset_text(offset)),
                }
            }
        }
    }

    /// The point in words, e.g. "18 May 2023" or "mars 2023".
    fn human(&self, lang: Lang) -> String {
        match self {
            Point::Year(year) => format!("{year:04}"),
            Point::Month(year, month) => {
                let (year, month) = normalise_month(i64::from(*year), i64::from(*month));
                format!("{} {year:04}", month_name(lang, month))
            }
            Point::Day(day) => day_month_year(lang, day.day(), day.month(), day.year()),
            Point::Instant(moment) => {
                let local = moment.naive_local();
                let offset = match moment.offset().local_minus_utc() {
                    0 => "UTC".to_owned(),
                    offset => format!("UTC{}", offset_text(offset)),
                };
                format!(
                    "{}, {} ({offset})",
                    day_month_year(lang, local.day(), local.month(), local.year()),
                    clock_text(lang, local.time())
                )
            }
        }
    }

    /// French puts "le" before a day ("avant le 7 juin"), never before a month or a year.
    fn article(&self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Fr, Point::Day(_) | Point::Instant(_)) => "le ",
            _ => "",
        }
    }
}

impl PartialEq for Point {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Point::Year(a), Point::Year(b)) => a == b,
            (Point::Month(a_year, a_month), Point::Month(b_year, b_month)) => a_year == b_year && a_month == b_month,
            (Point::Day(a), Point::Day(b)) => a == b,
            // chrono compares only the moment; the offset is part of what the source said, and
            // equality must agree with the canonical text that `Ord` falls back on.
            (Point::Instant(a), Point::Instant(b)) => a == b && a.offset() == b.offset(),
            _ => false,
        }
    }
}

impl Eq for Point {}

impl Hash for Point {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Point::Year(year) => year.hash(state),
            Point::Month(year, month) => (year, month).hash(state),
            Point::Day(day) => day.hash(state),
            Point::Instant(moment) => {
                moment.naive_utc().hash(state);
                moment.offset().local_minus_utc().hash(state);
            }
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_canonical(out)
    }
}

impl FuzzyDate {
    /// Reads a fuzzy date from text, ignoring surrounding whitespace. See the module docs for the
    /// syntax.
    ///
    /// # Errors
    ///
    /// A [`DateError`] quoting the text at fault when the text is empty, has no recognised shape,
    /// names a year, month, day, time or offset that does not exist, puts `~` on a time, or is a
    /// range that is open, has more than two ends, qualified ends, or ends before it starts.
    pub fn parse(input: &str) -> Result<FuzzyDate, DateError> {
        FuzzyDate::parse_as(input, DayMonth::Either)
    }

    /// [`FuzzyDate::parse`] for text written in `lang`: a numeric date that reads both ways
    /// (`05/06/2023`) is read day first in French, and refused with both readings in English, which
    /// Britain and the United States write in opposite orders.
    pub fn parse_in(input: &str, lang: Lang) -> Result<FuzzyDate, DateError> {
        let order = match lang {
            Lang::Fr => DayMonth::DayFirst,
            Lang::En => DayMonth::Either,
        };
        FuzzyDate::parse_as(input, order)
    }

    /// Reads the strict syntax, else words in either language (`reading`), numeric dates told apart
    /// by `order`. Text that is neither gets the strict syntax's error, which names what it expects.
    pub fn parse_as(input: &str, order: DayMonth) -> Result<FuzzyDate, DateError> {
        match FuzzyDate::parse_strict(input) {
            Err(strict @ DateError::Unrecognised(_)) => match reading::read(input.trim(), order) {
                Err(DateError::Unrecognised(_)) => Err(strict),
                read => read,
            },
            parsed => parsed,
        }
    }

    /// The strict syntax alone (see the module docs).
    fn parse_strict(input: &str) -> Result<FuzzyDate, DateError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(DateError::Empty);
        }
        if text.contains("..") {
            return parse_range(text);
        }
        let (wrap, rest): (fn(Point) -> FuzzyDate, &str) = match text.chars().next() {
            // The prefixes are ASCII, so slicing one byte off stays on a character boundary.
            Some('~') => (FuzzyDate::About, &text[1..]),
            Some('<') => (FuzzyDate::Before, &text[1..]),
            Some('>') => (FuzzyDate::After, &text[1..]),
            _ => (FuzzyDate::Exact, text),
        };
        if rest.len() != text.len() {
            if rest.is_empty() {
                return Err(DateError::MissingPoint(excerpt(text)));
            }
            if rest.starts_with(QUALIFIERS) {
                return Err(DateError::Unrecognised(excerpt(text)));
            }
        }
        match wrap(parse_point(rest, text)?) {
            FuzzyDate::About(Point::Instant(_)) => Err(DateError::AboutInstant(excerpt(text))),
            date => Ok(date),
        }
    }

    /// Earliest second the date can mean, inclusive, in Unix seconds UTC; `None` when unbounded.
    pub fn lower(&self) -> Option<i64> {
        match self {
            FuzzyDate::Exact(point) => Some(point.start()),
            FuzzyDate::About(point) => Some(point.unit_start(-1)),
            FuzzyDate::Before(_) => None,
            FuzzyDate::After(point) => Some(point.end()),
            FuzzyDate::Between(first, _) => Some(first.start()),
        }
    }

    /// First second the date can no longer mean (exclusive), in Unix seconds UTC; `None` when
    /// unbounded.
    pub fn upper(&self) -> Option<i64> {
        match self {
            FuzzyDate::Exact(point) => Some(point.end()),
            FuzzyDate::About(point) => Some(point.unit_start(2)),
            FuzzyDate::Before(point) => Some(point.start()),
            FuzzyDate::After(_) => None,
            FuzzyDate::Between(_, last) => Some(last.end()),
        }
    }

    /// Where the date sits in a chronology, in Unix seconds UTC. An approximate date sits at its
    /// nominal point rather than at the start of its widened bounds, because that is where a
    /// reader expects "about April" to appear; "before X" sits at X (and sorts ahead of what is at
    /// X), "after X" at the end of X.
    pub fn sort_key(&self) -> i64 {
        match self {
            FuzzyDate::Exact(point) | FuzzyDate::About(point) | FuzzyDate::Before(point) => point.start(),
            FuzzyDate::After(point) => point.end(),
            FuzzyDate::Between(first, _) => first.start(),
        }
    }

    /// Precision of the date; a range is as coarse as its coarser end.
    pub fn precision(&self) -> Precision {
        match self {
            FuzzyDate::Exact(point) | FuzzyDate::About(point) | FuzzyDate::Before(point) | FuzzyDate::After(point) => {
                point.precision()
            }
            FuzzyDate::Between(first, last) => first.precision().max(last.precision()),
        }
    }

    pub fn qualifier(&self) -> Qualifier {
        match self {
            FuzzyDate::Exact(_) => Qualifier::Exact,
            FuzzyDate::About(_) => Qualifier::About,
            FuzzyDate::Before(_) => Qualifier::Before,
            FuzzyDate::After(_) => Qualifier::After,
            FuzzyDate::Between(..) => Qualifier::Between,
        }
    }

    /// The date in words, e.g. "about April 2023" or "avant le 7 juin 2023".
    pub fn display(&self, lang: Lang) -> String {
        let (about, before, after) = match lang {
            Lang::En => ("about", "before", "after"),
            Lang::Fr => ("vers", "avant", "après"),
        };
        match self {
            FuzzyDate::Exact(point) => point.human(lang),
            FuzzyDate::About(point) => qualified(about, point, lang),
            FuzzyDate::Before(point) => qualified(before, point, lang),
            FuzzyDate::After(point) => qualified(after, point, lang),
            FuzzyDate::Between(first, last) => between_text(first, last, lang),
        }
    }

    /// The text form that [`FuzzyDate::parse`] reads back to an equal value; the same as `Display`.
    pub fn canonical(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FuzzyDate::Exact(point) => point.write_canonical(out),
            FuzzyDate::About(point) => {
                out.write_str("~")?;
                point.write_canonical(out)
            }
            FuzzyDate::Before(point) => {
                out.write_str("<")?;
                point.write_canonical(out)
            }
            FuzzyDate::After(point) => {
                out.write_str(">")?;
                point.write_canonical(out)
            }
            FuzzyDate::Between(first, last) => {
                first.write_canonical(out)?;
                out.write_str("..")?;
                last.write_canonical(out)
            }
        }
    }
}

impl FromStr for FuzzyDate {
    type Err = DateError;

    fn from_str(input: &str) -> Result<FuzzyDate, DateError> {
        FuzzyDate::parse(input)
    }
}

/// Chronological order: by sort key; at the same key, what ends there ("before X") first and what
/// only starts after it ("after X") last, because their bounds say so whatever their precision;
/// then finer before coarser (a day before the month it opens); then exact, about, between; then
/// canonical text, which no two different values share, so the order is total and agrees with `==`.
impl Ord for FuzzyDate {
    fn cmp(&self, other: &Self) -> Ordering {
        let side = |date: &FuzzyDate| match date.qualifier() {
            Qualifier::Before => 0,
            Qualifier::After => 2,
            _ => 1,
        };
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| side(self).cmp(&side(other)))
            .then_with(|| self.precision().cmp(&other.precision()))
            .then_with(|| {
                let rank = |date: &FuzzyDate| date.qualifier().chronology_rank();
                rank(self).cmp(&rank(other))
            })
            .then_with(|| self.canonical().cmp(&other.canonical()))
    }
}

impl PartialOrd for FuzzyDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm). Unlike
/// chrono's constructors it is defined for every year and month, so hand-built points with
/// out-of-range fields still get bounds instead of a panic.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn day_number(day: NaiveDate) -> i64 {
    days_from_civil(i64::from(day.year()), i64::from(day.month()), i64::from(day.day()))
}

/// Carries a month outside 1 to 12 into the year, so month 13 of 2023 is January 2024.
fn normalise_month(year: i64, month: i64) -> (i64, u32) {
    let index = year * 12 + month - 1;
    // rem_euclid(12) is in 0..12, so the conversion cannot fail.
    let month = u32::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    (index.div_euclid(12), month)
}

/// Seconds and nanoseconds as written: chrono keeps a leap second as second 59 with more than a
/// billion nanoseconds, which reads as second 60.
fn second_and_nanos(time: NaiveTime) -> (u32, u32) {
    let nanos = time.nanosecond();
    if nanos >= 1_000_000_000 {
        (time.second() + 1, nanos - 1_000_000_000)
    } else {
        (time.second(), nanos)
    }
}

/// `+02:00`, `-05:30`, or `+00:00:30` for the odd historical offset with seconds.
fn offset_text(offset_seconds: i32) -> String {
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let total = offset_seconds.unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total % 3600 / 60, total % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
    }
}
