//! Bringing records in from the files people already have: a chronology kept in a spreadsheet (CSV)
//! becomes events, and an e-mail saved as `.eml` becomes a letter with its attachments as evidence.
//! Each import is all-or-nothing: every row or part is checked first and everything is written in one
//! [`Store::batch`], so a bad row, a refused duplicate or a broken file leaves the database as it was.
//! (An attachment's bytes may already have been copied into the content-addressed evidence store when
//! a later step fails; such a blob is unreferenced, never a row pointing at a missing file.)
//!
//! # CSV chronology ([`csv_chronology`])
//!
//! - **Separator**: `,`, `;` or tab, whichever occurs most in the header line outside quotes (a tie or
//!   none means `,`). A UTF-8 byte-order mark is skipped. The file must be UTF-8 (LibreOffice: "Text
//!   CSV", character set UTF-8; Excel: "CSV UTF-8").
//! - **Headers** are matched by name, ignoring case, accents, spaces and punctuation, in English or
//!   French: see [`COLUMNS`]. `date` and `title` are required; a missing one is an error listing the
//!   columns found. Other columns are ignored and named in the report's messages.
//! - **Rows** are numbered as a spreadsheet shows them: the header is row 1, the first event row 2 (a
//!   cell with line breaks does not shift the numbering). Rows whose cells are all empty are skipped.
//! - **Dates**: any fuzzy date [`crate::store::parse_date`] reads (`2023-03`, `~2023-04`, `<2023-06-07`,
//!   `2023-01..2023-03`, `2023-05-18T14:30+02:00`).
//! - **Titles** have their line breaks and runs of spaces folded into single spaces (a wrapped
//!   spreadsheet cell is still one title). Descriptions keep their line breaks (they are Markdown).
//! - **Lists** in one cell: parties are separated by `;`, `|` or line breaks — never by commas, which
//!   organisation names contain ("Twitter, Inc."); tags also by commas. In a `;`-separated file a cell
//!   holding `;` is quoted, as spreadsheets do when they save.
//! - **Parties** are resolved by id, name or alias ([`crate::record::party::resolve`]). An unknown party is an
//!   error naming the row and the value: an import never invents parties (a typo would otherwise become
//!   a new party silently). Add the party, or an alias, and import again.
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
//!
//! # E-mail ([`eml`])
//!
//! - One RFC 5322 message (`.eml`, at most [`MAX_FILE_BYTES`]) becomes one letter, channel "email".
//! - **Parties**: the From, To and Cc addresses are matched against party names and aliases, the
//!   address first, then the display name. An address nobody has is added as a new person named by the
//!   display name (or the address), with the address as alias and the role "other" in the case; the
//!   report's messages list each party added. Bcc is ignored.
//! - **Date**: the Date header, as an instant with its own offset (`2023-04-20T09:15+02:00`); an e-mail
//!   without a readable Date header is refused, since it cannot be placed in the chronology.
//! - **Subject** (or "(no subject)"); **body**: the text/plain part(s); where a part exists only as HTML
//!   it is sanitized with ammonia (scripts, styles, event handlers and non-web links dropped) and
//!   converted to text with html2text (links kept as footnotes), so no
//!   raw HTML is ever stored; the body is then shown through the Markdown sanitizer like any letter.
//! - **Threading**: the Message-ID is kept on the letter. The In-Reply-To ids, then the References ids
//!   from the last to the first, are looked up among the case's letters; the first found becomes the
//!   letter this one answers (a reply to a message that was never imported still lands under the
//!   nearest ancestor that was). Importing an e-mail whose Message-ID is already in the case is a
//!   conflict naming the Message-ID. An e-mail without a Message-ID is imported, with a message saying
//!   it cannot be recognised if imported again.
//! - **Attachments** are stored as evidence ([`crate::record::evidence::add_stream`], hashed), named by the last
//!   component of their file name (`../../x/notes.txt` is kept as `notes.txt`; a part without a name
//!   gets `attachment-N.<ext>`), and linked to the letter with the note "attachment".
//! - Something that is not an e-mail (no header, no From) is refused as `eml: '<file>' is not an e-mail
//!   message: …`.

use std::path::PathBuf;

use mail_parser::{Addr, HeaderValue, MessageParser, MimeHeaders, PartType};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input;
use crate::record::case;
use crate::record::event::{self, EventInput};
use crate::record::evidence::{self, FileInput, LinkInput};
use crate::record::letter::{self, LetterInput};
use crate::record::party::{self, PartyInput};
use crate::record::role;
use crate::store::Store;
use crate::view::timeline;

/// What an import did, for the user.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct ImportReport {
    /// Ids of every record created (parties, letters, events, evidence), in the order they were made.
    pub created: Vec<String>,
    pub letters: usize,
    pub events: usize,
    pub evidence: usize,
    /// Notes for the user: parties added, columns ignored, rows skipped, threading.
    pub messages: Vec<String>,
}

/// Largest file either import accepts (50 MiB).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------------
// CSV chronology

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

/// The separator of the file: `,`, `;` or tab, whichever the header line holds most of outside quotes.
fn delimiter_of(data: &[u8]) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0, 0, 0);
    let mut quoted = false;
    for &b in data {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semicolon += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

/// A cell as the user meant it: the apostrophe [`crate::transfer::export::csv`] puts before a formula-like value
/// is removed.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn csv_error(row: usize, column: &str, message: impl std::fmt::Display) -> Error {
    Error::invalid("csv", format!("row {row}, column '{column}': {message}"))
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
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Imports a chronology kept in a spreadsheet as events of `case`. See the module docs for the
/// columns, separators, lists, dates and what is refused. Either every row becomes an event or, at the
/// first bad row, nothing is written.
pub fn csv_chronology(store: &mut Store, case: &str, bytes: &[u8]) -> Result<ImportReport> {
    let case_id = case::resolve(store.conn(), case)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::invalid(
            "csv",
            format!("the file is {} MiB: files over 50 MiB are refused", bytes.len() >> 20),
        ));
    }
    let data = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid(
            "csv",
            "the file is empty: expected a header line (date, title, …) and one row per event",
        ));
    }
    let mut reader =
        ::csv::ReaderBuilder::new().delimiter(delimiter_of(data)).has_headers(false).flexible(true).from_reader(data);
    let mut records = Vec::new();
    for (index, record) in reader.records().enumerate() {
        records.push(record.map_err(|e| read_error(index + 1, e))?);
    }
    let Some((header, rows)) = records.split_first() else {
        return Err(Error::invalid(
            "csv",
            "the file is empty: expected a header line (date, title, …) and one row per event",
        ));
    };

    let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(headers.len());
    let mut ignored: Vec<&str> = Vec::new();
    for h in &headers {
        let column = column_of(h);
        if let Some(c) = column {
            if let Some(first) = columns.iter().position(|x| *x == Some(c)) {
                return Err(Error::invalid(
                    "csv",
                    format!(
                        "columns '{}' and '{h}' both give the {}: keep one of them",
                        headers[first],
                        accepted(c).split(", ").next().unwrap_or("")
                    ),
                ));
            }
        } else if !h.is_empty() {
            ignored.push(h);
        }
        columns.push(column);
    }
    let index_of = |c: Column| columns.iter().position(|x| *x == Some(c));
    let found = || headers.iter().map(|h| format!("'{h}'")).collect::<Vec<_>>().join(", ");
    let (Some(date_col), Some(title_col)) = (index_of(Column::Date), index_of(Column::Title)) else {
        let missing = if index_of(Column::Date).is_none() { Column::Date } else { Column::Title };
        let name = if missing == Column::Date { "date" } else { "title" };
        return Err(Error::invalid(
            "csv",
            format!("no '{name}' column (accepted headers: {}); the columns found are: {}", accepted(missing), found()),
        ));
    };
    let optional = |c: Column| index_of(c);
    let (desc_col, parties_col, tags_col, position_col, kind_col) = (
        optional(Column::Description),
        optional(Column::Parties),
        optional(Column::Tags),
        optional(Column::Position),
        optional(Column::Kind),
    );

    let conn = store.conn();
    let mut inputs: Vec<(usize, EventInput)> = Vec::new();
    let mut blank = 0usize;
    let mut skipped: Vec<(String, usize)> = Vec::new();
    for (index, record) in rows.iter().enumerate() {
        let row = index + 2;
        if record.iter().all(|c| c.trim().is_empty()) {
            blank += 1;
            continue;
        }
        if let Some((extra, _)) = record.iter().enumerate().skip(headers.len()).find(|(_, c)| !c.trim().is_empty()) {
            return Err(Error::invalid(
                "csv",
                format!(
                    "row {row} has a value in column {} but the header names only {} columns",
                    extra + 1,
                    headers.len()
                ),
            ));
        }
        let cell = |col: Option<usize>| col.and_then(|i| record.get(i)).map(unguarded).unwrap_or("");
        if let Some(k) = kind_col {
            let kind = cell(Some(k)).trim().to_lowercase();
            if !kind.is_empty() && kind != "event" {
                if !timeline::KINDS.contains(&kind.as_str()) {
                    return Err(csv_error(
                        row,
                        &headers[k],
                        format!("'{}' is not a timeline kind ({})", input::shorten(&kind), timeline::KINDS.join(", ")),
                    ));
                }
                match skipped.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => skipped.push((kind, 1)),
                }
                continue;
            }
        }
        let date_text = cell(Some(date_col)).trim();
        if date_text.is_empty() {
            return Err(csv_error(row, &headers[date_col], "is empty: every event needs a date"));
        }
        let date = input::date("date", date_text).map_err(|e| match e {
            Error::Date { source, .. } => csv_error(row, &headers[date_col], source),
            other => other,
        })?;
        let title = one_line(cell(Some(title_col)));
        if title.is_empty() {
            return Err(csv_error(row, &headers[title_col], "is empty: every event needs a title"));
        }
        input::required("title", &title).map_err(|e| reworded(row, &headers[title_col], e))?;
        let description = cell(desc_col).replace("\r\n", "\n");
        if let Some(i) = desc_col {
            input::text("description", &description).map_err(|e| reworded(row, &headers[i], e))?;
        }
        let mut parties = Vec::new();
        if let Some(i) = parties_col {
            for name in split_list(cell(Some(i)), false) {
                let id = party::resolve(conn, &name).map_err(|e| match e {
                    Error::NotFound { .. } => csv_error(
                        row,
                        &headers[i],
                        format!(
                            "no party '{}': add it (or an alias) first — an import never creates parties",
                            input::shorten(&name)
                        ),
                    ),
                    other => reworded(row, &headers[i], other),
                })?;
                parties.push(id);
            }
        }
        let tags = tags_col.map(|i| split_list(cell(Some(i)), true)).unwrap_or_default();
        if let Some(i) = tags_col {
            input::list("tag", &tags).map_err(|e| reworded(row, &headers[i], e))?;
        }
        let position = match position_col.map(|i| (i, cell(Some(i)).trim())) {
            None | Some((_, "")) => 0,
            Some((i, text)) => text.parse::<i64>().map_err(|_| {
                csv_error(row, &headers[i], format!("'{}' is not a whole number", input::shorten(text)))
            })?,
        };
        inputs.push((
            row,
            EventInput {
                case: case_id.clone(),
                title,
                date: date.canonical(),
                description,
                parties,
                tags,
                attributions: Vec::new(),
                position,
            },
        ));
    }
    if inputs.is_empty() && skipped.is_empty() {
        return Err(Error::invalid("csv", "the file has a header but no rows: nothing to import"));
    }

    let created = store.batch(|s| {
        let mut ids = Vec::with_capacity(inputs.len());
        for (row, input) in &inputs {
            let e = event::create(s, input).map_err(|e| match e {
                Error::Invalid { field, message } => Error::invalid("csv", format!("row {row}, {field}: {message}")),
                Error::Date { field, source } => Error::invalid("csv", format!("row {row}, {field}: {source}")),
                other => other,
            })?;
            ids.push(e.id);
        }
        Ok(ids)
    })?;

    let mut messages = vec![format!("imported {} event{}", created.len(), plural(created.len()))];
    if blank > 0 {
        messages.push(format!("skipped {blank} empty row{}", plural(blank)));
    }
    if !skipped.is_empty() {
        let n: usize = skipped.iter().map(|(_, n)| n).sum();
        let kinds: Vec<String> = skipped.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        messages.push(format!(
            "skipped {n} row{} that {} not events ({}): a chronology import only creates events; letters come in from .eml files",
            plural(n),
            if n == 1 { "is" } else { "are" },
            kinds.join(", ")
        ));
    }
    if !ignored.is_empty() {
        messages.push(format!("ignored column{}: {}", plural(ignored.len()), ignored.join(", ")));
    }
    Ok(ImportReport { events: created.len(), created, letters: 0, evidence: 0, messages })
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
        Error::Invalid { message, .. } => csv_error(row, column, message),
        Error::Date { source, .. } => csv_error(row, column, source),
        other => other,
    }
}

/// An error of the CSV reader, with the row it happened on.
fn read_error(row: usize, e: ::csv::Error) -> Error {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { pos, err } => {
            let row = pos.as_ref().map(|p| p.record() as usize + 1).unwrap_or(row);
            Error::invalid(
                "csv",
                format!(
                    "row {row}, column {}: is not UTF-8 text; save the file as CSV with the UTF-8 character set",
                    err.field() + 1
                ),
            )
        }
        _ => Error::invalid("csv", format!("row {row}: {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// E-mail

/// The last component of a path-like name, without control characters; `None` when nothing usable is
/// left. Both `/` and `\` separate components, whatever system wrote the name.
fn last_component(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    match clean {
        "" | "." | ".." => None,
        c => Some(c.to_string()),
    }
}

/// The In-Reply-To or References ids of a header, without angle brackets.
fn message_ids(value: &HeaderValue<'_>) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(t) => vec![t.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.as_ref()).collect(),
        _ => Vec::new(),
    };
    raw.into_iter().map(bare_id).filter(|id| !id.is_empty()).collect()
}

fn bare_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

/// The letter of the case that carries this Message-ID (stored with or without angle brackets).
fn letter_with_message_id(conn: &Connection, case_id: &str, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM letter WHERE case_id = ?1 AND (message_id = ?2 OR message_id = '<' || ?2 || '>') LIMIT 1",
            [case_id, id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The Date header as a fuzzy-date instant in its own offset, in canonical form.
fn instant(d: &mail_parser::DateTime) -> std::result::Result<String, crate::date::DateError> {
    let sign = if d.tz_before_gmt { '-' } else { '+' };
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.tz_hour, d.tz_minute
    );
    crate::date::FuzzyDate::parse(&text).map(|f| f.canonical())
}

/// An address of the e-mail as found in it.
struct Correspondent {
    name: Option<String>,
    address: Option<String>,
}

impl Correspondent {
    fn of(addr: &Addr<'_>) -> Option<Correspondent> {
        let address = addr.address().map(str::trim).filter(|a| !a.is_empty()).map(String::from);
        let name = addr
            .name()
            .map(one_line)
            .map(|n| n.trim_matches(['"', '\'']).trim().to_string())
            .filter(|n| !n.is_empty() && Some(n) != address.as_ref());
        (name.is_some() || address.is_some()).then_some(Correspondent { name, address })
    }

    fn describe(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), Some(a)) => format!("'{n}' <{a}>"),
            (Some(n), None) => format!("'{n}'"),
            (None, Some(a)) => format!("<{a}>"),
            (None, None) => String::new(),
        }
    }
}

/// The party an address stands for: a party whose name or alias is the address, else one whose name
/// or alias is the display name; else a new person (named by the display name, or the address) with
/// the address as alias and the role "other" in the case.
fn party_for(
    store: &mut Store,
    case_id: &str,
    who: &Correspondent,
    file: &str,
    report: &mut ImportReport,
) -> Result<String> {
    for key in [&who.address, &who.name].into_iter().flatten() {
        match party::resolve(store.conn(), key) {
            Ok(id) => return Ok(id),
            Err(Error::NotFound { .. }) => continue,
            Err(Error::Invalid { message, .. }) => {
                return Err(Error::invalid("eml", format!("'{file}': {}: {message}", who.describe())))
            }
            Err(e) => return Err(e),
        }
    }
    let name = who.name.clone().or_else(|| who.address.clone()).unwrap_or_default();
    let created = party::create(
        store,
        &PartyInput {
            name: name.clone(),
            kind: "person".into(),
            description: format!("Added from the e-mail '{file}'."),
            aliases: who.address.iter().cloned().collect(),
            affiliations: Vec::new(),
        },
    )?;
    role::add_role(store, case_id, &created.id, "other", None)?;
    report.created.push(created.id.clone());
    report.messages.push(format!("added the person {} as a party, with the role 'other' in this case", who.describe()));
    Ok(created.id)
}

/// Imports one e-mail (`.eml`, RFC 5322) into `case` as a letter, with its attachments as evidence
/// linked to it. `file_name` names the file in messages and errors. See the module docs for how
/// parties, dates, bodies, threading and attachments are read. Everything is written in one batch.
pub fn eml(store: &mut Store, case: &str, bytes: &[u8], file_name: &str) -> Result<ImportReport> {
    let file = last_component(file_name).unwrap_or_else(|| "e-mail".to_string());
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::invalid(
            "eml",
            format!("'{file}' is {} MiB: e-mails over 50 MiB are refused", bytes.len().div_ceil(1 << 20)),
        ));
    }
    let case_id = case::resolve(store.conn(), case)?;
    let not_mail = |why: &str| Error::invalid("eml", format!("'{file}' is not an e-mail message: {why}"));
    let msg = MessageParser::default().parse(bytes).ok_or_else(|| not_mail("it has no message headers"))?;
    if msg.headers().is_empty() {
        return Err(not_mail("it has no message headers"));
    }
    let from = msg
        .from()
        .and_then(|a| a.iter().find_map(Correspondent::of))
        .ok_or_else(|| not_mail("it has no From header"))?;
    let date = msg.date().ok_or_else(|| {
        Error::invalid("eml", format!("'{file}' has no readable Date header, so it cannot be placed in the chronology"))
    })?;
    let date = instant(date).map_err(|e| Error::invalid("eml", format!("'{file}': Date header: {e}")))?;
    let message_id = msg.message_id().map(bare_id).filter(|m| !m.is_empty());
    if let Some(id) = &message_id {
        if let Some(existing) = letter_with_message_id(store.conn(), &case_id, id)? {
            return Err(Error::Conflict(format!(
                "the e-mail <{id}> is already in the case (letter {existing}); '{file}' was not imported again"
            )));
        }
    }
    let subject = msg.subject().map(one_line).filter(|s| !s.is_empty()).unwrap_or_else(|| "(no subject)".to_string());

    let mut report = ImportReport::default();
    let mut bodies: Vec<String> = Vec::new();
    for part in msg.text_bodies() {
        match &part.body {
            PartType::Text(text) => bodies.push(text.replace("\r\n", "\n")),
            PartType::Html(html) => {
                // ammonia first: scripts, styles, event handlers and non-web links are gone before
                // html2text turns what is left into text (its link footnotes then only hold safe URLs).
                let clean = ammonia::Builder::default()
                    .url_schemes(["http", "https", "mailto"].into_iter().collect())
                    .clean(html)
                    .to_string();
                let text = html2text::config::plain()
                    .string_from_read(clean.as_bytes(), 10_000)
                    .map_err(|e| Error::invalid("eml", format!("'{file}': its HTML body cannot be read: {e}")))?;
                bodies.push(text);
                report.messages.push("the e-mail has no plain-text part: its HTML was converted to text".into());
            }
            _ => {}
        }
    }
    report.messages.dedup();
    let body = bodies.iter().map(|b| b.trim_end()).filter(|b| !b.is_empty()).collect::<Vec<_>>().join("\n\n");

    let mut candidates: Vec<String> = message_ids(msg.in_reply_to());
    candidates.extend(message_ids(msg.references()).into_iter().rev());
    let mut parent = None;
    for id in &candidates {
        if let Some(letter) = letter_with_message_id(store.conn(), &case_id, id)? {
            parent = Some((id.clone(), letter));
            break;
        }
    }
    match (&parent, candidates.first()) {
        (Some((id, _)), _) => report.messages.push(format!("threaded as a reply to the letter with Message-ID <{id}>")),
        (None, Some(id)) => report
            .messages
            .push(format!("it answers <{id}>, which is not in this case: import that e-mail first to thread them")),
        (None, None) => {}
    }
    if message_id.is_none() {
        report.messages.push(format!(
            "'{file}' has no Message-ID: importing it again would add a second letter, and replies cannot be threaded under it"
        ));
    }

    let mut attachments: Vec<(String, &[u8])> = Vec::new();
    for (i, part) in msg.attachments().enumerate() {
        let given = part.attachment_name();
        let name = given.and_then(last_component).unwrap_or_else(|| {
            let ext = part
                .content_type()
                .map(|ct| format!("{}/{}", ct.c_type, ct.c_subtype.as_deref().unwrap_or("")))
                .and_then(|mime| {
                    if mime == "message/rfc822" {
                        Some("eml")
                    } else {
                        mime_guess::get_mime_extensions_str(&mime).and_then(|e| e.first().copied())
                    }
                })
                .unwrap_or("bin");
            format!("attachment-{}.{ext}", i + 1)
        });
        if let Some(given) = given.filter(|g| *g != name) {
            report.messages.push(format!("attachment '{}' kept as '{name}'", input::shorten(given)));
        }
        attachments.push((name, part.contents()));
    }

    let to: Vec<Correspondent> = msg.to().map(|a| a.iter().filter_map(Correspondent::of).collect()).unwrap_or_default();
    let cc: Vec<Correspondent> = msg.cc().map(|a| a.iter().filter_map(Correspondent::of).collect()).unwrap_or_default();

    store.batch(|s| {
        let sender = party_for(s, &case_id, &from, &file, &mut report)?;
        let mut to_ids = Vec::new();
        for who in &to {
            to_ids.push(party_for(s, &case_id, who, &file, &mut report)?);
        }
        let mut cc_ids = Vec::new();
        for who in &cc {
            cc_ids.push(party_for(s, &case_id, who, &file, &mut report)?);
        }
        let letter = letter::create(
            s,
            &LetterInput {
                case: case_id.clone(),
                channel: "email".into(),
                sender,
                sender_person: String::new(),
                to: to_ids,
                cc: cc_ids,
                subject: subject.clone(),
                body: body.clone(),
                date: date.clone(),
                deadline: String::new(),
                in_reply_to: parent.as_ref().map(|(_, l)| l.clone()).unwrap_or_default(),
                tags: Vec::new(),
                position: 0,
                message_id: message_id.clone().unwrap_or_default(),
            },
        )
        .map_err(|e| match e {
            Error::Invalid { field, message } => Error::invalid("eml", format!("'{file}': {field}: {message}")),
            other => other,
        })?;
        report.created.push(letter.id.clone());
        report.letters = 1;
        for (name, content) in &attachments {
            let ev = evidence::add_stream(
                s,
                &FileInput {
                    case: case_id.clone(),
                    path: PathBuf::from(name),
                    title: String::new(),
                    date: String::new(),
                    note: format!("Attached to the e-mail '{subject}' ({file})."),
                },
                *content,
            )?;
            evidence::link(
                s,
                &LinkInput {
                    evidence: ev.id.clone(),
                    record: letter.id.clone(),
                    pinpoint: String::new(),
                    note: "attachment".into(),
                },
            )?;
            report.created.push(ev.id);
            report.evidence += 1;
        }
        Ok(())
    })?;
    report.messages.insert(
        0,
        format!(
            "imported '{subject}' as a letter{}",
            match report.evidence {
                0 => String::new(),
                1 => " with 1 attachment".to_string(),
                n => format!(" with {n} attachments"),
            }
        ),
    );
    Ok(report)
}
