//! Checks of a bundle that need no database, made as it is read, before anything is written. Every record's values
//! go through its noun's own `Fields::check` (with exact spelling: a bundle is written by a program);
//! what is left here is what only a file has: ids used once, timestamps, lists that must not repeat
//! themselves, names and message ids unique within the bundle, and reply threads that do not loop.

use std::collections::{HashMap, HashSet};

use super::inputs::attribution_inputs;
use super::refs::each_ref;
use super::schema::*;
use crate::error::{Error, Result};
use crate::input;
use crate::record::{agreement, allegation, attribution, case, event, evidence, letter, party, response};
use crate::vocabulary::{RecordKind, Spelling};

/// Most records, links and private marks a bundle may hold: checking it keeps about 100 bytes of each,
/// so an import of the largest takes a few hundred megabytes at most (a case of 100,000 items has
/// about 150,000).
pub const MAX_ITEMS: usize = 2_000_000;

/// An evidence record of the bundle that has a file: what bringing the file needs.
pub(super) struct FileRec {
    pub(super) id: String,
    pub(super) sha256: String,
    pub(super) size: i64,
    pub(super) media_type: Option<String>,
}

/// What checking the whole bundle keeps for the import: little beside the ids, so that a bundle of any
/// size is checked in the memory of its ids.
pub(super) struct Checked {
    /// The kind of each record of the bundle, by id.
    pub(super) kinds: HashMap<String, RecordKind>,
    pub(super) case: CaseRec,
    pub(super) parties: Vec<PartyRec>,
    pub(super) files: Vec<FileRec>,
}

/// Checks the items of a bundle one at a time as they are read, keeping what the checks across items
/// need (ids, names, message ids, reply threads, links), then [`Checker::finish`] what only the whole
/// bundle can tell.
pub(super) struct Checker {
    case: CaseRec,
    kinds: HashMap<String, RecordKind>,
    parties: Vec<PartyRec>,
    names: HashMap<String, String>,
    message_ids: HashSet<String>,
    parents: HashMap<String, String>,
    links: HashSet<(String, String, String)>,
    private: HashSet<String>,
    privileged: HashSet<String>,
    files: Vec<FileRec>,
}

impl Checker {
    /// Starts with the bundle's case, which every other record names.
    pub(super) fn new(case: CaseRec) -> Result<Checker> {
        let what = format!("case '{}'", case.id);
        stamps(&what, &case.created_at, &case.updated_at)?;
        case::Fields::check(&case.input(), Spelling::Exact).map_err(|e| e.within(&what))?;
        strict_list(&format!("{what} tags"), &case.tags)?;
        let mut roles = HashSet::new();
        for r in &case.roles {
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
        let item = Item::Case(case);
        each_ref(&item, &mut |r| check_id(&r.place, r.id))?;
        let Item::Case(case) = item else { return Err(Error::internal("the case is a case")) };
        let mut checker = Checker {
            case,
            kinds: HashMap::new(),
            parties: Vec::new(),
            names: HashMap::new(),
            message_ids: HashSet::new(),
            parents: HashMap::new(),
            links: HashSet::new(),
            private: HashSet::new(),
            privileged: HashSet::new(),
            files: Vec::new(),
        };
        checker.add(&checker.case.id.clone(), RecordKind::Case)?;
        Ok(checker)
    }

    /// Checks one item (any but the case), every value that can be checked without the database.
    pub(super) fn item(&mut self, item: Item) -> Result<()> {
        // What is kept of each record and link bounds the memory an import takes, whatever the file.
        if self.kinds.len() + self.links.len() + self.private.len() >= MAX_ITEMS {
            return Err(Error::rule(
                "bundle",
                "too_many_items",
                MAX_ITEMS.to_string(),
                format!("the bundle holds more than {MAX_ITEMS} records and links: split the case"),
            ));
        }
        // Every reference names an id; the ids themselves are resolved against the database later.
        each_ref(&item, &mut |r| check_id(&r.place, r.id))?;
        let case_id = self.case.id.clone();
        match item {
            Item::Case(_) => return Err(Error::internal("the case is checked first")),
            Item::Party(p) => {
                self.add(&p.id, RecordKind::Party)?;
                check_party(&p)?;
                if let Some(other) = self.names.insert(p.name.to_lowercase(), p.id.clone()) {
                    return Err(Error::rule(
                        "bundle",
                        "repeated",
                        p.name.clone(),
                        format!("parties '{other}' and '{}' are both named '{}'", p.id, p.name),
                    ));
                }
                self.parties.push(p);
            }
            Item::Agreement(a) => {
                self.add(&a.id, RecordKind::Agreement)?;
                a.clauses.iter().try_for_each(|c| self.add(&c.id, RecordKind::Clause))?;
                check_agreement(&a, &case_id)?;
            }
            Item::Letter(l) => {
                self.add(&l.id, RecordKind::Letter)?;
                check_letter(&l, &case_id)?;
                if let Some(m) = l.message_id {
                    if !self.message_ids.insert(m.clone()) {
                        return Err(Error::rule(
                            format!("letter '{}' message_id", l.id),
                            "repeated",
                            m.clone(),
                            format!("'{m}' is used by another letter"),
                        ));
                    }
                }
                if let Some(parent) = l.in_reply_to {
                    self.parents.insert(l.id, parent);
                }
            }
            Item::Event(e) => {
                self.add(&e.id, RecordKind::Event)?;
                let what = format!("event '{}'", e.id);
                stamps(&what, &e.created_at, &e.updated_at)?;
                event::Fields::check(&e.input(&case_id)).map_err(|x| x.within(&what))?;
                strict_list(&format!("{what} parties"), &e.parties)?;
                qualifiers(&what, &e.tags, &e.attributions)?;
            }
            Item::Allegation(a) => {
                self.add(&a.id, RecordKind::Allegation)?;
                check_allegation(&a, &case_id)?;
            }
            Item::Response(r) => {
                self.add(&r.id, RecordKind::Response)?;
                check_response(&r)?;
            }
            Item::Evidence(e) => {
                self.add(&e.id, RecordKind::Evidence)?;
                check_evidence(&e, &case_id)?;
                if let (Some(sha256), Some(size)) = (e.sha256, e.size) {
                    self.files.push(FileRec { id: e.id, sha256, size, media_type: e.media_type });
                }
            }
            Item::Link(l) => {
                let place = format!("evidence link from '{}'", l.evidence);
                evidence::LinkFields::check(&l.input()).map_err(|e| e.within(&place))?;
                if !self.links.insert((l.evidence, l.record.clone(), l.pinpoint.clone())) {
                    return Err(Error::rule(
                        place,
                        "repeated",
                        l.record.clone(),
                        format!("the link to '{}' at '{}' appears twice", l.record, l.pinpoint),
                    ));
                }
            }
            Item::Privileged(p) => {
                input::required("privileged", &p.record)?;
                crate::record::privilege::checked(&p.input())
                    .map_err(|e| e.within(&format!("privileged '{}'", input::shorten(&p.record))))?;
                if !self.privileged.insert(p.record.clone()) {
                    let shown = input::shorten(&p.record);
                    return Err(Error::rule(
                        "privileged",
                        "repeated",
                        shown.clone(),
                        format!("'{shown}' appears twice"),
                    ));
                }
            }
            Item::Private(id) => {
                input::required("private", &id)?;
                if !self.private.insert(id.clone()) {
                    let shown = input::shorten(&id);
                    return Err(Error::rule("private", "repeated", shown.clone(), format!("'{shown}' appears twice")));
                }
            }
            // Read, and checked, as they are written.
            Item::History(_) => {}
        }
        Ok(())
    }

    /// What only the whole bundle can tell: reply threads that loop, private records that are not
    /// in it.
    pub(super) fn finish(self) -> Result<Checked> {
        check_threads(&self.parents)?;
        let mut private: Vec<&String> = self.private.iter().collect();
        private.sort();
        for id in private {
            if matches!(self.kinds.get(id), None | Some(RecordKind::Case)) {
                let shown = input::shorten(id);
                return Err(Error::rule(
                    "private",
                    "unknown",
                    shown.clone(),
                    format!(
                        "'{shown}' is listed as private but is not a record of the bundle (a case cannot be private)"
                    ),
                ));
            }
        }
        let mut privileged: Vec<&String> = self.privileged.iter().collect();
        privileged.sort();
        for id in privileged {
            if matches!(self.kinds.get(id), None | Some(RecordKind::Case | RecordKind::Party)) {
                let shown = input::shorten(id);
                return Err(Error::rule(
                    "privileged",
                    "unknown",
                    shown.clone(),
                    format!("'{shown}' is listed as privileged but is not a record of the bundle other than a party or the case"),
                ));
            }
        }
        Ok(Checked { kinds: self.kinds, case: self.case, parties: self.parties, files: self.files })
    }

    /// Notes the kind of a record of the bundle; an id used twice is refused.
    fn add(&mut self, id: &str, kind: RecordKind) -> Result<()> {
        check_id(&format!("{kind} id"), id)?;
        if let Some(other) = self.kinds.insert(id.to_string(), kind) {
            return Err(Error::rule(
                "bundle",
                "repeated",
                id.to_string(),
                format!("id '{id}' is used twice (a {other} and a {kind})"),
            ));
        }
        Ok(())
    }
}

fn check_response(r: &ResponseRec) -> Result<()> {
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
    qualifiers(&what, &r.tags, &r.attributions)
}

fn check_evidence(e: &EvidenceRec, case_id: &str) -> Result<()> {
    let what = format!("evidence '{}'", e.id);
    stamps(&what, &e.created_at, &e.updated_at)?;
    if let Some(r) = &e.redaction {
        evidence::redact::checked(&r.boxes).map_err(|err| err.within(&what))?;
        input::required(&format!("{what} redaction made_at"), &r.made_at)?;
    }
    if e.sha256.is_some() != e.size.is_some() {
        return Err(Error::rule(
            format!("{what} sha256"),
            "file_without_hash",
            None,
            "a file needs its sha256 and size",
        ));
    }
    evidence::Fields::check(&e.input(case_id), Spelling::Exact)
        .and_then(|f| f.with_file(e.file()))
        .map_err(|x| x.within(&what))?;
    qualifiers(&what, &e.tags, &e.attributions)
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
    // The event a rule counts from may come later in the bundle: its date is not read here.
    letter::Fields::check(&l.input(case_id), Spelling::Exact, None).map_err(|e| e.within(&what))?;
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

/// Refuses a reply thread that loops (A answers B, which answers A), given each reply's letter.
fn check_threads(parent: &HashMap<String, String>) -> Result<()> {
    let mut letters: Vec<&String> = parent.keys().collect();
    letters.sort();
    for id in letters {
        let mut seen = HashSet::from([id.as_str()]);
        let mut at = id.as_str();
        while let Some(up) = parent.get(at) {
            if !seen.insert(up.as_str()) {
                return Err(Error::rule(
                    format!("letter '{id}' in_reply_to"),
                    "reply_loop",
                    id.clone(),
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
