//! Chronologies kept in a spreadsheet: a CSV file becomes events of a case.
//!
//! - **Separator**: `,`, `;` or tab, whichever occurs most in the header line outside quotes (a tie or
//!   none means `,`). A UTF-8 byte-order mark is skipped. The file must be UTF-8 (LibreOffice: "Text
//!   CSV", character set UTF-8; Excel: "CSV UTF-8").
//! - **Headers** are matched by name, ignoring case, accents, spaces and punctuation, in English or
//!   French: see [`COLUMNS`]. `date` and `title` are required; a missing one is an error that counts the
//!   columns found and names those recognised, never quoting the other cells (which may be anything). Other columns are ignored and named in the report's messages.
//! - **Rows** are numbered as a spreadsheet shows them: the header is row 1, the first event row 2 (a
//!   cell with line breaks does not shift the numbering). Rows whose cells are all empty are skipped.
//! - **Dates**: any fuzzy date [`crate::input::date`] reads (`2023-03`, `~2023-04`, `<2023-06-07`,
//!   `2023-01..2023-03`, `2023-05-18T14:30+02:00`, `18 mai 2023`, `vers avril 2023`). Numeric dates
//!   (`17/01/2023`) are read day first or month first as the file's other rows show, decided once for
//!   the file, and Excel's serial numbers (`45000`) as the days they count ([`dates`]).
//! - **Titles** have their line breaks and runs of spaces folded into single spaces (a wrapped
//!   spreadsheet cell is still one title). Descriptions keep their line breaks (they are Markdown).
//! - **Lists** in one cell: parties are separated by `;`, `|` or line breaks, and by commas only when
//!   every piece names a known party or alias, the whole name tried first: organisation names contain
//!   commas ("Twitter, Inc."; see [`parties`]); tags also by commas. In a `;`-separated file a cell
//!   holding `;` is quoted, as spreadsheets do when they save.
//! - **Parties** are resolved by id, name or alias ([`crate::record::party::resolve`]). An unknown party is an
//!   error naming the row and the value, unless the import was asked to create parties
//!   ([`csv_chronology_with`], `--create-parties`): then it becomes an organisation, and the report
//!   names every party created, so a typo is seen rather than silently kept.
//! - **Position** (optional, a whole number) orders events that share a date. Rows with the same date
//!   and position keep the order of the file.
//! - **Formula guard**: a cell starting with an apostrophe followed by `=`, `+`, `-`, `@`, tab or
//!   carriage return loses the apostrophe, undoing the guard of [`crate::transfer::export::csv`].
//! - **Round trip**: the CSV written by [`crate::transfer::export::csv`] imports as it is. Its `date`, `title` and
//!   `parties` columns are read; `date_text`, `from`, `to`, `status`, `attribution`, `evidence_count`
//!   and `record_id` are ignored. Its `kind` column (header `kind` only) selects the rows: `event` (or
//!   empty) rows become events; rows of the other timeline kinds (letters, allegations, responses,
//!   status changes, deadlines, agreement dates, dated evidence) are skipped and counted in the
//!   messages, because an event cannot stand for them without losing what they are (a sender, a
//!   status history…) and re-importing a case into itself would duplicate them. Letters come in from
//!   `.eml` files. Attribution text is not parsed back.
//! - Any bad row is an error naming the row, the column as written in the file and the value, e.g.
//!   `csv: row 4, column 'date': date '2023-02-30' does not exist`, and nothing is written.
//

mod dates;
mod parties;
mod shape;
mod sheet;

use std::cell::Cell;

use crate::date::DayMonth;
use crate::error::{Error, Result};
use crate::input;
use crate::record::case;
use crate::record::event::{self, EventInput};
use crate::store::Store;
use crate::transfer::export::BOM;
use crate::transfer::progress::{self, Ticker};
use crate::vocabulary::{EntryKind, Spelling, Vocabulary};
use parties::Parties;
use shape::{delimiter_of, refuse_wide_rows};
pub(crate) use sheet::as_csv as sheet_as_csv;

use super::{ImportReport, MAX_FILE_BYTES};
use crate::store::RECORDS_PER_ENTRY;

/// What a column of a chronology holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Date,
    Title,
    Description,
    Parties,
    Tags,
    Position,
    /// The `kind` column of [`crate::transfer::export::csv`]: which rows are events.
    Kind,
}

/// The headers each column is recognised by, compared after [`crate::record::case::slugify`] (lower case,
/// accents dropped, spaces and punctuation turned into single dashes).
pub const COLUMNS: &[(Column, &[&str])] = &[
    (Column::Date, &["date", "when", "quand", "jour", "day"]),
    (Column::Title, &["title", "titre", "event", "evenement", "what", "quoi", "intitule", "libelle"]),
    (
        Column::Description,
        &["description", "detail", "details", "notes", "note", "commentaire", "commentaires", "comment", "comments"],
    ),
    (Column::Parties, &["parties", "party", "partie", "who", "qui", "acteurs", "intervenants"]),
    (Column::Tags, &["tags", "tag", "etiquettes", "etiquette", "mots-cles", "mot-cle", "labels", "keywords"]),
    (Column::Position, &["position", "ordre", "order", "rang"]),
    (Column::Kind, &["kind"]),
];

fn column_of(header: &str) -> Option<Column> {
    let key = case::slugify(header);
    COLUMNS.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(c, _)| *c)
}

fn accepted(column: Column) -> String {
    COLUMNS.iter().find(|(c, _)| *c == column).map(|(_, names)| names.join(", ")).unwrap_or_default()
}

/// A cell as the user meant it: the apostrophe [`crate::transfer::export::csv`] puts before a
/// formula-like value, at the start or after a `;` or tab, is removed.
fn unguarded(cell: &str) -> String {
    const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars().peekable();
    let mut piece_start = true;
    while let Some(c) = chars.next() {
        if piece_start && c != ' ' {
            piece_start = false;
            if c == '\'' && chars.peek().is_some_and(|n| FORMULA.contains(n)) {
                continue;
            }
        }
        out.push(c);
        if c == ';' || c == '\t' {
            piece_start = true;
        }
    }
    out
}

fn csv_error(row: usize, column: &str, message: impl std::fmt::Display) -> Error {
    Error::rule("csv", "bad_csv_cell", None, format!("row {row}, column '{column}': {message}"))
}

/// Splits a list cell at `;`, `|` and line breaks (and commas when `commas`), trimming each item.
fn split_list(cell: &str, commas: bool) -> Vec<String> {
    cell.split(|c: char| matches!(c, ';' | '|' | '\n' | '\r') || (commas && c == ','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Folds line breaks and runs of whitespace into single spaces.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The refusal of a first line without a `date` or a `title` column. It says which required columns
/// are missing, how many columns the line has and which of them were recognised (by the column's own
/// name), never the other cells: a first line that is not a header may be anything the user picked by
/// mistake (a file of keys or passwords), and an error message travels into logs and screenshots.
fn missing_columns(columns: &[Option<Column>]) -> Error {
    let missing: Vec<String> = [Column::Date, Column::Title]
        .into_iter()
        .filter(|c| !columns.contains(&Some(*c)))
        .map(|c| format!("no '{}' column (accepted headers: {})", canonical(c), accepted(c)))
        .collect();
    let found = if columns.len() < 2 {
        "the first line has no ',', ';' or tab separator, so this is not a CSV chronology".to_string()
    } else {
        let known: Vec<&str> = columns.iter().flatten().map(|&c| canonical(c)).collect();
        let read = if known.is_empty() {
            "none of them one Dossier reads".to_string()
        } else {
            format!("{} of them recognised ({})", known.len(), known.join(", "))
        };
        format!("the first line has {} columns, {read}; other names are not shown, as a line that is not a header may hold anything", columns.len())
    };
    Error::rule("csv", "bad_csv", None, format!("{}; {found}", missing.join(" and ")))
}

/// The name a column is known by: the first of its accepted headers.
fn canonical(column: Column) -> &'static str {
    COLUMNS.iter().find(|(c, _)| *c == column).and_then(|(_, names)| names.first().copied()).unwrap_or("")
}

/// Which column of the file holds what, read from its header line.
struct Layout {
    headers: Vec<String>,
    columns: Vec<Option<Column>>,
    date: usize,
    title: usize,
    /// How the file's numeric dates are written ([`dates::order_of`]).
    order: DayMonth,
}

impl Layout {
    fn of(header: &::csv::StringRecord) -> Result<Layout> {
        let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let mut columns: Vec<Option<Column>> = Vec::with_capacity(headers.len());
        for h in &headers {
            let column = column_of(h);
            if let Some(c) = column {
                if let Some(first) = columns.iter().position(|x| *x == Some(c)) {
                    return Err(Error::rule(
                        "csv",
                        "bad_csv",
                        None,
                        format!(
                            "columns '{}' and '{}' both give the {}: keep one of them",
                            input::shorten(&headers[first]),
                            input::shorten(h),
                            accepted(c).split(", ").next().unwrap_or("")
                        ),
                    ));
                }
            }
            columns.push(column);
        }
        let index_of = |c: Column| columns.iter().position(|x| *x == Some(c));
        let (Some(date), Some(title)) = (index_of(Column::Date), index_of(Column::Title)) else {
            return Err(missing_columns(&columns));
        };
        Ok(Layout { headers, columns, date, title, order: DayMonth::Either })
    }

    fn index_of(&self, c: Column) -> Option<usize> {
        self.columns.iter().position(|x| *x == Some(c))
    }

    /// The headers no column is read from.
    fn ignored(&self) -> Vec<&str> {
        self.headers
            .iter()
            .zip(&self.columns)
            .filter(|(h, c)| c.is_none() && !h.is_empty())
            .map(|(h, _)| h.as_str())
            .collect()
    }

    /// The event row `row` stands for, checked; `None` for a row that is empty or of another kind
    /// (counted in `tally`). Its parties are the names as written, resolved by the caller.
    fn event(
        &self,
        case_id: &str,
        row: usize,
        record: &::csv::StringRecord,
        tally: &mut Tally,
    ) -> Result<Option<EventInput>> {
        let headers = &self.headers;
        if record.iter().all(|c| c.trim().is_empty()) {
            tally.blank += 1;
            return Ok(None);
        }
        if let Some((extra, _)) = record.iter().enumerate().skip(headers.len()).find(|(_, c)| !c.trim().is_empty()) {
            return Err(Error::rule(
                "csv",
                "bad_csv",
                None,
                format!(
                    "row {row} has a value in column {} but the header names only {} columns",
                    extra + 1,
                    headers.len()
                ),
            ));
        }
        let cell = |col: Option<usize>| col.and_then(|i| record.get(i)).map(unguarded).unwrap_or_default();
        if let Some(k) = self.index_of(Column::Kind) {
            let kind = cell(Some(k)).trim().to_lowercase();
            if !kind.is_empty() && kind != "event" {
                if EntryKind::parse(&kind, Spelling::Exact).is_none() {
                    return Err(csv_error(
                        row,
                        &headers[k],
                        format!(
                            "'{}' is not a timeline kind ({})",
                            input::shorten(&kind),
                            EntryKind::names().join(", ")
                        ),
                    ));
                }
                match tally.skipped.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => tally.skipped.push((kind, 1)),
                }
                return Ok(None);
            }
        }
        let date_text = cell(Some(self.date));
        let date_text = date_text.trim();
        if date_text.is_empty() {
            return Err(csv_error(row, &headers[self.date], "is empty: every event needs a date"));
        }
        let serial = dates::excel_serial(date_text);
        let date = input::date_as("date", serial.as_deref().unwrap_or(date_text), self.order)
            .map_err(|e| reworded(row, &headers[self.date], e))?;
        let title = one_line(&cell(Some(self.title)));
        if title.is_empty() {
            return Err(csv_error(row, &headers[self.title], "is empty: every event needs a title"));
        }
        input::required("title", &title).map_err(|e| reworded(row, &headers[self.title], e))?;
        let desc_col = self.index_of(Column::Description);
        let description = cell(desc_col).replace("\r\n", "\n");
        if let Some(i) = desc_col {
            input::text("description", &description).map_err(|e| reworded(row, &headers[i], e))?;
        }
        let parties = self.index_of(Column::Parties).map(|i| split_list(&cell(Some(i)), false)).unwrap_or_default();
        let tags_col = self.index_of(Column::Tags);
        let tags = tags_col.map(|i| split_list(&cell(Some(i)), true)).unwrap_or_default();
        if let Some(i) = tags_col {
            input::list("tag", &tags).map_err(|e| reworded(row, &headers[i], e))?;
        }
        let position = match self.index_of(Column::Position).map(|i| (i, cell(Some(i)))) {
            None => 0,
            Some((_, text)) if text.trim().is_empty() => 0,
            Some((i, text)) => text.trim().parse::<i64>().map_err(|_| {
                csv_error(row, &headers[i], format!("'{}' is not a whole number", input::shorten(text.trim())))
            })?,
        };
        Ok(Some(EventInput {
            case: case_id.to_string(),
            title,
            date: date.canonical(),
            description,
            parties,
            tags,
            attributions: Vec::new(),
            position,
        }))
    }
}

/// The file as the CSV reader reads it, counting the bytes read (which run ahead of the rows parsed by
/// at most the reader's buffer): how far an import is.
struct Counted<'a> {
    data: &'a [u8],
    read: &'a Cell<u64>,
}

impl std::io::Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.data.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// The rows of a file that became no event: empty ones, and those of other kinds, by kind.
#[derive(Default)]
struct Tally {
    blank: usize,
    skipped: Vec<(String, usize)>,
}

/// Imports a chronology kept in a spreadsheet as events of `case`. See the module docs for the
/// columns, separators, lists, dates and what is refused. Either every row becomes an event or, at the
/// first bad row, nothing is written. Rows are read, checked and written one at a time, so memory does
/// not grow with the file (inside one transaction, which SQLite keeps on disk).
pub fn csv_chronology(store: &mut Store, case: &str, bytes: &[u8]) -> Result<ImportReport> {
    csv_chronology_with(store, case, bytes, false)
}

/// [`csv_chronology`], creating the parties it names that the database does not have when
/// `create_parties` is set (as organisations, each named in the report), instead of refusing the row.
pub fn csv_chronology_with(store: &mut Store, case: &str, bytes: &[u8], create_parties: bool) -> Result<ImportReport> {
    csv_chronology_watched(store, case, bytes, create_parties, &progress::unwatched)
}

/// [`csv_chronology_with`], telling `watch` how many bytes of the file are read; `false` stops it with
/// nothing written.
pub fn csv_chronology_watched(
    store: &mut Store,
    case: &str,
    bytes: &[u8],
    create_parties: bool,
    watch: &dyn progress::Watch,
) -> Result<ImportReport> {
    let case_id = case::resolve(store.reader(), case)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::rule(
            "csv",
            "bad_csv",
            None,
            format!("the file is {} MiB: files over 50 MiB are refused", bytes.len() >> 20),
        ));
    }
    let data = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let empty = || {
        Error::rule(
            "csv",
            "bad_csv",
            None,
            "the file is empty: expected a header line (date, title, …) and one row per event",
        )
    };
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(empty());
    }
    let delimiter = delimiter_of(data);
    refuse_wide_rows(data, delimiter)?;
    let read = Cell::new(0u64);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(Counted { data, read: &read });
    let mut records = reader.records();
    let header = records.next().ok_or_else(empty)?.map_err(|e| read_error(1, e))?;
    let mut layout = Layout::of(&header)?;
    layout.order = dates::order_of(data, delimiter, layout.date, &layout.headers[layout.date])?;
    let mut tally = Tally::default();
    // The parties column as the file names it, for the errors of its cells.
    let column = layout.index_of(Column::Parties).map(|i| layout.headers[i].as_str()).unwrap_or("parties");
    let mut parties = Parties::new(create_parties, column);
    let mut tick = Ticker::new(watch, data.len() as u64);
    // One write for the whole file: its events' and parties' images in entries of a hundred records.
    let detail = |part: usize, parts: usize, done: &(Vec<String>, usize)| {
        Ok(ChronologyDetail {
            case: &case_id,
            part: (parts > 1).then_some(part),
            events: (part == parts).then_some(done.1),
            parties: (part == parts).then_some(done.0.len() - done.1),
        })
    };
    let (created, events) =
        store.write_in_parts("import chronology", Some(&case_id), RECORDS_PER_ENTRY, detail, |w| {
            let mut ids = Vec::new();
            let mut events = 0;
            for (index, record) in records.enumerate() {
                let row = index + 2;
                let record = record.map_err(|e| read_error(row, e))?;
                tick.reach(read.get())?;
                let Some(mut input) = layout.event(&case_id, row, &record, &mut tally)? else { continue };
                let made = parties.created.len();
                input.parties = parties.ids(w, row, &input.parties)?;
                ids.extend(parties.created[made..].iter().map(|(id, _)| id.clone()));
                let id = event::create_in(w, &input).map_err(|e| match e {
                    Error::Invalid { field, reason } => {
                        Error::rule("csv", "bad_csv_cell", None, format!("row {row}, {field}: {reason}"))
                    }
                    Error::Date { field, source } => {
                        Error::rule("csv", "bad_csv_cell", None, format!("row {row}, {field}: {source}"))
                    }
                    other => other,
                })?;
                ids.push(id);
                events += 1;
            }
            if events == 0 && tally.skipped.is_empty() {
                return Err(Error::rule(
                    "csv",
                    "bad_csv",
                    None,
                    "the file has a header but no rows: nothing to import",
                ));
            }
            Ok((ids, events))
        })?;

    let mut messages = vec![format!("imported {events} event{}", plural(events))];
    let new_parties: Vec<&str> = parties.created.iter().map(|(_, name)| name.as_str()).collect();
    if !new_parties.is_empty() {
        messages.push(format!(
            "created {} part{} (as organisations; change their kind if need be): {}",
            new_parties.len(),
            if new_parties.len() == 1 { "y" } else { "ies" },
            new_parties.join(", ")
        ));
    }
    if tally.blank > 0 {
        messages.push(format!("skipped {} empty row{}", tally.blank, plural(tally.blank)));
    }
    if !tally.skipped.is_empty() {
        let n: usize = tally.skipped.iter().map(|(_, n)| n).sum();
        let kinds: Vec<String> = tally.skipped.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        messages.push(format!(
            "skipped {n} row{} that {} not events ({}): a chronology import only creates events; letters come in from .eml files",
            plural(n),
            if n == 1 { "is" } else { "are" },
            kinds.join(", ")
        ));
    }
    let ignored = layout.ignored();
    if !ignored.is_empty() {
        messages.push(format!("ignored column{}: {}", plural(ignored.len()), ignored.join(", ")));
    }
    Ok(ImportReport { events, created, letters: 0, evidence: 0, messages })
}

/// What the change log records of a chronology import, in each of its entries.
#[derive(serde::Serialize)]
struct ChronologyDetail<'a> {
    case: &'a str,
    /// Which entry of the import this is, from 1, when it took more than one.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<usize>,
    /// In the last entry: the events created, and the parties created for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parties: Option<usize>,
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Puts the row and column in front of a validation error of one cell.
fn reworded(row: usize, column: &str, e: Error) -> Error {
    match e {
        Error::Invalid { reason, .. } => csv_error(row, column, reason),
        Error::Date { source, .. } => csv_error(row, column, source),
        other => other,
    }
}

/// An error of the CSV reader, with the row it happened on.
fn read_error(row: usize, e: ::csv::Error) -> Error {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { pos, err } => {
            let row = pos.as_ref().map(|p| p.record() as usize + 1).unwrap_or(row);
            Error::rule(
                "csv",
                "bad_csv",
                None,
                format!(
                    "row {row}, column {}: is not UTF-8 text; save the file as CSV with the UTF-8 character set",
                    err.field() + 1
                ),
            )
        }
        _ => Error::rule("csv", "bad_csv", None, format!("row {row}: {e}")),
    }
}
