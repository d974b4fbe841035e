//! The records a piece of evidence can be linked to, for the link picker: every record of the case
//! and the parties that have a role in it, found by a few letters of their title and read a page at a
//! time, so that on a case of any size every record can be chosen.
//!
//! Records that stand on the timeline come in its order, each where it first stands (with that date);
//! the others — parties and clauses — follow, by kind and name.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::Result;
use crate::record::{case, Listed};
use crate::store::Reader;
use crate::vocabulary::RecordKind;

/// Largest page served.
pub const MAX_PAGE: usize = 200;

/// One record the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Linkable {
    pub id: String,
    pub kind: RecordKind,
    pub title: String,
    /// The date the record stands at on the timeline (stored form), if it stands there.
    pub date: Option<String>,
}

/// Every record of the case, each once, with its first place on the timeline when it has one.
const RECORDS: &str = "
    WITH rec(id, kind, title) AS (
             SELECT id, 'letter', subject FROM letter WHERE case_id = ?1
   UNION ALL SELECT id, 'allegation', summary FROM allegation WHERE case_id = ?1
   UNION ALL SELECT id, 'response', CASE WHEN text = '' THEN stance ELSE text END FROM response WHERE case_id = ?1
   UNION ALL SELECT id, 'event', title FROM event WHERE case_id = ?1
   UNION ALL SELECT id, 'agreement', title FROM agreement WHERE case_id = ?1
   UNION ALL SELECT c.id, 'clause', a.title || ', ' || c.reference
               FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE a.case_id = ?1
   UNION ALL SELECT id, 'evidence', title FROM evidence WHERE case_id = ?1
   UNION ALL SELECT DISTINCT p.id, 'party', p.name
               FROM case_party r JOIN party p ON p.id = r.party_id WHERE r.case_id = ?1
    ),
    entry(record_id, date, n) AS (
        SELECT record_id, date, row_number() OVER (ORDER BY sort, rank, position, kind_rank, entry_id)
          FROM timeline_row WHERE case_id = ?1
    ),
    placed(record_id, date, n) AS (SELECT record_id, date, min(n) FROM entry GROUP BY record_id)
    SELECT rec.id, rec.kind, rec.title, placed.date
      FROM rec LEFT JOIN placed ON placed.record_id = rec.id
     ORDER BY placed.n IS NULL, placed.n, rec.kind, rec.title COLLATE NOCASE, rec.id";

/// The page of `limit` records from `offset` whose title holds `text` (case and accents ignored; every
/// record when `text` is blank), with how many match in all.
pub fn page(db: &Reader, case: &str, text: &str, offset: usize, limit: usize) -> Result<Listed<Linkable>> {
    let case_id = case::resolve(db, case)?;
    let wanted = fold(text.trim());
    let all = db.all(RECORDS, [&case_id], |r| {
        Ok(Linkable { id: r.get(0)?, kind: r.get(1)?, title: r.get(2)?, date: r.get(3)? })
    })?;
    let matching: Vec<Linkable> = all.into_iter().filter(|l| fold(&l.title).contains(&wanted)).collect();
    let total = matching.len();
    let items = matching.into_iter().skip(offset).take(limit.clamp(1, MAX_PAGE)).collect();
    Ok(Listed { total, offset, items })
}

/// Lower case without accents, so that "societe" finds "Société".
pub(crate) fn fold(text: &str) -> String {
    text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}
