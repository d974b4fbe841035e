//! What an import will write, worked out against the database: before anything is written, which
//! records are new, which party of the database each party of the bundle stands for and which case
//! roles are missing; then, for each item as it is written, whether every reference names a record of
//! the right kind in this case, and whether a new row would collide with one the database holds.

use std::collections::{HashMap, HashSet};

use super::check::Checked;
use super::refs::each_ref;
use super::schema::Item;
use crate::error::{Error, Result};
use crate::record::{agreement, case, letter, party, role};
use crate::store::{registry, Reader};
use crate::vocabulary::{RecordKind, Role, Spelling, Vocabulary};

pub(super) struct Plan {
    new_records: HashSet<String>,
    /// Bundle party id → database party id (the same id, or that of the party with the same name).
    parties: HashMap<String, String>,
    pub(super) new_parties: Vec<String>,
    pub(super) new_roles: Vec<usize>,
    pub(super) created: usize,
    pub(super) skipped: usize,
}

impl Plan {
    pub(super) fn is_new(&self, id: &str) -> bool {
        self.new_records.contains(id)
    }

    /// The database id a reference of the bundle stands for: a party's mapped id, or the id itself.
    pub(super) fn id<'a>(&'a self, id: &'a str) -> &'a str {
        self.parties.get(id).map(String::as_str).unwrap_or(id)
    }
}

/// Which records of the checked bundle are new, which party of the database each of its parties
/// stands for, and which case roles are missing. Evidence links, which have no id, are decided as
/// they are written.
pub(super) fn plan(db: &Reader, b: &Checked) -> Result<Plan> {
    let case_id = b.case.id.as_str();
    let mut plan = Plan {
        new_records: HashSet::new(),
        parties: HashMap::new(),
        new_parties: Vec::new(),
        new_roles: Vec::new(),
        created: 0,
        skipped: 0,
    };
    // A case with the bundle's slug but another id is another case: merging into it would mix two cases.
    if let Some(other) = case::with_slug(db, &b.case.slug)?.filter(|other| other != case_id) {
        return Err(Error::Conflict(format!(
            "another case ('{other}') already has the slug '{}'; rename it before importing this bundle",
            b.case.slug
        )));
    }
    let mut ordered: Vec<(&str, RecordKind)> = b.kinds.iter().map(|(id, kind)| (id.as_str(), *kind)).collect();
    ordered.sort();
    for (id, kind) in ordered {
        match registry::kind_of(db, id)? {
            Some(found) if found != kind => {
                return Err(Error::Conflict(format!(
                    "id '{id}' is a {kind} in the bundle but a {found} in the database"
                )));
            }
            Some(_) if kind == RecordKind::Party => {
                plan.parties.insert(id.to_string(), id.to_string());
                plan.skipped += 1;
            }
            Some(_) => {
                if registry::case_of(db, kind, id)?.as_deref() != Some(case_id) {
                    return Err(Error::Conflict(format!("{kind} '{id}' is already in the database, in another case")));
                }
                plan.skipped += 1;
            }
            None if kind == RecordKind::Party => {
                // Parties are shared across cases and named uniquely: a party the database already
                // knows by this name is that party, whatever id it was given elsewhere.
                let party = b.parties.iter().find(|p| p.id == id);
                let name = party.map(|p| p.name.as_str()).unwrap_or_default();
                match party::named(db, name, None)? {
                    Some(existing) => {
                        plan.parties.insert(id.to_string(), existing);
                        plan.skipped += 1;
                    }
                    None => {
                        let aliases = party.map(|p| p.aliases.clone()).unwrap_or_default();
                        party::refuse_claimed(db, name, &aliases, None)
                            .map_err(|e| e.within(&format!("party '{id}'")))?;
                        plan.parties.insert(id.to_string(), id.to_string());
                        plan.new_parties.push(id.to_string());
                        plan.new_records.insert(id.to_string());
                        plan.created += 1;
                    }
                }
            }
            None => {
                plan.new_records.insert(id.to_string());
                plan.created += 1;
            }
        }
    }
    plan.new_parties.sort();
    for item in b.parties.iter() {
        refs(db, &b.kinds, case_id, &Item::Party(item.clone()))?;
    }
    // Case roles have no id: each is added when the database does not have it.
    let roles = Item::Case(b.case.clone());
    refs(db, &b.kinds, case_id, &roles)?;
    for (i, r) in b.case.roles.iter().enumerate() {
        let role = Role::parse(&r.role, Spelling::Exact)
            .ok_or_else(|| Error::internal(format!("the checked role '{}' does not read", r.role)))?;
        if !plan.is_new(case_id) && role::exists(db, case_id, plan.id(&r.party), role)? {
            plan.skipped += 1;
        } else {
            plan.new_roles.push(i);
            plan.created += 1;
        }
    }
    Ok(plan)
}

/// Checks that every reference of `item` names a record of the bundle (`kinds`) or one already in the
/// database, of the kind it may name, and (parties aside) in the case `case_id`.
pub(super) fn refs(db: &Reader, kinds: &HashMap<String, RecordKind>, case_id: &str, item: &Item) -> Result<()> {
    each_ref(item, &mut |r| {
        let found = match kinds.get(r.id) {
            Some(kind) => Some(*kind),
            None => registry::kind_of(db, r.id)?,
        };
        let Some(kind) = found else {
            return Err(Error::rule(
                r.place,
                "unknown_reference",
                r.id.to_string(),
                format!("'{}' is neither in the bundle nor in the database", r.id),
            ));
        };
        if !r.kinds.is_empty() && !r.kinds.contains(&kind) {
            let wanted: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
            return Err(Error::rule(
                r.place,
                "wrong_kind",
                r.id.to_string(),
                format!("'{}' is a {kind}, not a {}", r.id, wanted.join(" or ")),
            ));
        }
        if !kinds.contains_key(r.id)
            && kind != RecordKind::Party
            && registry::case_of(db, kind, r.id)?.as_deref() != Some(case_id)
        {
            return Err(Error::rule(
                r.place,
                "other_case",
                r.id.to_string(),
                format!("'{}' belongs to another case", r.id),
            ));
        }
        Ok(())
    })
}

/// Refuses a new row that would collide with what the database holds under another id: a clause
/// reference of an agreement already there, a letter's message id.
pub(super) fn refuse_collisions(db: &Reader, plan: &Plan, case_id: &str, item: &Item) -> Result<()> {
    match item {
        Item::Agreement(a) if !plan.is_new(&a.id) => {
            for c in a.clauses.iter().filter(|c| plan.is_new(&c.id)) {
                if let Some(other) = agreement::clause_with_reference(db, &a.id, &c.reference, None)? {
                    return Err(Error::Conflict(format!(
                        "agreement '{}' already has a clause '{}' ({other})",
                        a.id, c.reference
                    )));
                }
            }
        }
        Item::Letter(l) if plan.is_new(&l.id) => {
            if let Some(m) = &l.message_id {
                if let Some(other) = letter::with_message_id(db, case_id, m)? {
                    return Err(Error::Conflict(format!("letter '{other}' already has the message id '{m}'")));
                }
            }
        }
        _ => {}
    }
    Ok(())
}
