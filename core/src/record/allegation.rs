//! Allegations: who alleges what against whom, where it was raised (a letter or an event), which
//! clauses it cites, and a dated status history (alleged → under review → disputed → …). The current
//! status is always the latest entry of that history, never a separate field that could disagree.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::agreement::{self, Clause};
use crate::record::attribution::{self, Attribution, AttributionInput};
use crate::record::privacy;
use crate::record::{case, party, party_ref, Listed, PartyRef};
use crate::store::columns::date_cols;
use crate::store::registry::{self, Stamps};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{AllegationStatus, RecordKind, Spelling};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusInput {
    pub status: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
    /// Orders this entry among timeline items of the same date.
    #[serde(default)]
    pub position: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Allegation {
    pub id: String,
    pub case_id: String,
    pub made_by: PartyRef,
    pub against: PartyRef,
    pub raised_in: Option<RaisedIn>,
    pub agreement_id: Option<String>,
    pub clauses: Vec<Clause>,
    pub summary: String,
    pub detail: String,
    pub date: String,
    pub status: AllegationStatus,
    pub history: Vec<StatusEntry>,
    /// Ids of the responses that answer it.
    pub responses: Vec<String>,
    pub tags: Vec<String>,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RaisedIn {
    /// A letter or an event.
    pub kind: RecordKind,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusEntry {
    /// Entries are numbered in the order they were recorded.
    pub id: i64,
    pub status: AllegationStatus,
    pub date: String,
    pub note: String,
    /// Orders this entry among timeline items of the same date.
    pub position: i64,
}

/// An allegation's own values, checked.
pub(crate) struct Fields {
    summary: String,
    detail: String,
    /// `None`: the date of the letter or event it was raised in.
    date: Option<FuzzyDate>,
    tags: Vec<String>,
    position: i64,
}

impl Fields {
    pub(crate) fn check(input: &AllegationInput) -> Result<Fields> {
        Ok(Fields {
            date: input::opt_date("date", &input.date)?,
            summary: input::required("summary", &input.summary)?,
            detail: input::text("detail", &input.detail)?,
            tags: attribution::validate_tags(&input.tags)?,
            position: input.position,
        })
    }
}

/// Where an allegation was raised.
pub(crate) enum Raised {
    Letter(String),
    Event(String),
}

pub(crate) struct Valid {
    pub(crate) case_id: String,
    pub(crate) made_by: String,
    pub(crate) against: String,
    pub(crate) raised_in: Option<Raised>,
    pub(crate) agreement: Option<String>,
    pub(crate) clauses: Vec<String>,
    pub(crate) attributions: Vec<attribution::Valid>,
    /// When it was raised: its own date, or that of the letter or event.
    pub(crate) date: FuzzyDate,
    pub(crate) fields: Fields,
}

/// The date an allegation is raised on: its own, or that of what it was raised in.
pub(crate) fn raised_on(own: Option<&FuzzyDate>, raised_in: Option<FuzzyDate>) -> Result<FuzzyDate> {
    match (own, raised_in) {
        (Some(d), _) => Ok(d.clone()),
        (None, Some(d)) => Ok(d),
        (None, None) => Err(Error::rule(
            "date",
            "date_required_unless_raised",
            None,
            "is required when the allegation is not raised in a letter or event",
        )),
    }
}

fn in_case(db: &Reader, kind: RecordKind, field: &str, id: &str, case_id: &str) -> Result<bool> {
    match registry::case_of(db, kind, id)? {
        None => Ok(false),
        Some(c) if c == case_id => Ok(true),
        Some(_) => Err(Error::rule(field, "other_case", id.to_string(), format!("'{id}' belongs to another case"))),
    }
}

fn validate(db: &Reader, input: &AllegationInput) -> Result<Valid> {
    let case_id = case::resolve(db, &input.case)?;
    let made_by = party::resolve(db, &input.made_by).map_err(|e| required_as(e, "made_by"))?;
    let against = party::resolve(db, &input.against).map_err(|e| required_as(e, "against"))?;
    let (raised_in, raised_date) = match input.raised_in.trim() {
        "" => (None, None),
        id if in_case(db, RecordKind::Letter, "raised_in", id, &case_id)? => {
            let date: String = db.one("SELECT date FROM letter WHERE id = ?1", [id], |r| r.get(0))?;
            (Some(Raised::Letter(id.to_string())), Some(date))
        }
        id if in_case(db, RecordKind::Event, "raised_in", id, &case_id)? => {
            let date: String = db.one("SELECT date FROM event WHERE id = ?1", [id], |r| r.get(0))?;
            (Some(Raised::Event(id.to_string())), Some(date))
        }
        id => return Err(Error::not_found("letter or event", id)),
    };
    let agreement = match input.agreement.trim() {
        "" => None,
        id if in_case(db, RecordKind::Agreement, "agreement", id, &case_id)? => Some(id.to_string()),
        id => return Err(Error::not_found("agreement", id)),
    };
    let mut clauses = Vec::new();
    for c in &input.clauses {
        let clause = agreement::get_clause(db, c)?;
        if !in_case(db, RecordKind::Agreement, "clause", &clause.agreement_id, &case_id)? {
            return Err(Error::not_found("clause", c));
        }
        if !clauses.contains(&clause.id) {
            clauses.push(clause.id);
        }
    }
    let fields = Fields::check(input)?;
    let raised_date = raised_date.map(|d| input::date("date", &d)).transpose()?;
    Ok(Valid {
        case_id,
        made_by,
        against,
        raised_in,
        agreement,
        clauses,
        attributions: attribution::validate(db, &input.attributions)?,
        date: raised_on(fields.date.as_ref(), raised_date)?,
        fields,
    })
}

/// A missing party key is reported against the field that needed it.
fn required_as(e: Error, field: &str) -> Error {
    match e {
        Error::Invalid { reason, .. } if reason.key == "required" => Error::invalid(field, reason),
        other => other,
    }
}

/// Writes a new allegation with its clauses, tags and attributions. Its status history starts with
/// [`insert_status_row`].
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Valid, stamps: &Stamps) -> Result<()> {
    let f = &v.fields;
    let (letter, event) = raised_ids(v);
    let (date, sort, lo, hi, rank) = date_cols(Some(&v.date));
    registry::register(w, RecordKind::Allegation, id, stamps)?;
    w.execute(
        "INSERT INTO allegation (id, case_id, made_by, against, raised_in_letter, raised_in_event, agreement_id, summary,
             detail, position, date, date_sort, date_lo, date_hi, date_rank)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id, v.case_id, v.made_by, v.against, letter, event, v.agreement, f.summary, f.detail, f.position, date,
            sort, lo, hi, rank
        ],
    )?;
    write_children(w, id, v)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    let (letter, event) = raised_ids(v);
    let (date, sort, lo, hi, rank) = date_cols(Some(&v.date));
    w.execute(
        "UPDATE allegation SET case_id = ?2, made_by = ?3, against = ?4, raised_in_letter = ?5, raised_in_event = ?6,
             agreement_id = ?7, summary = ?8, detail = ?9, position = ?10, date = ?11, date_sort = ?12, date_lo = ?13,
             date_hi = ?14, date_rank = ?15
         WHERE id = ?1",
        params![
            id,
            v.case_id,
            v.made_by,
            v.against,
            letter,
            event,
            v.agreement,
            f.summary,
            f.detail,
            f.position,
            date,
            sort,
            lo,
            hi,
            rank
        ],
    )?;
    // The first history entry is the raising itself, so it moves with the allegation's date.
    w.execute(
        "UPDATE allegation_status SET date = ?2, date_sort = ?3, date_lo = ?4, date_hi = ?5, date_rank = ?6
          WHERE id = (SELECT min(id) FROM allegation_status WHERE allegation_id = ?1) AND status = 'alleged'",
        params![id, date, sort, lo, hi, rank],
    )?;
    write_children(w, id, v)?;
    registry::touch(w, id)
}

fn raised_ids(v: &Valid) -> (Option<&str>, Option<&str>) {
    match &v.raised_in {
        Some(Raised::Letter(l)) => (Some(l.as_str()), None),
        Some(Raised::Event(e)) => (None, Some(e.as_str())),
        None => (None, None),
    }
}

fn write_children(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    w.execute("DELETE FROM allegation_clause WHERE allegation_id = ?1", [id])?;
    for c in &v.clauses {
        w.execute("INSERT INTO allegation_clause (allegation_id, clause_id) VALUES (?1, ?2)", params![id, c])?;
    }
    attribution::write_tags(w, id, &v.fields.tags)?;
    attribution::write(w, id, &v.attributions)
}

/// A status change's values, checked.
pub(crate) struct StatusFields {
    status: AllegationStatus,
    date: FuzzyDate,
    note: String,
    position: i64,
}

impl StatusFields {
    pub(crate) fn check(input: &StatusInput, spelling: Spelling) -> Result<StatusFields> {
        Ok(StatusFields {
            status: input::one_of("status", &input.status, spelling)?,
            date: input::date("date", &input.date)?,
            note: input::text("note", &input.note)?,
            position: input.position,
        })
    }

    /// The opening entry of every history: "alleged", at the date it was raised.
    pub(crate) fn raising(date: &FuzzyDate) -> StatusFields {
        StatusFields { status: AllegationStatus::Alleged, date: date.clone(), note: String::new(), position: 0 }
    }
}

/// Adds an entry to an allegation's status history.
pub(crate) fn insert_status_row(w: &Writer<'_>, allegation_id: &str, s: &StatusFields) -> Result<()> {
    let (d, sort, lo, hi, rank) = date_cols(Some(&s.date));
    w.execute(
        "INSERT INTO allegation_status (allegation_id, status, note, position, date, date_sort, date_lo, date_hi, date_rank)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![allegation_id, s.status, s.note, s.position, d, sort, lo, hi, rank],
    )?;
    Ok(())
}

/// Writes a new allegation, its status history opened by its raising.
fn insert_raised(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    insert_row(w, id, v, &Stamps::now())?;
    insert_status_row(w, id, &StatusFields::raising(&v.date))
}

pub fn create(store: &mut Store, input: &AllegationInput) -> Result<Allegation> {
    let v = validate(store.reader(), input)?;
    let id = registry::new_id();
    store.write("create allegation", Some(&id), input, |w| insert_raised(w, &id, &v))?;
    get(store.reader(), &id)
}

/// Creates an allegation inside a write under way, checked as [`create`] checks it; returns its id.
pub(crate) fn create_in(w: &Writer<'_>, input: &AllegationInput) -> Result<String> {
    let v = validate(w, input)?;
    let id = registry::new_id();
    insert_raised(w, &id, &v)?;
    Ok(id)
}

pub fn update(store: &mut Store, id: &str, input: &AllegationInput) -> Result<Allegation> {
    let existing = get(store.reader(), id)?;
    let id = existing.id;
    let v = validate(store.reader(), input)?;
    registry::same_case(store.reader(), RecordKind::Allegation, &id, &v.case_id)?;
    // The raising opens the status history: it cannot move past a change already recorded.
    if let Some(raised_lo) = v.date.lower() {
        for later in existing.history.iter().skip(1) {
            let d = input::date("date", &later.date)?;
            if d.upper().is_some_and(|hi| hi <= raised_lo) {
                return Err(Error::rule(
                    "date",
                    "raised_after_status_change",
                    v.date.to_string(),
                    format!(
                        "'{}' is after the status change to {} on '{}'",
                        v.date,
                        later.status.word(crate::date::Lang::En),
                        later.date
                    ),
                ));
            }
        }
    }
    store.write("update allegation", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

/// Checks a change of status of the allegation `id`: it cannot come before the raising. Returns the
/// allegation's id with the change's values.
fn validate_status(db: &Reader, id: &str, input: &StatusInput) -> Result<(String, StatusFields)> {
    let allegation = get(db, id)?;
    let s = StatusFields::check(input, Spelling::Lenient)?;
    let raised = input::date("date", &allegation.date)?;
    if let (Some(hi), Some(raised_lo)) = (s.date.upper(), raised.lower()) {
        if hi <= raised_lo {
            return Err(Error::rule(
                "date",
                "status_before_raising",
                s.date.to_string(),
                format!("'{}' is before the allegation was raised ('{raised}')", s.date),
            ));
        }
    }
    Ok((allegation.id, s))
}

/// Adds a checked change to the history, which changes the allegation.
fn insert_status(w: &Writer<'_>, id: &str, s: &StatusFields) -> Result<()> {
    insert_status_row(w, id, s)?;
    registry::touch(w, id)
}

/// Records a change of status at a date. The history keeps every entry.
pub fn set_status(store: &mut Store, id: &str, input: &StatusInput) -> Result<Allegation> {
    let (id, s) = validate_status(store.reader(), id, input)?;
    store.write("set allegation status", Some(&id), input, |w| insert_status(w, &id, &s))?;
    get(store.reader(), &id)
}

/// [`set_status`] inside a write under way, checked as it checks it.
pub(crate) fn set_status_in(w: &Writer<'_>, id: &str, input: &StatusInput) -> Result<()> {
    let (id, s) = validate_status(w, id, input)?;
    insert_status(w, &id, &s)
}

/// Deletes an allegation with its status history; refused while a response answers it.
pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let a = get(store.reader(), id)?;
    let label = format!("allegation '{}'", input::shorten(&a.summary));
    store.write("delete allegation", Some(&a.id), &a.summary, |w| {
        registry::delete_row(w, RecordKind::Allegation, &a.id, &label)
    })
}

pub fn get(db: &Reader, id: &str) -> Result<Allegation> {
    type Row =
        (String, String, String, String, Option<String>, Option<String>, Option<String>, String, String, String, i64);
    let (id, case_id, made_by, against, letter, event, agreement_id, summary, detail, date, position): Row = db
        .optional(
            "SELECT id, case_id, made_by, against, raised_in_letter, raised_in_event, agreement_id, summary, detail,
                    date, position
               FROM allegation WHERE id = ?1",
            [id.trim()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            },
        )?
        .ok_or_else(|| Error::not_found("allegation", id))?;
    let raised_in = match (letter, event) {
        (Some(l), _) => Some((RecordKind::Letter, l)),
        (None, Some(e)) => Some((RecordKind::Event, e)),
        (None, None) => None,
    }
    .map(|(kind, id)| -> Result<RaisedIn> {
        let (_, title) = registry::title_of(db, &id)?;
        Ok(RaisedIn { kind, id, title })
    })
    .transpose()?;
    let clauses = db
        .strings(
            "SELECT c.id FROM allegation_clause ac JOIN clause c ON c.id = ac.clause_id WHERE ac.allegation_id = ?1
              ORDER BY c.agreement_id, c.position",
            [&id],
        )?
        .iter()
        .map(|c| agreement::get_clause(db, c))
        .collect::<Result<Vec<_>>>()?;
    let history = history(db, &id)?;
    let status = history.last().map(|h| h.status).unwrap_or(AllegationStatus::Alleged);
    let responses = db.strings(
        "SELECT r.id FROM response_allegation ra JOIN response r ON r.id = ra.response_id WHERE ra.allegation_id = ?1
          ORDER BY r.date_sort, r.date_rank, r.position, r.id",
        [&id],
    )?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    let private = privacy::is_private(db, &id)?;
    Ok(Allegation {
        made_by: party_ref(db, made_by)?,
        against: party_ref(db, against)?,
        tags: attribution::tags(db, &id)?,
        attributions: attribution::get(db, &id)?,
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
        private,
        created_at,
        updated_at,
    })
}

/// The status history: the raising first, then the changes in date order (entries at the same date
/// in the order they were recorded). A change dated at the raising's own day or month still comes after it.
fn history(db: &Reader, id: &str) -> Result<Vec<StatusEntry>> {
    db.all(
        "SELECT id, status, date, note, position FROM allegation_status WHERE allegation_id = ?1
          ORDER BY id = (SELECT min(id) FROM allegation_status WHERE allegation_id = ?1) DESC, date_sort, date_rank, id",
        [id],
        |r| Ok(StatusEntry { id: r.get(0)?, status: r.get(1)?, date: r.get(2)?, note: r.get(3)?, position: r.get(4)? }),
    )
}

pub fn list(db: &Reader, case: &str) -> Result<Vec<Allegation>> {
    let case_id = case::resolve(db, case)?;
    crate::record::list_by(db, LIST, &case_id, get)
}

/// The ids of a case's allegations, in the order of [`list`], for a reader that takes one at a time.
pub fn ids(db: &Reader, case_id: &str) -> Result<Vec<String>> {
    db.strings(LIST, [case_id])
}

/// A page of [`list`]: `limit` allegations from position `offset`, with the total.
pub fn page(db: &Reader, case: &str, offset: usize, limit: usize) -> Result<Listed<Allegation>> {
    let case_id = case::resolve(db, case)?;
    crate::record::page_by(db, LIST, &case_id, get, offset, limit)
}

/// The allegations of a case, in the order they are listed.
const LIST: &str = "SELECT id FROM allegation WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id";

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
