//! Allegations: who alleges what against whom, where it was raised (a letter or an event), which
//! clauses it cites, and a dated status history (alleged → under review → disputed → …). The current
//! status is always the latest entry of that history, never a separate field that could disagree.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution::{self, Attribution, AttributionInput};
use crate::record::PartyRef;
use crate::record::{case, party};
use crate::store::{self, Store};

pub const STATUSES: &[&str] = &["alleged", "under_review", "disputed", "admitted", "withdrawn", "upheld", "dismissed"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct AllegationInput {
    pub case: String,
    pub made_by: String,
    pub against: String,
    /// Id of the letter or event in which it was raised.
    #[serde(default)]
    pub raised_in: String,
    /// Id of the agreement it invokes, when it cites no clause in particular.
    #[serde(default)]
    pub agreement: String,
    /// Ids of the clauses it cites.
    #[serde(default)]
    pub clauses: Vec<String>,
    pub summary: String,
    #[serde(default)]
    pub detail: String,
    /// When it was raised; left empty, the date of the letter or event it was raised in.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub attributions: Vec<AttributionInput>,
    #[serde(default)]
    pub position: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct StatusInput {
    pub status: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
    /// Orders this entry among timeline items of the same date.
    #[serde(default)]
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Allegation {
    pub id: String,
    pub case_id: String,
    pub made_by: PartyRef,
    pub against: PartyRef,
    pub raised_in: Option<RaisedIn>,
    pub agreement_id: Option<String>,
    pub clauses: Vec<crate::record::agreement::Clause>,
    pub summary: String,
    pub detail: String,
    pub date: String,
    pub status: String,
    pub history: Vec<StatusEntry>,
    /// Ids of the responses that answer it.
    pub responses: Vec<String>,
    pub tags: Vec<String>,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RaisedIn {
    /// "letter" or "event".
    pub kind: String,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct StatusEntry {
    pub id: i64,
    pub status: String,
    pub date: String,
    pub note: String,
}

struct Valid {
    case_id: String,
    made_by: String,
    against: String,
    letter: Option<String>,
    event: Option<String>,
    agreement: Option<String>,
    clauses: Vec<String>,
    summary: String,
    detail: String,
    date: FuzzyDate,
    tags: Vec<String>,
    attributions: Vec<attribution::Valid>,
}

fn in_case(conn: &Connection, table: &str, kind: &'static str, id: &str, case_id: &str) -> Result<bool> {
    let case_of: Option<String> =
        conn.query_row(&format!("SELECT case_id FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).optional()?;
    match case_of {
        None => Ok(false),
        Some(c) if c == case_id => Ok(true),
        Some(_) => Err(Error::invalid(kind, format!("'{id}' belongs to another case"))),
    }
}

fn validate(conn: &Connection, input: &AllegationInput) -> Result<Valid> {
    let case_id = case::resolve(conn, &input.case)?;
    let made_by = party::resolve(conn, &input.made_by).map_err(|e| rename_required(e, "made_by"))?;
    let against = party::resolve(conn, &input.against).map_err(|e| rename_required(e, "against"))?;
    let (mut letter, mut event, mut raised_date) = (None, None, None);
    let raised = input.raised_in.trim();
    if !raised.is_empty() {
        if in_case(conn, "letter", "raised_in", raised, &case_id)? {
            letter = Some(raised.to_string());
            raised_date =
                Some(conn.query_row("SELECT date FROM letter WHERE id = ?1", [raised], |r| r.get::<_, String>(0))?);
        } else if in_case(conn, "event", "raised_in", raised, &case_id)? {
            event = Some(raised.to_string());
            raised_date =
                Some(conn.query_row("SELECT date FROM event WHERE id = ?1", [raised], |r| r.get::<_, String>(0))?);
        } else {
            return Err(Error::not_found("letter or event", raised));
        }
    }
    let agreement = match input.agreement.trim() {
        "" => None,
        id if in_case(conn, "agreement", "agreement", id, &case_id)? => Some(id.to_string()),
        id => return Err(Error::not_found("agreement", id)),
    };
    let mut clauses = Vec::new();
    for c in &input.clauses {
        let clause = crate::record::agreement::get_clause(conn, c)?;
        if !in_case(conn, "agreement", "clause", &clause.agreement_id, &case_id)? {
            return Err(Error::not_found("clause", c));
        }
        if !clauses.contains(&clause.id) {
            clauses.push(clause.id);
        }
    }
    let date = match (input.date.trim(), raised_date) {
        ("", Some(d)) => input::date("date", &d)?,
        ("", None) => {
            return Err(Error::invalid("date", "is required when the allegation is not raised in a letter or event"))
        }
        (text, _) => input::date("date", text)?,
    };
    Ok(Valid {
        case_id,
        made_by,
        against,
        letter,
        event,
        agreement,
        clauses,
        summary: input::required("summary", &input.summary)?,
        detail: input::text("detail", &input.detail)?,
        date,
        tags: attribution::validate_tags(&input.tags)?,
        attributions: attribution::validate(conn, &input.attributions)?,
    })
}

fn rename_required(e: Error, field: &str) -> Error {
    match e {
        Error::Invalid { message, .. } if message == "is required" => Error::invalid(field, message),
        other => other,
    }
}

fn write(tx: &Connection, id: &str, v: &Valid, position: i64, insert: bool) -> Result<()> {
    let (date, sort, lo, hi, rank) = store::date_cols(Some(&v.date));
    if insert {
        store::register(tx, "allegation", id)?;
        tx.execute(
            "INSERT INTO allegation (id, case_id, made_by, against, summary, date, date_sort, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, v.case_id, v.made_by, v.against, v.summary, date, sort, rank],
        )?;
        tx.execute(
            "INSERT INTO allegation_status (allegation_id, status, date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, 'alleged', ?2, ?3, ?4, ?5, ?6)",
            params![id, date, sort, lo, hi, rank],
        )?;
    } else {
        // The first history entry is the raising itself, so it moves with the allegation's date.
        tx.execute(
            "UPDATE allegation_status SET date = ?2, date_sort = ?3, date_lo = ?4, date_hi = ?5, date_rank = ?6
              WHERE id = (SELECT min(id) FROM allegation_status WHERE allegation_id = ?1) AND status = 'alleged'",
            params![id, date, sort, lo, hi, rank],
        )?;
        store::touch(tx, id)?;
    }
    tx.execute(
        "UPDATE allegation SET case_id = ?2, made_by = ?3, against = ?4, raised_in_letter = ?5, raised_in_event = ?6,
             agreement_id = ?7, summary = ?8, detail = ?9, position = ?10, date = ?11, date_sort = ?12, date_lo = ?13,
             date_hi = ?14, date_rank = ?15
         WHERE id = ?1",
        params![
            id,
            v.case_id,
            v.made_by,
            v.against,
            v.letter,
            v.event,
            v.agreement,
            v.summary,
            v.detail,
            position,
            date,
            sort,
            lo,
            hi,
            rank
        ],
    )?;
    tx.execute("DELETE FROM allegation_clause WHERE allegation_id = ?1", [id])?;
    for c in &v.clauses {
        tx.execute("INSERT INTO allegation_clause (allegation_id, clause_id) VALUES (?1, ?2)", params![id, c])?;
    }
    attribution::write_tags(tx, id, &v.tags)?;
    attribution::write(tx, id, &v.attributions)
}

pub fn create(store: &mut Store, input: &AllegationInput) -> Result<Allegation> {
    let v = validate(store.conn(), input)?;
    let id = store::new_id();
    store.write("create allegation", Some(&id), input, |tx| write(tx, &id, &v, input.position, true))?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &AllegationInput) -> Result<Allegation> {
    let existing = get(store.conn(), id)?;
    let id = existing.id;
    let v = validate(store.conn(), input)?;
    store::same_case(store.conn(), "allegation", "allegation", &id, &v.case_id)?;
    // The raising opens the status history: it cannot move past a change already recorded.
    if let Some(raised_lo) = v.date.lower() {
        for later in existing.history.iter().skip(1) {
            let d = input::date("date", &later.date)?;
            if d.upper().is_some_and(|hi| hi <= raised_lo) {
                return Err(Error::invalid(
                    "date",
                    format!(
                        "'{}' is after the status change to {} on '{}'",
                        v.date,
                        later.status.replace('_', " "),
                        later.date
                    ),
                ));
            }
        }
    }
    store.write("update allegation", Some(&id), input, |tx| write(tx, &id, &v, input.position, false))?;
    get(store.conn(), &id)
}

/// Records a change of status at a date. The history keeps every entry.
pub fn set_status(store: &mut Store, id: &str, input: &StatusInput) -> Result<Allegation> {
    let allegation = get(store.conn(), id)?;
    let status = input::one_of("status", &input.status, STATUSES)?;
    let date = input::date("date", &input.date)?;
    let raised = input::date("date", &allegation.date)?;
    if let (Some(hi), Some(raised_lo)) = (date.upper(), raised.lower()) {
        if hi <= raised_lo {
            return Err(Error::invalid("date", format!("'{date}' is before the allegation was raised ('{raised}')")));
        }
    }
    let note = input::text("note", &input.note)?;
    let (d, sort, lo, hi, rank) = store::date_cols(Some(&date));
    store.write("set allegation status", Some(&allegation.id), input, |tx| {
        tx.execute(
            "INSERT INTO allegation_status (allegation_id, status, note, position, date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![allegation.id, status, note, input.position, d, sort, lo, hi, rank],
        )?;
        store::touch(tx, &allegation.id)
    })?;
    get(store.conn(), &allegation.id)
}

/// Deletes an allegation with its status history; refused while a response answers it.
pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let a = get(store.conn(), id)?;
    let label = format!("allegation '{}'", input::shorten(&a.summary));
    store.write("delete allegation", Some(&a.id), &a.summary, |tx| {
        store::delete_row(tx, "allegation", "allegation", &a.id, &label)
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Allegation> {
    type Row =
        (String, String, String, String, Option<String>, Option<String>, Option<String>, String, String, String, i64);
    let row: Result<Row, _> = conn.query_row(
        "SELECT id, case_id, made_by, against, raised_in_letter, raised_in_event, agreement_id, summary, detail, date, position
           FROM allegation WHERE id = ?1",
        [id.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?)),
    );
    let (id, case_id, made_by, against, letter, event, agreement_id, summary, detail, date, position) = match row {
        Err(rusqlite::Error::QueryReturnedNoRows) => return Err(Error::not_found("allegation", id)),
        other => other?,
    };
    let raised_in = match (letter, event) {
        (Some(l), _) => Some(RaisedIn {
            kind: "letter".into(),
            title: conn.query_row("SELECT subject FROM letter WHERE id = ?1", [&l], |r| r.get(0))?,
            id: l,
        }),
        (None, Some(e)) => Some(RaisedIn {
            kind: "event".into(),
            title: conn.query_row("SELECT title FROM event WHERE id = ?1", [&e], |r| r.get(0))?,
            id: e,
        }),
        (None, None) => None,
    };
    let clauses = conn
        .prepare_cached(
            "SELECT c.id FROM allegation_clause ac JOIN clause c ON c.id = ac.clause_id WHERE ac.allegation_id = ?1
              ORDER BY c.agreement_id, c.position",
        )?
        .query_map([&id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .map(|c| crate::record::agreement::get_clause(conn, c))
        .collect::<Result<Vec<_>>>()?;
    let history = history(conn, &id)?;
    let status = history.last().map(|h| h.status.clone()).unwrap_or_else(|| "alleged".into());
    let responses = conn
        .prepare_cached(
            "SELECT r.id FROM response_allegation ra JOIN response r ON r.id = ra.response_id WHERE ra.allegation_id = ?1
              ORDER BY r.date_sort, r.date_rank, r.position, r.id",
        )?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Allegation {
        made_by: PartyRef { name: party::name_of(conn, &made_by)?, id: made_by },
        against: PartyRef { name: party::name_of(conn, &against)?, id: against },
        tags: attribution::tags(conn, &id)?,
        attributions: attribution::get(conn, &id)?,
        id,
        case_id,
        raised_in,
        agreement_id,
        clauses,
        summary,
        detail,
        date,
        status,
        history,
        responses,
        position,
        created_at,
        updated_at,
    })
}

/// The status history: the raising first, then the changes in date order (entries at the same date
/// in the order they were recorded). A change dated at the raising's own day or month still comes after it.
fn history(conn: &Connection, id: &str) -> Result<Vec<StatusEntry>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, status, date, note FROM allegation_status WHERE allegation_id = ?1
              ORDER BY id = (SELECT min(id) FROM allegation_status WHERE allegation_id = ?1) DESC, date_sort, date_rank, id",
        )?
        .query_map([id], |r| Ok(StatusEntry { id: r.get(0)?, status: r.get(1)?, date: r.get(2)?, note: r.get(3)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn list(conn: &Connection, case: &str) -> Result<Vec<Allegation>> {
    let case_id = case::resolve(conn, case)?;
    let ids = conn
        .prepare("SELECT id FROM allegation WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id")?
        .query_map([&case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

impl Allegation {
    pub fn to_input(&self) -> AllegationInput {
        AllegationInput {
            case: self.case_id.clone(),
            made_by: self.made_by.id.clone(),
            against: self.against.id.clone(),
            raised_in: self.raised_in.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
            agreement: self.agreement_id.clone().unwrap_or_default(),
            clauses: self.clauses.iter().map(|c| c.id.clone()).collect(),
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            date: self.date.clone(),
            tags: self.tags.clone(),
            attributions: self.attributions.iter().map(Attribution::to_input).collect(),
            position: self.position,
        }
    }
}
