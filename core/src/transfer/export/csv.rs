//! The chronology as a spreadsheet.

use chrono::DateTime;

use crate::date::Lang;
use crate::error::{Error, Result};
use crate::store::Reader;
use crate::view::timeline;

/// The columns of [`csv()`], in order.
pub const CSV_COLUMNS: &[&str] = &[
    "date",
    "date_text",
    "from",
    "to",
    "kind",
    "title",
    "status",
    "parties",
    "attribution",
    "evidence_count",
    "record_id",
];

/// The byte-order mark that starts a UTF-8 CSV file: Excel needs it to read UTF-8, and the importer
/// skips it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Makes a text cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return would make Excel or LibreOffice read it as a formula, so it gets a leading apostrophe. So
/// does every piece after a `;` or a tab that would start with one (spaces aside): a spreadsheet set
/// to read `;` as the separator (Excel in French or German) splits `Board meeting;=1+1` into a live
/// `=1+1` cell.
pub fn neutralise(cell: &str) -> String {
    const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    let mut out = String::with_capacity(cell.len() + 2);
    let mut piece_start = true;
    for c in cell.chars() {
        if piece_start && c != ' ' {
            if FORMULA.contains(&c) {
                out.push('\'');
            }
            piece_start = false;
        }
        out.push(c);
        if c == ';' || c == '\t' {
            piece_start = true;
        }
    }
    out
}

/// A bound in Unix seconds as an ISO day (UTC, as fuzzy dates without a time are).
fn iso_day(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map(|t| t.date_naive().format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The chronology as a spreadsheet: one row per timeline entry, in timeline order, with the columns
/// of [`CSV_COLUMNS`]. `date` is the date as recorded (`~2023-04`), `date_text` the same in English
/// words; `from` and `to` are the first and last day the date can mean (ISO dates, UTC; `to` is
/// inclusive), empty when the date is open on that side. Lists (parties, attributions) are joined with
/// "; ". UTF-8 with a byte-order mark, CRLF line ends, comma-separated; see the module docs for the
/// formula-injection guard.
pub fn csv(db: &Reader, case: &str) -> Result<Vec<u8>> {
    let entries = timeline::all(db, case, &timeline::Filter::default())?;
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(BOM.to_vec());
    let fail = |e: ::csv::Error| Error::internal(format!("the CSV writer failed: {e}"));
    writer.write_record(CSV_COLUMNS).map_err(fail)?;
    for e in &entries {
        let attribution: Vec<String> = e.attribution.iter().map(|a| a.describe(Lang::En)).collect();
        let row = [
            e.date.clone(),
            neutralise(&e.date_en),
            e.lo.map(iso_day).unwrap_or_default(),
            e.hi.map(|hi| iso_day(hi - 1)).unwrap_or_default(),
            neutralise(e.kind.as_str()),
            neutralise(&e.title),
            neutralise(e.status.map(|s| s.as_str()).unwrap_or_default()),
            neutralise(&e.parties.join("; ")),
            neutralise(&attribution.join("; ")),
            e.evidence_count.to_string(),
            neutralise(&e.record_id),
        ];
        writer.write_record(&row).map_err(fail)?;
    }
    writer.into_inner().map_err(|e| Error::internal(format!("the CSV writer failed: {e}")))
}
