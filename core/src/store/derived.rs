//! The tables derived from the record, kept current by [`super::Store::write`] in the same
//! transaction as the change that touches them, so they never disagree with it:
//!
//! - `timeline_row`: the `timeline_entry` view, materialized, so a page of a large case is an index
//!   range scan;
//! - `search_index` (FTS5) and `search_doc` (which index row holds which record): every text of the
//!   record, including the text of text, Markdown, HTML and e-mail evidence files.
//!
//! Reading them is the business of `view::timeline` and `view::search`.

use std::io::Read;

use rusqlite::params;

use super::blobs::Blobs;
use super::conn::{Reader, Writer};
use super::registry;
use crate::error::Result;
use crate::vocabulary::RecordKind;

/// Longest evidence file whose text is indexed (larger files are indexed by their first part).
const MAX_FILE_TEXT: u64 = 4 << 20;

/// Recomputes what is derived from a record (its timeline entries and its search-index row) after it
/// was added, changed or deleted.
pub(crate) fn refresh(w: &Writer<'_>, record_id: &str) -> Result<()> {
    refresh_timeline(w, record_id)?;
    reindex(w, record_id)
}

/// Recomputes the derived data of a case, every record in it, and the parties it gives roles (after
/// an import).
pub(crate) fn refresh_case(w: &Writer<'_>, case_id: &str) -> Result<()> {
    refresh(w, case_id)?;
    for id in registry::ids_in_case(w, case_id)? {
        refresh(w, &id)?;
    }
    for id in w.strings("SELECT DISTINCT party_id FROM case_party WHERE case_id = ?1", [case_id])? {
        refresh(w, &id)?;
    }
    Ok(())
}

/// Brings the materialized timeline up to date for one record: its entries are recomputed from the
/// `timeline_entry` view (which reads only that record's rows), or removed if it is gone.
fn refresh_timeline(w: &Writer<'_>, record_id: &str) -> Result<()> {
    w.execute("DELETE FROM timeline_row WHERE record_id = ?1", [record_id])?;
    w.execute(
        "INSERT INTO timeline_row (entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position,
                                   title, status)
         SELECT entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position, title, status
           FROM timeline_entry WHERE record_id = ?1",
        [record_id],
    )?;
    Ok(())
}

/// Rebuilds the whole search index (when a database is upgraded to a version with search).
pub(crate) fn rebuild_search(w: &Writer<'_>) -> Result<()> {
    w.execute("DELETE FROM search_index", [])?;
    w.execute("DELETE FROM search_doc", [])?;
    for id in w.strings("SELECT id FROM record", [])? {
        reindex(w, &id)?;
    }
    Ok(())
}

/// Brings the index up to date for one record (added, changed or deleted). Index rows are reached by
/// rowid (the record's document number in `search_doc`), the only lookup FTS5 makes fast.
fn reindex(w: &Writer<'_>, record_id: &str) -> Result<()> {
    let doc: Option<i64> = w.optional("SELECT doc FROM search_doc WHERE record_id = ?1", [record_id], |r| r.get(0))?;
    if let Some(doc) = doc {
        w.execute("DELETE FROM search_index WHERE rowid = ?1", [doc])?;
    }
    match document(w, w.blobs(), record_id)? {
        Some(d) => {
            let doc = match doc {
                Some(doc) => doc,
                None => {
                    w.execute("INSERT INTO search_doc (record_id) VALUES (?1)", [record_id])?;
                    w.last_insert_rowid()
                }
            };
            w.execute(
                "INSERT INTO search_index (rowid, record_id, case_id, kind, title, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![doc, record_id, d.case_id, d.kind, d.title, d.body],
            )?;
        }
        // Gone. A deletion can take other records with it (an agreement's clauses): drop those too.
        None => {
            for doc in w.all("SELECT doc FROM search_doc WHERE record_id NOT IN (SELECT id FROM record)", [], |r| {
                r.get::<_, i64>(0)
            })? {
                w.execute("DELETE FROM search_index WHERE rowid = ?1", [doc])?;
                w.execute("DELETE FROM search_doc WHERE doc = ?1", [doc])?;
            }
        }
    }
    Ok(())
}

/// What the index holds of one record.
struct Document {
    /// `None` for parties, which belong to no case.
    case_id: Option<String>,
    kind: RecordKind,
    title: String,
    body: String,
}

/// The searchable text of one record, or `None` if it is gone.
fn document(db: &Reader, files: &Blobs, id: &str) -> Result<Option<Document>> {
    let Some(kind) = registry::kind_of(db, id)? else { return Ok(None) };
    let one = |sql: &str| -> Result<Option<(Option<String>, String, String)>> {
        db.optional(sql, [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    };
    let found = match kind {
        RecordKind::Case => one("SELECT id, title, slug || ' ' || summary || ' ' ||
                    coalesce((SELECT group_concat(tag, ' ') FROM case_tag WHERE case_id = ?1), '')
               FROM case_file WHERE id = ?1")?,
        RecordKind::Party => one("SELECT NULL, name, description || ' ' ||
                    coalesce((SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = ?1), '') || ' ' ||
                    coalesce((SELECT group_concat(role, ' ') FROM affiliation WHERE person_id = ?1), '')
               FROM party WHERE id = ?1")?,
        RecordKind::Agreement => one("SELECT case_id, title, kind || ' ' || terms FROM agreement WHERE id = ?1")?,
        RecordKind::Clause => one("SELECT a.case_id, c.reference || ' — ' || a.title, c.text
               FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE c.id = ?1")?,
        RecordKind::Letter => one("SELECT case_id, subject, body || ' ' ||
                    coalesce((SELECT group_concat(display_name || ' ' || address, ' ') FROM letter_address
                               WHERE letter_id = ?1), '')
               FROM letter WHERE id = ?1")?,
        RecordKind::Allegation => one("SELECT case_id, summary, detail FROM allegation WHERE id = ?1")?,
        RecordKind::Response => {
            one("SELECT case_id, CASE WHEN text = '' THEN stance ELSE text END, text FROM response WHERE id = ?1")?
        }
        RecordKind::Event => one("SELECT case_id, title, description FROM event WHERE id = ?1")?,
        RecordKind::Evidence => evidence_document(db, files, id)?,
    };
    let Some((case_id, title, mut body)) = found else { return Ok(None) };
    // Attribution wording and tags are searchable with the record they qualify.
    let extra: String = db.one(
        "SELECT coalesce((SELECT group_concat(how, ' ') FROM attribution WHERE record_id = ?1), '') || ' ' ||
                coalesce((SELECT group_concat(tag, ' ') FROM record_tag WHERE record_id = ?1), '')",
        [id],
        |r| r.get(0),
    )?;
    body.push(' ');
    body.push_str(&extra);
    Ok(Some(Document { case_id, kind, title, body }))
}

fn evidence_document(db: &Reader, files: &Blobs, id: &str) -> Result<Option<(Option<String>, String, String)>> {
    type Row = (String, String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = db.optional(
        "SELECT case_id, title, note, original_name, url, publisher, sha256, media_type FROM evidence WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
    )?;
    Ok(row.map(|(case_id, title, note, name, url, publisher, sha, media)| {
        let mut body =
            [note, name.unwrap_or_default(), url.unwrap_or_default(), publisher.unwrap_or_default()].join(" ");
        if let (Some(sha), Some(media)) = (sha, media) {
            body.push(' ');
            // Extracted before the write that added the file (`keep_text`); a file added before schema
            // version 3 and never re-indexed since is read here, once.
            let kept = db.optional("SELECT text FROM file_text WHERE sha256 = ?1", [&sha], |r| r.get::<_, String>(0));
            match kept {
                Ok(Some(text)) => body.push_str(&text),
                _ => body.push_str(&extract_text(files, &sha, &media)),
            }
        }
        (Some(case_id), title, body)
    }))
}

/// Keeps the text of the file `sha256`, extracted by [`extract_text`] before the write began, for the
/// search index to read: parsing a file never happens while the database is locked for writing.
pub(crate) fn keep_text(w: &Writer<'_>, sha256: &str, text: &str) -> Result<()> {
    w.execute("INSERT OR REPLACE INTO file_text (sha256, text) VALUES (?1, ?2)", params![sha256, text])?;
    Ok(())
}

/// The text of an evidence file worth indexing: plain text and Markdown as they are, HTML and e-mail
/// reduced to their text. Anything else (PDF, images) gives nothing; a file that cannot be read gives
/// nothing rather than failing the write that triggered indexing.
pub(crate) fn extract_text(files: &Blobs, sha256: &str, media_type: &str) -> String {
    let kind = match media_type {
        "text/plain" | "text/markdown" | "text/csv" => "text",
        "text/html" | "application/xhtml+xml" => "html",
        "message/rfc822" => "mail",
        _ => return String::new(),
    };
    let mut bytes = Vec::new();
    match files.open(sha256) {
        Ok(reader) => {
            if reader.take(MAX_FILE_TEXT).read_to_end(&mut bytes).is_err() {
                return String::new();
            }
        }
        Err(_) => return String::new(),
    }
    match kind {
        "html" => crate::markdown::html_to_text(&String::from_utf8_lossy(&bytes)),
        "mail" => match mail_parser::MessageParser::default().parse(&bytes) {
            Some(m) => format!("{} {}", m.subject().unwrap_or(""), m.body_text(0).unwrap_or_default()),
            None => String::new(),
        },
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    }
}
