//! Events: anything that happened in a dispute that is not correspondence, an allegation or a response
//! (a price change, a threat to sue, a product dropping support), with its date and the parties involved.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution::{self, Attribution, AttributionInput};
use crate::record::{case, party};
use crate::record::{party_refs, PartyRef};
use crate::store::{self, Store};

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct EventInput {
    /// Case slug or id.
    pub case: String,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub description: String,
    /// Party keys (id, name or alias).
    #[serde(default)]
    pub parties: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub attributions: Vec<AttributionInput>,
    /// Orders events that share a date; lower first.
    #[serde(default)]
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Event {
    pub id: String,
    pub case_id: String,
    pub title: String,
    pub date: String,
    pub description: String,
    pub parties: Vec<PartyRef>,
    pub tags: Vec<String>,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
}

struct Valid {
    case_id: String,
    title: String,
    date: FuzzyDate,
    description: String,
    parties: Vec<String>,
    tags: Vec<String>,
    attributions: Vec<attribution::Valid>,
}

fn validate(conn: &Connection, input: &EventInput) -> Result<Valid> {
    let case_id = case::resolve(conn, &input.case)?;
    let title = input::required("title", &input.title)?;
    let date = input::date("date", &input.date)?;
    let mut parties = Vec::new();
    for key in &input.parties {
        let id = party::resolve(conn, key)?;
        if !parties.contains(&id) {
            parties.push(id);
        }
    }
    Ok(Valid {
        case_id,
        title,
        date,
        description: input::text("description", &input.description)?,
        parties,
        tags: attribution::validate_tags(&input.tags)?,
        attributions: attribution::validate(conn, &input.attributions)?,
    })
}

fn write(tx: &Connection, id: &str, v: &Valid, position: i64, insert: bool) -> Result<()> {
    let (date, sort, lo, hi, rank) = store::date_cols(Some(&v.date));
    if insert {
        store::register(tx, "event", id)?;
        tx.execute(
            "INSERT INTO event (id, case_id, title, description, position, date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, v.case_id, v.title, v.description, position, date, sort, lo, hi, rank],
        )?;
    } else {
        tx.execute(
            "UPDATE event SET case_id = ?2, title = ?3, description = ?4, position = ?5, date = ?6, date_sort = ?7,
                    date_lo = ?8, date_hi = ?9, date_rank = ?10 WHERE id = ?1",
            params![id, v.case_id, v.title, v.description, position, date, sort, lo, hi, rank],
        )?;
        store::touch(tx, id)?;
    }
    tx.execute("DELETE FROM event_party WHERE event_id = ?1", [id])?;
    for p in &v.parties {
        tx.execute("INSERT INTO event_party (event_id, party_id) VALUES (?1, ?2)", params![id, p])?;
    }
    attribution::write_tags(tx, id, &v.tags)?;
    attribution::write(tx, id, &v.attributions)
}

pub fn create(store: &mut Store, input: &EventInput) -> Result<Event> {
    let v = validate(store.conn(), input)?;
    let id = store::new_id();
    store.write("create event", Some(&id), input, |tx| write(tx, &id, &v, input.position, true))?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &EventInput) -> Result<Event> {
    let id = get(store.conn(), id)?.id;
    let v = validate(store.conn(), input)?;
    store::same_case(store.conn(), "event", "event", &id, &v.case_id)?;
    store.write("update event", Some(&id), input, |tx| write(tx, &id, &v, input.position, false))?;
    get(store.conn(), &id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let event = get(store.conn(), id)?;
    let label = format!("event '{}'", event.title);
    store.write("delete event", Some(&event.id), &event.title, |tx| {
        store::delete_row(tx, "event", "event", &event.id, &label)
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Event> {
    let row = conn.query_row(
        "SELECT id, case_id, title, date, description, position FROM event WHERE id = ?1",
        [id.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    );
    let (id, case_id, title, date, description, position): (String, String, String, String, String, i64) = match row {
        Err(rusqlite::Error::QueryReturnedNoRows) => return Err(Error::not_found("event", id)),
        other => other?,
    };
    let parties = party_refs(conn, "SELECT p.id, p.name FROM event_party e JOIN party p ON p.id = e.party_id WHERE e.event_id = ?1 ORDER BY p.name", &id)?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Event {
        tags: attribution::tags(conn, &id)?,
        attributions: attribution::get(conn, &id)?,
        id,
        case_id,
        title,
        date,
        description,
        parties,
        position,
        created_at,
        updated_at,
    })
}

/// The events of a case in date order.
pub fn list(conn: &Connection, case: &str) -> Result<Vec<Event>> {
    let case_id = case::resolve(conn, case)?;
    let ids = conn
        .prepare("SELECT id FROM event WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id")?
        .query_map([&case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

impl Event {
    pub fn to_input(&self) -> EventInput {
        EventInput {
            case: self.case_id.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
            description: self.description.clone(),
            parties: self.parties.iter().map(|p| p.id.clone()).collect(),
            tags: self.tags.clone(),
            attributions: self.attributions.iter().map(Attribution::to_input).collect(),
            position: self.position,
        }
    }
}
