//! Responses: a party's answer to one or more allegations (denies, admits, will review…), when and in
//! which letter or statement it was given, so each allegation shows its thread of answers.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution::{self, Attribution, AttributionInput};
use crate::record::privacy;
use crate::record::{case, party, party_ref, PartyRef};
use crate::store::columns::date_cols;
use crate::store::registry::{self, Stamps};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{RecordKind, Spelling, Stance};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Response {
    pub id: String,
    pub case_id: String,
    pub allegations: Vec<String>,
    pub by: PartyRef,
    pub letter_id: Option<String>,
    pub stance: Stance,
    pub text: String,
    pub date: String,
    pub tags: Vec<String>,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A response's own values, checked.
pub(crate) struct Fields {
    stance: Stance,
    text: String,
    /// `None`: the date of the letter that carries it.
    date: Option<FuzzyDate>,
    tags: Vec<String>,
    position: i64,
}

impl Fields {
    pub(crate) fn check(input: &ResponseInput, spelling: Spelling) -> Result<Fields> {
        Ok(Fields {
            date: input::opt_date("date", &input.date)?,
            stance: input::one_of("stance", &input.stance, spelling)?,
            text: input::text("text", &input.text)?,
            tags: attribution::validate_tags(&input.tags)?,
            position: input.position,
        })
    }
}

pub(crate) struct Valid {
    pub(crate) case_id: String,
    pub(crate) allegations: Vec<String>,
    pub(crate) by: String,
    pub(crate) letter: Option<String>,
    pub(crate) attributions: Vec<attribution::Valid>,
    /// Its own date or the letter's.
    pub(crate) date: FuzzyDate,
    pub(crate) fields: Fields,
}

/// The date a response is given on: its own, or that of the letter that carries it.
pub(crate) fn given_on(own: Option<&FuzzyDate>, letter: Option<FuzzyDate>) -> Result<FuzzyDate> {
    match (own, letter) {
        (Some(d), _) => Ok(d.clone()),
        (None, Some(d)) => Ok(d),
        (None, None) => Err(Error::rule(
            "date",
            "date_required_unless_letter",
            None,
            "is required when the response is not given in a letter",
        )),
    }
}

fn at_least_one() -> Error {
    Error::rule("allegations", "allegation_required", None, "at least one allegation is required")
}

fn validate(db: &Reader, input: &ResponseInput) -> Result<Valid> {
    if input.allegations.iter().all(|a| a.trim().is_empty()) {
        return Err(at_least_one());
    }
    let mut case_id: Option<String> = None;
    let mut allegations = Vec::new();
    for a in input.allegations.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        let c = registry::case_of(db, RecordKind::Allegation, a)?.ok_or_else(|| Error::not_found("allegation", a))?;
        match &case_id {
            Some(first) if *first != c => {
                return Err(Error::rule(
                    "allegations",
                    "other_case",
                    a.to_string(),
                    format!("'{a}' belongs to another case than the others"),
                ))
            }
            _ => case_id = Some(c),
        }
        if !allegations.iter().any(|x: &String| x == a) {
            allegations.push(a.to_string());
        }
    }
    let case_id = case_id.ok_or_else(at_least_one)?;
    let by = party::resolve(db, &input.by).map_err(|e| match e {
        Error::Invalid { reason, .. } if input.by.trim().is_empty() => Error::invalid("by", reason),
        other => other,
    })?;
    let (letter, letter_date) = match input.letter.trim() {
        "" => (None, None),
        id => {
            let (c, d): (String, String) = db
                .optional("SELECT case_id, date FROM letter WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .ok_or_else(|| Error::not_found("letter", id))?;
            if c != case_id {
                return Err(Error::rule(
                    "letter",
                    "other_case",
                    id.to_string(),
                    format!("'{id}' belongs to another case"),
                ));
            }
            (Some(id.to_string()), Some(input::date("date", &d)?))
        }
    };
    let fields = Fields::check(input, Spelling::Lenient)?;
    Ok(Valid {
        date: given_on(fields.date.as_ref(), letter_date)?,
        case_id,
        allegations,
        by,
        letter,
        attributions: attribution::validate(db, &input.attributions)?,
        fields,
    })
}

/// Writes a new response with the allegations it answers, its tags and attributions.
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Valid, stamps: &Stamps) -> Result<()> {
    let f = &v.fields;
    let (date, sort, lo, hi, rank) = date_cols(Some(&v.date));
    registry::register(w, RecordKind::Response, id, stamps)?;
    w.execute(
        "INSERT INTO response (id, case_id, by_party, letter_id, stance, text, position, date, date_sort, date_lo,
             date_hi, date_rank)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![id, v.case_id, v.by, v.letter, f.stance, f.text, f.position, date, sort, lo, hi, rank],
    )?;
    write_children(w, id, v)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    let (date, sort, lo, hi, rank) = date_cols(Some(&v.date));
    w.execute(
        "UPDATE response SET case_id = ?2, by_party = ?3, letter_id = ?4, stance = ?5, text = ?6, position = ?7,
             date = ?8, date_sort = ?9, date_lo = ?10, date_hi = ?11, date_rank = ?12
         WHERE id = ?1",
        params![id, v.case_id, v.by, v.letter, f.stance, f.text, f.position, date, sort, lo, hi, rank],
    )?;
    write_children(w, id, v)?;
    registry::touch(w, id)
}

fn write_children(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    w.execute("DELETE FROM response_allegation WHERE response_id = ?1", [id])?;
    for a in &v.allegations {
        w.execute("INSERT INTO response_allegation (response_id, allegation_id) VALUES (?1, ?2)", params![id, a])?;
    }
    attribution::write_tags(w, id, &v.fields.tags)?;
    attribution::write(w, id, &v.attributions)
}

pub fn create(store: &mut Store, input: &ResponseInput) -> Result<Response> {
    let v = validate(store.reader(), input)?;
    let id = registry::new_id();
    store.write("create response", Some(&id), input, |w| insert_row(w, &id, &v, &Stamps::now()))?;
    get(store.reader(), &id)
}

/// Creates a response inside a write under way, checked as [`create`] checks it; returns its id.
pub(crate) fn create_in(w: &Writer<'_>, input: &ResponseInput) -> Result<String> {
    let v = validate(w, input)?;
    let id = registry::new_id();
    insert_row(w, &id, &v, &Stamps::now())?;
    Ok(id)
}

pub fn update(store: &mut Store, id: &str, input: &ResponseInput) -> Result<Response> {
    let id = get(store.reader(), id)?.id;
    let v = validate(store.reader(), input)?;
    registry::same_case(store.reader(), RecordKind::Response, &id, &v.case_id)?;
    store.write("update response", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let r = get(store.reader(), id)?;
    let label = format!("response of {}", r.by.name);
    store.write("delete response", Some(&r.id), &r.stance, |w| {
        registry::delete_row(w, RecordKind::Response, &r.id, &label)
    })
}

pub fn get(db: &Reader, id: &str) -> Result<Response> {
    type Row = (String, String, String, Option<String>, Stance, String, String, i64);
    let (id, case_id, by, letter_id, stance, text, date, position): Row = db
        .optional(
            "SELECT id, case_id, by_party, letter_id, stance, text, date, position FROM response WHERE id = ?1",
            [id.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )?
        .ok_or_else(|| Error::not_found("response", id))?;
    let allegations = db.strings(
        "SELECT allegation_id FROM response_allegation WHERE response_id = ?1 ORDER BY allegation_id",
        [&id],
    )?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    let private = privacy::is_private(db, &id)?;
    Ok(Response {
        by: party_ref(db, by)?,
        tags: attribution::tags(db, &id)?,
        attributions: attribution::get(db, &id)?,
        id,
        case_id,
        allegations,
        letter_id,
        stance,
        text,
        date,
        position,
        private,
        created_at,
        updated_at,
    })
}

pub fn list(db: &Reader, case: &str) -> Result<Vec<Response>> {
    let case_id = case::resolve(db, case)?;
    crate::record::list_by(
        db,
        "SELECT id FROM response WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id",
        &case_id,
        get,
    )
}

/// The responses to one allegation, in date order.
pub fn to_allegation(db: &Reader, allegation_id: &str) -> Result<Vec<Response>> {
    db.strings(
        "SELECT r.id FROM response r JOIN response_allegation ra ON ra.response_id = r.id
          WHERE ra.allegation_id = ?1 ORDER BY r.date_sort, r.date_rank, r.position, r.id",
        [allegation_id],
    )?
    .iter()
    .map(|id| get(db, id))
    .collect()
}

impl Response {
    pub fn to_input(&self) -> ResponseInput {
        ResponseInput {
            allegations: self.allegations.clone(),
            by: self.by.id.clone(),
            letter: self.letter_id.clone().unwrap_or_default(),
            stance: self.stance.to_string(),
            text: self.text.clone(),
            date: self.date.clone(),
            tags: self.tags.clone(),
            attributions: self.attributions.iter().map(Attribution::to_input).collect(),
            position: self.position,
        }
    }
}
