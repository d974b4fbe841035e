//! Reading the text syntax of a fuzzy date (see the module docs of `date` for the syntax).

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};

use super::*;

pub(super) fn parse_range(text: &str) -> Result<FuzzyDate, DateError> {
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
pub(super) fn parse_point(text: &str, whole: &str) -> Result<Point, DateError> {
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

pub(super) fn parse_instant(day: NaiveDate, time: &str, point: &str, whole: &str) -> Result<Point, DateError> {
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
pub(super) fn clock_fields(clock: &str) -> Option<(u32, u32, u32, u32)> {
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
pub(super) fn parse_offset(zone: &str) -> Option<FixedOffset> {
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

pub(super) fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// A zero-padded two-digit number; single digits are refused so that `2023-5-1` is not silently
/// read differently from what a careless paste meant.
pub(super) fn two_digits(text: &str) -> Option<u32> {
    if text.len() == 2 && is_digits(text) {
        text.parse().ok()
    } else {
        None
    }
}

/// The input as quoted in an error, cut to a readable length on a character boundary.
pub(super) fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(EXCERPT_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}
