//! The records of a dispute, one module per noun. Each owns its raw input type, its read view, its
//! rules and the SQL of its own tables.

pub mod agreement;
pub mod allegation;
pub mod attribution;
pub mod case;
pub mod event;
pub mod evidence;
pub mod letter;
pub mod party;
pub mod response;
pub mod role;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;

/// A party as named by another record.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PartyRef {
    pub id: String,
    pub name: String,
}

/// Runs `sql` (selecting a party id and name for the record `?1`) into party references.
pub(crate) fn party_refs(conn: &Connection, sql: &str, id: &str) -> Result<Vec<PartyRef>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map([id], |r| Ok(PartyRef { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
