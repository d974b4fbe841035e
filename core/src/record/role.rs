//! Case roles: which parties a case gives which part (claimant, respondent, counsel for someone…).
//! The `case_party` relation belongs to neither the case nor the party, so it has its own module.

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input;
use crate::record::party::resolve;
use crate::store::{self, Store};

pub const ROLES: &[&str] = &[
    "claimant",
    "respondent",
    "counsel",
    "third_party",
    "regulator",
    "court",
    "reporter",
    "source",
    "witness",
    "other",
];

/// A party's role in one case.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseRole {
    pub party_id: String,
    pub name: String,
    pub kind: String,
    pub role: String,
    pub on_behalf_of_id: Option<String>,
    pub on_behalf_of: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct RoleChange<'a> {
    case: &'a str,
    party: &'a str,
    role: &'a str,
    on_behalf_of: Option<&'a str>,
}

/// Gives `party` the `role` in case `case` ("counsel" may say for whom).
pub fn add_role(store: &mut Store, case: &str, party: &str, role: &str, on_behalf_of: Option<&str>) -> Result<()> {
    let case_id = crate::record::case::resolve(store.conn(), case)?;
    let party_id = resolve(store.conn(), party)?;
    let role = input::one_of("role", role, ROLES)?;
    let behalf = match on_behalf_of.map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => Some(resolve(store.conn(), key)?),
        None => None,
    };
    let detail = RoleChange { case: &case_id, party: &party_id, role, on_behalf_of: behalf.as_deref() };
    store.write("add case role", Some(&case_id), &detail, |tx| {
        tx.execute(
            "INSERT INTO case_party (case_id, party_id, role, on_behalf_of) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (case_id, party_id, role) DO UPDATE SET on_behalf_of = excluded.on_behalf_of",
            params![case_id, party_id, role, behalf],
        )?;
        store::touch(tx, &case_id)
    })
}

pub fn remove_role(store: &mut Store, case: &str, party: &str, role: &str) -> Result<()> {
    let case_id = crate::record::case::resolve(store.conn(), case)?;
    let party_id = resolve(store.conn(), party)?;
    let role = input::one_of("role", role, ROLES)?;
    let detail = RoleChange { case: &case_id, party: &party_id, role, on_behalf_of: None };
    store.write("remove case role", Some(&case_id), &detail, |tx| {
        let n = tx.execute(
            "DELETE FROM case_party WHERE case_id = ?1 AND party_id = ?2 AND role = ?3",
            params![case_id, party_id, role],
        )?;
        if n == 0 {
            return Err(Error::not_found("case role", format!("{party} as {role}")));
        }
        store::touch(tx, &case_id)
    })
}

/// The parties of a case with their roles, claimants first.
pub fn roles(conn: &Connection, case: &str) -> Result<Vec<CaseRole>> {
    let case_id = crate::record::case::resolve(conn, case)?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.kind, cp.role, cp.on_behalf_of, b.name
           FROM case_party cp JOIN party p ON p.id = cp.party_id LEFT JOIN party b ON b.id = cp.on_behalf_of
          WHERE cp.case_id = ?1
          ORDER BY CASE cp.role WHEN 'claimant' THEN 0 WHEN 'respondent' THEN 1 WHEN 'counsel' THEN 2 ELSE 3 END,
                   p.name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([&case_id], |r| {
            Ok(CaseRole {
                party_id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                role: r.get(3)?,
                on_behalf_of_id: r.get(4)?,
                on_behalf_of: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
