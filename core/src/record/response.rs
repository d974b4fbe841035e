//! Responses: a party's answer to one or more allegations (denies, admits, will review…), when and in
//! which letter or statement it was given, so each allegation shows its thread of answers.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution::{self, Attribution, AttributionInput};
use crate::record::party;
use crate::record::PartyRef;
use crate::store::{self, Store};

pub const STANCES: &[&str] = &["denies", "admits", "partly_admits", "will_review", "no_comment"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct ResponseInput {
    /// Ids of the allegations answered; all must be in one case.
    pub allegations: Vec<String>,
    pub by: String,
    /// Id of the letter or statement that carries the answer.
    #[serde(default)]
    pub letter: String,
    pub stance: String,
    #[serde(default)]
    pub text: String,
    /// Left empty, the date of the letter.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub attributions: Vec<AttributionInput>,
    #[serde(default)]
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Response {
    pub id: String,
    pub case_id: String,
    pub allegations: Vec<String>,
    pub by: PartyRef,
    pub letter_id: Option<String>,
    pub stance: String,
    pub text: String,
    pub date: String,
    pub tags: Vec<String>,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
}

struct Valid {
    case_id: String,
    allegations: Vec<String>,
    by: String,
    letter: Option<String>,
    stance: &'static str,
    text: String,
    date: FuzzyDate,
    tags: Vec<String>,
    attributions: Vec<attribution::Valid>,
}

fn validate(conn: &Connection, input: &ResponseInput) -> Result<Valid> {
    if input.allegations.iter().all(|a| a.trim().is_empty()) {
        return Err(Error::invalid("allegations", "at least one allegation is required"));
    }
    let mut case_id: Option<String> = None;
    let mut allegations = Vec::new();
    for a in input.allegations.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        let c: String = conn
            .query_row("SELECT case_id FROM allegation WHERE id = ?1", [a], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::not_found("allegation", a))?;
        match &case_id {
            Some(first) if *first != c => {
                return Err(Error::invalid("allegations", format!("'{a}' belongs to another case than the others")))
            }
            _ => case_id = Some(c),
        }
        if !allegations.iter().any(|x: &String| x == a) {
            allegations.push(a.to_string());
        }
    }
    let case_id = case_id.ok_or_else(|| Error::invalid("allegations", "at least one allegation is required"))?;
    let by = party::resolve(conn, &input.by).map_err(|e| match e {
        Error::Invalid { message, .. } if input.by.trim().is_empty() => Error::invalid("by", message),
        other => other,
    })?;
    let (letter, letter_date) = match input.letter.trim() {
        "" => (None, None),
        id => {
            let (c, d): (String, String) = conn
                .query_row("SELECT case_id, date FROM letter WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| Error::not_found("letter", id))?;
            if c != case_id {
                return Err(Error::invalid("letter", format!("'{id}' belongs to another case")));
            }
            (Some(id.to_string()), Some(d))
        }
    };
    let date = match (input.date.trim(), letter_date) {
        ("", Some(d)) => input::date("date", &d)?,
        ("", None) => return Err(Error::invalid("date", "is required when the response is not given in a letter")),
        (text, _) => input::date("date", text)?,
    };
    Ok(Valid {
        case_id,
        allegations,
        by,
        letter,
        stance: input::one_of("stance", &input.stance, STANCES)?,
        text: input::text("text", &input.text)?,
        date,
        tags: attribution::validate_tags(&input.tags)?,
        attributions: attribution::validate(conn, &input.attributions)?,
    })
}

fn write(tx: &Connection, id: &str, v: &Valid, position: i64, insert: bool) -> Result<()> {
    let (date, sort, lo, hi, rank) = store::date_cols(Some(&v.date));
    if insert {
        store::register(tx, "response", id)?;
        tx.execute(
            "INSERT INTO response (id, case_id, by_party, stance, date, date_sort, date_rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, v.case_id, v.by, v.stance, date, sort, rank],
        )?;
    } else {
        store::touch(tx, id)?;
    }
    tx.execute(
        "UPDATE response SET case_id = ?2, by_party = ?3, letter_id = ?4, stance = ?5, text = ?6, position = ?7,
             date = ?8, date_sort = ?9, date_lo = ?10, date_hi = ?11, date_rank = ?12
         WHERE id = ?1",
        params![id, v.case_id, v.by, v.letter, v.stance, v.text, position, date, sort, lo, hi, rank],
    )?;
    tx.execute("DELETE FROM response_allegation WHERE response_id = ?1", [id])?;
    for a in &v.allegations {
        tx.execute("INSERT INTO response_allegation (response_id, allegation_id) VALUES (?1, ?2)", params![id, a])?;
    }
    attribution::write_tags(tx, id, &v.tags)?;
    attribution::write(tx, id, &v.attributions)
}

pub fn create(store: &mut Store, input: &ResponseInput) -> Result<Response> {
    let v = validate(store.conn(), input)?;
    let id = store::new_id();
    store.write("create response", Some(&id), input, |tx| write(tx, &id, &v, input.position, true))?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &ResponseInput) -> Result<Response> {
    let id = get(store.conn(), id)?.id;
    let v = validate(store.conn(), input)?;
    store::same_case(store.conn(), "response", "response", &id, &v.case_id)?;
    store.write("update response", Some(&id), input, |tx| write(tx, &id, &v, input.position, false))?;
    get(store.conn(), &id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let r = get(store.conn(), id)?;
    let label = format!("response of {}", r.by.name);
    store.write("delete response", Some(&r.id), &r.stance, |tx| {
        store::delete_row(tx, "response", "response", &r.id, &label)
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Response> {
    type Row = (String, String, String, Option<String>, String, String, String, i64);
    let row: Result<Row, _> = conn.query_row(
        "SELECT id, case_id, by_party, letter_id, stance, text, date, position FROM response WHERE id = ?1",
        [id.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
    );
    let (id, case_id, by, letter_id, stance, text, date, position) = match row {
        Err(rusqlite::Error::QueryReturnedNoRows) => return Err(Error::not_found("response", id)),
        other => other?,
    };
    let allegations = conn
        .prepare_cached("SELECT allegation_id FROM response_allegation WHERE response_id = ?1 ORDER BY allegation_id")?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Response {
        by: PartyRef { name: party::name_of(conn, &by)?, id: by },
        tags: attribution::tags(conn, &id)?,
        attributions: attribution::get(conn, &id)?,
        id,
        case_id,
        allegations,
        letter_id,
        stance,
        text,
        date,
        position,
        created_at,
        updated_at,
    })
}

pub fn list(conn: &Connection, case: &str) -> Result<Vec<Response>> {
    let case_id = crate::record::case::resolve(conn, case)?;
    let ids = conn
        .prepare("SELECT id FROM response WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id")?
        .query_map([&case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

impl Response {
    pub fn to_input(&self) -> ResponseInput {
        ResponseInput {
            allegations: self.allegations.clone(),
            by: self.by.id.clone(),
            letter: self.letter_id.clone().unwrap_or_default(),
            stance: self.stance.clone(),
            text: self.text.clone(),
            date: self.date.clone(),
            tags: self.tags.clone(),
            attributions: self.attributions.iter().map(Attribution::to_input).collect(),
            position: self.position,
        }
    }
}
