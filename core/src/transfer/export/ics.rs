//! The response deadlines as an iCalendar file, written by hand: the file is one calendar of a few
//! properties and one kind of event, and RFC 5545's rules for writing one (TEXT escaping, lines ended
//! by CRLF and folded at 75 octets) take a few lines, where a crate would bring a parser to write it.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use super::words::sender_text;
use crate::date::{FuzzyDate, Point, Qualifier};
use crate::error::Result;
use crate::input;
use crate::record::{case, letter};
use crate::store::Reader;
use crate::vocabulary::DeadlineState;

/// The reminders (VALARM) of an unanswered deadline: a week and a day before it.
const REMIND_DAYS_BEFORE: [u32; 2] = [7, 1];

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

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

/// `text` as an RFC 5545 TEXT value (section 3.3.11): backslash, semicolon, comma and line end escaped,
/// carriage returns taken for line ends, and every other control character left out, which TEXT
/// cannot hold.
fn text(text: &str) -> String {
    let lines = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(lines.len() + 8);
    for c in lines.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The longest a line may be, in octets, without its CRLF (RFC 5545 section 3.1).
const LINE_OCTETS: usize = 75;

/// Writes the content line `line` to `out` folded as RFC 5545 asks: at most 75 octets a line, each
/// continuation begun by one space, never inside a character's UTF-8 bytes; and never just before
/// white space, which a careless reader could take for the fold's own space and drop.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let most = floor_char(rest, room);
        let mut cut = most;
        while cut > room / 2 && rest[cut..].starts_with(char::is_whitespace) {
            cut = floor_char(rest, cut - 1);
        }
        if rest[cut..].starts_with(char::is_whitespace) {
            cut = most;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// The largest index of a character's first byte in `text` that is at most `at`.
fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// An iCalendar file being written: one content line at a time.
struct Calendar(String);

impl Calendar {
    /// A property whose value is written as it is (a date, a constant).
    fn raw(&mut self, name: &str, value: &str) {
        push_line(&mut self.0, &format!("{name}:{value}"));
    }

    /// A property whose value is TEXT, escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &text(value));
    }

    /// `DTSTART` or `DTEND` on `day`, a DATE (all day).
    fn day(&mut self, name: &str, day: NaiveDate) {
        self.raw(&format!("{name};VALUE=DATE"), &day.format("%Y%m%d").to_string());
    }

    /// A DATE-TIME property at `at`, in UTC.
    fn instant(&mut self, name: &str, at: DateTime<Utc>) {
        self.raw(name, &at.format("%Y%m%dT%H%M%SZ").to_string());
    }
}

/// The response deadlines of the case (letters with a deadline) as an iCalendar file: one VEVENT per
/// deadline, with UID `<letter id>@dossier` (importing the file again updates the same events),
/// SUMMARY "Reply due: …" with the subject, DESCRIPTION with the sender and the deadline as recorded and in
/// words, and DTSTAMP the time the letter was last changed, which keeps the file reproducible (RFC 5545
/// gives DTSTAMP that meaning in a calendar without METHOD, which is why none is set: METHOD is for
/// scheduling messages, not files). Lines end in CRLF and are folded at 75 octets.
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
    let mut cal = Calendar(String::new());
    cal.raw("BEGIN", "VCALENDAR");
    cal.raw("VERSION", "2.0");
    cal.raw("PRODID", "-//Dossier//Dossier//EN");
    cal.raw("CALSCALE", "GREGORIAN");
    // RFC 7986's NAME, and the older X-WR-CALNAME calendar applications read.
    let name = format!("{} — deadlines", c.title);
    cal.text("NAME", &name);
    cal.text("X-WR-CALNAME", &name);
    for d in letter::deadlines(db, &c.id)? {
        let deadline = input::date("deadline", &d.deadline)?;
        let l = letter::get(db, &d.letter_id)?;
        let stamp =
            DateTime::parse_from_rfc3339(&l.updated_at).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now());
        let mut description =
            format!("From: {}\nDeadline as recorded: {} ({})", sender_text(&l), d.deadline, d.deadline_en);
        if let Some(rule) = &d.rule_en {
            let _ = write!(description, "\nCounted: {rule}");
        }
        if d.state == DeadlineState::Answered {
            description.push_str("\nAnswered.");
        }
        let _ = write!(description, "\nCase: {}", c.title);
        let Some(due) = due_on(&deadline) else { continue };
        // The properties in the order of their names, as the file has always had them.
        cal.raw("BEGIN", "VEVENT");
        cal.text("DESCRIPTION", &description);
        if let DueOn::Day(day) = due {
            if let Some(next) = day.succ_opt() {
                cal.day("DTEND", next);
            }
        }
        cal.instant("DTSTAMP", stamp);
        match due {
            DueOn::Day(day) => cal.day("DTSTART", day),
            DueOn::Instant(at) => cal.instant("DTSTART", at),
        }
        cal.text("SUMMARY", &format!("Reply due: {}", d.subject));
        cal.raw("TRANSP", "TRANSPARENT");
        cal.text("UID", &format!("{}@dossier", d.letter_id));
        if d.state != DeadlineState::Answered {
            for days in REMIND_DAYS_BEFORE {
                cal.raw("BEGIN", "VALARM");
                cal.raw("ACTION", "DISPLAY");
                cal.text("DESCRIPTION", &format!("Reply due in {days} day{}: {}", plural(days), d.subject));
                cal.raw("TRIGGER", &format!("-P{days}D"));
                cal.raw("END", "VALARM");
            }
        }
        cal.raw("END", "VEVENT");
    }
    cal.raw("END", "VCALENDAR");
    Ok(cal.0)
}

#[cfg(test)]
mod tests {
    use super::{push_line, text};

    fn folded(line: &str) -> String {
        let mut out = String::new();
        push_line(&mut out, line);
        out
    }

    /// Guards RFC 5545's TEXT: the four escapes, carriage returns as line ends, no other control.
    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
        assert_eq!(text("one\r\ntwo\rthree\u{7}\t!"), "one\\ntwo\\nthree!");
        assert_eq!(text("Électricité — ok: yes"), "Électricité — ok: yes");
    }

    /// Guards the folding: 75 octets at most, a space begins each continuation, CRLF everywhere,
    /// and unfolding gives the line back.
    #[test]
    fn long_lines_are_folded_at_75_octets() {
        assert_eq!(folded("SUMMARY:short"), "SUMMARY:short\r\n");
        let line = format!("SUMMARY:{}", "x".repeat(200));
        let out = folded(&line);
        let lines: Vec<&str> = out.strip_suffix("\r\n").expect("CRLF at the end").split("\r\n").collect();
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1..].iter().all(|l| l.starts_with(' ') && !l.starts_with("  ") && l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), line);
    }

    /// Guards: a fold never splits a character's UTF-8 bytes, whatever its width.
    #[test]
    fn folds_fall_between_characters() {
        for filler in ["é", "€", "𝄞", "a€", "ab𝄞"] {
            let line = format!("DESCRIPTION:{}", filler.repeat(60));
            let out = folded(&line);
            for l in out.split("\r\n") {
                assert!(l.len() <= 75, "{l:?}");
            }
            assert_eq!(out.replace("\r\n ", "").trim_end(), line, "{filler}");
        }
    }

    /// Guards: no continuation begins with white space of the text, which a reader could drop.
    #[test]
    fn no_fold_just_before_white_space() {
        let line = format!("SUMMARY:{} {}", "y".repeat(66), "z".repeat(80));
        let out = folded(&line);
        assert!(!out.contains("\r\n  "), "{out:?}");
        assert_eq!(out.replace("\r\n ", "").trim_end(), line);
    }
}
