//! Checks of a bundle that need no database, made before anything is written. Every record's values
//! go through its noun's own `Fields::check` (with exact spelling: a bundle is written by a program);
//! what is left here is what only a file has: ids used once, timestamps, lists that must not repeat
//! themselves, names and message ids unique within the bundle, and reply threads that do not loop.

use std::collections::{HashMap, HashSet};

use super::refs::each_ref;
use super::schema::*;
use crate::error::{Error, Result};
use crate::input;
use crate::record::{agreement, allegation, attribution, case, event, evidence, letter, party, response};
use crate::vocabulary::{RecordKind, Spelling};

/// Checks every value of the bundle that can be checked without the database, and returns the kind
/// of each record it holds by id.
pub(super) fn bundle(b: &Bundle) -> Result<HashMap<String, RecordKind>> {
    let kinds = ids(b)?;
    let what = format!("case '{}'", b.case.id);
    stamps(&what, &b.case.created_at, &b.case.updated_at)?;
    case::Fields::check(&b.case.input(), Spelling::Exact).map_err(|e| e.within(&what))?;
    strict_list(&format!("{what} tags"), &b.case.tags)?;
    let mut roles = HashSet::new();
    for r in &b.case.roles {
        let place = format!("case role of '{}'", r.party);
        input::one_of::<crate::vocabulary::Role>(&place, &r.role, Spelling::Exact)?;
        if !roles.insert((&r.party, &r.role)) {
            return Err(Error::rule(
                "case role",
                "repeated",
                r.party.clone(),
                format!("'{}' has the role {} twice", r.party, r.role),
            ));
        }
    }
    let mut names = HashMap::new();
    for p in &b.parties {
        check_party(p)?;
        if let Some(other) = names.insert(p.name.to_lowercase(), &p.id) {
            return Err(Error::rule(
                "bundle",
                "repeated",
                p.name.clone(),
                format!("parties '{other}' and '{}' are both named '{}'", p.id, p.name),
            ));
        }
    }
    for a in &b.agreements {
        check_agreement(a, &b.case.id)?;
    }
    let mut message_ids = HashSet::new();
    for l in &b.letters {
        check_letter(l, &b.case.id)?;
        if let Some(m) = &l.message_id {
            if !message_ids.insert(m) {
                return Err(Error::rule(
                    format!("letter '{}' message_id", l.id),
                    "repeated",
                    m.clone(),
                    format!("'{m}' is used by another letter"),
                ));
            }
        }
    }
    check_threads(&b.letters)?;
    for e in &b.events {
        let what = format!("event '{}'", e.id);
        stamps(&what, &e.created_at, &e.updated_at)?;
        event::Fields::check(&e.input(&b.case.id)).map_err(|x| x.within(&what))?;
        strict_list(&format!("{what} parties"), &e.parties)?;
        qualifiers(&what, &e.tags, &e.attributions)?;
    }
    for a in &b.allegations {
        check_allegation(a, &b.case.id)?;
    }
    for r in &b.responses {
        let what = format!("response '{}'", r.id);
        stamps(&what, &r.created_at, &r.updated_at)?;
        response::Fields::check(&r.input(), Spelling::Exact).map_err(|e| e.within(&what))?;
        input::date("date", &r.date).map_err(|e| e.within(&what))?;
        if r.allegations.is_empty() {
            return Err(Error::rule(
                format!("{what} allegations"),
                "allegation_required",
                None,
                "at least one allegation is required",
            ));
        }
        strict_list(&format!("{what} allegations"), &r.allegations)?;
        qualifiers(&what, &r.tags, &r.attributions)?;
    }
    for e in &b.evidence {
        let what = format!("evidence '{}'", e.id);
        stamps(&what, &e.created_at, &e.updated_at)?;
        if e.sha256.is_some() != e.size.is_some() {
            return Err(Error::rule(
                format!("{what} sha256"),
                "file_without_hash",
                None,
                "a file needs its sha256 and size",
            ));
        }
        evidence::Fields::check(&e.input(&b.case.id), Spelling::Exact)
            .and_then(|f| f.with_file(e.file()))
            .map_err(|x| x.within(&what))?;
        qualifiers(&what, &e.tags, &e.attributions)?;
    }
    let mut links = HashSet::new();
    for l in &b.links {
        let place = format!("evidence link from '{}'", l.evidence);
        evidence::LinkFields::check(&l.input()).map_err(|e| e.within(&place))?;
        if !links.insert((&l.evidence, &l.record, &l.pinpoint)) {
            return Err(Error::rule(
                place,
                "repeated",
                l.record.clone(),
                format!("the link to '{}' at '{}' appears twice", l.record, l.pinpoint),
            ));
        }
    }
    // Every reference names an id; the ids themselves are resolved against the database later.
    each_ref(b, &mut |r| check_id(&r.place, r.id))?;
    strict_list("private", &b.private)?;
    for id in &b.private {
        if matches!(kinds.get(id), None | Some(RecordKind::Case)) {
            let shown = input::shorten(id);
            return Err(Error::rule(
                "private",
                "unknown",
                shown.clone(),
                format!("'{shown}' is listed as private but is not a record of the bundle (a case cannot be private)"),
            ));
        }
    }
    Ok(kinds)
}

/// The kind of every record of the bundle by id; an id used twice is refused.
fn ids(b: &Bundle) -> Result<HashMap<String, RecordKind>> {
    let mut kinds: HashMap<String, RecordKind> = HashMap::new();
    let mut add = |id: &str, kind: RecordKind| -> Result<()> {
        check_id(&format!("{kind} id"), id)?;
        if let Some(other) = kinds.insert(id.to_string(), kind) {
            return Err(Error::rule(
                "bundle",
                "repeated",
                id.to_string(),
                format!("id '{id}' is used twice (a {other} and a {kind})"),
            ));
        }
        Ok(())
    };
    add(&b.case.id, RecordKind::Case)?;
    b.parties.iter().try_for_each(|p| add(&p.id, RecordKind::Party))?;
    for a in &b.agreements {
        add(&a.id, RecordKind::Agreement)?;
        a.clauses.iter().try_for_each(|c| add(&c.id, RecordKind::Clause))?;
    }
    b.letters.iter().try_for_each(|l| add(&l.id, RecordKind::Letter))?;
    b.events.iter().try_for_each(|e| add(&e.id, RecordKind::Event))?;
    b.allegations.iter().try_for_each(|a| add(&a.id, RecordKind::Allegation))?;
    b.responses.iter().try_for_each(|r| add(&r.id, RecordKind::Response))?;
    b.evidence.iter().try_for_each(|e| add(&e.id, RecordKind::Evidence))?;
    Ok(kinds)
}

fn check_id(place: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::rule(place, "bad_id", None, "id is empty"));
    }
    if id.len() > 200 || id.trim() != id || id.chars().any(char::is_control) {
        let shown = input::shorten(id);
        return Err(Error::rule(place, "bad_id", shown.clone(), format!("'{shown}' is not a valid id")));
    }
    Ok(())
}

fn stamps(what: &str, created_at: &str, updated_at: &str) -> Result<()> {
    for (field, value) in [("created_at", created_at), ("updated_at", updated_at)] {
        if chrono::DateTime::parse_from_rfc3339(value).is_err() {
            let shown = input::shorten(value);
            return Err(Error::rule(
                format!("{what} {field}"),
                "not_a_timestamp",
                shown.clone(),
                format!("'{shown}' is not an RFC 3339 timestamp"),
            ));
        }
    }
    Ok(())
}

/// A list the bundle must hold as it was written: no empty item, none twice. (A person's input is
/// cleaned instead; a file that holds such a list was not written by Dossier.)
fn strict_list(place: &str, values: &[String]) -> Result<()> {
    let mut seen = HashSet::new();
    for v in values {
        input::required(place, v)?;
        if !seen.insert(v) {
            let shown = input::shorten(v);
            return Err(Error::rule(place, "repeated", shown.clone(), format!("'{shown}' appears twice")));
        }
    }
    Ok(())
}

/// The tags and attributions a record of any kind may carry.
fn qualifiers(what: &str, tags: &[String], attributions: &[AttributionRec]) -> Result<()> {
    strict_list(&format!("{what} tags"), tags)?;
    attribution::check(&attribution_inputs(attributions), Spelling::Exact, |id| Ok(id.to_string()))
        .map_err(|e| e.within(what))?;
    Ok(())
}

fn check_party(p: &PartyRec) -> Result<()> {
    let what = format!("party '{}'", p.id);
    stamps(&what, &p.created_at, &p.updated_at)?;
    let fields = party::Fields::check(&p.input(), Spelling::Exact).map_err(|e| e.within(&what))?;
    strict_list(&format!("{what} aliases"), &p.aliases)?;
    let organisations = p.affiliations.iter().map(|a| a.organisation.clone()).collect();
    party::Valid::new(fields, organisations, Some(&p.id)).map_err(|e| e.within(&what))?;
    let mut seen = HashSet::new();
    for a in &p.affiliations {
        if !seen.insert((&a.organisation, &a.role)) {
            return Err(Error::rule(
                format!("{what} affiliations"),
                "repeated",
                a.organisation.clone(),
                format!("'{}' as {} appears twice", a.organisation, a.role),
            ));
        }
    }
    Ok(())
}

fn check_agreement(a: &AgreementRec, case_id: &str) -> Result<()> {
    let what = format!("agreement '{}'", a.id);
    stamps(&what, &a.created_at, &a.updated_at)?;
    agreement::Fields::check(&a.input(case_id)).map_err(|e| e.within(&what))?;
    strict_list(&format!("{what} parties"), &a.parties)?;
    qualifiers(&what, &a.tags, &a.attributions)?;
    let mut references = HashSet::new();
    for c in &a.clauses {
        let clause = format!("clause '{}'", c.id);
        stamps(&clause, &c.created_at, &c.updated_at)?;
        agreement::ClauseFields::check(&c.input()).map_err(|e| e.within(&clause))?;
        if !references.insert(&c.reference) {
            return Err(Error::rule(
                format!("{what} clauses"),
                "repeated",
                c.reference.clone(),
                format!("the reference '{}' appears twice", c.reference),
            ));
        }
        qualifiers(&clause, &c.tags, &c.attributions)?;
    }
    Ok(())
}

fn check_letter(l: &LetterRec, case_id: &str) -> Result<()> {
    let what = format!("letter '{}'", l.id);
    stamps(&what, &l.created_at, &l.updated_at)?;
    letter::Fields::check(&l.input(case_id), Spelling::Exact).map_err(|e| e.within(&what))?;
    let recipients: Vec<String> = l.to.iter().chain(&l.cc).cloned().collect();
    strict_list(&format!("{what} recipients (to and cc)"), &recipients)?;
    if let Some(m) = &l.message_id {
        input::required(&format!("{what} message_id"), m)?;
    }
    if l.in_reply_to.as_deref() == Some(l.id.as_str()) {
        return Err(Error::rule(
            format!("{what} in_reply_to"),
            "answers_itself",
            None,
            "a letter cannot answer itself",
        ));
    }
    qualifiers(&what, &l.tags, &l.attributions)
}

/// Refuses a reply thread that loops (A answers B, which answers A).
fn check_threads(letters: &[LetterRec]) -> Result<()> {
    let parent: HashMap<&str, &str> =
        letters.iter().filter_map(|l| l.in_reply_to.as_deref().map(|p| (l.id.as_str(), p))).collect();
    for l in letters {
        let mut seen = HashSet::from([l.id.as_str()]);
        let mut at = l.id.as_str();
        while let Some(&up) = parent.get(at) {
            if !seen.insert(up) {
                return Err(Error::rule(
                    format!("letter '{}' in_reply_to", l.id),
                    "reply_loop",
                    l.id.clone(),
                    "the reply thread loops back on itself",
                ));
            }
            at = up;
        }
    }
    Ok(())
}

fn check_allegation(a: &AllegationRec, case_id: &str) -> Result<()> {
    let what = format!("allegation '{}'", a.id);
    stamps(&what, &a.created_at, &a.updated_at)?;
    allegation::Fields::check(&a.input(case_id)).map_err(|e| e.within(&what))?;
    input::date("date", &a.date).map_err(|e| e.within(&what))?;
    strict_list(&format!("{what} clauses"), &a.clauses)?;
    for (i, s) in a.history.iter().enumerate() {
        allegation::StatusFields::check(&s.input(), Spelling::Exact)
            .map_err(|e| e.within(&format!("{what} history[{i}]")))?;
    }
    qualifiers(&what, &a.tags, &a.attributions)
}
