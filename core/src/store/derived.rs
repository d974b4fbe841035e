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

pub(crate) mod search;
pub(crate) mod stale;

use rusqlite::Connection;

use super::conn::Writer;
use crate::error::Result;

/// Gives a connection what the derived rows are written with: the table of the records being
/// refreshed, and the search index's view and functions ([`search`]). Called once the schema is
/// current, after `temp_store` is set (changing it drops temporary tables).
pub(crate) fn define(conn: &Connection) -> Result<()> {
    conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS refreshing (id TEXT PRIMARY KEY) WITHOUT ROWID;")?;
    search::define(conn)
}

/// Recomputes what is derived from records (their timeline entries, their parties and their search-index
/// rows) after they were added, changed or deleted. Their ids go in `temp.refreshing`, and each derived
/// table is then brought up to date by set statements that read the records' views for those ids only
/// (SQLite pushes the `IN` down into each branch of a view, so the statements cost what the records
/// they refresh cost, for one record as for an import). The search index comes last.
pub(crate) fn refresh(w: &Writer<'_>, ids: &[impl AsRef<str>]) -> Result<()> {
    w.execute("DELETE FROM temp.refreshing", [])?;
    for id in ids {
        w.execute("INSERT OR IGNORE INTO temp.refreshing (id) VALUES (?1)", [id.as_ref()])?;
    }
    for statement in TIMELINE_AND_PARTIES {
        w.execute(statement, [])?;
    }
    search::reindex_refreshing(w)?;
    w.execute("DELETE FROM temp.refreshing", [])?;
    Ok(())
}

/// The refresh of the timeline and the parties, in order:
/// - the records' rows of `timeline_party_row` go first, found by their whole key, which their
///   timeline and party rows still give: the table is keyed by party and timeline order only, so that
///   it holds nothing a page filtered by a party does not read;
/// - their timeline entries are recomputed from the `timeline_entry` view, or removed if they are gone;
/// - their parties from the `record_party` and `record_source` views (a record's parties are all in
///   its own tables: a letter's recipients, an event's parties, its attributions, …);
/// - their entries under each of their parties, from the rows just written. A row already there can
///   only be one the removal could not find, the derived rows having been changed outside Dossier
///   (which `check` reports); it is this same row, so it is kept rather than failing the write.
const TIMELINE_AND_PARTIES: &[&str] = &[
    "DELETE FROM timeline_party_row
      WHERE (party_id, case_id, sort, rank, position, kind_rank, entry_id) IN
            (SELECT rp.party_id, t.case_id, t.sort, t.rank, t.position, t.kind_rank, t.entry_id
               FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id
              WHERE t.record_id IN (SELECT id FROM temp.refreshing))",
    "DELETE FROM timeline_row WHERE record_id IN (SELECT id FROM temp.refreshing)",
    "INSERT INTO timeline_row (entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position,
                               title, status)
     SELECT entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position, title, status
       FROM timeline_entry WHERE record_id IN (SELECT id FROM temp.refreshing)",
    "DELETE FROM record_party_row WHERE record_id IN (SELECT id FROM temp.refreshing)",
    "INSERT INTO record_party_row (record_id, party_id, involved, cited)
     SELECT record_id, party_id, max(involved), max(cited)
       FROM (SELECT record_id, party_id, 1 AS involved, 0 AS cited FROM record_party
              WHERE record_id IN (SELECT id FROM temp.refreshing)
             UNION ALL
             SELECT record_id, party_id, 0, 1 FROM record_source
              WHERE record_id IN (SELECT id FROM temp.refreshing))
      GROUP BY record_id, party_id",
    "INSERT OR IGNORE INTO timeline_party_row (party_id, case_id, sort, rank, position, kind_rank, entry_id)
     SELECT rp.party_id, t.case_id, t.sort, t.rank, t.position, t.kind_rank, t.entry_id
       FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id
      WHERE t.record_id IN (SELECT id FROM temp.refreshing)",
];
