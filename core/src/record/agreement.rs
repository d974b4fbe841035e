//! Agreements between parties (licences, API terms, contracts) and their clauses, which allegations
//! cite. Clauses are records of their own so that a citation survives edits to the agreement.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::privacy;
use crate::record::{case, party_ids, party_refs, Listed, PartyRef};
use crate::store::columns::date_cols;
use crate::store::registry::{self, Stamps};
use crate::store::{derived, Reader, Store, Writer};
use crate::vocabulary::RecordKind;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgreementInput {
    pub case: String,
    pub title: String,
    /// What sort of agreement: "API licence", "NDA", "settlement".
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parties: Vec<String>,
    #[serde(default)]
    pub effective: String,
    #[serde(default)]
    pub terminated: String,
    #[serde(default)]
    pub terms: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClauseInput {
    pub reference: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Agreement {
    pub id: String,
    pub case_id: String,
    pub title: String,
    pub kind: String,
    pub parties: Vec<PartyRef>,
    pub effective: Option<String>,
    pub terminated: Option<String>,
    pub terms: String,
    pub clauses: Vec<Clause>,
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Clause {
    pub id: String,
    pub agreement_id: String,
    pub reference: String,
    pub text: String,
    /// Orders the clauses of an agreement.
    pub position: i64,
}

/// An agreement's own values, checked.
pub(crate) struct Fields {
    title: String,
    kind: String,
    effective: Option<FuzzyDate>,
    terminated: Option<FuzzyDate>,
    terms: String,
}

impl Fields {
    pub(crate) fn check(input: &AgreementInput) -> Result<Fields> {
        let effective = input::opt_date("effective", &input.effective)?;
        let terminated = input::opt_date("terminated", &input.terminated)?;
        if let (Some(e), Some(t)) = (&effective, &terminated) {
            if let (Some(e_lo), Some(t_hi)) = (e.lower(), t.upper()) {
                if t_hi <= e_lo {
                    return Err(Error::rule(
                        "terminated",
                        "ends_before_start",
                        t.to_string(),
                        format!("'{t}' is before the effective date '{e}'"),
                    ));
                }
            }
        }
        Ok(Fields {
            title: input::required("title", &input.title)?,
            kind: input::line("kind", &input.kind)?,
            effective,
            terminated,
            terms: input::text("terms", &input.terms)?,
        })
    }
}

pub(crate) struct Valid {
    pub(crate) case_id: String,
    pub(crate) parties: Vec<String>,
    pub(crate) fields: Fields,
}

fn validate(db: &Reader, input: &AgreementInput) -> Result<Valid> {
    let case_id = case::resolve(db, &input.case)?;
    let parties = party_ids(db, &input.parties)?;
    Ok(Valid { case_id, parties, fields: Fields::check(input)? })
}

/// Writes a new agreement with its parties (its clauses come with [`insert_clause_row`]).
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Valid, stamps: &Stamps) -> Result<()> {
    registry::register(w, RecordKind::Agreement, id, stamps)?;
    w.execute(
        "INSERT INTO agreement (id, case_id, title) VALUES (?1, ?2, ?3)",
        params![id, v.case_id, v.fields.title],
    )?;
    write_fields(w, id, v)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    write_fields(w, id, v)?;
    registry::touch(w, id)?;
    // Clauses are found by "reference — agreement title": they follow a rename.
    derived::refresh(w, &w.strings("SELECT id FROM clause WHERE agreement_id = ?1", [id])?)
}

fn write_fields(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    let (ef, ef_sort, ef_lo, ef_hi, ef_rank) = date_cols(f.effective.as_ref());
    let (te, te_sort, te_lo, te_hi, te_rank) = date_cols(f.terminated.as_ref());
    w.execute(
        "UPDATE agreement SET case_id = ?2, title = ?3, kind = ?4, terms = ?5,
             effective = ?6, effective_sort = ?7, effective_lo = ?8, effective_hi = ?9, effective_rank = ?10,
             terminated = ?11, terminated_sort = ?12, terminated_lo = ?13, terminated_hi = ?14, terminated_rank = ?15
         WHERE id = ?1",
        params![
            id, v.case_id, f.title, f.kind, f.terms, ef, ef_sort, ef_lo, ef_hi, ef_rank, te, te_sort, te_lo, te_hi,
            te_rank
        ],
    )?;
    w.execute("DELETE FROM agreement_party WHERE agreement_id = ?1", [id])?;
    for p in &v.parties {
        w.execute("INSERT INTO agreement_party (agreement_id, party_id) VALUES (?1, ?2)", params![id, p])?;
    }
    Ok(())
}

pub fn create(store: &mut Store, input: &AgreementInput) -> Result<Agreement> {
    let v = validate(store.reader(), input)?;
    let id = registry::new_id();
    store.write("create agreement", Some(&id), input, |w| insert_row(w, &id, &v, &Stamps::now()))?;
    get(store.reader(), &id)
}

/// Creates an agreement inside a write under way, checked as [`create`] checks it; returns its id.
pub(crate) fn create_in(w: &Writer<'_>, input: &AgreementInput) -> Result<String> {
    let v = validate(w, input)?;
    let id = registry::new_id();
    insert_row(w, &id, &v, &Stamps::now())?;
    Ok(id)
}

pub fn update(store: &mut Store, id: &str, input: &AgreementInput) -> Result<Agreement> {
    let id = get(store.reader(), id)?.id;
    let v = validate(store.reader(), input)?;
    registry::same_case(store.reader(), RecordKind::Agreement, &id, &v.case_id)?;
    store.write("update agreement", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

/// Deletes an agreement with its clauses; refused while an allegation cites one of them.
pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let a = get(store.reader(), id)?;
    let label = format!("agreement '{}'", a.title);
    store.write("delete agreement", Some(&a.id), &a.title, |w| {
        registry::delete_row(w, RecordKind::Agreement, &a.id, &label)
    })
}

pub fn get(db: &Reader, id: &str) -> Result<Agreement> {
    type Row = (String, String, String, String, Option<String>, Option<String>, String);
    let (id, case_id, title, kind, effective, terminated, terms): Row = db
        .optional(
            "SELECT id, case_id, title, kind, effective, terminated, terms FROM agreement WHERE id = ?1",
            [id.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )?
        .ok_or_else(|| Error::not_found("agreement", id))?;
    let parties = party_refs(
        db,
        "SELECT p.id, p.name FROM agreement_party a JOIN party p ON p.id = a.party_id
          WHERE a.agreement_id = ?1 ORDER BY p.name",
        &id,
    )?;
    let clauses = db.all(
        "SELECT id, agreement_id, reference, text, position FROM clause WHERE agreement_id = ?1 ORDER BY position, id",
        [&id],
        clause_from_row,
    )?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    let private = privacy::is_private(db, &id)?;
    Ok(Agreement {
        id,
        case_id,
        title,
        kind,
        parties,
        effective,
        terminated,
        terms,
        clauses,
        private,
        created_at,
        updated_at,
    })
}

pub fn list(db: &Reader, case: &str) -> Result<Vec<Agreement>> {
    let case_id = case::resolve(db, case)?;
    crate::record::list_by(db, LIST, &case_id, get)
}

/// A page of [`list`]: `limit` agreements from position `offset`, with the total.
pub fn page(db: &Reader, case: &str, offset: usize, limit: usize) -> Result<Listed<Agreement>> {
    let case_id = case::resolve(db, case)?;
    crate::record::page_by(db, LIST, &case_id, get, offset, limit)
}

/// The agreements of a case, in the order they are listed.
const LIST: &str = "SELECT id FROM agreement WHERE case_id = ?1 ORDER BY effective_sort, title, id";

impl Agreement {
    pub fn to_input(&self) -> AgreementInput {
        AgreementInput {
            case: self.case_id.clone(),
            title: self.title.clone(),
            kind: self.kind.clone(),
            parties: self.parties.iter().map(|p| p.id.clone()).collect(),
            effective: self.effective.clone().unwrap_or_default(),
            terminated: self.terminated.clone().unwrap_or_default(),
            terms: self.terms.clone(),
        }
    }
}

/// A clause's values, checked.
pub(crate) struct ClauseFields {
    pub(crate) reference: String,
    text: String,
}

impl ClauseFields {
    pub(crate) fn check(input: &ClauseInput) -> Result<ClauseFields> {
        Ok(ClauseFields {
            reference: input::required("reference", &input.reference)?,
            text: input::text("text", &input.text)?,
        })
    }
}

/// The clause of the agreement with this reference, other than `except`, if any.
pub(crate) fn clause_with_reference(
    db: &Reader,
    agreement_id: &str,
    reference: &str,
    except: Option<&str>,
) -> Result<Option<String>> {
    db.optional(
        "SELECT id FROM clause WHERE agreement_id = ?1 AND reference = ?2 AND id IS NOT ?3",
        params![agreement_id, reference, except],
        |r| r.get(0),
    )
}

fn validate_clause(db: &Reader, agreement_id: &str, input: &ClauseInput, own_id: Option<&str>) -> Result<ClauseFields> {
    let v = ClauseFields::check(input)?;
    if clause_with_reference(db, agreement_id, &v.reference, own_id)?.is_some() {
        return Err(Error::Conflict(format!("the agreement already has a clause '{}'", v.reference)));
    }
    Ok(v)
}

/// Writes a new clause of an agreement, at `position` or, for `None`, after its last clause.
pub(crate) fn insert_clause_row(
    w: &Writer<'_>,
    id: &str,
    agreement_id: &str,
    v: &ClauseFields,
    position: Option<i64>,
    stamps: &Stamps,
) -> Result<()> {
    registry::register(w, RecordKind::Clause, id, stamps)?;
    w.execute(
        "INSERT INTO clause (id, agreement_id, reference, text, position)
         VALUES (?1, ?2, ?3, ?4, coalesce(?5, (SELECT coalesce(max(position), 0) + 1 FROM clause WHERE agreement_id = ?2)))",
        params![id, agreement_id, v.reference, v.text, position],
    )?;
    Ok(())
}

/// Checks a new clause of `agreement`; returns the agreement's id with the clause's values.
fn validate_new_clause(db: &Reader, agreement: &str, input: &ClauseInput) -> Result<(String, ClauseFields)> {
    let agreement_id = get(db, agreement)?.id;
    let v = validate_clause(db, &agreement_id, input, None)?;
    Ok((agreement_id, v))
}

/// Writes a checked clause after the agreement's last, which changes the agreement.
fn insert_last_clause(w: &Writer<'_>, id: &str, agreement_id: &str, v: &ClauseFields) -> Result<()> {
    insert_clause_row(w, id, agreement_id, v, None, &Stamps::now())?;
    registry::touch(w, agreement_id)
}

/// Adds a clause at the end of an agreement.
pub fn add_clause(store: &mut Store, agreement: &str, input: &ClauseInput) -> Result<Clause> {
    let (agreement_id, v) = validate_new_clause(store.reader(), agreement, input)?;
    let id = registry::new_id();
    store.write("create clause", Some(&id), input, |w| insert_last_clause(w, &id, &agreement_id, &v))?;
    get_clause(store.reader(), &id)
}

/// [`add_clause`] inside a write under way, checked as it checks it; returns the clause's id.
pub(crate) fn add_clause_in(w: &Writer<'_>, agreement: &str, input: &ClauseInput) -> Result<String> {
    let (agreement_id, v) = validate_new_clause(w, agreement, input)?;
    let id = registry::new_id();
    insert_last_clause(w, &id, &agreement_id, &v)?;
    Ok(id)
}

pub fn update_clause(store: &mut Store, id: &str, input: &ClauseInput) -> Result<Clause> {
    let clause = get_clause(store.reader(), id)?;
    let v = validate_clause(store.reader(), &clause.agreement_id, input, Some(&clause.id))?;
    store.write("update clause", Some(&clause.id), input, |w| {
        w.execute(
            "UPDATE clause SET reference = ?2, text = ?3 WHERE id = ?1",
            params![clause.id, v.reference, v.text],
        )?;
        registry::touch(w, &clause.id)
    })?;
    get_clause(store.reader(), &clause.id)
}

pub fn delete_clause(store: &mut Store, id: &str) -> Result<()> {
    let clause = get_clause(store.reader(), id)?;
    let label = format!("clause '{}'", clause.reference);
    store.write("delete clause", Some(&clause.id), &clause.reference, |w| {
        registry::delete_row(w, RecordKind::Clause, &clause.id, &label)
    })
}

fn clause_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Clause> {
    Ok(Clause { id: r.get(0)?, agreement_id: r.get(1)?, reference: r.get(2)?, text: r.get(3)?, position: r.get(4)? })
}

pub fn get_clause(db: &Reader, id: &str) -> Result<Clause> {
    db.optional(
        "SELECT id, agreement_id, reference, text, position FROM clause WHERE id = ?1",
        [id.trim()],
        clause_from_row,
    )?
    .ok_or_else(|| Error::not_found("clause", id))
}
