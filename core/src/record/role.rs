//! Case roles: which parties a case gives which part (claimant, respondent, counsel for someone…).
//! The `case_party` relation belongs to neither the case nor the party, so it has its own module.

use rusqlite::params;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input;
use crate::record::{case, party};
use crate::store::{registry, Reader, Store, Writer};
use crate::vocabulary::{PartyKind, Role, Spelling};

/// A party's role in one case.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseRole {
    pub party_id: String,
    pub name: String,
    pub kind: PartyKind,
    pub role: Role,
    pub on_behalf_of_id: Option<String>,
    pub on_behalf_of: Option<String>,
}

/// What the change log records of a role change.
#[derive(Debug, Clone, Serialize)]
struct RoleChange<'a> {
    case: &'a str,
    party: &'a str,
    role: Role,
    on_behalf_of: Option<&'a str>,
}

/// Gives a party a role in a case, or says anew for whom (ids already resolved).
pub(crate) fn insert_row(
    w: &Writer<'_>,
    case_id: &str,
    party_id: &str,
    role: Role,
    on_behalf_of: Option<&str>,
) -> Result<()> {
    w.execute(
        "INSERT INTO case_party (case_id, party_id, role, on_behalf_of) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id, party_id, role) DO UPDATE SET on_behalf_of = excluded.on_behalf_of",
        params![case_id, party_id, role, on_behalf_of],
    )?;
    Ok(())
}

/// Whether the party already has the role in the case.
pub(crate) fn exists(db: &Reader, case_id: &str, party_id: &str, role: Role) -> Result<bool> {
    db.exists(
        "SELECT 1 FROM case_party WHERE case_id = ?1 AND party_id = ?2 AND role = ?3",
        params![case_id, party_id, role],
    )
}

/// A role to give, its case and parties resolved.
struct Valid {
    case_id: String,
    party_id: String,
    role: Role,
    on_behalf_of: Option<String>,
}

/// Resolves a role's case and parties, and checks the role's name.
fn validate(db: &Reader, case: &str, party: &str, role: &str, on_behalf_of: Option<&str>) -> Result<Valid> {
    let case_id = case::resolve(db, case)?;
    let party_id = party::resolve(db, party)?;
    let role = input::one_of("role", role, Spelling::Lenient)?;
    let on_behalf_of = match on_behalf_of.map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => Some(party::resolve(db, key)?),
        None => None,
    };
    Ok(Valid { case_id, party_id, role, on_behalf_of })
}

/// Gives the role, which changes the case.
fn write(w: &Writer<'_>, v: &Valid) -> Result<()> {
    insert_row(w, &v.case_id, &v.party_id, v.role, v.on_behalf_of.as_deref())?;
    registry::touch(w, &v.case_id)
}

/// Gives `party` the `role` in case `case` ("counsel" may say for whom).
pub fn add_role(store: &mut Store, case: &str, party: &str, role: &str, on_behalf_of: Option<&str>) -> Result<()> {
    let v = validate(store.reader(), case, party, role, on_behalf_of)?;
    let detail =
        RoleChange { case: &v.case_id, party: &v.party_id, role: v.role, on_behalf_of: v.on_behalf_of.as_deref() };
    store.write("add case role", Some(&v.case_id), &detail, |w| write(w, &v))
}

/// [`add_role`] inside a write under way, checked as it checks it.
pub(crate) fn add_role_in(
    w: &Writer<'_>,
    case: &str,
    party: &str,
    role: &str,
    on_behalf_of: Option<&str>,
) -> Result<()> {
    write(w, &validate(w, case, party, role, on_behalf_of)?)
}

pub fn remove_role(store: &mut Store, case: &str, party: &str, role: &str) -> Result<()> {
    let db = store.reader();
    let case_id = case::resolve(db, case)?;
    let party_id = party::resolve(db, party)?;
    let role: Role = input::one_of("role", role, Spelling::Lenient)?;
    let detail = RoleChange { case: &case_id, party: &party_id, role, on_behalf_of: None };
    store.write("remove case role", Some(&case_id), &detail, |w| {
        let n = w.execute(
            "DELETE FROM case_party WHERE case_id = ?1 AND party_id = ?2 AND role = ?3",
            params![case_id, party_id, role],
        )?;
        if n == 0 {
            return Err(Error::not_found("case role", format!("{party} as {role}")));
        }
        registry::touch(w, &case_id)
    })
}

/// The parties of a case with their roles, claimants first.
pub fn roles(db: &Reader, case: &str) -> Result<Vec<CaseRole>> {
    let case_id = case::resolve(db, case)?;
    db.all(
        "SELECT p.id, p.name, p.kind, cp.role, cp.on_behalf_of, b.name
           FROM case_party cp JOIN party p ON p.id = cp.party_id LEFT JOIN party b ON b.id = cp.on_behalf_of
          WHERE cp.case_id = ?1
          ORDER BY CASE cp.role WHEN 'claimant' THEN 0 WHEN 'respondent' THEN 1 WHEN 'counsel' THEN 2 ELSE 3 END,
                   p.name COLLATE NOCASE",
        [&case_id],
        |r| {
            Ok(CaseRole {
                party_id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                role: r.get(3)?,
                on_behalf_of_id: r.get(4)?,
                on_behalf_of: r.get(5)?,
            })
        },
    )
}
