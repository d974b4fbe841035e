//! Events: anything that happened in a dispute that is not correspondence, an allegation or a response
//! (a price change, a threat to sue, a product dropping support), with its date and the parties involved.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution::{self, Attribution, AttributionInput};
use crate::record::privacy;
use crate::record::{case, party_ids, party_refs, PartyRef};
use crate::store::columns::date_cols;
use crate::store::registry::{self, Stamps};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::RecordKind;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    /// The letters whose deadline counts from this event (a hearing): they move when it does.
    pub deadlines: Vec<crate::record::letter::CountedFrom>,
    pub created_at: String,
    pub updated_at: String,
}

/// An event's own values, checked.
pub(crate) struct Fields {
    title: String,
    date: FuzzyDate,
    description: String,
    tags: Vec<String>,
    position: i64,
}

impl Fields {
    pub(crate) fn check(input: &EventInput) -> Result<Fields> {
        Ok(Fields {
            title: input::required("title", &input.title)?,
            date: input::date("date", &input.date)?,
            description: input::text("description", &input.description)?,
            tags: attribution::validate_tags(&input.tags)?,
            position: input.position,
        })
    }
}

pub(crate) struct Valid {
    pub(crate) case_id: String,
    pub(crate) parties: Vec<String>,
    pub(crate) attributions: Vec<attribution::Valid>,
    pub(crate) fields: Fields,
}

fn validate(db: &Reader, input: &EventInput) -> Result<Valid> {
    let case_id = case::resolve(db, &input.case)?;
    let fields = Fields::check(input)?;
    Ok(Valid {
        case_id,
        parties: party_ids(db, &input.parties)?,
        attributions: attribution::validate(db, &input.attributions)?,
        fields,
    })
}

/// Writes a new event with its parties, tags and attributions.
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Valid, stamps: &Stamps) -> Result<()> {
    let f = &v.fields;
    let (date, sort, lo, hi, rank) = date_cols(Some(&f.date));
    registry::register(w, RecordKind::Event, id, stamps)?;
    w.execute(
        "INSERT INTO event (id, case_id, title, description, position, date, date_sort, date_lo, date_hi, date_rank)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![id, v.case_id, f.title, f.description, f.position, date, sort, lo, hi, rank],
    )?;
    write_children(w, id, v)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    let (date, sort, lo, hi, rank) = date_cols(Some(&f.date));
    w.execute(
        "UPDATE event SET case_id = ?2, title = ?3, description = ?4, position = ?5, date = ?6, date_sort = ?7,
                date_lo = ?8, date_hi = ?9, date_rank = ?10 WHERE id = ?1",
        params![id, v.case_id, f.title, f.description, f.position, date, sort, lo, hi, rank],
    )?;
    write_children(w, id, v)?;
    registry::touch(w, id)?;
    // A deadline counted from this event follows its date, in the same write.
    crate::record::letter::recount_from_event(w, id)
}

fn write_children(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    w.execute("DELETE FROM event_party WHERE event_id = ?1", [id])?;
    for p in &v.parties {
        w.execute("INSERT INTO event_party (event_id, party_id) VALUES (?1, ?2)", params![id, p])?;
    }
    attribution::write_tags(w, id, &v.fields.tags)?;
    attribution::write(w, id, &v.attributions)
}

/// Creates an event inside a write under way (an import's), checked as [`create`] checks it; returns
/// its id.
pub(crate) fn create_in(w: &Writer<'_>, input: &EventInput) -> Result<String> {
    let v = validate(w, input)?;
    let id = registry::new_id();
    insert_row(w, &id, &v, &Stamps::now())?;
    Ok(id)
}

pub fn create(store: &mut Store, input: &EventInput) -> Result<Event> {
    let v = validate(store.reader(), input)?;
    let id = registry::new_id();
    store.write("create event", Some(&id), input, |w| insert_row(w, &id, &v, &Stamps::now()))?;
    get(store.reader(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &EventInput) -> Result<Event> {
    let id = get(store.reader(), id)?.id;
    let v = validate(store.reader(), input)?;
    registry::same_case(store.reader(), RecordKind::Event, &id, &v.case_id)?;
    store.write("update event", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let event = get(store.reader(), id)?;
    let label = format!("event '{}'", event.title);
    store.write("delete event", Some(&event.id), &event.title, |w| {
        registry::delete_row(w, RecordKind::Event, &event.id, &label)
    })
}

/// The descriptions of the events `ids` that have one, by event id.
pub fn descriptions(db: &Reader, ids: &[&str]) -> Result<std::collections::HashMap<String, String>> {
    let ids = serde_json::to_string(ids).map_err(|e| Error::internal(e.to_string()))?;
    Ok(db
        .all("SELECT id, description FROM event WHERE id IN (SELECT value FROM json_each(?1))", [ids], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?))
        })?
        .into_iter()
        .filter(|(_, description)| !description.trim().is_empty())
        .collect())
}

pub fn get(db: &Reader, id: &str) -> Result<Event> {
    let (id, case_id, title, date, description, position): (String, String, String, String, String, i64) = db
        .optional(
            "SELECT id, case_id, title, date, description, position FROM event WHERE id = ?1",
            [id.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?
        .ok_or_else(|| Error::not_found("event", id))?;
    let parties = party_refs(
        db,
        "SELECT p.id, p.name FROM event_party e JOIN party p ON p.id = e.party_id WHERE e.event_id = ?1 ORDER BY p.name",
        &id,
    )?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    let private = privacy::is_private(db, &id)?;
    Ok(Event {
        deadlines: crate::record::letter::counted_from(db, &id)?,
        tags: attribution::tags(db, &id)?,
        attributions: attribution::get(db, &id)?,
        id,
        case_id,
        title,
        date,
        description,
        parties,
        position,
        private,
        created_at,
        updated_at,
    })
}

/// The events of a case in date order.
pub fn list(db: &Reader, case: &str) -> Result<Vec<Event>> {
    let case_id = case::resolve(db, case)?;
    crate::record::list_by(
        db,
        "SELECT id FROM event WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id",
        &case_id,
        get,
    )
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
