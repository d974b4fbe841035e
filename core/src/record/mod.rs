//! The records of a dispute, one module per noun. Each owns its raw input type (`XInput`, what a
//! form, the CLI or a file gives), its read view, its rules and the SQL of its own tables.
//!
//! Every noun follows the same two stages. `Fields::check` turns the raw values into checked,
//! typed ones without touching the database; `validate` adds what needs the database (keys resolved
//! into ids, uniqueness, references within one case) and gives a `Valid`. `insert_row` and
//! `update_row` are then the only code that writes the noun's tables. The JSON bundle goes through the
//! same `Fields::check` and `insert_row`, with the ids it maps itself.
//!
//! Order of dependence: `party` ← `case` ← `role`, `attribution` ← `agreement`, `letter`, `event`,
//! `evidence` ← `allegation` ← `response`.

pub mod agreement;
pub mod allegation;
pub mod attribution;
pub mod case;
pub mod event;
pub mod evidence;
pub mod letter;
pub mod party;
pub mod privacy;
pub mod response;
pub mod role;

use serde::Serialize;

use crate::error::Result;
use crate::store::Reader;

/// A party as named by another record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PartyRef {
    pub id: String,
    pub name: String,
}

/// Runs `sql` (selecting a party id and name for the record `?1`) into party references.
pub(crate) fn party_refs(db: &Reader, sql: &str, id: &str) -> Result<Vec<PartyRef>> {
    db.all(sql, [id], |r| Ok(PartyRef { id: r.get(0)?, name: r.get(1)? }))
}

/// The party with this id as a reference.
pub(crate) fn party_ref(db: &Reader, id: String) -> Result<PartyRef> {
    Ok(PartyRef { name: party::name_of(db, &id)?, id })
}

/// Resolves party keys (id, name or alias) into ids, each once, in the order given.
pub(crate) fn party_ids(db: &Reader, keys: &[String]) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for key in keys {
        let id = party::resolve(db, key)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Records of a case, read one by one from the ids `sql` selects for the case `?1`.
pub(crate) fn list_by<T>(db: &Reader, sql: &str, case_id: &str, get: fn(&Reader, &str) -> Result<T>) -> Result<Vec<T>> {
    db.strings(sql, [case_id])?.iter().map(|id| get(db, id)).collect()
}
