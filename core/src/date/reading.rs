//! Dates in words, as people write them and as Dossier writes them ([`FuzzyDate::display`]), in English
//! and in French: "18 May 2023", « le 1er janvier 2024 », "May 18, 2023", « vers avril 2023 »,
//! "before 7 June 2023", « entre janvier et avril 2023 », "early 2023", « mi-mars 2023 », "Q2 2023",
//! `31/12/2023`. Whatever `display` writes, in either language, reads back to the same value.
//!
//! The text is folded first (lower case, French accents dropped, non-breaking spaces as spaces), so
//! « Février », "fevrier" and "FÉVRIER" are one word. Periods people name without a date are read as
//! the range they cover: early, mid and late are the first, middle and last thirds of a year (January
//! to April, May to August, September to December) or of a month (the 1st to the 10th, the 11th to
//! the 20th, the 21st to its end); a quarter is its three months.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};

use super::parse::{clock_fields, excerpt, is_digits, parse_offset, parse_point};
use super::{DateError, FuzzyDate, Point};

/// How the day and the month of a numeric date (`05/06/2023`) are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayMonth {
    /// The day comes first, as in French.
    DayFirst,
    /// The month comes first, as in the United States (a CSV file whose other rows say so).
    MonthFirst,
    /// Either may: a date that reads both ways is refused, with both readings. English is written
    /// day first in Britain and month first in the United States.
    Either,
}

/// The order a numeric date (`13/01/2023`) can only be read in: day first when its first number is
/// over 12, month first when its second is, `Either` when both readings are days (or the same day);
/// `None` for text that is not a numeric date of a day that exists.
pub fn numeric_order(text: &str) -> Option<DayMonth> {
    let (day_first, month_first) = numeric_readings(text.trim())?;
    match (day_first, month_first) {
        (Some(_), Some(_)) => Some(DayMonth::Either),
        (Some(_), None) => Some(DayMonth::DayFirst),
        (None, Some(_)) => Some(DayMonth::MonthFirst),
        (None, None) => None,
    }
}

/// The day a numeric date names read day first, and read month first; `None` when the text has not
/// the shape of one (two numbers of one or two digits and a year, separated by `/` or `.`).
fn numeric_readings(token: &str) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let parts: Vec<&str> = token.split(['/', '.']).collect();
    let [first, second, year_text] = parts.as_slice() else { return None };
    let (first, second, year) = (small(first)?, small(second)?, year(year_text)?);
    Some((NaiveDate::from_ymd_opt(year, second, first), NaiveDate::from_ymd_opt(year, first, second)))
}

/// Longest text read as words: no date anyone types is longer.
const MAX_CHARS: usize = 120;

const ABOUT: &[&str] = &["about", "around", "circa", "c.", "ca.", "approximately", "vers", "environ"];
const BEFORE: &[&str] = &["before", "avant"];
const AFTER: &[&str] = &["after", "apres"];
const BETWEEN: &[&str] = &["between", "entre"];
const AND: &[&str] = &["and", "et"];
/// Words that may stand before a day or a period and say nothing more: « le 18 mai », « début de
/// 2023 », "the 18th of May".
const ARTICLES: &[&str] = &["le", "the"];
const OF: &[&str] = &["de", "d'", "of"];

/// Month names and their usual short forms, folded, in both languages; the month is the index + 1.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "janvier", "janv"],
    &["february", "feb", "fevrier", "fev", "fevr"],
    &["march", "mar", "mars"],
    &["april", "apr", "avril", "avr"],
    &["may", "mai"],
    &["june", "jun", "juin"],
    &["july", "jul", "juillet", "juil"],
    &["august", "aug", "aout"],
    &["september", "sep", "sept", "septembre"],
    &["october", "oct", "octobre"],
    &["november", "nov", "novembre"],
    &["december", "dec", "decembre"],
];

/// A third of a year or of a month.
#[derive(Clone, Copy)]
enum Third {
    Early,
    Mid,
    Late,
}

/// Reads `text` as a date in words in either language (numeric day and month told apart by `order`).
/// Anything it cannot read is [`DateError::Unrecognised`].
pub(super) fn read(text: &str, order: DayMonth) -> Result<FuzzyDate, DateError> {
    if text.chars().count() > MAX_CHARS {
        return Err(DateError::Unrecognised(excerpt(text)));
    }
    let mut words = Words { tokens: tokens(text), at: 0, text, order };
    let date = words.date()?;
    match words.peek() {
        None => Ok(date),
        Some(_) => Err(words.unrecognised()),
    }
}

/// The text's words, folded; commas and parentheses are words of their own, and "mi-mars",
/// "mid-March" and "d'avril" are two words each.
fn tokens(text: &str) -> Vec<String> {
    let folded: String = text.to_lowercase().chars().map(fold).collect();
    let mut out = Vec::new();
    for word in folded.split_whitespace() {
        let mut current = String::new();
        for c in word.chars() {
            if matches!(c, ',' | '(' | ')') {
                push_word(&mut out, std::mem::take(&mut current));
                out.push(c.to_string());
            } else {
                current.push(c);
            }
        }
        push_word(&mut out, current);
    }
    out
}

fn push_word(out: &mut Vec<String>, word: String) {
    if word.is_empty() {
        return;
    }
    for prefix in ["mid-", "mi-", "d'"] {
        if let Some(rest) = word.strip_prefix(prefix).filter(|rest| !rest.is_empty()) {
            out.push(prefix.trim_end_matches('-').to_string());
            out.push(rest.to_string());
            return;
        }
    }
    out.push(word);
}

/// One character folded: French accents dropped, typographic apostrophes, minus signs and
/// non-breaking spaces as their plain forms.
fn fold(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'à' | 'â' | 'ä' => 'a',
        'î' | 'ï' => 'i',
        'ô' | 'ö' => 'o',
        'û' | 'ù' | 'ü' => 'u',
        'ç' => 'c',
        '’' | 'ʼ' => '\'',
        '−' | '–' => '-',
        '\u{a0}' | '\u{202f}' => ' ',
        other => other,
    }
}

/// A point as written, some of its parts possibly left to the other end of a range ("between 3 and
/// 9 May 2023" gives the first end its month and year).
#[derive(Clone, Copy, Default)]
struct Partial {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    clock: Option<(NaiveTime, FixedOffset)>,
}

impl Partial {
    fn of(point: &Point) -> Partial {
        match point {
            Point::Year(year) => Partial { year: Some(*year), ..Partial::default() },
            Point::Month(year, month) => Partial { year: Some(*year), month: Some(*month), ..Partial::default() },
            Point::Day(day) => {
                Partial { year: Some(day.year()), month: Some(day.month()), day: Some(day.day()), clock: None }
            }
            Point::Instant(moment) => {
                let local = moment.naive_local();
                Partial {
                    year: Some(local.year()),
                    month: Some(local.month()),
                    day: Some(local.day()),
                    clock: Some((local.time(), *moment.offset())),
                }
            }
        }
    }

    /// The first end of a range, completed from its last end: what it leaves out is the last's.
    fn completed_from(self, last: &Partial) -> Partial {
        let year = self.year.or(last.year);
        let month = match (self.month, self.day) {
            (None, Some(_)) => last.month,
            (month, _) => month,
        };
        Partial { year, month, ..self }
    }
}

struct Words<'a> {
    tokens: Vec<String>,
    at: usize,
    text: &'a str,
    order: DayMonth,
}

impl Words<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> Option<String> {
        let token = self.tokens.get(self.at).cloned();
        self.at += usize::from(token.is_some());
        token
    }

    /// Takes the next word if it is one of `any`.
    fn eat(&mut self, any: &[&str]) -> bool {
        let found = self.peek().is_some_and(|t| any.contains(&t));
        self.at += usize::from(found);
        found
    }

    fn unrecognised(&self) -> DateError {
        DateError::Unrecognised(excerpt(self.text))
    }

    fn date(&mut self) -> Result<FuzzyDate, DateError> {
        if self.eat(ABOUT) {
            return match self.point()? {
                Point::Instant(_) => Err(DateError::AboutInstant(excerpt(self.text))),
                point => Ok(FuzzyDate::About(point)),
            };
        }
        if self.eat(BEFORE) {
            return Ok(FuzzyDate::Before(self.point()?));
        }
        if self.eat(AFTER) {
            return Ok(FuzzyDate::After(self.point()?));
        }
        if self.eat(BETWEEN) {
            return self.between();
        }
        if let Some(period) = self.period()? {
            return Ok(period);
        }
        Ok(FuzzyDate::Exact(self.point()?))
    }

    /// "between January and April 2023", « entre le 3 et le 9 mai 2023 », "between 2022 and March 2023".
    fn between(&mut self) -> Result<FuzzyDate, DateError> {
        let first = self.partial()?;
        if !self.eat(AND) {
            return Err(self.unrecognised());
        }
        let last = self.partial()?;
        self.range(self.whole(first.completed_from(&last))?, self.whole(last)?)
    }

    fn range(&self, first: Point, last: Point) -> Result<FuzzyDate, DateError> {
        if last.end() <= first.start() {
            return Err(DateError::RangeBackwards(excerpt(self.text)));
        }
        Ok(if first == last { FuzzyDate::Exact(first) } else { FuzzyDate::Between(first, last) })
    }

    /// Early, mid or late in a year or a month, and quarters: `None` when the text names none.
    fn period(&mut self) -> Result<Option<FuzzyDate>, DateError> {
        if let Some(quarter) = self.peek().and_then(quarter) {
            self.next();
            let Some(year) = self.next().as_deref().and_then(year) else { return Err(self.unrecognised()) };
            let first = Point::Month(year, quarter * 3 - 2);
            return self.range(first, Point::Month(year, quarter * 3)).map(Some);
        }
        let third = match self.peek() {
            Some("early" | "debut") => Third::Early,
            Some("mid" | "mi" | "middle") => Third::Mid,
            Some("late" | "fin") => Third::Late,
            _ => return Ok(None),
        };
        self.next();
        self.eat(OF);
        let within = self.partial()?;
        let (first, last) = match (within.year, within.month, within.day) {
            (Some(year), None, None) => {
                let (from, to) = match third {
                    Third::Early => (1, 4),
                    Third::Mid => (5, 8),
                    Third::Late => (9, 12),
                };
                (Point::Month(year, from), Point::Month(year, to))
            }
            (Some(year), Some(month), None) => {
                let last_day = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some());
                let (from, to) = match third {
                    Third::Early => (1, 10),
                    Third::Mid => (11, 20),
                    Third::Late => (21, last_day.unwrap_or(28)),
                };
                (self.day(year, month, from)?, self.day(year, month, to)?)
            }
            _ => return Err(self.unrecognised()),
        };
        self.range(first, last).map(Some)
    }

    /// One whole point: a year, a month of a year, a day, or a day with its time and zone.
    fn point(&mut self) -> Result<Point, DateError> {
        let partial = self.partial()?;
        self.whole(partial)
    }

    /// A point as written, whatever parts it names (the first end of a range may leave some out).
    fn partial(&mut self) -> Result<Partial, DateError> {
        self.eat(ARTICLES);
        let Some(token) = self.next() else { return Err(self.unrecognised()) };
        // What the strict syntax reads (2023, 2023-05, 2023-05-18T14:30Z) is read as it does.
        if token.starts_with(|c: char| c.is_ascii_digit()) && token.len() >= 4 && !token.contains(['/', '.']) {
            let upper = token.to_uppercase();
            if let Ok(point) = parse_point(&upper, self.text) {
                return Ok(Partial::of(&point));
            }
        }
        if token.contains(['/', '.']) && token.starts_with(|c: char| c.is_ascii_digit()) {
            return self.numeric(&token).map(|point| Partial::of(&point));
        }
        let mut partial = Partial::default();
        if let Some(day) = day_number(&token) {
            // "18 May 2023", « 1er janvier 2024 », "the 18th of May 2023", or a day alone before "and".
            partial.day = Some(day);
            self.eat(OF);
            if let Some(month) = self.peek().and_then(month_number) {
                self.next();
                partial.month = Some(month);
            }
        } else if let Some(month) = month_number(&token) {
            // "May 2023", or "May 18, 2023" as American English writes it.
            partial.month = Some(month);
            if let Some(day) = self.peek().filter(|t| t.len() <= 4).and_then(day_number) {
                self.next();
                partial.day = Some(day);
                self.eat(&[","]);
            }
        } else if let Some(year) = year(&token) {
            return Ok(Partial { year: Some(year), ..Partial::default() });
        } else {
            return Err(self.unrecognised());
        }
        if let Some(year) = self.peek().and_then(year) {
            self.next();
            partial.year = Some(year);
            if partial.day.is_some() && self.peek() == Some(",") {
                self.next();
                partial.clock = Some(self.clock()?);
            }
        }
        Ok(partial)
    }

    /// A time of day and its zone, as Dossier writes them after a day: "14:30 (UTC+02:00)",
    /// « 14 h 30 min 05 s (UTC) ».
    fn clock(&mut self) -> Result<(NaiveTime, FixedOffset), DateError> {
        let Some(first) = self.next() else { return Err(self.unrecognised()) };
        let (hour, minute, second) = if first.contains(':') {
            let (hour, minute, second, nanos) = clock_fields(&first).ok_or_else(|| self.unrecognised())?;
            if nanos != 0 {
                return Err(self.unrecognised());
            }
            (hour, minute, second)
        } else {
            // French: "14 h 30" and "14 h 30 min 05 s", or "14h30".
            let (hour, rest) = match first.split_once('h') {
                Some((hour, minute)) if !minute.is_empty() => (hour.to_string(), Some(minute.to_string())),
                Some((hour, _)) => (hour.to_string(), None),
                None if self.eat(&["h"]) => (first.clone(), None),
                None => return Err(self.unrecognised()),
            };
            let minute = match rest {
                Some(minute) => minute,
                None => self.next().ok_or_else(|| self.unrecognised())?,
            };
            let second = if self.eat(&["min"]) {
                let second = self.next().ok_or_else(|| self.unrecognised())?;
                self.eat(&["s"]);
                number(&second)
            } else {
                Some(0)
            };
            match (number(&hour), number(&minute), second) {
                (Some(hour), Some(minute), Some(second)) => (hour, minute, second),
                _ => return Err(self.unrecognised()),
            }
        };
        let time = NaiveTime::from_hms_opt(hour, minute, second)
            .ok_or_else(|| DateError::NoSuchTime { time: excerpt(&first), input: excerpt(self.text) })?;
        let parenthesised = self.eat(&["("]);
        let zone = self.next().ok_or_else(|| DateError::MissingZone(excerpt(self.text)))?;
        if parenthesised && !self.eat(&[")"]) {
            return Err(self.unrecognised());
        }
        let offset = match zone.strip_prefix("utc") {
            Some("") => FixedOffset::east_opt(0),
            Some(offset) => parse_offset(offset),
            None => None,
        }
        .ok_or_else(|| DateError::BadZone { zone: excerpt(&zone), input: excerpt(self.text) })?;
        Ok((time, offset))
    }

    /// `31/12/2023`, `12/31/2023`, `31.12.2023`: the day and the month told apart by which one is over
    /// 12, else by the order the language writes them in.
    fn numeric(&self, token: &str) -> Result<Point, DateError> {
        let (day_first, month_first) = numeric_readings(token).ok_or_else(|| self.unrecognised())?;
        let day = match (day_first, month_first, self.order) {
            (Some(a), Some(b), DayMonth::Either) if a != b => {
                return Err(DateError::Ambiguous {
                    input: excerpt(token),
                    day_first: a.to_string(),
                    month_first: b.to_string(),
                })
            }
            (Some(_), Some(b), DayMonth::MonthFirst) => b,
            (Some(a), _, _) => a,
            // Month first where day first names no day, whatever the order.
            (None, Some(b), _) => b,
            (None, None, _) => return Err(DateError::NoSuchDay(excerpt(token))),
        };
        Ok(Point::Day(day))
    }

    /// The point a [`Partial`] names, once it is whole: a year at least, a month for a day.
    fn whole(&self, p: Partial) -> Result<Point, DateError> {
        let Some(year) = p.year else { return Err(self.unrecognised()) };
        match (p.month, p.day, p.clock) {
            (None, None, None) => Ok(Point::Year(year)),
            (Some(month), None, None) => Ok(Point::Month(year, month)),
            (Some(month), Some(day), None) => self.day(year, month, day),
            (Some(month), Some(day), Some((time, offset))) => {
                let Point::Day(date) = self.day(year, month, day)? else { return Err(self.unrecognised()) };
                let no_such_time = || DateError::NoSuchTime { time: time.to_string(), input: excerpt(self.text) };
                let moment = offset.from_local_datetime(&date.and_time(time)).single().ok_or_else(no_such_time)?;
                Ok(Point::Instant(moment))
            }
            _ => Err(self.unrecognised()),
        }
    }

    fn day(&self, year: i32, month: u32, day: u32) -> Result<Point, DateError> {
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Point::Day)
            .ok_or_else(|| DateError::NoSuchDay(excerpt(&format!("{year:04}-{month:02}-{day:02}"))))
    }
}

/// A year as written in words: four digits, 1 to 9999.
fn year(token: &str) -> Option<i32> {
    (token.len() == 4 && is_digits(token)).then(|| token.parse().ok()).flatten().filter(|y| *y >= 1)
}

/// A day of the month as written: "18", « 1er », "1st", "2nd", "3rd", "18th".
fn day_number(token: &str) -> Option<u32> {
    let digits = ["er", "st", "nd", "rd", "th", "e"].iter().find_map(|s| token.strip_suffix(s)).unwrap_or(token);
    small(digits).filter(|d| (1..=31).contains(d))
}

/// One or two digits.
fn small(text: &str) -> Option<u32> {
    (text.len() <= 2).then(|| number(text)).flatten()
}

fn number(text: &str) -> Option<u32> {
    is_digits(text).then(|| text.parse().ok()).flatten()
}

fn month_number(token: &str) -> Option<u32> {
    let name = token.trim_end_matches('.');
    MONTHS.iter().position(|names| names.contains(&name)).and_then(|i| u32::try_from(i + 1).ok())
}

/// The quarter a word names: "q2", « t2 ».
fn quarter(token: &str) -> Option<u32> {
    let digit = token.strip_prefix('q').or_else(|| token.strip_prefix('t'))?;
    number(digit).filter(|q| (1..=4).contains(q) && digit.len() == 1)
}
