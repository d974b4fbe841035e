//! Writing a checked and planned bundle: its evidence files into the store, then its missing records
//! through each noun's own `insert_row`, one item at a time as the bundle is read again, in the order
//! of its sections (`Section`), which puts every record after those it names.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::check::Checked;
use super::inputs::attribution_inputs;
use super::plan::{self, Plan};
use super::schema::*;
use crate::error::{Error, Result};
use crate::input;
use crate::record::allegation::{self, Raised, StatusFields};
use crate::record::{agreement, attribution, case, event, evidence, letter, party, privacy, privilege, response, role};
use crate::store::imported;
use crate::store::registry::{self, Stamps};
use crate::store::text::{self, BeforeWrite};
use crate::store::{Store, Writer};
use crate::vocabulary::{RecordKind, Role, Spelling};

/// Puts the file of every new file evidence into the store before anything is written to the database
/// (so that the database never names a missing file), checking each against its SHA-256 and size.
/// Returns, for each file, its media type and its text when it is quick to read (read now rather than
/// inside the write), or that it is to be read in the background.
pub(super) fn bring_files(
    store: &Store,
    b: &Checked,
    plan: &Plan,
    folder: Option<&Path>,
) -> Result<Vec<(String, String, BeforeWrite)>> {
    // The files are flushed to disk together, once all are in the store.
    store.blobs().flushed_at_once(|| bring_each(store, b, plan, folder))
}

fn bring_each(
    store: &Store,
    b: &Checked,
    plan: &Plan,
    folder: Option<&Path>,
) -> Result<Vec<(String, String, BeforeWrite)>> {
    let mut texts = Vec::new();
    let mut done = HashSet::new();
    for e in b.files.iter().filter(|e| plan.is_new(&e.id)) {
        let (sha, size) = (e.sha256.as_str(), e.size);
        if done.insert(sha) && !store.blobs().contains(sha) {
            let Some(folder) = folder else {
                return Err(Error::rule(
                    "files",
                    "file_missing",
                    sha.to_string(),
                    format!("evidence file {sha} is not in the store, and no bundle folder was given to bring it from"),
                ));
            };
            let source = folder.join(sha);
            let expected = u64::try_from(size).map_err(|_| {
                Error::rule(format!("evidence '{}' size", e.id), "negative", size.to_string(), "is negative")
            })?;
            store.blobs().put_verified(&source, sha, expected, || {
                Error::rule(
                    "files",
                    "file_missing",
                    sha.to_string(),
                    format!("evidence file {sha} is not in the bundle folder {}", folder.display()),
                )
            })?;
        }
        let actual = store.blobs().size(sha)?.unwrap_or(0);
        if i64::try_from(actual).ok() != Some(size) {
            return Err(Error::rule(
                format!("evidence '{}' size", e.id),
                "size_mismatch",
                size.to_string(),
                format!("the bundle says {size} bytes but evidence file {sha} has {actual}"),
            ));
        }
        if let Some(media) = e.media_type.as_deref().filter(|_| !texts.iter().any(|(s, _, _)| s == sha)) {
            texts.push((sha.to_string(), media.to_string(), text::read_before_write(store, sha, media)));
        }
    }
    Ok(texts)
}

fn stamps(created_at: &str, updated_at: &str) -> Stamps {
    Stamps { created_at: created_at.to_string(), updated_at: updated_at.to_string() }
}

/// Tags and attributions, for the kinds whose noun does not write them itself.
fn qualifiers(w: &Writer<'_>, plan: &Plan, id: &str, tags: &[String], list: &[AttributionRec]) -> Result<()> {
    attribution::write_tags(w, id, tags)?;
    let valid = attribution::check(&attribution_inputs(list), Spelling::Exact, |p| Ok(plan.id(p).to_string()))?;
    attribution::write(w, id, &valid)
}

fn ids(plan: &Plan, list: &[String]) -> Vec<String> {
    list.iter().map(|id| plan.id(id).to_string()).collect()
}

/// What writing the items of a bundle keeps from one item to the next.
pub(super) struct Writing<'p> {
    pub(super) plan: &'p Plan,
    pub(super) kinds: &'p HashMap<String, RecordKind>,
    pub(super) case_id: &'p str,
    /// How many entries of each new record's history were kept so far.
    positions: HashMap<String, i64>,
    /// Evidence links written, and links the database had already.
    pub(super) links: (usize, usize),
    /// Entries of history the new records brought.
    pub(super) history: usize,
}

impl<'p> Writing<'p> {
    pub(super) fn new(b: &'p Checked, plan: &'p Plan) -> Writing<'p> {
        Writing { plan, kinds: &b.kinds, case_id: &b.case.id, positions: HashMap::new(), links: (0, 0), history: 0 }
    }
}

/// Writes the new parties, the case if it is new, and its missing roles: what every other record names.
pub(super) fn start(w: &Writer<'_>, b: &Checked, plan: &Plan) -> Result<()> {
    let case_id = b.case.id.as_str();
    let mut affiliations = Vec::new();
    for p in b.parties.iter().filter(|p| plan.is_new(&p.id)) {
        let fields = party::Fields::check(&p.input(), Spelling::Exact)?;
        let organisations = p.affiliations.iter().map(|a| plan.id(&a.organisation).to_string()).collect();
        let valid = party::Valid::new(fields, organisations, Some(&p.id))?;
        party::insert_row(w, &p.id, &valid, &stamps(&p.created_at, &p.updated_at))?;
        affiliations.push((p.id.as_str(), valid.affiliations));
    }
    // Affiliations name organisations, which may be new parties too: they come once all are in.
    for (id, list) in affiliations {
        party::write_affiliations(w, id, &list)?;
    }
    let c = &b.case;
    if plan.is_new(case_id) {
        let fields = case::Fields::check(&c.input(), Spelling::Exact)?;
        case::insert_row(w, case_id, &fields, &stamps(&c.created_at, &c.updated_at))?;
    }
    for &i in &plan.new_roles {
        let r = &c.roles[i];
        let role: Role = input::one_of("role", &r.role, Spelling::Exact)?;
        role::insert_row(w, case_id, plan.id(&r.party), role, r.on_behalf_of.as_deref().map(|p| plan.id(p)))?;
    }
    Ok(())
}

/// Writes one item of the bundle if the database does not have it, after checking what it names.
pub(super) fn item(w: &Writer<'_>, at: &mut Writing<'_>, item: &Item) -> Result<()> {
    let (plan, case_id) = (at.plan, at.case_id);
    plan::refs(w, at.kinds, case_id, item)?;
    plan::refuse_collisions(w, plan, case_id, item)?;
    match item {
        Item::Case(_) | Item::Party(_) => {}
        Item::Agreement(a) => {
            if plan.is_new(&a.id) {
                let valid = agreement::Valid {
                    case_id: case_id.to_string(),
                    parties: ids(plan, &a.parties),
                    fields: agreement::Fields::check(&a.input(case_id))?,
                };
                agreement::insert_row(w, &a.id, &valid, &stamps(&a.created_at, &a.updated_at))?;
                qualifiers(w, plan, &a.id, &a.tags, &a.attributions)?;
            }
            for cl in a.clauses.iter().filter(|cl| plan.is_new(&cl.id)) {
                let fields = agreement::ClauseFields::check(&cl.input())?;
                agreement::insert_clause_row(
                    w,
                    &cl.id,
                    &a.id,
                    &fields,
                    Some(cl.position),
                    &stamps(&cl.created_at, &cl.updated_at),
                )?;
                qualifiers(w, plan, &cl.id, &cl.tags, &cl.attributions)?;
            }
        }
        Item::Event(e) if plan.is_new(&e.id) => {
            let input = e.input(case_id);
            let valid = event::Valid {
                case_id: case_id.to_string(),
                parties: ids(plan, &e.parties),
                attributions: attribution::check(&input.attributions, Spelling::Exact, |p| Ok(plan.id(p).to_string()))?,
                fields: event::Fields::check(&input)?,
            };
            event::insert_row(w, &e.id, &valid, &stamps(&e.created_at, &e.updated_at))?;
            // The bundle's letters come before its events: those counting from this one count now.
            letter::recount_from_event(w, &e.id)?;
        }
        Item::Letter(l) if plan.is_new(&l.id) => insert_letter(w, plan, case_id, l)?,
        Item::Allegation(a) if plan.is_new(&a.id) => insert_allegation(w, at, a)?,
        Item::Response(r) if plan.is_new(&r.id) => {
            let input = r.input();
            let fields = response::Fields::check(&input, Spelling::Exact)?;
            let valid = response::Valid {
                case_id: case_id.to_string(),
                allegations: r.allegations.clone(),
                by: plan.id(&r.by).to_string(),
                letter: r.letter.clone(),
                attributions: attribution::check(&input.attributions, Spelling::Exact, |p| Ok(plan.id(p).to_string()))?,
                date: response::given_on(fields_date(&r.date)?.as_ref(), None)?,
                fields,
            };
            response::insert_row(w, &r.id, &valid, &stamps(&r.created_at, &r.updated_at))?;
        }
        Item::Evidence(e) if plan.is_new(&e.id) => {
            let fields = evidence::Fields::check(&e.input(case_id), Spelling::Exact)?.with_file(e.file())?;
            evidence::insert_row(w, &e.id, case_id, &fields, &stamps(&e.created_at, &e.updated_at))?;
            if let Some(r) = &e.redaction {
                let boxes = evidence::redact::checked(&r.boxes)?;
                evidence::redact::write_rows(w, &e.id, &r.original, &r.made_at, &boxes)?;
            }
            qualifiers(w, plan, &e.id, &e.tags, &e.attributions)?;
        }
        Item::Link(l) => {
            if evidence::is_linked(w, &l.evidence, plan.id(&l.record), &l.pinpoint)? {
                at.links.1 += 1;
            } else {
                evidence::insert_link(w, &l.evidence, plan.id(&l.record), &evidence::LinkFields::check(&l.input())?)?;
                at.links.0 += 1;
            }
        }
        // A record already in the database keeps its own privacy: a merge adds, it does not change.
        Item::Private(id) if plan.is_new(id) => privacy::write(w, plan.id(id), true)?,
        Item::Privileged(p) if plan.is_new(&p.record) => {
            privilege::write(w, plan.id(&p.record), Some(&privilege::checked(&p.input())?))?;
        }
        Item::History(h) if plan.is_new(&h.record) => keep_history(w, at, h)?,
        _ => {}
    }
    Ok(())
}

fn insert_allegation(w: &Writer<'_>, at: &Writing<'_>, a: &AllegationRec) -> Result<()> {
    let (plan, case_id) = (at.plan, at.case_id);
    let input = a.input(case_id);
    let fields = allegation::Fields::check(&input)?;
    // `refs` checked that `raised_in` names a letter or an event, of the bundle or of the database.
    let raised_in = match &a.raised_in {
        Some(r) => match at.kinds.get(r).copied().or(registry::kind_of(w, r)?) {
            Some(RecordKind::Letter) => Some(Raised::Letter(r.clone())),
            Some(RecordKind::Event) => Some(Raised::Event(r.clone())),
            other => return Err(Error::internal(format!("raised_in '{r}' is a {other:?}"))),
        },
        None => None,
    };
    let valid = allegation::Valid {
        case_id: case_id.to_string(),
        made_by: plan.id(&a.made_by).to_string(),
        against: plan.id(&a.against).to_string(),
        raised_in,
        agreement: a.agreement.clone(),
        clauses: a.clauses.clone(),
        attributions: attribution::check(&input.attributions, Spelling::Exact, |p| Ok(plan.id(p).to_string()))?,
        date: allegation::raised_on(fields_date(&a.date)?.as_ref(), None)?,
        fields,
    };
    allegation::insert_row(w, &a.id, &valid, &stamps(&a.created_at, &a.updated_at))?;
    // The history opens with the raising; a bundle that leaves it out gets it as creating one would.
    if a.history.is_empty() {
        allegation::insert_status_row(w, &a.id, &StatusFields::raising(&valid.date))?;
    }
    for s in &a.history {
        allegation::insert_status_row(w, &a.id, &StatusFields::check(&s.input(), Spelling::Exact)?)?;
    }
    Ok(())
}

/// Keeps one entry of the history a new record had where it was made (`imported_history`), marked
/// with the anchor of the database it came from.
fn keep_history(w: &Writer<'_>, at: &mut Writing<'_>, h: &HistoryRec) -> Result<()> {
    let what = format!("history of '{}'", h.record);
    let when = input::required("at", &h.at).map_err(|e| e.within(&what))?;
    let action = input::required("action", &h.action).map_err(|e| e.within(&what))?;
    let actor = h.actor.as_deref().map(|a| input::line("actor", a)).transpose().map_err(|e| e.within(&what))?;
    let source = input::required("source", &h.source).map_err(|e| e.within(&what))?;
    if let Some(image) = &h.image {
        refuse_foreign_image(w, &h.record, image).map_err(|e| e.within(&what))?;
    }
    let position = at.positions.entry(h.record.clone()).or_insert(0);
    *position += 1;
    let step = imported::Imported {
        position: *position,
        at: when,
        action,
        actor,
        image: h.image.as_ref().map(|i| i.to_string()),
        source,
    };
    imported::put_new(w, &h.record, &step)?;
    at.history += 1;
    Ok(())
}

/// Refuses a history image that is not the record's own: of another kind, or holding rows of other
/// records (which `--as-of` and `history` would otherwise show as this record's past, or another's).
fn refuse_foreign_image(w: &Writer<'_>, record: &str, image: &serde_json::Value) -> Result<()> {
    let refused = |why: String| {
        Error::rule(
            "history",
            "foreign_history",
            record.to_string(),
            format!("its image {why}: a bundle's history may hold only the record's own rows"),
        )
    };
    let image = crate::store::images::Image::from_json(image).map_err(|_| refused("is not an image".into()))?;
    let kind = crate::store::registry::kind_of(w, record)?;
    if kind != Some(image.kind) {
        return Err(refused(format!("is of a {}, not of this record's kind", image.kind)));
    }
    match image.foreign(record) {
        Some(why) => Err(refused(format!("holds {why}"))),
        None => Ok(()),
    }
}

fn fields_date(text: &str) -> Result<Option<crate::date::FuzzyDate>> {
    input::opt_date("date", text)
}

/// Writes a new letter. The letter it answers may come later in the bundle: the import defers the
/// database's checks of references to its commit (`refs` has checked each one already).
fn insert_letter(w: &Writer<'_>, plan: &Plan, case_id: &str, l: &LetterRec) -> Result<()> {
    let mut input = l.input(case_id);
    // A rule counts from its event when the database has it; from an event the bundle writes later,
    // the bundle's deadline stands until that event is in (`recount_from_event`).
    let written = match &l.deadline_event {
        Some(e) if registry::kind_of(w, e)?.is_some() => Some(e.as_str()),
        _ => None,
    };
    let event = letter::event_date(w, written.unwrap_or_default(), case_id)?;
    if l.deadline_event.is_some() && written.is_none() {
        input.deadline = l.deadline.clone().unwrap_or_default();
    }
    let valid = letter::Valid {
        case_id: case_id.to_string(),
        sender: plan.id(&l.sender).to_string(),
        sender_person: l.sender_person.as_deref().map(|p| plan.id(p).to_string()),
        recipients: letter::recipients(ids(plan, &l.to), ids(plan, &l.cc)),
        in_reply_to: l.in_reply_to.clone(),
        fields: letter::Fields::check(&input, Spelling::Exact, event.as_ref())?,
    };
    letter::insert_row(w, &l.id, &valid, &stamps(&l.created_at, &l.updated_at))?;
    attribution::write(
        w,
        &l.id,
        &attribution::check(&attribution_inputs(&l.attributions), Spelling::Exact, |p| Ok(plan.id(p).to_string()))?,
    )
}
