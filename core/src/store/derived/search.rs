//! The search index's rows, written set-wise: `search_document` says, in SQL, what the index holds
//! of each record (its own row, page 0), and `dossier_stems` / `dossier_grams` give SQL the forms and
//! character pairs of a text (`stem`, `grams`), so every refreshed record's rows are a few `INSERT …
//! SELECT`s, for one record as for an import of a hundred thousand. `check` reads the same view
//! (`stale`), so what it expects is what the write path wrote.

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use super::super::conn::{Reader, Writer};
use crate::error::Result;

/// Every record's own searchable text: its title, and a body that gathers the rest (a letter's
/// addresses, a party's aliases and roles, a case's tags, every record's attribution wording and
/// tags), with the file of evidence whose pages are indexed beside it. Parties belong to no case.
/// A temporary view, defined on each connection: it is not part of the record, and changing it needs
/// no upgrade of the file.
const DOCUMENT: &str = "
CREATE TEMP VIEW IF NOT EXISTS search_document (record_id, case_id, kind, title, body, sha256) AS
SELECT d.record_id, d.case_id, d.kind, d.title,
       d.body || ' ' || coalesce((SELECT group_concat(how, ' ') FROM attribution WHERE record_id = d.record_id), '')
              || ' ' || coalesce((SELECT group_concat(tag, ' ') FROM record_tag WHERE record_id = d.record_id), ''),
       d.sha256
  FROM (SELECT id AS record_id, id AS case_id, 'case' AS kind, title,
               slug || ' ' || summary || ' ' ||
               coalesce((SELECT group_concat(tag, ' ') FROM case_tag WHERE case_id = c.id), '') AS body,
               NULL AS sha256
          FROM case_file c
        UNION ALL
        SELECT id, NULL, 'party', name,
               description || ' ' ||
               coalesce((SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = p.id), '') || ' ' ||
               coalesce((SELECT group_concat(role, ' ') FROM affiliation WHERE person_id = p.id), ''),
               NULL
          FROM party p
        UNION ALL
        SELECT id, case_id, 'agreement', title, kind || ' ' || terms, NULL FROM agreement
        UNION ALL
        SELECT c.id, a.case_id, 'clause', c.reference || ' — ' || a.title, c.text, NULL
          FROM clause c JOIN agreement a ON a.id = c.agreement_id
        UNION ALL
        SELECT id, case_id, 'letter', subject,
               body || ' ' ||
               coalesce((SELECT group_concat(display_name || ' ' || address, ' ') FROM letter_address
                          WHERE letter_id = l.id), ''),
               NULL
          FROM letter l
        UNION ALL
        SELECT id, case_id, 'allegation', summary, detail, NULL FROM allegation
        UNION ALL
        SELECT id, case_id, 'response', CASE WHEN text = '' THEN stance ELSE text END, text, NULL FROM response
        UNION ALL
        SELECT id, case_id, 'event', title, description, NULL FROM event
        UNION ALL
        SELECT id, case_id, 'evidence', title,
               note || ' ' || coalesce(original_name, '') || ' ' || coalesce(url, '') || ' ' ||
               coalesce(publisher, ''),
               sha256
          FROM evidence) d;";

/// Gives `conn` the view and the two functions the index is written with.
pub(super) fn define(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("dossier_stems", 1, flags, |ctx| Ok(crate::stem::of_text(&ctx.get::<String>(0)?)))?;
    conn.create_scalar_function("dossier_grams", 1, flags, |ctx| Ok(crate::grams::of_text(&ctx.get::<String>(0)?)))?;
    conn.execute_batch(DOCUMENT)?;
    Ok(())
}

/// Brings the index up to date for the records in `temp.refreshing` (added, changed or deleted): each
/// one's own row, and a row per page of its file's text. Index rows are reached by rowid (the
/// document number in `search_doc`), the only lookup FTS5 makes fast. The index's own inserts are
/// one statement, so FTS5 gathers all their words before it writes a segment.
pub(super) fn reindex_refreshing(w: &Writer<'_>) -> Result<()> {
    w.execute(
        "DELETE FROM search_index
          WHERE rowid IN (SELECT doc FROM search_doc WHERE record_id IN (SELECT id FROM temp.refreshing))",
        [],
    )?;
    w.execute("DELETE FROM search_doc WHERE record_id IN (SELECT id FROM temp.refreshing)", [])?;
    // A deletion can take other records with it (an agreement's clauses): drop theirs too.
    if w.exists("SELECT 1 FROM temp.refreshing WHERE id NOT IN (SELECT id FROM record)", [])? {
        w.execute(
            "DELETE FROM search_index
              WHERE rowid IN (SELECT doc FROM search_doc WHERE record_id NOT IN (SELECT id FROM record))",
            [],
        )?;
        w.execute("DELETE FROM search_doc WHERE record_id NOT IN (SELECT id FROM record)", [])?;
    }
    w.execute(
        "INSERT INTO search_doc (record_id, page)
         SELECT record_id, 0 FROM search_document WHERE record_id IN (SELECT id FROM temp.refreshing)
         UNION ALL
         SELECT e.id, p.page FROM evidence e JOIN file_page p ON p.sha256 = e.sha256
          WHERE e.id IN (SELECT id FROM temp.refreshing)",
        [],
    )?;
    w.execute(
        "INSERT INTO search_index (rowid, record_id, case_id, kind, page, title, body, stems, grams)
         SELECT (SELECT doc FROM search_doc WHERE record_id = s.record_id AND page = 0), s.record_id, s.case_id,
                s.kind, 0, s.title, s.body, dossier_stems(s.title || ' ' || s.body),
                dossier_grams(s.title || ' ' || s.body)
           FROM search_document s WHERE s.record_id IN (SELECT id FROM temp.refreshing)
         UNION ALL
         SELECT (SELECT doc FROM search_doc WHERE record_id = e.id AND page = p.page), e.id, e.case_id,
                'evidence', p.page, '', p.text, dossier_stems(' ' || p.text), dossier_grams(' ' || p.text)
           FROM evidence e JOIN file_page p ON p.sha256 = e.sha256
          WHERE e.id IN (SELECT id FROM temp.refreshing)",
        [],
    )?;
    Ok(())
}

/// Merges the search index's segments into one (FTS5's `optimize`): a deleted row's words stay in
/// the segments that held them until they are merged, and an erasure must leave none.
pub(crate) fn merge(w: &Writer<'_>) -> Result<()> {
    w.execute("INSERT INTO search_index (search_index) VALUES ('optimize')", [])?;
    Ok(())
}

/// Rebuilds the whole search index (when a database is upgraded to a version with search).
pub(crate) fn rebuild(w: &Writer<'_>) -> Result<()> {
    w.execute("DELETE FROM search_index", [])?;
    w.execute("DELETE FROM search_doc", [])?;
    w.execute("DELETE FROM temp.refreshing", [])?;
    w.execute("INSERT INTO temp.refreshing (id) SELECT id FROM record", [])?;
    reindex_refreshing(w)?;
    w.execute("DELETE FROM temp.refreshing", [])?;
    Ok(())
}

/// Brings the index up to date for one record (added, changed or deleted), and nothing else derived
/// from it: when only its file's text changed.
pub(crate) fn reindex(w: &Writer<'_>, record_id: &str) -> Result<()> {
    w.execute("DELETE FROM temp.refreshing", [])?;
    w.execute("INSERT INTO temp.refreshing (id) VALUES (?1)", [record_id])?;
    reindex_refreshing(w)?;
    w.execute("DELETE FROM temp.refreshing", [])?;
    Ok(())
}

/// What the index should hold of one record now (its title and body), or `None` if it is gone.
pub(super) fn document(db: &Reader, id: &str) -> Result<Option<(String, String)>> {
    db.optional("SELECT title, body FROM search_document WHERE record_id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
}
