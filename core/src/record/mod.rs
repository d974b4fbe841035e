//! The records of a dispute, one module per noun. Each owns its raw input type (`XInput`, what a
//! form, the CLI or a file gives), its read view, its rules and the SQL of its own tables.
//!
//! Every noun follows the same two stages. `Fields::check` turns the raw values into checked,
//! typed ones without touching the database; `validate` adds what needs the database (keys resolved
//! into ids, uniqueness, references within one case) and gives a `Valid`. `insert_row` and
//! `update_row` are then the only code that writes the noun's tables. The JSON bundle goes through the
//! same `Fields::check` and `insert_row`, with the ids it maps itself.
//!
//! Who may use whom, at most (the code is looser: `case` no longer needs `party`, and `response` finds
//! an allegation's case through the registry, not through `allegation`): `party` ← `case` ← `role`,
//! `attribution` ← `agreement`, `letter`, `event`, `evidence` ← `allegation` ← `response`.

pub mod agreement;
pub mod allegation;
pub mod attribution;
pub mod case;
pub mod event;
pub mod evidence;
pub mod letter;
pub mod party;
pub mod privacy;
pub mod privilege;
pub mod production;
pub mod response;
pub mod role;

use serde::Serialize;

use crate::error::Result;
use crate::store::Reader;

/// A party as named by another record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// Largest page of a list served at once.
pub const MAX_LISTED: usize = 500;

/// A page of a long list: `total` items in all, and `items` from position `offset`. A front end shows
/// a list of any length a page at a time, so neither the window nor the IPC grow with the case.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Listed<T> {
    pub total: usize,
    pub offset: usize,
    pub items: Vec<T>,
}

/// The page of `limit` items from `offset` of a list whose order is `ids`: only those are read whole.
pub(crate) fn page_of<T, I>(
    db: &Reader,
    ids: &[I],
    offset: usize,
    limit: usize,
    get: impl Fn(&Reader, &I) -> Result<T>,
) -> Result<Listed<T>> {
    let limit = limit.clamp(1, MAX_LISTED);
    let items = ids.iter().skip(offset).take(limit).map(|id| get(db, id)).collect::<Result<_>>()?;
    Ok(Listed { total: ids.len(), offset, items })
}

/// A page of the records of a case, in the order of the ids `sql` selects for the case `?1`.
pub(crate) fn page_by<T>(
    db: &Reader,
    sql: &str,
    case_id: &str,
    get: fn(&Reader, &str) -> Result<T>,
    offset: usize,
    limit: usize,
) -> Result<Listed<T>> {
    page_of(db, &db.strings(sql, [case_id])?, offset, limit, |db, id: &String| get(db, id))
}
