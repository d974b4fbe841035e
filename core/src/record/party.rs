//! Parties: organisations, people, public bodies, courts and media outlets. Parties are shared across
//! cases (Microsoft is the same party in every dispute); each case gives a party one or more roles.
//! A party is found by its id, its name or one of its aliases ("X Corp." finds Twitter).
//!
//! Names are read by people, so a name or alias typed for a party (CLI, app) must not look like
//! another party's ([`crate::lookalike`]): it is refused, naming the other party, like an exact
//! match. An invisible format character in it is refused too, naming its code point
//! ([`input::name`]). Parties a file brings in are not refused for a look-alike: the e-mail import
//! names its new parties so they cannot be mistaken and says so ([`create_found`]).

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::lookalike::Looks;
use crate::record::privacy;
use crate::store::registry::{self, Stamps};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{PartyKind, RecordKind, Spelling};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AffiliationInput {
    pub organisation: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    pub description: String,
    pub aliases: Vec<String>,
    pub affiliations: Vec<Affiliation>,
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Affiliation {
    pub organisation_id: String,
    pub organisation: String,
    pub role: String,
}

/// A party's own values, checked.
pub(crate) struct Fields {
    pub(crate) name: String,
    pub(crate) kind: PartyKind,
    description: String,
    aliases: Vec<String>,
    /// The roles of the affiliations, in the order of the input's.
    affiliation_roles: Vec<String>,
}

impl Fields {
    pub(crate) fn check(input: &PartyInput, spelling: Spelling) -> Result<Fields> {
        // People may not type invisible characters into a name; a bundle, written by a program,
        // carries the names of the database it came from as they are.
        let (name, aliases) = match spelling {
            Spelling::Lenient => (input::name("name", &input.name)?, input::names("alias", &input.aliases)?),
            Spelling::Exact => (input::required("name", &input.name)?, input::list("alias", &input.aliases)?),
        };
        let kind = input::one_of("kind", &input.kind, spelling)?;
        let affiliation_roles = input
            .affiliations
            .iter()
            .map(|a| input::required("affiliation role", &a.role))
            .collect::<Result<Vec<_>>>()?;
        if !affiliation_roles.is_empty() && kind != PartyKind::Person {
            return Err(Error::rule(
                "affiliation",
                "affiliation_not_person",
                name.clone(),
                format!("only a person has affiliations, and '{name}' is a {kind}"),
            ));
        }
        Ok(Fields {
            name,
            kind,
            description: input::text("description", &input.description)?,
            aliases,
            affiliation_roles,
        })
    }
}

pub(crate) struct Valid {
    pub(crate) fields: Fields,
    /// (organisation id, role) of each affiliation.
    pub(crate) affiliations: Vec<(String, String)>,
}

impl Valid {
    /// The checked values with the ids the affiliations' organisations stand for, in order.
    pub(crate) fn new(fields: Fields, organisations: Vec<String>, own_id: Option<&str>) -> Result<Valid> {
        if organisations.iter().any(|o| Some(o.as_str()) == own_id) {
            let name = &fields.name;
            return Err(Error::rule(
                "affiliation",
                "affiliated_with_itself",
                name.clone(),
                format!("'{name}' cannot be affiliated with itself"),
            ));
        }
        let affiliations = organisations.into_iter().zip(fields.affiliation_roles.iter().cloned()).collect();
        Ok(Valid { fields, affiliations })
    }
}

/// Whether a name that looks like another party's is refused (typed by a person) or left to the
/// import that brings it, which names the party so it cannot be mistaken and warns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LookAlikes {
    Refuse,
    Reported,
}

fn validate(db: &Reader, input: &PartyInput, own_id: Option<&str>, look_alikes: LookAlikes) -> Result<Valid> {
    let fields = Fields::check(input, Spelling::Lenient)?;
    if let Some(other) = named(db, &fields.name, own_id)? {
        return Err(Error::Conflict(format!("a party named '{}' already exists ({other})", fields.name)));
    }
    refuse_claimed(db, &fields.name, &fields.aliases, own_id)?;
    if look_alikes == LookAlikes::Refuse {
        refuse_look_alike(db, &fields.name, &fields.aliases, own_id)?;
    }
    let organisations = input.affiliations.iter().map(|a| resolve(db, &a.organisation)).collect::<Result<Vec<_>>>()?;
    Valid::new(fields, organisations, own_id)
}

/// The party other than `except` named `name` (ignoring case in every script), if any.
pub(crate) fn named(db: &Reader, name: &str, except: Option<&str>) -> Result<Option<String>> {
    db.optional("SELECT id FROM party WHERE name = ?1 COLLATE UNICASE AND id IS NOT ?2", params![name, except], |r| {
        r.get(0)
    })
}

/// The party other than `except` whose name or alias is `key` (ignoring case), if any.
pub(crate) fn claimed(db: &Reader, key: &str, except: Option<&str>) -> Result<Option<(String, String)>> {
    db.optional(
        "SELECT p.id, p.name FROM party p
          WHERE p.id IS NOT ?2
            AND (p.name = ?1 COLLATE UNICASE
                 OR EXISTS (SELECT 1 FROM party_alias a WHERE a.party_id = p.id AND a.alias = ?1 COLLATE UNICASE))
          LIMIT 1",
        params![key, except],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Refuses a party whose name is another party's alias, or one of whose aliases is another party's
/// name or alias: each name and alias finds one party, so no party can take another's (an e-mail
/// address given as an alias would otherwise file the other party's mail under it).
pub(crate) fn refuse_claimed(db: &Reader, name: &str, aliases: &[String], own_id: Option<&str>) -> Result<()> {
    for key in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
        if let Some((id, other)) = claimed(db, key, own_id)? {
            let what = if key == name { "name" } else { "alias" };
            return Err(Error::rule(
                "alias",
                "alias_taken",
                key.to_string(),
                format!(
                    "the {what} '{key}' already finds the party '{other}' ({id}): a name or alias finds one party only"
                ),
            ));
        }
    }
    Ok(())
}

/// Another party's name or alias that a name looks like.
#[derive(Debug)]
pub(crate) struct Resemblance {
    pub(crate) id: String,
    /// The other party's name.
    pub(crate) party: String,
    /// Its name or alias that looks alike.
    pub(crate) like: String,
}

/// The first party other than `except` (by id) with a name or alias that looks like `key`
/// ([`crate::lookalike`]; an exact match, ignoring case, looks alike too). Every name and alias is
/// read and compared: the comparison is not one SQL can make, and parties number in the hundreds.
pub(crate) fn looks_like(db: &Reader, key: &str, except: Option<&str>) -> Result<Option<Resemblance>> {
    let looks = Looks::of(key);
    let known = db.all(
        "SELECT id, name, name FROM party WHERE id IS NOT ?1
         UNION ALL
         SELECT p.id, p.name, a.alias FROM party_alias a JOIN party p ON p.id = a.party_id WHERE p.id IS NOT ?1
         ORDER BY 1, 3",
        params![except],
        |r| Ok(Resemblance { id: r.get(0)?, party: r.get(1)?, like: r.get(2)? }),
    )?;
    Ok(known.into_iter().find(|r| Looks::of(&r.like).alike(&looks)))
}

/// Refuses a name or alias typed for a party that looks like another party's name or alias, naming
/// that party: in a list of parties the two could not be told apart.
fn refuse_look_alike(db: &Reader, name: &str, aliases: &[String], own_id: Option<&str>) -> Result<()> {
    for key in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
        if let Some(r) = looks_like(db, key, own_id)? {
            let (field, what) = if key == name { ("name", "name") } else { ("alias", "alias") };
            let theirs = if r.like == r.party { "the name".to_string() } else { format!("the alias '{}'", r.like) };
            return Err(Error::rule(
                field,
                "looks_like_party",
                key.to_string(),
                format!(
                    "the {what} '{key}' looks like {theirs} of the party '{}' ({}): choose a name that cannot be taken for it",
                    r.party, r.id
                ),
            ));
        }
    }
    Ok(())
}

/// Writes a new party row with its aliases (its affiliations come with [`write_affiliations`]).
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Valid, stamps: &Stamps) -> Result<()> {
    let f = &v.fields;
    registry::register(w, RecordKind::Party, id, stamps)?;
    w.execute(
        "INSERT INTO party (id, name, kind, description) VALUES (?1, ?2, ?3, ?4)",
        params![id, f.name, f.kind, f.description],
    )?;
    write_aliases(w, id, &f.aliases)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    w.execute(
        "UPDATE party SET name = ?2, kind = ?3, description = ?4 WHERE id = ?1",
        params![id, f.name, f.kind, f.description],
    )?;
    write_aliases(w, id, &f.aliases)?;
    write_affiliations(w, id, &v.affiliations)?;
    registry::touch(w, id)
}

fn write_aliases(w: &Writer<'_>, id: &str, aliases: &[String]) -> Result<()> {
    w.execute("DELETE FROM party_alias WHERE party_id = ?1", [id])?;
    for alias in aliases {
        w.execute("INSERT INTO party_alias (party_id, alias) VALUES (?1, ?2)", params![id, alias])?;
    }
    Ok(())
}

/// Replaces a person's affiliations: (organisation id, role) pairs.
pub(crate) fn write_affiliations(w: &Writer<'_>, id: &str, affiliations: &[(String, String)]) -> Result<()> {
    w.execute("DELETE FROM affiliation WHERE person_id = ?1", [id])?;
    for (org, role) in affiliations {
        w.execute(
            "INSERT OR IGNORE INTO affiliation (person_id, organisation_id, role) VALUES (?1, ?2, ?3)",
            params![id, org, role],
        )?;
    }
    Ok(())
}

pub fn create(store: &mut Store, input: &PartyInput) -> Result<Party> {
    create_checked(store, input, LookAlikes::Refuse)
}

fn create_checked(store: &mut Store, input: &PartyInput, look_alikes: LookAlikes) -> Result<Party> {
    let id = registry::new_id();
    store.write("create party", Some(&id), input, |w| create_in(w, &id, input, look_alikes))?;
    get(store.reader(), &id)
}

/// Creates the party `id` inside a write under way (an import's), checked as [`create`] checks it.
pub(crate) fn create_in(w: &Writer<'_>, id: &str, input: &PartyInput, look_alikes: LookAlikes) -> Result<()> {
    let v = validate(w, input, None, look_alikes)?;
    insert_row(w, id, &v, &Stamps::now())?;
    write_affiliations(w, id, &v.affiliations)
}

pub fn update(store: &mut Store, key: &str, input: &PartyInput) -> Result<Party> {
    let id = resolve(store.reader(), key)?;
    let v = validate(store.reader(), input, Some(&id), LookAlikes::Refuse)?;
    store.write("update party", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

pub fn delete(store: &mut Store, key: &str) -> Result<()> {
    let party = get(store.reader(), key)?;
    let label = format!("party '{}'", party.name);
    store.write("delete party", Some(&party.id), &party.name, |w| {
        registry::delete_row(w, RecordKind::Party, &party.id, &label)
    })
}

/// Finds a party by id, exact name or alias (ignoring case). An ambiguous name is an error listing the
/// candidates' ids.
pub fn resolve(db: &Reader, key: &str) -> Result<String> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::required("party"));
    }
    let ids = db.strings(
        "SELECT id FROM party WHERE id = ?1
         UNION SELECT id FROM party WHERE name = ?1 COLLATE UNICASE
         UNION SELECT party_id FROM party_alias WHERE alias = ?1 COLLATE UNICASE",
        [key],
    )?;
    match ids.as_slice() {
        [] => Err(Error::not_found("party", key)),
        [one] => Ok(one.clone()),
        many => Err(Error::rule(
            "party",
            "ambiguous_party",
            key.to_string(),
            format!("'{key}' names several parties: {}", many.join(", ")),
        )),
    }
}

/// A party's display name by id.
pub(crate) fn name_of(db: &Reader, id: &str) -> Result<String> {
    db.one("SELECT name FROM party WHERE id = ?1", [id], |r| r.get(0))
}

pub fn get(db: &Reader, key: &str) -> Result<Party> {
    let id = resolve(db, key)?;
    let (name, kind, description) = db.one("SELECT name, kind, description FROM party WHERE id = ?1", [&id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    let aliases =
        db.strings("SELECT alias FROM party_alias WHERE party_id = ?1 ORDER BY alias COLLATE NOCASE", [&id])?;
    let affiliations = db.all(
        "SELECT a.organisation_id, o.name, a.role FROM affiliation a JOIN party o ON o.id = a.organisation_id
          WHERE a.person_id = ?1 ORDER BY o.name, a.role",
        [&id],
        |r| Ok(Affiliation { organisation_id: r.get(0)?, organisation: r.get(1)?, role: r.get(2)? }),
    )?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    let private = privacy::is_private(db, &id)?;
    Ok(Party { id, name, kind, description, aliases, affiliations, private, created_at, updated_at })
}

/// Every party, by name.
pub fn list(db: &Reader) -> Result<Vec<Party>> {
    db.strings("SELECT id FROM party ORDER BY name COLLATE NOCASE, id", [])?.iter().map(|id| get(db, id)).collect()
}

impl Party {
    /// The input that would recreate this party, the starting point of an edit.
    pub fn to_input(&self) -> PartyInput {
        PartyInput {
            name: self.name.clone(),
            kind: self.kind.to_string(),
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
