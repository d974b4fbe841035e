//! Case summaries for people outside Dossier: a Markdown summary, one self-contained HTML report a
//! paralegal can send or print, the chronology as a CSV spreadsheet, and the response deadlines as an
//! iCalendar file. Every function only reads (`&Connection`); nothing here writes.
//!
//! # What each format does with the record
//!
//! - **Dates** are shown as recorded, in words ("about April 2023"), next to the recorded form
//!   (`~2023-04`), so no export invents a precision the record does not have.
//! - **Evidence** is numbered E1, E2, … in the evidence index (ordered by title, as
//!   [`evidence::list`] gives it); the chronology, allegations and letters cite it by that number with
//!   the pinpoint of each link ("E1 (¶ 5)").
//! - **Markdown** ([`markdown`]): user text that sits inside the structure (titles, names, table cells,
//!   headings) has the characters Markdown reads as syntax backslash-escaped (`|`, `*`, `_`, `[`, `` ` ``,
//!   `<`, `#`, …) and line breaks folded to spaces. Multi-line Markdown the user wrote (letter bodies,
//!   agreement terms, clause texts, allegation details, notes) is included as written inside a
//!   blockquote, so an unclosed code fence or a heading in it cannot swallow the sections that follow.
//!   The case summary is the case's own Markdown and is included as written.
//! - **HTML** ([`html`]): every piece of user text is HTML-escaped; every Markdown field goes through
//!   [`crate::markdown::to_safe_html`] (ammonia). The document adds no script, no event-handler
//!   attribute and no URL of its own other than `#anchors` and the http(s) URLs of evidence, and is not
//!   post-processed by anything that could put one back. The CSS is embedded (one file to send), with
//!   A4 page margins and a page break before each section when printed.
//! - **CSV** ([`csv()`]): one row per timeline entry, UTF-8 with a byte-order mark and CRLF line ends (what
//!   Excel needs to read UTF-8; LibreOffice accepts it too), comma-separated, quoted by the csv crate.
//!   Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//!   leading apostrophe, so a spreadsheet shows it as text instead of running it. The `date`, `from`, `to`
//!   and `evidence_count` columns are written by Dossier itself (a fuzzy date starts with a digit, `~`, `<`
//!   or `>`; bounds are ISO dates; the count is a number), never start with one of those characters and
//!   are left untouched, so `date` always reads back with [`crate::date::FuzzyDate::parse`].
//!   [`crate::transfer::import::csv_chronology`] removes the apostrophe again when it reads such a file.
//! - **Word** ([`docx()`]): the HTML report's structure with Word styles, made with docx-rs; see [`docx`].
//! - **ICS** ([`ics`]): one all-day VEVENT per response deadline; see [`ics`] for fuzzy deadlines.
//! - **Publish exports**, the static site ([`site()`]) and TimelineJS ([`timelinejs()`]): only what may be
//!   published, read by `publish`: no private record, no private party named, no private evidence
//!   cited, and never a letter body, an evidence note, a file name or the change log.

/// Appends one formatted line to a `String`. Writing to a `String` cannot fail, so the `fmt::Result`
/// is dropped here once rather than at every line.
macro_rules! put {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

mod csv;
mod docx;
mod html;
mod ics;
mod markdown;
mod publish;
mod site;
mod timelinejs;
mod words;

use std::collections::HashMap;

use crate::error::Result;
use crate::record::{agreement, allegation, case, event, evidence, letter, party, response, role};
use crate::store::Reader;
use crate::view::timeline;

pub use csv::{csv, neutralise, BOM, CSV_COLUMNS};
pub use docx::docx;
pub use html::html;
pub use ics::ics;
pub use markdown::markdown;
pub use site::site;
pub use timelinejs::timelinejs;

/// Everything a summary shows, read once.
struct CaseSnapshot {
    case: case::Case,
    /// Parties with a role in the case, in role order, each once, with all their roles.
    cast: Vec<(party::Party, Vec<role::CaseRole>)>,
    roles: Vec<role::CaseRole>,
    entries: Vec<timeline::Entry>,
    agreements: Vec<agreement::Agreement>,
    allegations: Vec<allegation::Allegation>,
    responses: HashMap<String, response::Response>,
    threads: Vec<letter::ThreadItem>,
    deadlines: Vec<letter::Deadline>,
    evidence: Vec<evidence::Evidence>,
    /// For each record id, the evidence that supports it: (evidence number, pinpoint).
    sources: HashMap<String, Vec<(usize, String)>>,
    /// Event descriptions by event id (the chronology shows them under the title).
    descriptions: HashMap<String, String>,
}

impl CaseSnapshot {
    fn read(db: &Reader, key: &str) -> Result<CaseSnapshot> {
        let case = case::get(db, key)?;
        let roles = role::roles(db, &case.id)?;
        let mut cast: Vec<(party::Party, Vec<role::CaseRole>)> = Vec::new();
        for role in &roles {
            match cast.iter_mut().find(|(p, _)| p.id == role.party_id) {
                Some((_, rs)) => rs.push(role.clone()),
                None => cast.push((party::get(db, &role.party_id)?, vec![role.clone()])),
            }
        }
        let evidence = evidence::list(db, &case.id)?;
        let mut sources: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (i, e) in evidence.iter().enumerate() {
            for l in &e.links {
                sources.entry(l.record_id.clone()).or_default().push((i + 1, l.pinpoint.clone()));
            }
        }
        for list in sources.values_mut() {
            list.sort();
        }
        let descriptions = event::list(db, &case.id)?
            .into_iter()
            .filter(|e| !e.description.trim().is_empty())
            .map(|e| (e.id, e.description))
            .collect();
        let responses = response::list(db, &case.id)?.into_iter().map(|r| (r.id.clone(), r)).collect();
        Ok(CaseSnapshot {
            entries: timeline::all(db, &case.id, &timeline::Filter::default())?,
            agreements: agreement::list(db, &case.id)?,
            allegations: allegation::list(db, &case.id)?,
            threads: letter::threads(db, &case.id)?,
            deadlines: letter::deadlines(db, &case.id)?,
            responses,
            cast,
            roles,
            evidence,
            sources,
            descriptions,
            case,
        })
    }

    /// "E1 (¶ 2; ¶ 5), E3" for a record, or "" when no evidence supports it.
    fn sources_text(&self, record_id: &str) -> String {
        group_sources(self.sources.get(record_id).map(Vec::as_slice).unwrap_or_default())
            .into_iter()
            .map(|(n, pins)| if pins.is_empty() { format!("E{n}") } else { format!("E{n} ({})", pins.join("; ")) })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn letter_subject(&self, id: &str) -> Option<&str> {
        self.threads.iter().find(|t| t.letter.id == id).map(|t| t.letter.subject.as_str())
    }
}

/// Only http(s) addresses become links; anything else is shown as text.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !url.contains(['"', '\'', '<', '>', ' '])
}

/// Groups (evidence number, pinpoint) pairs by evidence number, dropping empty pinpoints.
fn group_sources(list: &[(usize, String)]) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    for (n, pin) in list {
        if out.last().is_none_or(|(last, _)| last != n) {
            out.push((*n, Vec::new()));
        }
        if let Some((_, pins)) = out.last_mut() {
            if !pin.is_empty() {
                pins.push(pin.clone());
            }
        }
    }
    out
}
