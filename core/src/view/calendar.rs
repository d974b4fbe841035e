//! Date facts the front ends show but must not compute themselves: how a typed date is understood
//! (`describe`), the month a timeline entry is filed under (`group_of`), and the ticks of a zoomable
//! time axis (`axis`). All date arithmetic stays in the core.

use chrono::{DateTime, Datelike, NaiveDate};
use serde::Serialize;

use crate::date::{FuzzyDate, Lang, Point};
use crate::error::{Error, Result};

/// How Dossier understood a typed date.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DateInfo {
    /// Canonical text, as it will be stored.
    pub date: String,
    pub en: String,
    pub fr: String,
    pub precision: String,
    pub qualifier: String,
    pub lo: Option<i64>,
    pub hi: Option<i64>,
    /// Read so only in the language it was typed in (`05/06/2023` in French is 5 June, and refused
    /// without a language): a form stores `date` rather than the text as typed.
    pub by_language: bool,
}

/// How a typed date is understood, as a form or a CSV reads it (a numeric date that reads two ways is
/// refused with both readings).
pub fn describe(text: &str) -> Result<DateInfo> {
    info(crate::input::date("date", text)?, false)
}

/// [`describe`] for a date typed in `lang` (`dossier date --lang fr`): a numeric date that reads two
/// ways is read day first in French.
pub fn describe_in(text: &str, lang: Lang) -> Result<DateInfo> {
    let d = FuzzyDate::parse_in(text, lang).map_err(|source| Error::Date { field: "date".into(), source })?;
    let by_language = crate::input::date("date", text).ok().as_ref() != Some(&d);
    info(d, by_language)
}

fn info(d: FuzzyDate, by_language: bool) -> Result<DateInfo> {
    Ok(DateInfo {
        date: d.canonical(),
        en: d.display(Lang::En),
        fr: d.display(Lang::Fr),
        precision: d.precision().as_str().to_string(),
        qualifier: d.qualifier().as_str().to_string(),
        lo: d.lower(),
        hi: d.upper(),
        by_language,
    })
}

/// Most dates described in one call.
pub const MAX_DESCRIBED: usize = 2_000;

/// Several stored dates described at once, in order: what a page of a list needs to show its dates in
/// words with one call rather than one per date. A text that is not a date gives `None`.
pub fn describe_many(texts: &[String]) -> Result<Vec<Option<DateInfo>>> {
    if texts.len() > MAX_DESCRIBED {
        return Err(Error::rule(
            "dates",
            "too_many",
            MAX_DESCRIBED.to_string(),
            format!("{} dates asked at once; at most {MAX_DESCRIBED}", texts.len()),
        ));
    }
    Ok(texts.iter().map(|t| describe(t).ok()).collect())
}

/// The month an entry is filed under in a grouped list: the month of its sort key.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Group {
    /// "2023-02": sortable, and the key the list groups by.
    pub key: String,
    pub year: i32,
    pub month_en: String,
    pub month_fr: String,
}

pub fn group_of(sort_key: i64) -> Group {
    let day = DateTime::from_timestamp(sort_key, 0).map(|t| t.date_naive()).unwrap_or(NaiveDate::MIN);
    let month = FuzzyDate::Exact(Point::Month(day.year(), day.month()));
    Group {
        key: format!("{:04}-{:02}", day.year(), day.month()),
        year: day.year(),
        month_en: month.display(Lang::En),
        month_fr: month.display(Lang::Fr),
    }
}

/// The first second of the month holding `sort_key`, and the first second of the next month.
pub fn month_bounds(sort_key: i64) -> (i64, i64) {
    let day = DateTime::from_timestamp(sort_key, 0).map(|t| t.date_naive()).unwrap_or(NaiveDate::MIN);
    let first = day.with_day(1).unwrap_or(day);
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
    let second = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(sort_key);
    (second(first), second(next).max(sort_key + 1))
}

/// One labelled mark on a time axis.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tick {
    pub at: i64,
    pub en: String,
    pub fr: String,
    /// "year", "month" or "day": the unit the axis chose for this span.
    pub unit: String,
}

/// Ticks for an axis spanning `[lo, hi)` (Unix seconds) with at most about `max_ticks` marks: years for
/// long spans, months, then days as the span narrows.
pub fn axis(lo: i64, hi: i64, max_ticks: usize) -> Result<Vec<Tick>> {
    let (Some(start), Some(end)) = (DateTime::from_timestamp(lo, 0), DateTime::from_timestamp(hi, 0)) else {
        return Err(Error::rule(
            "axis",
            "bad_axis",
            format!("{lo}..{hi}"),
            format!("'{lo}..{hi}' is outside the calendar"),
        ));
    };
    if hi <= lo {
        return Err(Error::rule("axis", "bad_axis", format!("{lo}..{hi}"), format!("'{lo}..{hi}' is empty")));
    }
    let max_ticks = max_ticks.clamp(2, 500) as i64;
    let (start, end) = (start.date_naive(), end.date_naive());
    let days = (end - start).num_days().max(1);
    let months = (end.year() - start.year()) as i64 * 12 + end.month() as i64 - start.month() as i64 + 1;
    let mut ticks = Vec::new();
    let mut push = |d: NaiveDate, fuzzy: FuzzyDate, unit: &str| {
        let at = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(lo);
        if at >= lo && at < hi {
            ticks.push(Tick { at, en: fuzzy.display(Lang::En), fr: fuzzy.display(Lang::Fr), unit: unit.to_string() });
        }
    };
    if days <= max_ticks {
        let mut d = start;
        while d <= end {
            push(d, FuzzyDate::Exact(Point::Day(d)), "day");
            d = d.succ_opt().unwrap_or(NaiveDate::MAX);
            if d == NaiveDate::MAX {
                break;
            }
        }
    } else if months <= max_ticks {
        let (mut y, mut m) = (start.year(), start.month());
        while let Some(d) = NaiveDate::from_ymd_opt(y, m, 1).filter(|d| *d <= end) {
            push(d, FuzzyDate::Exact(Point::Month(y, m)), "month");
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    } else {
        let years = (end.year() - start.year() + 1) as i64;
        let step = ((years + max_ticks - 1) / max_ticks).max(1) as i32;
        let mut y = start.year();
        while y <= end.year() {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                push(d, FuzzyDate::Exact(Point::Year(y)), "year");
            }
            y += step;
        }
    }
    Ok(ticks)
}
