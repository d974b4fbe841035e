//! Case summaries for people outside Dossier: a Markdown summary, one self-contained HTML report a
//! paralegal can send or print, the chronology as a CSV spreadsheet, and the response deadlines as an
//! iCalendar file. Every function only reads (`&Connection`); nothing here writes.
//!
//! The Markdown, HTML, Word and PDF reports are one report ([`report`]): the case shaped by the
//! [`ReportOptions`] is turned into sections of blocks by `report::build`, the only code that decides
//! what a section shows, and each format only lays them out.
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
//! - **PDF** ([`pdf()`]): the report typeset by Dossier itself, with page numbers, a running header
//!   and a table of contents with page numbers; see [`pdf`].
//! - **Word** ([`docx()`]): the HTML report's structure with Word styles, its WordprocessingML written
//!   as a stream into the zip; see [`docx`].
//! - **ICS** ([`ics`]): one all-day VEVENT per response deadline; see [`ics`] for fuzzy deadlines.
//! - **Publish exports**, the static site ([`site()`]) and TimelineJS ([`timelinejs()`]): only what may be
//!   published, read by `publish`: no private record nor what answers one, no private party named, no
//!   source no published entry cites, and never a letter body, an evidence note, a file name or the
//!   change log. Before one is written, `named` lists the private parties that published free text
//!   still names.
//!
//! The Markdown, HTML and Word reports are built and written a piece at a time ([`write_report`],
//! through `sink`): each section reads its records a page or a record at a time and hands its pieces
//! on as they are built, so neither the case nor the document is held whole. Their progress is
//! counted in the report's units ([`report::Reading::units`]).

/// Appends one formatted line to a `String` or a `sink::Sink`. Writing to either cannot fail (a sink
/// only gathers; it writes out on `tick`), so the `fmt::Result` is dropped here once rather than at
/// every line.
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
pub(crate) mod listing;
mod markdown;
mod named;
mod pdf;
mod publish;
pub mod report;
mod sink;
mod site;
mod timelinejs;
mod words;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::input;
use crate::record::event;
use crate::store::Reader;
use crate::transfer::progress::Watch;
use crate::view::timeline;
use crate::vocabulary::{Format, ReportSection, Spelling, Vocabulary};

/// What a report (Markdown, HTML, Word) shows, as a paralegal sets it: which sections, which entries
/// of the chronology (kinds, a tag, a date window), and how evidence is numbered. The default is the
/// whole report, evidence numbered E1, E2, … in the order of the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportOptions {
    /// Sections to include (`summary`, `parties`, `chronology`, `agreements`, `allegations`,
    /// `correspondence`, `evidence`); empty: all.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Entry kinds the chronology keeps (as the timeline filter reads them); empty: all.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Only chronology entries tagged so.
    #[serde(default)]
    pub tag: String,
    /// Only chronology entries that may fall on or after this date, and on or before `to`.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Exhibit-list mode: evidence numbered Exhibit 1…n in chronological order, and cited so.
    #[serde(default)]
    pub exhibits: bool,
    /// For json: also every record's history, its earlier versions included (off by default, since
    /// an edit's removed text stays in them).
    #[serde(default)]
    pub with_history: bool,
    /// For json with history: who wrote each entry, the system user's name included; without it,
    /// the front end only (`cli`, `app`).
    #[serde(default)]
    pub with_actors: bool,
}

impl ReportOptions {
    /// The sections the options name, checked; all of them when none is named.
    fn sections(&self) -> Result<Vec<ReportSection>> {
        if self.sections.is_empty() {
            return Ok(ReportSection::ALL.to_vec());
        }
        let mut out = Vec::new();
        for s in self.sections.iter().flat_map(|s| s.split(',')).map(str::trim).filter(|s| !s.is_empty()) {
            let section: ReportSection = input::one_of("sections", s, Spelling::Exact)?;
            if !out.contains(&section) {
                out.push(section);
            }
        }
        Ok(ReportSection::ALL.iter().copied().filter(|s| out.contains(s)).collect())
    }

    fn filter(&self) -> timeline::Filter {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        timeline::Filter {
            kinds: self.kinds.clone(),
            tag: given(&self.tag),
            from: given(&self.from),
            to: given(&self.to),
            ..Default::default()
        }
    }
}

pub use csv::{csv, neutralise, BOM, CSV_COLUMNS};
pub use docx::docx;
pub use html::html;
pub use ics::ics;
pub use listing::{privilege_log, redaction_log, Listing};
pub use markdown::markdown;
pub use named::{private_names, PrivateName, PublishedText};
pub use pdf::{pdf, pdf_watched};
pub use site::site;
pub use timelinejs::timelinejs;

/// How many units the writer of `format` tells of: the report's ([`report::Reading::units`]), twice
/// over for Word, which reads the report once for its table of contents before writing it.
pub(crate) fn report_units(report: &report::Reading<'_>, format: Format) -> u64 {
    match format {
        Format::Docx => 2 * report.units(),
        _ => report.units(),
    }
}

/// Writes `report` to `out` in `format` (md, html, docx or pdf), telling `watch` of each unit
/// ([`report::Reading::units`]; the PDF counts its own); `false` from it stops the writing with
/// `cancelled`.
pub(crate) fn write_report(
    report: &report::Reading<'_>,
    format: Format,
    generated_on: &str,
    out: &mut dyn std::io::Write,
    watch: &dyn Watch,
) -> Result<()> {
    match format {
        Format::Md => markdown::write(report, out, watch),
        Format::Html => html::write(report, generated_on, out, watch),
        Format::Docx => docx::write(report, generated_on, out, watch),
        // Typeset whole (its pages are counted before the first is drawn), then written.
        Format::Pdf => {
            let bytes = pdf::typeset(&report.gather()?, generated_on, watch)?;
            out.write_all(&bytes).map_err(|e| crate::error::Error::io("the export", e))
        }
        _ => Err(crate::error::Error::internal(format!("{format} is not a report written as it is laid out"))),
    }
}

/// The description of every event of a case that has one, by event id (shown under its title).
fn event_descriptions(db: &Reader, case_id: &str) -> Result<HashMap<String, String>> {
    Ok(event::list(db, case_id)?
        .into_iter()
        .filter(|e| !e.description.trim().is_empty())
        .map(|e| (e.id, e.description))
        .collect())
}

/// Only http(s) addresses become links; anything else is shown as text.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !url.contains(['"', '\'', '<', '>', ' '])
}
