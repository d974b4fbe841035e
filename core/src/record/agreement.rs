//! Agreements between parties (licences, API terms, contracts) and their clauses, which allegations
//! cite. Clauses are records of their own so that a citation survives edits to the agreement.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::{case, party};
use crate::record::{party_refs, PartyRef};
use crate::store::{self, Store};

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct ClauseInput {
    pub reference: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Clause {
    pub id: String,
    pub agreement_id: String,
    pub reference: String,
    pub text: String,
}

struct Valid {
    case_id: String,
    title: String,
    kind: String,
    parties: Vec<String>,
    effective: Option<FuzzyDate>,
    terminated: Option<FuzzyDate>,
    terms: String,
}

fn validate(conn: &Connection, input: &AgreementInput) -> Result<Valid> {
    let case_id = case::resolve(conn, &input.case)?;
    let mut parties = Vec::new();
    for key in &input.parties {
        let id = party::resolve(conn, key)?;
        if !parties.contains(&id) {
            parties.push(id);
        }
    }
    let effective = input::opt_date("effective", &input.effective)?;
    let terminated = input::opt_date("terminated", &input.terminated)?;
    if let (Some(e), Some(t)) = (&effective, &terminated) {
        if let (Some(e_lo), Some(t_hi)) = (e.lower(), t.upper()) {
            if t_hi <= e_lo {
                return Err(Error::invalid("terminated", format!("'{t}' is before the effective date '{e}'")));
            }
        }
    }
    Ok(Valid {
        case_id,
        title: input::required("title", &input.title)?,
        kind: input::line("kind", &input.kind)?,
        parties,
        effective,
        terminated,
        terms: input::text("terms", &input.terms)?,
    })
}

fn write(tx: &Connection, id: &str, v: &Valid, insert: bool) -> Result<()> {
    let (ef, ef_sort, ef_lo, ef_hi, ef_rank) = store::date_cols(v.effective.as_ref());
    let (te, te_sort, te_lo, te_hi, te_rank) = store::date_cols(v.terminated.as_ref());
    if insert {
        store::register(tx, "agreement", id)?;
        tx.execute("INSERT INTO agreement (id, case_id, title) VALUES (?1, ?2, ?3)", params![id, v.case_id, v.title])?;
    } else {
        store::touch(tx, id)?;
    }
    tx.execute(
        "UPDATE agreement SET case_id = ?2, title = ?3, kind = ?4, terms = ?5,
             effective = ?6, effective_sort = ?7, effective_lo = ?8, effective_hi = ?9, effective_rank = ?10,
             terminated = ?11, terminated_sort = ?12, terminated_lo = ?13, terminated_hi = ?14, terminated_rank = ?15
         WHERE id = ?1",
        params![
            id, v.case_id, v.title, v.kind, v.terms, ef, ef_sort, ef_lo, ef_hi, ef_rank, te, te_sort, te_lo, te_hi,
            te_rank
        ],
    )?;
    tx.execute("DELETE FROM agreement_party WHERE agreement_id = ?1", [id])?;
    for p in &v.parties {
        tx.execute("INSERT INTO agreement_party (agreement_id, party_id) VALUES (?1, ?2)", params![id, p])?;
    }
    Ok(())
}

pub fn create(store: &mut Store, input: &AgreementInput) -> Result<Agreement> {
    let v = validate(store.conn(), input)?;
    let id = store::new_id();
    store.write("create agreement", Some(&id), input, |tx| write(tx, &id, &v, true))?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &AgreementInput) -> Result<Agreement> {
    let id = get(store.conn(), id)?.id;
    let v = validate(store.conn(), input)?;
    store::same_case(store.conn(), "agreement", "agreement", &id, &v.case_id)?;
    let files = store.files_dir().to_path_buf();
    store.write("update agreement", Some(&id), input, |tx| {
        write(tx, &id, &v, false)?;
        // Clauses are found by "reference — agreement title": they follow a rename.
        let clauses = tx
            .prepare("SELECT id FROM clause WHERE agreement_id = ?1")?
            .query_map([&id], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        for clause in clauses {
            store::refresh_derived(tx, &files, &clause)?;
        }
        Ok(())
    })?;
    get(store.conn(), &id)
}

/// Deletes an agreement with its clauses; refused while an allegation cites one of them.
pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let a = get(store.conn(), id)?;
    let label = format!("agreement '{}'", a.title);
    store.write("delete agreement", Some(&a.id), &a.title, |tx| {
        store::delete_row(tx, "agreement", "agreement", &a.id, &label)
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Agreement> {
    type Row = (String, String, String, String, Option<String>, Option<String>, String);
    let row: Result<Row, _> = conn.query_row(
        "SELECT id, case_id, title, kind, effective, terminated, terms FROM agreement WHERE id = ?1",
        [id.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    );
    let (id, case_id, title, kind, effective, terminated, terms) = match row {
        Err(rusqlite::Error::QueryReturnedNoRows) => return Err(Error::not_found("agreement", id)),
        other => other?,
    };
    let parties = party_refs(
        conn,
        "SELECT p.id, p.name FROM agreement_party a JOIN party p ON p.id = a.party_id WHERE a.agreement_id = ?1 ORDER BY p.name",
        &id,
    )?;
    let clauses = conn
        .prepare_cached(
            "SELECT id, agreement_id, reference, text FROM clause WHERE agreement_id = ?1 ORDER BY position, id",
        )?
        .query_map([&id], |r| {
            Ok(Clause { id: r.get(0)?, agreement_id: r.get(1)?, reference: r.get(2)?, text: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Agreement { id, case_id, title, kind, parties, effective, terminated, terms, clauses, created_at, updated_at })
}

pub fn list(conn: &Connection, case: &str) -> Result<Vec<Agreement>> {
    let case_id = case::resolve(conn, case)?;
    let ids = conn
        .prepare("SELECT id FROM agreement WHERE case_id = ?1 ORDER BY effective_sort, title, id")?
        .query_map([&case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

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

fn validate_clause(
    conn: &Connection,
    agreement_id: &str,
    input: &ClauseInput,
    own_id: Option<&str>,
) -> Result<(String, String)> {
    let reference = input::required("reference", &input.reference)?;
    let taken: Option<String> = conn
        .query_row(
            "SELECT id FROM clause WHERE agreement_id = ?1 AND reference = ?2 AND id IS NOT ?3",
            params![agreement_id, reference, own_id],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(Error::Conflict(format!("the agreement already has a clause '{reference}'")));
    }
    Ok((reference, input::text("text", &input.text)?))
}

/// Adds a clause at the end of an agreement.
pub fn add_clause(store: &mut Store, agreement: &str, input: &ClauseInput) -> Result<Clause> {
    let agreement_id = get(store.conn(), agreement)?.id;
    let (reference, text) = validate_clause(store.conn(), &agreement_id, input, None)?;
    let id = store::new_id();
    store.write("create clause", Some(&id), input, |tx| {
        store::register(tx, "clause", &id)?;
        tx.execute(
            "INSERT INTO clause (id, agreement_id, reference, text, position)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM clause WHERE agreement_id = ?2))",
            params![id, agreement_id, reference, text],
        )?;
        store::touch(tx, &agreement_id)
    })?;
    get_clause(store.conn(), &id)
}

pub fn update_clause(store: &mut Store, id: &str, input: &ClauseInput) -> Result<Clause> {
    let clause = get_clause(store.conn(), id)?;
    let (reference, text) = validate_clause(store.conn(), &clause.agreement_id, input, Some(&clause.id))?;
    store.write("update clause", Some(&clause.id), input, |tx| {
        tx.execute("UPDATE clause SET reference = ?2, text = ?3 WHERE id = ?1", params![clause.id, reference, text])?;
        store::touch(tx, &clause.id)
    })?;
    get_clause(store.conn(), &clause.id)
}

pub fn delete_clause(store: &mut Store, id: &str) -> Result<()> {
    let clause = get_clause(store.conn(), id)?;
    let label = format!("clause '{}'", clause.reference);
    store.write("delete clause", Some(&clause.id), &clause.reference, |tx| {
        store::delete_row(tx, "clause", "clause", &clause.id, &label)
    })
}

pub fn get_clause(conn: &Connection, id: &str) -> Result<Clause> {
    conn.query_row("SELECT id, agreement_id, reference, text FROM clause WHERE id = ?1", [id.trim()], |r| {
        Ok(Clause { id: r.get(0)?, agreement_id: r.get(1)?, reference: r.get(2)?, text: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| Error::not_found("clause", id))
}
