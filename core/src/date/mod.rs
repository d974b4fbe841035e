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

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike};

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

/// Why a text is not a fuzzy date. Every message quotes the text at fault (cut short if very long).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DateError {
    #[error("empty date")]
    Empty,
    #[error(
        "unrecognised date '{0}': expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM±HH:MM, \
         optionally prefixed with ~, < or >, or a range A..B"
    )]
    Unrecognised(String),
    #[error("year '{0}' is outside 1 to 9999")]
    YearOutOfRange(String),
    #[error("month '{0}' does not exist")]
    NoSuchMonth(String),
    #[error("date '{0}' does not exist")]
    NoSuchDay(String),
    #[error("time '{time}' in '{input}' does not exist")]
    NoSuchTime { time: String, input: String },
    #[error("time '{0}' has no time zone: add Z or an offset such as +02:00")]
    MissingZone(String),
    #[error("time zone '{zone}' in '{input}' is not a valid offset: expected Z or ±HH:MM up to ±23:59")]
    BadZone { zone: String, input: String },
    #[error("date '{0}' has a qualifier but no date after it")]
    MissingPoint(String),
    #[error("date '{0}' is about a time of day: ~ applies to a year, month or day")]
    AboutInstant(String),
    #[error("date range '{0}' needs a start and an end: use <X or >X for an open-ended date")]
    RangeOpenEnd(String),
    #[error("date range '{0}' has more than two ends")]
    RangeTooManyEnds(String),
    #[error("date range '{0}' has a qualified end: the ends of A..B must be plain dates")]
    RangeQualifiedEnd(String),
    #[error("date range '{0}' ends before it starts")]
    RangeBackwards(String),
}

impl DateError {
    /// A stable name for the kind of mistake and the text it quotes, so a front end can say it in
    /// the user's language ("date.no_such_day", "2023-02-30").
    pub fn key(&self) -> (&'static str, String) {
        match self {
            DateError::Empty => ("date.empty", String::new()),
            DateError::Unrecognised(v) => ("date.unrecognised", v.clone()),
            DateError::YearOutOfRange(v) => ("date.year_out_of_range", v.clone()),
            DateError::NoSuchMonth(v) => ("date.no_such_month", v.clone()),
            DateError::NoSuchDay(v) => ("date.no_such_day", v.clone()),
            DateError::NoSuchTime { time, .. } => ("date.no_such_time", time.clone()),
            DateError::MissingZone(v) => ("date.missing_zone", v.clone()),
            DateError::BadZone { zone, .. } => ("date.bad_zone", zone.clone()),
            DateError::MissingPoint(v) => ("date.missing_point", v.clone()),
            DateError::AboutInstant(v) => ("date.about_instant", v.clone()),
            DateError::RangeOpenEnd(v) => ("date.range_open_end", v.clone()),
            DateError::RangeTooManyEnds(v) => ("date.range_too_many_ends", v.clone()),
            DateError::RangeQualifiedEnd(v) => ("date.range_qualified_end", v.clone()),
            DateError::RangeBackwards(v) => ("date.range_backwards", v.clone()),
        }
    }
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
            Point::Year(year) => year.to_string(),
            Point::Month(year, month) => {
                let (year, month) = normalise_month(i64::from(*year), i64::from(*month));
                format!("{} {year}", month_name(lang, month))
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

fn parse_range(text: &str) -> Result<FuzzyDate, DateError> {
    let mut ends = text.split("..");
    let (Some(first), Some(last), None) = (ends.next(), ends.next(), ends.next()) else {
        return Err(DateError::RangeTooManyEnds(excerpt(text)));
    };
    if first.is_empty() || last.is_empty() {
        return Err(DateError::RangeOpenEnd(excerpt(text)));
    }
    if first.starts_with(QUALIFIERS) || last.starts_with(QUALIFIERS) {
        return Err(DateError::RangeQualifiedEnd(excerpt(text)));
    }
    let first = parse_point(first, text)?;
    let last = parse_point(last, text)?;
    // The same point twice is allowed (it is just that point); only a range whose end lies wholly
    // before its start is nonsense.
    if last.end() <= first.start() {
        return Err(DateError::RangeBackwards(excerpt(text)));
    }
    Ok(FuzzyDate::Between(first, last))
}

/// Reads one unqualified point. `whole` is the full input, quoted when the shape is wrong; a value
/// that does not exist (a month, day, time or offset) is quoted on its own.
fn parse_point(text: &str, whole: &str) -> Result<Point, DateError> {
    let unrecognised = || DateError::Unrecognised(excerpt(whole));
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let fields: Vec<&str> = date.split('-').collect();
    let year_text = fields.first().copied().unwrap_or_default();
    if !is_digits(year_text) || year_text.len() < 4 {
        return Err(unrecognised());
    }
    if year_text.len() > 4 {
        return Err(DateError::YearOutOfRange(excerpt(year_text)));
    }
    let year: i32 = year_text.parse().map_err(|_| unrecognised())?;
    if year == 0 {
        return Err(DateError::YearOutOfRange(excerpt(year_text)));
    }
    let (month_text, day_text) = match fields.as_slice() {
        [_] if time.is_none() => return Ok(Point::Year(year)),
        [_, month] => (*month, None),
        [_, month, day] => (*month, Some(*day)),
        _ => return Err(unrecognised()),
    };
    let month = two_digits(month_text).ok_or_else(unrecognised)?;
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth(excerpt(&format!("{year_text}-{month_text}"))));
    }
    let Some(day_text) = day_text else {
        return match time {
            None => Ok(Point::Month(year, month)),
            Some(_) => Err(unrecognised()),
        };
    };
    let day_of_month = two_digits(day_text).ok_or_else(unrecognised)?;
    let day = NaiveDate::from_ymd_opt(year, month, day_of_month).ok_or_else(|| DateError::NoSuchDay(excerpt(date)))?;
    match time {
        None => Ok(Point::Day(day)),
        Some(time) => parse_instant(day, time, text, whole),
    }
}

fn parse_instant(day: NaiveDate, time: &str, point: &str, whole: &str) -> Result<Point, DateError> {
    let (clock, zone) = match time.find(['+', '-']) {
        Some(at) => (&time[..at], Some(&time[at..])),
        None => match time.strip_suffix('Z') {
            Some(clock) => (clock, Some("Z")),
            None => (time, None),
        },
    };
    let (hour, minute, second, nanos) = clock_fields(clock).ok_or_else(|| DateError::Unrecognised(excerpt(whole)))?;
    let no_such_time = || DateError::NoSuchTime { time: excerpt(clock), input: excerpt(whole) };
    let clock_time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or_else(no_such_time)?;
    let zone = zone.ok_or_else(|| DateError::MissingZone(excerpt(point)))?;
    let offset = parse_offset(zone).ok_or_else(|| DateError::BadZone { zone: excerpt(zone), input: excerpt(whole) })?;
    let moment = offset.from_local_datetime(&day.and_time(clock_time)).single().ok_or_else(no_such_time)?;
    Ok(Point::Instant(moment))
}

/// Splits `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction` into hour, minute, second and nanoseconds,
/// without checking their ranges; `None` if the shape is wrong.
fn clock_fields(clock: &str) -> Option<(u32, u32, u32, u32)> {
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let fields: Vec<&str> = hms.split(':').collect();
    let (hour, minute, second) = match fields.as_slice() {
        [hour, minute] if fraction.is_none() => (two_digits(hour)?, two_digits(minute)?, 0),
        [hour, minute, second] => (two_digits(hour)?, two_digits(minute)?, two_digits(second)?),
        _ => return None,
    };
    let nanos = match fraction {
        None => 0,
        // Padding on the right turns ".25" into 250 000 000 nanoseconds.
        Some(digits) if is_digits(digits) && digits.len() <= 9 => format!("{digits:0<9}").parse().ok()?,
        Some(_) => return None,
    };
    Some((hour, minute, second, nanos))
}

/// Reads `Z` or `±HH:MM`; `None` for any other shape or an offset chrono cannot hold (a day or more).
fn parse_offset(zone: &str) -> Option<FixedOffset> {
    if zone == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = match zone.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let (hours, minutes) = zone.get(1..)?.split_once(':')?;
    let hours = two_digits(hours)?;
    let minutes = two_digits(minutes)?;
    if minutes > 59 {
        return None;
    }
    let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
    FixedOffset::east_opt(sign * seconds)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// A zero-padded two-digit number; single digits are refused so that `2023-5-1` is not silently
/// read differently from what a careless paste meant.
fn two_digits(text: &str) -> Option<u32> {
    if text.len() == 2 && is_digits(text) {
        text.parse().ok()
    } else {
        None
    }
}

/// The input as quoted in an error, cut to a readable length on a character boundary.
fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(EXCERPT_CHARS - 1).collect();
        cut.push('…');
        cut
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

fn month_name(lang: Lang, month: u32) -> &'static str {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let names = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    let index = usize::try_from(month).unwrap_or(0).wrapping_sub(1);
    names.get(index).copied().unwrap_or("?")
}

/// Day of the month as said aloud: French writes the first of the month "1er".
fn day_of_month(lang: Lang, day: u32) -> String {
    match (lang, day) {
        (Lang::Fr, 1) => "1er".to_owned(),
        _ => day.to_string(),
    }
}

fn day_month_year(lang: Lang, day: u32, month: u32, year: i32) -> String {
    format!("{} {} {year}", day_of_month(lang, day), month_name(lang, month))
}

fn clock_text(lang: Lang, time: NaiveTime) -> String {
    let (second, _) = second_and_nanos(time);
    let (hour, minute) = (time.hour(), time.minute());
    match (lang, second) {
        (Lang::En, 0) => format!("{hour:02}:{minute:02}"),
        (Lang::En, _) => format!("{hour:02}:{minute:02}:{second:02}"),
        (Lang::Fr, 0) => format!("{hour} h {minute:02}"),
        (Lang::Fr, _) => format!("{hour} h {minute:02} min {second:02} s"),
    }
}

fn qualified(word: &str, point: &Point, lang: Lang) -> String {
    format!("{word} {}{}", point.article(lang), point.human(lang))
}

/// "between January and April 2023": the shared year (and month) is said once, as people write it.
fn between_text(first: &Point, last: &Point, lang: Lang) -> String {
    if first == last {
        return first.human(lang);
    }
    let (between, and) = match lang {
        Lang::En => ("between", "and"),
        Lang::Fr => ("entre", "et"),
    };
    match (first, last) {
        (Point::Month(first_year, first_month), Point::Month(last_year, last_month)) => {
            let (first_year, first_month) = normalise_month(i64::from(*first_year), i64::from(*first_month));
            let (last_year, last_month) = normalise_month(i64::from(*last_year), i64::from(*last_month));
            if first_year == last_year {
                return format!(
                    "{between} {} {and} {} {last_year}",
                    month_name(lang, first_month),
                    month_name(lang, last_month)
                );
            }
        }
        (Point::Day(first_day), Point::Day(last_day)) if first_day.year() == last_day.year() => {
            let article = first.article(lang);
            let first_text = day_of_month(lang, first_day.day());
            let last_text = day_of_month(lang, last_day.day());
            let last_month = month_name(lang, last_day.month());
            let year = last_day.year();
            return if first_day.month() == last_day.month() {
                format!("{between} {article}{first_text} {and} {article}{last_text} {last_month} {year}")
            } else {
                let first_month = month_name(lang, first_day.month());
                format!("{between} {article}{first_text} {first_month} {and} {article}{last_text} {last_month} {year}")
            };
        }
        _ => {}
    }
    format!("{between} {}{} {and} {}{}", first.article(lang), first.human(lang), last.article(lang), last.human(lang))
}
