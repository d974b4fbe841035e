//! A case as a bundle, read through the nouns' own read views. Every list is put in a stored order
//! (records by id, references by id, history in the order it was recorded), so two exports of the same
//! record give the same bytes.

use super::schema::*;
use crate::error::{Error, Result};
use crate::record::attribution::{self, Attribution};
use crate::record::{agreement, allegation, case, event, evidence, letter, party, response, role, PartyRef};
use crate::store::registry::{self, Stamps};
use crate::store::Reader;
use crate::view::history;
use crate::vocabulary::RecordKind;

/// The sections that list a case's records, each with the kind of record it lists, in the order of the file.
pub(super) const RECORD_SECTIONS: [(Section, RecordKind); 6] = [
    (Section::Agreements, RecordKind::Agreement),
    (Section::Letters, RecordKind::Letter),
    (Section::Events, RecordKind::Event),
    (Section::Allegations, RecordKind::Allegation),
    (Section::Responses, RecordKind::Response),
    (Section::Evidence, RecordKind::Evidence),
];

/// The record `id` of `kind` (one of [`RECORD_SECTIONS`]) as an item of its section, with its evidence
/// links when it is evidence (read with it, in one read).
pub(super) fn item(db: &Reader, kind: RecordKind, id: &str) -> Result<(Item, Vec<LinkRec>)> {
    let item = match kind {
        RecordKind::Agreement => Item::Agreement(read_agreement(db, id)?),
        RecordKind::Letter => Item::Letter(read_letter(db, id)?),
        RecordKind::Event => Item::Event(read_event(db, id)?),
        RecordKind::Allegation => Item::Allegation(read_allegation(db, id)?),
        RecordKind::Response => Item::Response(read_response(db, id)?),
        RecordKind::Evidence => {
            let (e, links) = read_evidence(db, id)?;
            return Ok((Item::Evidence(e), links));
        }
        other => return Err(Error::internal(format!("a {other} has no section of its own"))),
    };
    Ok((item, Vec::new()))
}

/// The history of the record `id`, oldest first, each entry marked with the database it was made in
/// (`here` for this one's); with `actors`, who wrote each entry as recorded, else the front end only.
pub(super) fn history(
    db: &Reader,
    histories: &history::Histories,
    id: &str,
    here: &str,
    actors: bool,
) -> Result<Vec<HistoryRec>> {
    Ok(histories
        .steps(db, id)?
        .into_iter()
        .map(|step| HistoryRec {
            record: id.to_string(),
            at: step.at,
            action: step.action,
            actor: if actors { step.actor } else { step.actor.as_deref().map(front_end) },
            source: step.imported_from.unwrap_or_else(|| here.to_string()),
            image: step.image.map(|i| i.to_json()),
        })
        .collect())
}

/// The front end of an actor (`cli` of `cli (alice)`): the store writes the system user in
/// parentheses after it, and that name is what a bundle leaves out unless asked.
fn front_end(actor: &str) -> String {
    actor.split_once(" (").map_or(actor, |(front, _)| front).to_string()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn ids(parties: &[PartyRef]) -> Vec<String> {
    sorted(parties.iter().map(|p| p.id.clone()).collect())
}

fn attributions(list: Vec<Attribution>) -> Vec<AttributionRec> {
    list.into_iter()
        .map(|a| AttributionRec {
            asserted_by: a.asserted_by_id,
            reported_by: a.reported_by_id,
            how: a.how,
            certainty: a.certainty.to_string(),
        })
        .collect()
}

/// Tags and attributions of a record, for the kinds whose view does not carry them.
fn qualifiers(db: &Reader, id: &str) -> Result<(Vec<String>, Vec<AttributionRec>)> {
    Ok((attribution::tags(db, id)?, attributions(attribution::get(db, id)?)))
}

pub(super) fn case(db: &Reader, id: &str) -> Result<CaseRec> {
    let c = case::get(db, id)?;
    let mut roles: Vec<RoleRec> = role::roles(db, id)?
        .into_iter()
        .map(|r| RoleRec { party: r.party_id, role: r.role.to_string(), on_behalf_of: r.on_behalf_of_id })
        .collect();
    roles.sort_by(|a, b| (&a.party, &a.role).cmp(&(&b.party, &b.role)));
    Ok(CaseRec {
        id: c.id,
        slug: c.slug,
        title: c.title,
        status: c.status.to_string(),
        summary: c.summary,
        tags: sorted(c.tags),
        roles,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

pub(super) fn party(db: &Reader, id: &str) -> Result<PartyRec> {
    let p = party::get(db, id)?;
    let mut affiliations: Vec<AffiliationRec> =
        p.affiliations.into_iter().map(|a| AffiliationRec { organisation: a.organisation_id, role: a.role }).collect();
    affiliations.sort_by(|a, b| (&a.organisation, &a.role).cmp(&(&b.organisation, &b.role)));
    Ok(PartyRec {
        id: p.id,
        name: p.name,
        kind: p.kind.to_string(),
        description: p.description,
        aliases: sorted(p.aliases),
        affiliations,
        created_at: p.created_at,
        updated_at: p.updated_at,
    })
}

fn read_agreement(db: &Reader, id: &str) -> Result<AgreementRec> {
    let a = agreement::get(db, id)?;
    let mut clauses = Vec::with_capacity(a.clauses.len());
    for c in a.clauses {
        let (tags, attributions) = qualifiers(db, &c.id)?;
        let Stamps { created_at, updated_at } = registry::stamps(db, &c.id)?;
        clauses.push(ClauseRec {
            id: c.id,
            reference: c.reference,
            text: c.text,
            position: c.position,
            tags,
            attributions,
            created_at,
            updated_at,
        });
    }
    let (tags, attributions) = qualifiers(db, id)?;
    Ok(AgreementRec {
        id: a.id,
        title: a.title,
        kind: a.kind,
        terms: a.terms,
        effective: a.effective,
        terminated: a.terminated,
        parties: ids(&a.parties),
        clauses,
        tags,
        attributions,
        created_at: a.created_at,
        updated_at: a.updated_at,
    })
}

fn read_letter(db: &Reader, id: &str) -> Result<LetterRec> {
    let l = letter::get(db, id)?;
    let (_, attributions) = qualifiers(db, id)?;
    Ok(LetterRec {
        id: l.id,
        channel: l.channel.to_string(),
        sender: l.sender.id,
        sender_person: l.sender_person.map(|p| p.id),
        to: ids(&l.to),
        cc: ids(&l.cc),
        subject: l.subject,
        body: l.body,
        date: l.date,
        deadline: l.deadline,
        received: l.received,
        deadline_rule: l.deadline_rule,
        calendar: l.calendar,
        deadline_event: l.deadline_event,
        deadline_before: l.deadline_before,
        deadline_mail: l.deadline_mail,
        in_reply_to: l.in_reply_to,
        message_id: l.message_id,
        addresses: l.addresses,
        position: l.position,
        tags: sorted(l.tags),
        attributions,
        created_at: l.created_at,
        updated_at: l.updated_at,
    })
}

fn read_event(db: &Reader, id: &str) -> Result<EventRec> {
    let e = event::get(db, id)?;
    Ok(EventRec {
        id: e.id,
        title: e.title,
        description: e.description,
        date: e.date,
        position: e.position,
        parties: ids(&e.parties),
        tags: sorted(e.tags),
        attributions: attributions(e.attributions),
        created_at: e.created_at,
        updated_at: e.updated_at,
    })
}

fn read_allegation(db: &Reader, id: &str) -> Result<AllegationRec> {
    let a = allegation::get(db, id)?;
    // The history in the order it was recorded (its entry numbers), which is the order it is read back in.
    let mut history = a.history;
    history.sort_by_key(|h| h.id);
    Ok(AllegationRec {
        id: a.id,
        made_by: a.made_by.id,
        against: a.against.id,
        raised_in: a.raised_in.map(|r| r.id),
        agreement: a.agreement_id,
        clauses: sorted(a.clauses.into_iter().map(|c| c.id).collect()),
        summary: a.summary,
        detail: a.detail,
        date: a.date,
        position: a.position,
        history: history
            .into_iter()
            .map(|h| StatusRec { status: h.status.to_string(), date: h.date, note: h.note, position: h.position })
            .collect(),
        tags: sorted(a.tags),
        attributions: attributions(a.attributions),
        created_at: a.created_at,
        updated_at: a.updated_at,
    })
}

fn read_response(db: &Reader, id: &str) -> Result<ResponseRec> {
    let r = response::get(db, id)?;
    Ok(ResponseRec {
        id: r.id,
        by: r.by.id,
        letter: r.letter_id,
        stance: r.stance.to_string(),
        text: r.text,
        date: r.date,
        position: r.position,
        allegations: sorted(r.allegations),
        tags: sorted(r.tags),
        attributions: attributions(r.attributions),
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn read_evidence(db: &Reader, id: &str) -> Result<(EvidenceRec, Vec<LinkRec>)> {
    let e = evidence::get(db, id)?;
    let (tags, attributions) = qualifiers(db, id)?;
    let links = e
        .links
        .into_iter()
        .map(|l| LinkRec {
            evidence: l.evidence_id,
            record: l.record_id,
            pinpoint: l.pinpoint,
            note: l.note,
            quote: l.quote.map(|q| QuoteRec { page: q.page, exact: q.exact, prefix: q.prefix, suffix: q.suffix }),
        })
        .collect();
    let record = EvidenceRec {
        id: e.id,
        kind: e.kind.to_string(),
        title: e.title,
        note: e.note,
        sha256: e.sha256,
        size: e.size,
        media_type: e.media_type,
        original_name: e.original_name,
        url: e.url,
        publisher: e.publisher,
        date: e.date,
        redaction: evidence::redact::of(db, id)?.map(|r| RedactionRec {
            original: r.original_id,
            made_at: r.made_at,
            boxes: r.boxes.into_iter().map(|b| b.to_input()).collect(),
        }),
        tags,
        attributions,
        created_at: e.created_at,
        updated_at: e.updated_at,
    };
    Ok((record, links))
}
