//! The tables derived from the record, kept current by [`super::Store::write`] in the same
//! transaction as the change that touches them, so they never disagree with it:
//!
//! - `timeline_row`: the `timeline_entry` view, materialized, so a page of a large case is an index
//!   range scan;
//! - `record_party_row`: the `record_party` and `record_source` views, materialized, so the parties of
//!   a page's entries, and whether an entry involves a party, are index lookups;
//! - `timeline_party_row`: the two joined, each entry once per party of its record, keyed by party in
//!   timeline order, so a page filtered by a party is an index range;
//! - `search_index` (FTS5) and `search_doc` (which index row holds which record): every text of the
//!   record in its row (page 0), and each page of an evidence file's text (`store::text`) in a row of
//!   its own (pages 1, 2, …), every row with the forms of its words (`stem`) and the pairs of
//!   characters of its Chinese, Japanese and Korean words (`grams`) beside its words.
//!
//! Reading them is the business of `view::timeline` and `view::search`.

pub(crate) mod stale;

use rusqlite::params;

use super::conn::{Reader, Writer};
use super::registry;
use crate::error::Result;
use crate::vocabulary::RecordKind;

/// Recomputes what is derived from a record (its timeline entries, its parties and its search-index
/// rows) after it was added, changed or deleted.
pub(crate) fn refresh(w: &Writer<'_>, record_id: &str) -> Result<()> {
    refresh_all(w, &[record_id])
}

/// [`refresh`] for many records: the timeline and parties of all of them, then their search rows, so
/// that the search index's inserts follow each other. FTS5 writes what it holds in memory to disk
/// whenever another statement opens a savepoint, so interleaved, each record's words became a
/// segment of their own, merged again and again.
pub(crate) fn refresh_all(w: &Writer<'_>, ids: &[impl AsRef<str>]) -> Result<()> {
    for id in ids {
        forget_party_entries(w, id.as_ref())?;
        refresh_timeline(w, id.as_ref())?;
        refresh_parties(w, id.as_ref())?;
        add_party_entries(w, id.as_ref())?;
    }
    for id in ids {
        reindex(w, id.as_ref())?;
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

/// Brings a record's parties up to date from the views, which read only that record's rows (a record's
/// parties are all in its own tables: a letter's recipients, an event's parties, its attributions, …).
fn refresh_parties(w: &Writer<'_>, record_id: &str) -> Result<()> {
    w.execute("DELETE FROM record_party_row WHERE record_id = ?1", [record_id])?;
    w.execute(
        "INSERT INTO record_party_row (record_id, party_id, involved, cited)
         SELECT record_id, party_id, max(involved), max(cited)
           FROM (SELECT record_id, party_id, 1 AS involved, 0 AS cited FROM record_party WHERE record_id = ?1
                 UNION ALL SELECT record_id, party_id, 0, 1 FROM record_source WHERE record_id = ?1)
          GROUP BY record_id, party_id",
        [record_id],
    )?;
    Ok(())
}

/// The columns of a row of `timeline_party_row`, from `timeline_row t` and `record_party_row rp`.
const PARTY_ENTRY: &str = "rp.party_id, t.case_id, t.sort, t.rank, t.position, t.kind_rank, t.entry_id";

/// Removes the record's rows from `timeline_party_row`, found by their whole key, which its timeline and
/// party rows still give (they are refreshed next): the table is keyed by party and timeline order
/// only, so that it holds nothing a page filtered by a party does not read.
fn forget_party_entries(w: &Writer<'_>, record_id: &str) -> Result<()> {
    w.execute(
        &format!(
            "DELETE FROM timeline_party_row
              WHERE (party_id, case_id, sort, rank, position, kind_rank, entry_id) IN
                    (SELECT {PARTY_ENTRY} FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id
                      WHERE t.record_id = ?1)"
        ),
        [record_id],
    )?;
    Ok(())
}

/// Adds the record's entries under each of its parties, from its refreshed timeline and party rows.
/// A row already there can only be one the removal could not find, the derived rows having been
/// changed outside Dossier (which `check` reports); it is this same row, so it is kept rather than
/// failing the write.
fn add_party_entries(w: &Writer<'_>, record_id: &str) -> Result<()> {
    w.execute(
        &format!(
            "INSERT OR IGNORE INTO timeline_party_row (party_id, case_id, sort, rank, position, kind_rank, entry_id)
             SELECT {PARTY_ENTRY} FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id
              WHERE t.record_id = ?1"
        ),
        [record_id],
    )?;
    Ok(())
}

/// Merges the search index's segments into one (FTS5's `optimize`): a deleted row's words stay in
/// the segments that held them until they are merged, and an erasure must leave none.
pub(crate) fn merge_search(w: &Writer<'_>) -> Result<()> {
    w.execute("INSERT INTO search_index (search_index) VALUES ('optimize')", [])?;
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

/// Brings the index up to date for one record (added, changed or deleted): its own row, and a row per
/// page of its file's text. Index rows are reached by rowid (the document number in `search_doc`),
/// the only lookup FTS5 makes fast.
pub(crate) fn reindex(w: &Writer<'_>, record_id: &str) -> Result<()> {
    for doc in w.all("SELECT doc FROM search_doc WHERE record_id = ?1", [record_id], |r| r.get::<_, i64>(0))? {
        w.execute("DELETE FROM search_index WHERE rowid = ?1", [doc])?;
    }
    w.execute("DELETE FROM search_doc WHERE record_id = ?1", [record_id])?;
    match document(w, record_id)? {
        Some(d) => {
            let add = |page: i64, title: &str, body: &str| -> Result<()> {
                w.execute("INSERT INTO search_doc (record_id, page) VALUES (?1, ?2)", params![record_id, page])?;
                let text = format!("{title} {body}");
                let (stems, grams) = (crate::stem::of_text(&text), crate::grams::of_text(&text));
                w.execute(
                    "INSERT INTO search_index (rowid, record_id, case_id, kind, page, title, body, stems, grams)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![w.last_insert_rowid(), record_id, d.case_id, d.kind, page, title, body, stems, grams],
                )?;
                Ok(())
            };
            add(0, &d.title, &d.body)?;
            if let Some(sha) = &d.file {
                let pages = w.all("SELECT page, text FROM file_page WHERE sha256 = ?1 ORDER BY page", [sha], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })?;
                for (page, text) in pages {
                    add(page, "", &text)?;
                }
            }
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
    /// The evidence file whose pages are indexed with the record.
    file: Option<String>,
}

/// The searchable text of one record, or `None` if it is gone.
fn document(db: &Reader, id: &str) -> Result<Option<Document>> {
    let Some(kind) = registry::kind_of(db, id)? else { return Ok(None) };
    let one = |sql: &str| -> Result<Option<(Option<String>, String, String)>> {
        db.optional(sql, [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    };
    // The file of evidence, whose pages are indexed with it.
    let mut file = None;
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
        RecordKind::Evidence => evidence_document(db, id)?.map(|(row, sha256)| {
            file = sha256;
            row
        }),
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
    Ok(Some(Document { case_id, kind, title, body, file }))
}

/// An evidence record's row for the index, and the SHA-256 of its file.
type EvidenceRow = ((Option<String>, String, String), Option<String>);

fn evidence_document(db: &Reader, id: &str) -> Result<Option<EvidenceRow>> {
    db.optional(
        "SELECT case_id, title, note || ' ' || coalesce(original_name, '') || ' ' || coalesce(url, '') || ' ' ||
                coalesce(publisher, ''), sha256
           FROM evidence WHERE id = ?1",
        [id],
        |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)),
    )
}
