//! What `check` asks of the derived tables: are they what the record gives now? The reports, the
//! published site, the timeline, search and `history` read them, not the record's own tables, so a row
//! forged there would go out under a clean check. Each is recomputed here from the record (through the
//! same views and the same index document the write path uses) and compared, read-only.

use super::super::conn::Reader;
use crate::error::Result;

/// A derived row that is not what the record gives.
pub(crate) struct Stale {
    /// `timeline`, `parties` or `search`.
    pub(crate) area: &'static str,
    /// The record it concerns.
    pub(crate) record: String,
    pub(crate) message: String,
}

/// The columns of a timeline entry, in the order both the view and the table have them.
const TIMELINE: &str =
    "entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position, title, status";

/// Every derived row that differs from the record, at most `limit` of each table.
pub(crate) fn stale(db: &Reader, limit: usize) -> Result<Vec<Stale>> {
    let mut found = timeline(db, limit)?;
    found.extend(parties(db, limit)?);
    found.extend(party_entries(db, limit)?);
    found.extend(search(db, limit)?);
    Ok(found)
}

/// A timeline row as a message names it: its record, kind, title and date.
type Shown = (String, String, String, Option<String>);

fn timeline(db: &Reader, limit: usize) -> Result<Vec<Stale>> {
    let rows = |sql: &str| -> Result<Vec<Shown>> {
        db.all(sql, [limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    };
    let shown = rows(&format!(
        "SELECT record_id, kind, title, date FROM (SELECT {TIMELINE} FROM timeline_row EXCEPT SELECT {TIMELINE} FROM timeline_entry) LIMIT ?1"
    ))?;
    let lacking = rows(&format!(
        "SELECT record_id, kind, title, date FROM (SELECT {TIMELINE} FROM timeline_entry EXCEPT SELECT {TIMELINE} FROM timeline_row) LIMIT ?1"
    ))?;
    let said = |(record, kind, title, date): Shown, what: &str| Stale {
        area: "timeline",
        message: format!(
            "the timeline {what} the {kind} entry '{}' ({}) of record {record}",
            crate::input::shorten(&title),
            date.unwrap_or_else(|| "no date".into())
        ),
        record,
    };
    let mut found: Vec<Stale> =
        shown.into_iter().map(|r| said(r, "shows, though the record does not say it,")).collect();
    found.extend(lacking.into_iter().map(|r| said(r, "lacks")));
    Ok(found)
}

fn parties(db: &Reader, limit: usize) -> Result<Vec<Stale>> {
    let expected = "SELECT record_id, party_id, max(involved), max(cited)
                      FROM (SELECT record_id, party_id, 1 AS involved, 0 AS cited FROM record_party
                            UNION ALL SELECT record_id, party_id, 0, 1 FROM record_source)
                     GROUP BY record_id, party_id";
    let kept = "SELECT record_id, party_id, involved, cited FROM record_party_row";
    let mut found = Vec::new();
    for (first, second, what) in [(kept, expected, "names"), (expected, kept, "leaves out")] {
        let sql = format!(
            "SELECT d.record_id, coalesce(p.name, d.party_id) FROM ({first} EXCEPT {second}) d
               LEFT JOIN party p ON p.id = d.party_id LIMIT ?1"
        );
        for (record, party) in db.all(&sql, [limit as i64], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            found.push(Stale {
                area: "parties",
                message: format!("the parties shown with record {record} wrongly {what} {party}"),
                record,
            });
        }
    }
    Ok(found)
}

/// Each entry under each party of its record, against the timeline and party rows (which the two
/// checks above compare with the record).
fn party_entries(db: &Reader, limit: usize) -> Result<Vec<Stale>> {
    let expected = "SELECT rp.party_id, t.case_id, t.sort, t.rank, t.position, t.kind_rank, t.entry_id
                      FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id";
    let kept = "SELECT party_id, case_id, sort, rank, position, kind_rank, entry_id FROM timeline_party_row";
    let mut found = Vec::new();
    for (first, second, what) in [(kept, expected, "shows"), (expected, kept, "leaves out")] {
        let sql = format!(
            "SELECT d.entry_id, coalesce(p.name, d.party_id), t.record_id FROM ({first} EXCEPT {second}) d
               LEFT JOIN party p ON p.id = d.party_id LEFT JOIN timeline_row t ON t.entry_id = d.entry_id LIMIT ?1"
        );
        let rows = db.all(&sql, [limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        for (entry, party, record) in rows {
            found.push(Stale {
                area: "timeline",
                message: format!("the timeline filtered by {party} wrongly {what} entry {entry}"),
                record: record.unwrap_or(entry),
            });
        }
    }
    Ok(found)
}

/// The index rows of each record (its own text, page 0) against its document now, and the rows of
/// each document page against the text kept for that page.
fn search(db: &Reader, limit: usize) -> Result<Vec<Stale>> {
    let mut found = Vec::new();
    let own = db.all(
        "SELECT d.record_id, i.title, i.body FROM search_doc d JOIN search_index i ON i.rowid = d.doc WHERE d.page = 0",
        [],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?;
    for (record, title, body) in own {
        let now = super::search::document(db, &record)?;
        if now.is_none_or(|(t, b)| t != title || b != body) {
            found.push(Stale {
                area: "search",
                message: format!(
                    "search finds record {record} under '{}', which it does not say",
                    crate::input::shorten(&title)
                ),
                record,
            });
            if found.len() >= limit {
                return Ok(found);
            }
        }
    }
    let pages = db.all(
        "SELECT d.record_id, d.page FROM search_doc d JOIN search_index i ON i.rowid = d.doc
           JOIN evidence e ON e.id = d.record_id
           LEFT JOIN file_page p ON p.sha256 = e.sha256 AND p.page = d.page
          WHERE d.page > 0 AND (p.text IS NULL OR p.text <> i.body) LIMIT ?1",
        [limit as i64],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    for (record, page) in pages {
        found.push(Stale {
            area: "search",
            message: format!("search holds text for page {page} of evidence {record} that its document does not"),
            record,
        });
    }
    Ok(found)
}
