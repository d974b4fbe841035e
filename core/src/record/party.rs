//! Parties: organisations, people, public bodies, courts and media outlets. Parties are shared across
//! cases (Microsoft is the same party in every dispute); each case gives a party one or more roles.
//! A party is found by its id, its name or one of its aliases ("X Corp." finds Twitter).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::store::{self, Store};

pub const KINDS: &[&str] = &["organisation", "person", "public_body", "court", "media"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct PartyInput {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub affiliations: Vec<AffiliationInput>,
}

/// "counsel" at "Quinn Emanuel": `organisation` is a party key (id, name or alias).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct AffiliationInput {
    pub organisation: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub affiliations: Vec<Affiliation>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Affiliation {
    pub organisation_id: String,
    pub organisation: String,
    pub role: String,
}

struct Valid {
    name: String,
    kind: &'static str,
    description: String,
    aliases: Vec<String>,
    affiliations: Vec<(String, String)>,
}

fn validate(conn: &Connection, input: &PartyInput, own_id: Option<&str>) -> Result<Valid> {
    let name = input::required("name", &input.name)?;
    let kind = input::one_of("kind", &input.kind, KINDS)?;
    let taken: Option<String> = conn
        .query_row(
            "SELECT id FROM party WHERE name = ?1 COLLATE UNICASE AND id IS NOT ?2",
            params![name, own_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = taken {
        return Err(Error::Conflict(format!("a party named '{name}' already exists ({other})")));
    }
    let mut affiliations = Vec::new();
    for a in &input.affiliations {
        let org = resolve(conn, &a.organisation)?;
        if Some(org.as_str()) == own_id {
            return Err(Error::invalid("affiliation", format!("'{name}' cannot be affiliated with itself")));
        }
        affiliations.push((org, input::required("affiliation role", &a.role)?));
    }
    if !affiliations.is_empty() && kind != "person" {
        return Err(Error::invalid("affiliation", format!("only a person has affiliations, and '{name}' is a {kind}")));
    }
    Ok(Valid {
        name,
        kind,
        description: input::text("description", &input.description)?,
        aliases: input::list("alias", &input.aliases)?,
        affiliations,
    })
}

fn write_children(tx: &rusqlite::Connection, id: &str, v: &Valid) -> Result<()> {
    tx.execute("DELETE FROM party_alias WHERE party_id = ?1", [id])?;
    for alias in &v.aliases {
        tx.execute("INSERT INTO party_alias (party_id, alias) VALUES (?1, ?2)", params![id, alias])?;
    }
    tx.execute("DELETE FROM affiliation WHERE person_id = ?1", [id])?;
    for (org, role) in &v.affiliations {
        tx.execute(
            "INSERT OR IGNORE INTO affiliation (person_id, organisation_id, role) VALUES (?1, ?2, ?3)",
            params![id, org, role],
        )?;
    }
    Ok(())
}

pub fn create(store: &mut Store, input: &PartyInput) -> Result<Party> {
    let v = validate(store.conn(), input, None)?;
    let id = store::new_id();
    store.write("create party", Some(&id), input, |tx| {
        store::register(tx, "party", &id)?;
        tx.execute(
            "INSERT INTO party (id, name, kind, description) VALUES (?1, ?2, ?3, ?4)",
            params![id, v.name, v.kind, v.description],
        )?;
        write_children(tx, &id, &v)
    })?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, key: &str, input: &PartyInput) -> Result<Party> {
    let id = resolve(store.conn(), key)?;
    let v = validate(store.conn(), input, Some(&id))?;
    store.write("update party", Some(&id), input, |tx| {
        tx.execute(
            "UPDATE party SET name = ?2, kind = ?3, description = ?4 WHERE id = ?1",
            params![id, v.name, v.kind, v.description],
        )?;
        write_children(tx, &id, &v)?;
        store::touch(tx, &id)
    })?;
    get(store.conn(), &id)
}

pub fn delete(store: &mut Store, key: &str) -> Result<()> {
    let party = get(store.conn(), key)?;
    let label = format!("party '{}'", party.name);
    store.write("delete party", Some(&party.id), &party.name, |tx| {
        store::delete_row(tx, "party", "party", &party.id, &label)
    })
}

/// Finds a party by id, exact name or alias (ignoring case). An ambiguous name is an error listing the
/// candidates' ids.
pub fn resolve(conn: &Connection, key: &str) -> Result<String> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid("party", "is required"));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM party WHERE id = ?1
         UNION SELECT id FROM party WHERE name = ?1 COLLATE UNICASE
         UNION SELECT party_id FROM party_alias WHERE alias = ?1 COLLATE UNICASE",
    )?;
    let ids = stmt.query_map([key], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    match ids.as_slice() {
        [] => Err(Error::not_found("party", key)),
        [one] => Ok(one.clone()),
        many => Err(Error::invalid("party", format!("'{key}' names several parties: {}", many.join(", ")))),
    }
}

/// A party's display name by id.
pub(crate) fn name_of(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn.query_row("SELECT name FROM party WHERE id = ?1", [id], |r| r.get(0))?)
}

pub fn get(conn: &Connection, key: &str) -> Result<Party> {
    let id = resolve(conn, key)?;
    let (name, kind, description): (String, String, String) =
        conn.query_row("SELECT name, kind, description FROM party WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let aliases = conn
        .prepare_cached("SELECT alias FROM party_alias WHERE party_id = ?1 ORDER BY alias COLLATE NOCASE")?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let affiliations = conn
        .prepare_cached(
            "SELECT a.organisation_id, o.name, a.role FROM affiliation a JOIN party o ON o.id = a.organisation_id
             WHERE a.person_id = ?1 ORDER BY o.name, a.role",
        )?
        .query_map([&id], |r| Ok(Affiliation { organisation_id: r.get(0)?, organisation: r.get(1)?, role: r.get(2)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Party { id, name, kind, description, aliases, affiliations, created_at, updated_at })
}

/// Every party, by name.
pub fn list(conn: &Connection) -> Result<Vec<Party>> {
    let ids = conn
        .prepare("SELECT id FROM party ORDER BY name COLLATE NOCASE, id")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

impl Party {
    /// The input that would recreate this party, the starting point of an edit.
    pub fn to_input(&self) -> PartyInput {
        PartyInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            aliases: self.aliases.clone(),
            affiliations: self
                .affiliations
                .iter()
                .map(|a| AffiliationInput { organisation: a.organisation_id.clone(), role: a.role.clone() })
                .collect(),
        }
    }
}
