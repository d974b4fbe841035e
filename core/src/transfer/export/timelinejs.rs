//! The chronology as TimelineJS 3 JSON (the format newsrooms embed), without private records.
//!
//! Fuzzy dates are mapped as honestly as the format allows. A date gives `year`, and `month` and
//! `day` only when the record knows them, so TimelineJS shows "2023" or "April 2023" rather than
//! inventing a day. "About", "before" and "after" cannot be said by its date fields: the slide's
//! `display_date` carries the date in words ("about April 2023"), which TimelineJS shows instead of
//! its own formatting, while the fields place the slide at the nominal point. A range has an
//! `end_date`. Every text is HTML-escaped, since TimelineJS renders headline and text as HTML.

use serde::Serialize;

use super::publish::{Item, Published, Source};
use super::words::*;
use crate::date::{FuzzyDate, Lang, Point};
use crate::error::{Error, Result};
use crate::markdown::{escape_html, to_safe_html};
use crate::store::Reader;

#[derive(Serialize)]
struct Timeline {
    title: Slide,
    events: Vec<Slide>,
}

#[derive(Serialize)]
struct Slide {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<TlDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TlDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<String>,
    /// TimelineJS turns bare addresses in text into links unless told not to; our links are explicit.
    autolink: bool,
}

#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

/// A date as TimelineJS reads it: only the fields the record knows.
#[derive(Serialize, Debug, PartialEq)]
struct TlDate {
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u32>,
}

fn tl_date(point: &Point) -> TlDate {
    use chrono::{Datelike, Timelike};
    let none = TlDate { year: 0, month: None, day: None, hour: None, minute: None };
    match point {
        Point::Year(y) => TlDate { year: *y, ..none },
        Point::Month(y, m) => TlDate { year: *y, month: Some(*m), ..none },
        Point::Day(d) => TlDate { year: d.year(), month: Some(d.month()), day: Some(d.day()), ..none },
        Point::Instant(t) => TlDate {
            year: t.year(),
            month: Some(t.month()),
            day: Some(t.day()),
            hour: Some(t.hour()),
            minute: Some(t.minute()),
        },
    }
}

/// (start, end) of a date: a range has both ends; any other date one point.
fn dates(date: &FuzzyDate) -> (TlDate, Option<TlDate>) {
    match date {
        FuzzyDate::Exact(p) | FuzzyDate::About(p) | FuzzyDate::Before(p) | FuzzyDate::After(p) => (tl_date(p), None),
        FuzzyDate::Between(first, last) => (tl_date(first), Some(tl_date(last))),
    }
}

/// The case's public chronology as TimelineJS JSON, in `lang`.
pub fn timelinejs(db: &Reader, case: &str, lang: Lang) -> Result<String> {
    let p = Published::read(db, case, lang)?;
    let l = labels(lang);
    let mut events = Vec::with_capacity(p.items.len());
    for item in &p.items {
        let e = &item.entry;
        let date = FuzzyDate::parse(&e.date)
            .map_err(|err| Error::internal(format!("a stored date does not read back: {} ({err})", e.date)))?;
        let (start, end) = dates(&date);
        events.push(Slide {
            start_date: Some(start),
            end_date: end,
            display_date: Some(date.display(lang)),
            text: Text { headline: escape_html(&entry_what(e, lang)), text: slide_text(item, &p.sources, l, lang) },
            group: Some(e.kind.word(lang).to_string()),
            unique_id: Some(e.id.clone()),
            autolink: false,
        });
    }
    let title = Slide {
        start_date: None,
        end_date: None,
        display_date: None,
        text: Text { headline: escape_html(&p.case.title), text: to_safe_html(&p.case.summary) },
        group: None,
        unique_id: None,
        autolink: false,
    };
    serde_json::to_string_pretty(&Timeline { title, events })
        .map_err(|e| Error::internal(format!("TimelineJS JSON: {e}")))
}

/// A slide's text: the event's description, who was involved, who says so, and the sources.
fn slide_text(item: &Item, sources: &[Source], l: &Labels, lang: Lang) -> String {
    let e = &item.entry;
    let mut out = String::new();
    if let Some(d) = &item.description {
        out.push_str(&to_safe_html(d));
    }
    if !e.parties.is_empty() {
        out.push_str(&format!("<p><strong>{}:</strong> {}</p>", l.who, escape_html(&e.parties.join(", "))));
    }
    if !e.attribution.is_empty() {
        let text = attributions_text(&e.attribution, lang);
        out.push_str(&format!("<p><strong>{}:</strong> {}</p>", l.attribution, escape_html(&text)));
    }
    if !item.sources.is_empty() {
        let cited: Vec<String> = item
            .sources
            .iter()
            .filter_map(|(n, pin)| sources.get(n - 1).map(|s| (s, pin)))
            .map(|(s, pin)| {
                let mut text = match &s.url {
                    Some(url) => format!("<a href=\"{}\">{}</a>", escape_html(url), escape_html(&s.title)),
                    None => escape_html(&s.title),
                };
                if let Some(p) = &s.publisher {
                    text.push_str(&format!(" ({})", escape_html(p)));
                }
                if !pin.is_empty() {
                    text.push_str(&format!(", {}", escape_html(pin)));
                }
                text
            })
            .collect();
        out.push_str(&format!("<p><strong>{}:</strong> {}</p>", l.sources, cited.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_gives_only_the_fields_the_record_knows() {
        let year = FuzzyDate::parse("~2023").unwrap();
        assert_eq!(dates(&year), (TlDate { year: 2023, month: None, day: None, hour: None, minute: None }, None));
        let range = FuzzyDate::parse("2023-03..2023-05-02").unwrap();
        let (start, end) = dates(&range);
        assert_eq!((start.year, start.month, start.day), (2023, Some(3), None));
        assert_eq!(end.map(|d| (d.month, d.day)), Some((Some(5), Some(2))));
    }
}
