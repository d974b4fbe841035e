//! The response deadlines as an iCalendar file.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Component as _, EventLike as _};

use super::words::sender_text;
use crate::date::{FuzzyDate, Point, Qualifier};
use crate::error::Result;
use crate::input;
use crate::record::{case, letter};
use crate::store::Reader;
use crate::vocabulary::DeadlineState;

/// Where [`ics`] puts a deadline: on a day (all-day event) or at an instant.
enum DueOn {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

fn due_on(deadline: &FuzzyDate) -> Option<DueOn> {
    const DAY: i64 = 86_400;
    if let FuzzyDate::Exact(Point::Instant(moment)) = deadline {
        return Some(DueOn::Instant(moment.with_timezone(&Utc)));
    }
    let secs = match deadline.qualifier() {
        Qualifier::Before => deadline.sort_key() - DAY,
        _ => deadline.sort_key(),
    };
    DateTime::from_timestamp(secs.div_euclid(DAY) * DAY, 0).map(|t| DueOn::Day(t.date_naive()))
}

/// iCalendar TEXT cannot hold a carriage return or any other control character but the line end
/// (the crate escapes newlines, commas and semicolons).
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|c| *c == '\n' || !c.is_control()).collect()
}

/// [`ics_text`] escaped as RFC 5545 TEXT, for a property the crate does not know is TEXT (`NAME`).
fn escaped_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in ics_text(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The response deadlines of the case (letters with a deadline) as an iCalendar file: one VEVENT per
/// deadline, with UID `<letter id>@dossier` (importing the file again updates the same events),
/// SUMMARY "Reply due: …" with the subject, DESCRIPTION with the sender and the deadline as recorded and in
/// words, and DTSTAMP the time the letter was last changed, which keeps the file reproducible (RFC 5545
/// gives DTSTAMP that meaning in a calendar without METHOD, which is why none is set: METHOD is for
/// scheduling messages, not files). Lines end in CRLF and are folded at 75 octets by the icalendar crate.
///
/// A deadline recorded to the minute is a timed event at that instant (in UTC). Any other deadline is an
/// all-day event on the earliest day it can be said to fall on, so the reminder never comes late:
///
/// - a day: that day; a month or a year (`2023-06`, `2023`): its first day;
/// - about X (`~2023-06`): the first day of X (where the chronology places it, not its widened bounds);
/// - before X (`<2023-06-07`): the last day before X (6 June), since the reply must be in by then;
/// - after X (`>2023-06`): the first day after X (1 July);
/// - between A and B (`2023-06-01..2023-06-15`): the first day of A.
///
/// A case without deadlines gives a calendar without events, which calendar applications import as
/// empty (RFC 5545's grammar asks for one component at least; an invented placeholder would be worse).
pub fn ics(db: &Reader, case: &str) -> Result<String> {
    let c = case::get(db, case)?;
    let mut calendar = icalendar::Calendar::empty();
    calendar.append_property(icalendar::Property::new("VERSION", "2.0"));
    calendar.append_property(icalendar::Property::new("PRODID", "-//Dossier//Dossier//EN"));
    calendar.append_property(icalendar::Property::new("CALSCALE", "GREGORIAN"));
    // RFC 7986's NAME, escaped here (the crate writes it as is), and the older X-WR-CALNAME, which the
    // crate escapes itself.
    let name = format!("{} — deadlines", c.title);
    calendar.append_property(icalendar::Property::new("NAME", escaped_text(&name)));
    calendar.append_property(icalendar::Property::new("X-WR-CALNAME", ics_text(&name)));
    for d in letter::deadlines(db, &c.id)? {
        let deadline = input::date("deadline", &d.deadline)?;
        let l = letter::get(db, &d.letter_id)?;
        let stamp =
            DateTime::parse_from_rfc3339(&l.updated_at).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now());
        let mut description =
            format!("From: {}\nDeadline as recorded: {} ({})", sender_text(&l), d.deadline, d.deadline_en);
        if d.state == DeadlineState::Answered {
            description.push_str("\nAnswered.");
        }
        let _ = write!(description, "\nCase: {}", c.title);
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("{}@dossier", d.letter_id))
            .timestamp(stamp)
            .summary(&ics_text(&format!("Reply due: {}", d.subject)))
            .description(&ics_text(&description))
            .add_property("TRANSP", "TRANSPARENT");
        match due_on(&deadline) {
            Some(DueOn::Day(day)) => {
                ev.starts(day);
                if let Some(next) = day.succ_opt() {
                    ev.ends(next);
                }
            }
            Some(DueOn::Instant(at)) => {
                ev.starts(at);
            }
            None => continue,
        }
        calendar.push(ev.done());
    }
    Ok(calendar.to_string())
}
