//! The JSON bundle: a whole case, losslessly, in a versioned and documented schema
//! (`docs/bundle-format.md`), for handing a case to someone else and for backups. Export is
//! deterministic: the same record always gives the same bytes, so a bundle can be diffed, hashed and
//! kept under version control. Import preserves every id and timestamp, checks the whole bundle before
//! writing anything, and writes it as one change: all of it or nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::input;
use crate::record::{allegation, attribution, case, evidence, letter, party, response, role};
use crate::store::{self, Store};

/// The value of the bundle's `format` field.
pub const FORMAT: &str = "dossier-bundle";
/// The bundle shape this build writes and the only one it reads. A change of shape that an older
/// reader would misread takes the next number; readers refuse versions they do not know.
pub const VERSION: u32 = 1;

/// The name of the bundle [`export_with_files`] writes.
pub const BUNDLE_FILE: &str = "bundle.json";
/// The folder beside the bundle that holds its evidence files, each named by its SHA-256.
pub const FILES_DIR: &str = "files";

/// What to do when the case being imported is already in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Refuse the import, writing nothing.
    Refuse,
    /// Add what is missing (records, case roles and evidence links the database does not have) and
    /// leave everything that is there as it is.
    Merge,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportReport {
    pub case_slug: String,
    /// Records, case roles and evidence links written.
    pub created: usize,
    /// Records, case roles and evidence links already in the database (parties reused included).
    pub skipped: usize,
}

// ---------------------------------------------------------------------------------------------------
// The schema. Field order here is the key order of the JSON; docs/bundle-format.md describes each field.
// These types are the file format, not the IPC boundary: they never leave this module.

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bundle {
    format: String,
    version: u32,
    case: CaseRec,
    #[serde(default)]
    parties: Vec<PartyRec>,
    #[serde(default)]
    agreements: Vec<AgreementRec>,
    #[serde(default)]
    letters: Vec<LetterRec>,
    #[serde(default)]
    events: Vec<EventRec>,
    #[serde(default)]
    allegations: Vec<AllegationRec>,
    #[serde(default)]
    responses: Vec<ResponseRec>,
    #[serde(default)]
    evidence: Vec<EvidenceRec>,
    #[serde(default)]
    links: Vec<LinkRec>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseRec {
    id: String,
    slug: String,
    title: String,
    status: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    roles: Vec<RoleRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRec {
    party: String,
    role: String,
    #[serde(default)]
    on_behalf_of: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyRec {
    id: String,
    name: String,
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    affiliations: Vec<AffiliationRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AffiliationRec {
    organisation: String,
    role: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionRec {
    #[serde(default)]
    asserted_by: Option<String>,
    #[serde(default)]
    reported_by: Option<String>,
    #[serde(default)]
    how: String,
    certainty: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgreementRec {
    id: String,
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    terms: String,
    #[serde(default)]
    effective: Option<String>,
    #[serde(default)]
    terminated: Option<String>,
    #[serde(default)]
    parties: Vec<String>,
    #[serde(default)]
    clauses: Vec<ClauseRec>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseRec {
    id: String,
    reference: String,
    #[serde(default)]
    text: String,
    position: i64,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterRec {
    id: String,
    channel: String,
    sender: String,
    #[serde(default)]
    sender_person: Option<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    cc: Vec<String>,
    subject: String,
    #[serde(default)]
    body: String,
    date: String,
    #[serde(default)]
    deadline: Option<String>,
    #[serde(default)]
    in_reply_to: Option<String>,
    #[serde(default)]
    message_id: Option<String>,
    #[serde(default)]
    position: i64,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRec {
    id: String,
    title: String,
    #[serde(default)]
    description: String,
    date: String,
    #[serde(default)]
    position: i64,
    #[serde(default)]
    parties: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllegationRec {
    id: String,
    made_by: String,
    against: String,
    /// Id of the letter or event it was raised in.
    #[serde(default)]
    raised_in: Option<String>,
    #[serde(default)]
    agreement: Option<String>,
    #[serde(default)]
    clauses: Vec<String>,
    summary: String,
    #[serde(default)]
    detail: String,
    date: String,
    #[serde(default)]
    position: i64,
    #[serde(default)]
    history: Vec<StatusRec>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusRec {
    status: String,
    date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    position: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseRec {
    id: String,
    by: String,
    #[serde(default)]
    letter: Option<String>,
    stance: String,
    #[serde(default)]
    text: String,
    date: String,
    #[serde(default)]
    position: i64,
    allegations: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceRec {
    id: String,
    kind: String,
    title: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    sha256: Option<String>,
    #[serde(default)]
    size: Option<i64>,
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    original_name: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributions: Vec<AttributionRec>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRec {
    evidence: String,
    record: String,
    #[serde(default)]
    pinpoint: String,
    #[serde(default)]
    note: String,
}

// ---------------------------------------------------------------------------------------------------
// Export

/// The case `case` (slug or id) as a bundle: pretty-printed JSON ending with a newline. Two exports of
/// the same record give the same bytes: records are ordered by id, lists by a stored order, and nothing
/// depends on the time of the export.
pub fn export_json(conn: &Connection, case: &str) -> Result<String> {
    to_json(&read_bundle(conn, case)?)
}

/// Writes the bundle of `case` to `dir/bundle.json` and each evidence file beside it as
/// `dir/files/<sha256>`, checking every file against its SHA-256 on the way. Returns the bundle's path.
pub fn export_with_files(store: &Store, case: &str, dir: &Path) -> Result<PathBuf> {
    let path = dir.join(BUNDLE_FILE);
    export_with_files_to(store, case, &path)?;
    Ok(path)
}

/// Like [`export_with_files`], but writes the bundle to `path` (any name) with the evidence files in
/// `files/` beside it.
pub fn export_with_files_to(store: &Store, case: &str, path: &Path) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let bundle = read_bundle(store.conn(), case)?;
    let json = to_json(&bundle)?;
    let files = dir.join(FILES_DIR);
    std::fs::create_dir_all(&files).map_err(|e| Error::io(&files, e))?;
    let mut done = HashSet::new();
    for e in &bundle.evidence {
        let Some(sha) = e.sha256.as_deref() else { continue };
        if !done.insert(sha) {
            continue;
        }
        let source = evidence::blob_path(store, sha);
        copy_checked(&source, &files.join(sha), sha, || {
            Error::invalid("files", format!("evidence file {sha} is missing from the store ({})", source.display()))
        })?;
    }
    write_file(path, json.as_bytes())
}

fn to_json(bundle: &Bundle) -> Result<String> {
    let mut json = serde_json::to_string_pretty(bundle).map_err(|e| Error::invalid("bundle", e.to_string()))?;
    json.push('\n');
    Ok(json)
}

fn read_bundle(conn: &Connection, key: &str) -> Result<Bundle> {
    let case_id = case::resolve(conn, key)?;
    let mut bundle = Bundle {
        format: FORMAT.to_string(),
        version: VERSION,
        case: read_case(conn, &case_id)?,
        parties: Vec::new(),
        agreements: each(conn, "agreement", &case_id, read_agreement)?,
        letters: each(conn, "letter", &case_id, read_letter)?,
        events: each(conn, "event", &case_id, read_event)?,
        allegations: each(conn, "allegation", &case_id, read_allegation)?,
        responses: each(conn, "response", &case_id, read_response)?,
        evidence: each(conn, "evidence", &case_id, read_evidence)?,
        links: read_links(conn, &case_id)?,
    };
    // Parties belong to no case: the bundle carries every party a record of the case names, and the
    // organisations those people are affiliated with, so that the bundle is complete on its own.
    let mut wanted = BTreeSet::new();
    each_ref(&bundle, &mut |r| {
        if r.kinds == PARTY {
            wanted.insert(r.id.to_string());
        }
        Ok(())
    })?;
    for l in &bundle.links {
        if store::record_kind(conn, &l.record)?.as_deref() == Some("party") {
            wanted.insert(l.record.clone());
        }
    }
    let mut todo: Vec<String> = wanted.iter().cloned().collect();
    while let Some(id) = todo.pop() {
        for a in read_affiliations(conn, &id)? {
            if wanted.insert(a.organisation.clone()) {
                todo.push(a.organisation);
            }
        }
    }
    bundle.parties = wanted.iter().map(|id| read_party(conn, id)).collect::<Result<_>>()?;
    Ok(bundle)
}

/// Every record of `table` in the case, by id, read with `read`.
fn each<T>(conn: &Connection, table: &str, case_id: &str, read: fn(&Connection, &str) -> Result<T>) -> Result<Vec<T>> {
    ids(conn, &format!("SELECT id FROM {table} WHERE case_id = ?1 ORDER BY id"), case_id)?
        .iter()
        .map(|id| read(conn, id))
        .collect()
}

fn ids(conn: &Connection, sql: &str, key: &str) -> Result<Vec<String>> {
    let rows = conn.prepare_cached(sql)?.query_map([key], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

fn tags(conn: &Connection, id: &str) -> Result<Vec<String>> {
    ids(conn, "SELECT tag FROM record_tag WHERE record_id = ?1 ORDER BY tag", id)
}

fn attributions(conn: &Connection, id: &str) -> Result<Vec<AttributionRec>> {
    let rows = conn
        .prepare_cached(
            "SELECT asserted_by, reported_by, how, certainty FROM attribution WHERE record_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(AttributionRec { asserted_by: r.get(0)?, reported_by: r.get(1)?, how: r.get(2)?, certainty: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn read_case(conn: &Connection, id: &str) -> Result<CaseRec> {
    let (slug, title, status, summary) =
        conn.query_row("SELECT slug, title, status, summary FROM case_file WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let roles = conn
        .prepare_cached(
            "SELECT party_id, role, on_behalf_of FROM case_party WHERE case_id = ?1 ORDER BY party_id, role",
        )?
        .query_map([id], |r| Ok(RoleRec { party: r.get(0)?, role: r.get(1)?, on_behalf_of: r.get(2)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(CaseRec {
        id: id.to_string(),
        slug,
        title,
        status,
        summary,
        tags: ids(conn, "SELECT tag FROM case_tag WHERE case_id = ?1 ORDER BY tag", id)?,
        roles,
        created_at,
        updated_at,
    })
}

fn read_affiliations(conn: &Connection, id: &str) -> Result<Vec<AffiliationRec>> {
    let rows = conn
        .prepare_cached(
            "SELECT organisation_id, role FROM affiliation WHERE person_id = ?1 ORDER BY organisation_id, role",
        )?
        .query_map([id], |r| Ok(AffiliationRec { organisation: r.get(0)?, role: r.get(1)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn read_party(conn: &Connection, id: &str) -> Result<PartyRec> {
    let (name, kind, description) = conn
        .query_row("SELECT name, kind, description FROM party WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("party", id))?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(PartyRec {
        id: id.to_string(),
        name,
        kind,
        description,
        aliases: ids(conn, "SELECT alias FROM party_alias WHERE party_id = ?1 ORDER BY alias", id)?,
        affiliations: read_affiliations(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_agreement(conn: &Connection, id: &str) -> Result<AgreementRec> {
    let (title, kind, terms, effective, terminated) =
        conn.query_row("SELECT title, kind, terms, effective, terminated FROM agreement WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    let clause_ids = ids(conn, "SELECT id FROM clause WHERE agreement_id = ?1 ORDER BY position, id", id)?;
    let mut clauses = Vec::with_capacity(clause_ids.len());
    for cid in clause_ids {
        let (reference, text, position) =
            conn.query_row("SELECT reference, text, position FROM clause WHERE id = ?1", [&cid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let (created_at, updated_at) = store::stamps(conn, &cid)?;
        clauses.push(ClauseRec {
            tags: tags(conn, &cid)?,
            attributions: attributions(conn, &cid)?,
            id: cid,
            reference,
            text,
            position,
            created_at,
            updated_at,
        });
    }
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(AgreementRec {
        id: id.to_string(),
        title,
        kind,
        terms,
        effective,
        terminated,
        parties: ids(conn, "SELECT party_id FROM agreement_party WHERE agreement_id = ?1 ORDER BY party_id", id)?,
        clauses,
        tags: tags(conn, id)?,
        attributions: attributions(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_letter(conn: &Connection, id: &str) -> Result<LetterRec> {
    type Row =
        (String, String, Option<String>, String, String, String, Option<String>, Option<String>, Option<String>, i64);
    let (channel, sender, sender_person, subject, body, date, deadline, in_reply_to, message_id, position): Row =
        conn.query_row(
            "SELECT channel, sender_party_id, sender_person_id, subject, body, date, deadline, in_reply_to, message_id, position
               FROM letter WHERE id = ?1",
            [id],
            |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
            },
        )?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(LetterRec {
        id: id.to_string(),
        channel,
        sender,
        sender_person,
        to: ids(
            conn,
            "SELECT party_id FROM letter_recipient WHERE letter_id = ?1 AND kind = 'to' ORDER BY party_id",
            id,
        )?,
        cc: ids(
            conn,
            "SELECT party_id FROM letter_recipient WHERE letter_id = ?1 AND kind = 'cc' ORDER BY party_id",
            id,
        )?,
        subject,
        body,
        date,
        deadline,
        in_reply_to,
        message_id,
        position,
        tags: tags(conn, id)?,
        attributions: attributions(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_event(conn: &Connection, id: &str) -> Result<EventRec> {
    let (title, description, date, position) =
        conn.query_row("SELECT title, description, date, position FROM event WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(EventRec {
        id: id.to_string(),
        title,
        description,
        date,
        position,
        parties: ids(conn, "SELECT party_id FROM event_party WHERE event_id = ?1 ORDER BY party_id", id)?,
        tags: tags(conn, id)?,
        attributions: attributions(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_allegation(conn: &Connection, id: &str) -> Result<AllegationRec> {
    type Row = (String, String, Option<String>, Option<String>, Option<String>, String, String, String, i64);
    let (made_by, against, letter, event, agreement, summary, detail, date, position): Row = conn.query_row(
        "SELECT made_by, against, raised_in_letter, raised_in_event, agreement_id, summary, detail, date, position
           FROM allegation WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)),
    )?;
    // The history in the order it was recorded (its row ids), which is the order it is read back in.
    let history = conn
        .prepare_cached(
            "SELECT status, date, note, position FROM allegation_status WHERE allegation_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(StatusRec { status: r.get(0)?, date: r.get(1)?, note: r.get(2)?, position: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(AllegationRec {
        id: id.to_string(),
        made_by,
        against,
        raised_in: letter.or(event),
        agreement,
        clauses: ids(conn, "SELECT clause_id FROM allegation_clause WHERE allegation_id = ?1 ORDER BY clause_id", id)?,
        summary,
        detail,
        date,
        position,
        history,
        tags: tags(conn, id)?,
        attributions: attributions(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_response(conn: &Connection, id: &str) -> Result<ResponseRec> {
    let (by, letter, stance, text, date, position) = conn.query_row(
        "SELECT by_party, letter_id, stance, text, date, position FROM response WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(ResponseRec {
        id: id.to_string(),
        by,
        letter,
        stance,
        text,
        date,
        position,
        allegations: ids(
            conn,
            "SELECT allegation_id FROM response_allegation WHERE response_id = ?1 ORDER BY allegation_id",
            id,
        )?,
        tags: tags(conn, id)?,
        attributions: attributions(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_evidence(conn: &Connection, id: &str) -> Result<EvidenceRec> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (kind, title, note, sha256, size, media_type, original_name, url, publisher, date): Row = conn.query_row(
        "SELECT kind, title, note, sha256, size, media_type, original_name, url, publisher, date FROM evidence WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?)),
    )?;
    let (created_at, updated_at) = store::stamps(conn, id)?;
    Ok(EvidenceRec {
        id: id.to_string(),
        kind,
        title,
        note,
        sha256,
        size,
        media_type,
        original_name,
        url,
        publisher,
        date,
        tags: tags(conn, id)?,
        attributions: attributions(conn, id)?,
        created_at,
        updated_at,
    })
}

fn read_links(conn: &Connection, case_id: &str) -> Result<Vec<LinkRec>> {
    let rows = conn
        .prepare_cached(
            "SELECT l.evidence_id, l.record_id, l.pinpoint, l.note FROM evidence_link l JOIN evidence e ON e.id = l.evidence_id
              WHERE e.case_id = ?1 ORDER BY l.evidence_id, l.record_id, l.pinpoint",
        )?
        .query_map([case_id], |r| Ok(LinkRec { evidence: r.get(0)?, record: r.get(1)?, pinpoint: r.get(2)?, note: r.get(3)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------------
// References between records, walked by export (to collect parties) and import (to resolve them).

const PARTY: &[&str] = &["party"];
const LETTER: &[&str] = &["letter"];
const LETTER_OR_EVENT: &[&str] = &["letter", "event"];
const AGREEMENT: &[&str] = &["agreement"];
const CLAUSE: &[&str] = &["clause"];
const ALLEGATION: &[&str] = &["allegation"];
const EVIDENCE: &[&str] = &["evidence"];
/// Any record: an evidence link may point at a record of any kind.
const ANY: &[&str] = &[];

/// One reference from a record of the bundle to another record: where it is (for messages), the id
/// it names, and the kinds of record it may name.
struct Ref<'a> {
    place: String,
    id: &'a str,
    kinds: &'static [&'static str],
}

fn each_ref<'a>(b: &'a Bundle, f: &mut dyn FnMut(Ref<'a>) -> Result<()>) -> Result<()> {
    fn attributions<'a>(
        what: &str,
        list: &'a [AttributionRec],
        f: &mut dyn FnMut(Ref<'a>) -> Result<()>,
    ) -> Result<()> {
        for a in list {
            if let Some(p) = &a.asserted_by {
                f(Ref { place: format!("{what} attribution asserted_by"), id: p, kinds: PARTY })?;
            }
            if let Some(p) = &a.reported_by {
                f(Ref { place: format!("{what} attribution reported_by"), id: p, kinds: PARTY })?;
            }
        }
        Ok(())
    }
    fn many<'a>(
        place: String,
        ids: &'a [String],
        kinds: &'static [&'static str],
        f: &mut dyn FnMut(Ref<'a>) -> Result<()>,
    ) -> Result<()> {
        for id in ids {
            f(Ref { place: place.clone(), id, kinds })?;
        }
        Ok(())
    }
    for r in &b.case.roles {
        f(Ref { place: "case role party".into(), id: &r.party, kinds: PARTY })?;
        if let Some(o) = &r.on_behalf_of {
            f(Ref { place: format!("case role of '{}' on_behalf_of", r.party), id: o, kinds: PARTY })?;
        }
    }
    for p in &b.parties {
        for a in &p.affiliations {
            f(Ref { place: format!("party '{}' affiliation", p.id), id: &a.organisation, kinds: PARTY })?;
        }
    }
    for a in &b.agreements {
        let what = format!("agreement '{}'", a.id);
        many(format!("{what} parties"), &a.parties, PARTY, f)?;
        attributions(&what, &a.attributions, f)?;
        for c in &a.clauses {
            attributions(&format!("clause '{}'", c.id), &c.attributions, f)?;
        }
    }
    for l in &b.letters {
        let what = format!("letter '{}'", l.id);
        f(Ref { place: format!("{what} sender"), id: &l.sender, kinds: PARTY })?;
        if let Some(p) = &l.sender_person {
            f(Ref { place: format!("{what} sender_person"), id: p, kinds: PARTY })?;
        }
        many(format!("{what} to"), &l.to, PARTY, f)?;
        many(format!("{what} cc"), &l.cc, PARTY, f)?;
        if let Some(r) = &l.in_reply_to {
            f(Ref { place: format!("{what} in_reply_to"), id: r, kinds: LETTER })?;
        }
        attributions(&what, &l.attributions, f)?;
    }
    for e in &b.events {
        let what = format!("event '{}'", e.id);
        many(format!("{what} parties"), &e.parties, PARTY, f)?;
        attributions(&what, &e.attributions, f)?;
    }
    for a in &b.allegations {
        let what = format!("allegation '{}'", a.id);
        f(Ref { place: format!("{what} made_by"), id: &a.made_by, kinds: PARTY })?;
        f(Ref { place: format!("{what} against"), id: &a.against, kinds: PARTY })?;
        if let Some(r) = &a.raised_in {
            f(Ref { place: format!("{what} raised_in"), id: r, kinds: LETTER_OR_EVENT })?;
        }
        if let Some(r) = &a.agreement {
            f(Ref { place: format!("{what} agreement"), id: r, kinds: AGREEMENT })?;
        }
        many(format!("{what} clauses"), &a.clauses, CLAUSE, f)?;
        attributions(&what, &a.attributions, f)?;
    }
    for r in &b.responses {
        let what = format!("response '{}'", r.id);
        f(Ref { place: format!("{what} by"), id: &r.by, kinds: PARTY })?;
        if let Some(l) = &r.letter {
            f(Ref { place: format!("{what} letter"), id: l, kinds: LETTER })?;
        }
        many(format!("{what} allegations"), &r.allegations, ALLEGATION, f)?;
        attributions(&what, &r.attributions, f)?;
    }
    for e in &b.evidence {
        attributions(&format!("evidence '{}'", e.id), &e.attributions, f)?;
    }
    for l in &b.links {
        f(Ref { place: "evidence link evidence".into(), id: &l.evidence, kinds: EVIDENCE })?;
        f(Ref { place: format!("evidence link from '{}' record", l.evidence), id: &l.record, kinds: ANY })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Import

/// Reads a bundle and writes the case it holds, keeping every id and timestamp. The whole bundle is
/// checked first (its format and version, every value, date and reference); evidence files are then
/// brought into the store from `files` (the folder of `<sha256>` files written beside the bundle),
/// each checked against its SHA-256; finally everything is written as one change, so a failure
/// anywhere leaves the database and its change log as they were.
///
/// Without `files`, file evidence is accepted only when its file is already in the store.
pub fn import_json(store: &mut Store, json: &str, files: Option<&Path>, mode: Mode) -> Result<ImportReport> {
    let bundle = parse(json)?;
    if mode == Mode::Refuse {
        let exists: Option<String> = store
            .conn()
            .query_row(
                "SELECT id FROM case_file WHERE id = ?1 OR slug = ?2",
                params![bundle.case.id, bundle.case.slug],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Err(Error::Conflict(format!(
                "case '{}' already exists; import with merge to add what is missing",
                bundle.case.slug
            )));
        }
    }
    let kinds = check(&bundle)?;
    let plan = plan(store.conn(), &bundle, &kinds)?;
    let report = ImportReport { case_slug: bundle.case.slug.clone(), created: plan.created, skipped: plan.skipped };
    if plan.created == 0 {
        // Nothing is missing: no write, and no change-log entry for a change that did not happen.
        return Ok(report);
    }
    bring_files(store, &bundle, &plan, files)?;
    let store_files = store.files_dir().to_path_buf();
    let detail = ImportDetail {
        format: FORMAT,
        version: VERSION,
        case: &bundle.case.slug,
        mode,
        created: plan.created,
        skipped: plan.skipped,
    };
    let case_id = bundle.case.id.clone();
    store.write("import bundle", Some(&case_id), &detail, |conn| {
        insert(conn, &bundle, &plan)?;
        crate::store::refresh_case(conn, &store_files, &case_id)?;
        // Parties the case names without giving them a role are not reached by refresh_case.
        for id in &plan.new_parties {
            crate::store::refresh_derived(conn, &store_files, id)?;
        }
        Ok(())
    })?;
    Ok(report)
}

/// What the change log records of an import.
#[derive(Serialize)]
struct ImportDetail<'a> {
    format: &'a str,
    version: u32,
    case: &'a str,
    mode: Mode,
    created: usize,
    skipped: usize,
}

/// Reads the bundle in two passes: the first only finds its format and version (so that a bundle of
/// another version is refused as such, not for a field this version does not know), the second reads
/// it strictly. Either pass names the line and column of what it could not read.
fn parse(json: &str) -> Result<Bundle> {
    #[derive(Deserialize)]
    struct Header {
        #[serde(default)]
        format: Option<serde_json::Value>,
        #[serde(default)]
        version: Option<serde_json::Value>,
    }
    let header: Header = serde_json::from_str(json).map_err(|e| match e.classify() {
        // Any value is accepted for both fields, so a data error here means the top level is not an object.
        serde_json::error::Category::Data => {
            Error::invalid("bundle", "the file is not a JSON object: it is not a Dossier bundle")
        }
        _ => json_error(e),
    })?;
    match header.format.as_ref().and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(Error::invalid(
                "format",
                format!("'{}' is not a Dossier bundle (expected '{FORMAT}')", input::shorten(other)),
            ))
        }
        None => {
            return Err(Error::invalid(
                "format",
                format!("the file has no \"format\": \"{FORMAT}\"; it is not a Dossier bundle"),
            ))
        }
    }
    match header.version {
        Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
        Some(v) => {
            return Err(Error::invalid(
                "version",
                format!("bundle version {v} is not supported: this Dossier reads version {VERSION}"),
            ))
        }
        None => {
            return Err(Error::invalid(
                "version",
                format!("the bundle has no version: this Dossier reads version {VERSION}"),
            ))
        }
    }
    serde_json::from_str(json).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> Error {
    use serde_json::error::Category;
    let message = match e.classify() {
        Category::Eof => format!("the file is cut short: {e}"),
        Category::Syntax => format!("not valid JSON: {e}"),
        Category::Data | Category::Io => e.to_string(),
    };
    Error::invalid("bundle", message)
}

// --- Checks that need only the bundle -----------------------------------------------------------------

/// Checks every value of the bundle that can be checked without the database, and returns the kind
/// of each record it holds by id.
fn check(b: &Bundle) -> Result<HashMap<String, &'static str>> {
    let mut kinds: HashMap<String, &'static str> = HashMap::new();
    let mut add = |id: &str, kind: &'static str| -> Result<()> {
        check_id(&format!("{kind} id"), id)?;
        if let Some(other) = kinds.insert(id.to_string(), kind) {
            return Err(Error::invalid("bundle", format!("id '{id}' is used twice (a {other} and a {kind})")));
        }
        Ok(())
    };
    add(&b.case.id, "case")?;
    b.parties.iter().try_for_each(|p| add(&p.id, "party"))?;
    for a in &b.agreements {
        add(&a.id, "agreement")?;
        a.clauses.iter().try_for_each(|c| add(&c.id, "clause"))?;
    }
    b.letters.iter().try_for_each(|l| add(&l.id, "letter"))?;
    b.events.iter().try_for_each(|e| add(&e.id, "event"))?;
    b.allegations.iter().try_for_each(|a| add(&a.id, "allegation"))?;
    b.responses.iter().try_for_each(|r| add(&r.id, "response"))?;
    b.evidence.iter().try_for_each(|e| add(&e.id, "evidence"))?;

    check_case(&b.case)?;
    let mut names = HashMap::new();
    for p in &b.parties {
        check_party(p)?;
        if let Some(other) = names.insert(p.name.to_lowercase(), &p.id) {
            return Err(Error::invalid(
                "bundle",
                format!("parties '{other}' and '{}' are both named '{}'", p.id, p.name),
            ));
        }
    }
    for a in &b.agreements {
        check_agreement(a)?;
    }
    let mut message_ids = HashSet::new();
    for l in &b.letters {
        check_letter(l)?;
        if let Some(m) = &l.message_id {
            if !message_ids.insert(m) {
                return Err(Error::invalid(
                    format!("letter '{}' message_id", l.id),
                    format!("'{m}' is used by another letter"),
                ));
            }
        }
    }
    check_threads(&b.letters)?;
    for e in &b.events {
        let what = format!("event '{}'", e.id);
        stamps(&what, &e.created_at, &e.updated_at)?;
        input::required(&format!("{what} title"), &e.title)?;
        input::text(&format!("{what} description"), &e.description)?;
        date(&what, "date", &e.date)?;
        unique(&format!("{what} parties"), &e.parties)?;
        tags_and_attributions(&what, &e.tags, &e.attributions)?;
    }
    for a in &b.allegations {
        check_allegation(a)?;
    }
    for r in &b.responses {
        let what = format!("response '{}'", r.id);
        stamps(&what, &r.created_at, &r.updated_at)?;
        one_of(&format!("{what} stance"), &r.stance, response::STANCES)?;
        input::text(&format!("{what} text"), &r.text)?;
        date(&what, "date", &r.date)?;
        if r.allegations.is_empty() {
            return Err(Error::invalid(format!("{what} allegations"), "at least one allegation is required"));
        }
        unique(&format!("{what} allegations"), &r.allegations)?;
        tags_and_attributions(&what, &r.tags, &r.attributions)?;
    }
    for e in &b.evidence {
        check_evidence(e)?;
    }
    let mut links = HashSet::new();
    for l in &b.links {
        let place = format!("evidence link from '{}'", l.evidence);
        input::line(&format!("{place} pinpoint"), &l.pinpoint)?;
        input::text(&format!("{place} note"), &l.note)?;
        if !links.insert((&l.evidence, &l.record, &l.pinpoint)) {
            return Err(Error::invalid(place, format!("the link to '{}' at '{}' appears twice", l.record, l.pinpoint)));
        }
    }
    // Every reference names an id; the ids themselves are resolved against the database later.
    each_ref(b, &mut |r| check_id(&r.place, r.id))?;
    Ok(kinds)
}

fn check_id(place: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid(place, "id is empty"));
    }
    if id.len() > 200 || id.trim() != id || id.chars().any(char::is_control) {
        return Err(Error::invalid(place, format!("'{}' is not a valid id", input::shorten(id))));
    }
    Ok(())
}

/// An exact value of a closed vocabulary: the bundle is written by programs, so no spelling variant
/// is accepted.
fn one_of(place: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(place, format!("'{}' is not one of: {}", input::shorten(value), allowed.join(", "))))
    }
}

fn date(what: &str, field: &str, text: &str) -> Result<()> {
    input::date(&format!("{what} {field}"), text).map(|_| ())
}

fn opt_date(what: &str, field: &str, text: &Option<String>) -> Result<()> {
    text.as_deref().map_or(Ok(()), |t| date(what, field, t))
}

fn stamps(what: &str, created_at: &str, updated_at: &str) -> Result<()> {
    for (field, value) in [("created_at", created_at), ("updated_at", updated_at)] {
        if chrono::DateTime::parse_from_rfc3339(value).is_err() {
            return Err(Error::invalid(
                format!("{what} {field}"),
                format!("'{}' is not an RFC 3339 timestamp", input::shorten(value)),
            ));
        }
    }
    Ok(())
}

fn unique(place: &str, values: &[String]) -> Result<()> {
    let mut seen = HashSet::new();
    for v in values {
        if !seen.insert(v) {
            return Err(Error::invalid(place, format!("'{}' appears twice", input::shorten(v))));
        }
    }
    Ok(())
}

fn tags_and_attributions(what: &str, tags: &[String], attributions: &[AttributionRec]) -> Result<()> {
    let place = format!("{what} tags");
    for t in tags {
        input::required(&place, t)?;
    }
    unique(&place, tags)?;
    for a in attributions {
        let place = format!("{what} attribution");
        if a.asserted_by.is_none() && a.reported_by.is_none() {
            return Err(Error::invalid(place, "needs who asserts it or who reports it"));
        }
        input::line(&place, &a.how)?;
        one_of(&format!("{place} certainty"), &a.certainty, attribution::CERTAINTIES)?;
    }
    Ok(())
}

fn check_case(c: &CaseRec) -> Result<()> {
    let what = format!("case '{}'", c.id);
    stamps(&what, &c.created_at, &c.updated_at)?;
    let slug_ok = !c.slug.is_empty()
        && c.slug.len() <= 80
        && !c.slug.starts_with('-')
        && c.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return Err(Error::invalid(
            format!("{what} slug"),
            format!("'{}' must be 1 to 80 lower-case letters, digits and dashes", input::shorten(&c.slug)),
        ));
    }
    input::required(&format!("{what} title"), &c.title)?;
    one_of(&format!("{what} status"), &c.status, case::STATUSES)?;
    input::text(&format!("{what} summary"), &c.summary)?;
    for t in &c.tags {
        input::required(&format!("{what} tags"), t)?;
    }
    unique(&format!("{what} tags"), &c.tags)?;
    let mut roles = HashSet::new();
    for r in &c.roles {
        one_of(&format!("case role of '{}'", r.party), &r.role, role::ROLES)?;
        if !roles.insert((&r.party, &r.role)) {
            return Err(Error::invalid("case role", format!("'{}' has the role {} twice", r.party, r.role)));
        }
    }
    Ok(())
}

fn check_party(p: &PartyRec) -> Result<()> {
    let what = format!("party '{}'", p.id);
    stamps(&what, &p.created_at, &p.updated_at)?;
    input::required(&format!("{what} name"), &p.name)?;
    one_of(&format!("{what} kind"), &p.kind, party::KINDS)?;
    input::text(&format!("{what} description"), &p.description)?;
    for a in &p.aliases {
        input::required(&format!("{what} aliases"), a)?;
    }
    unique(&format!("{what} aliases"), &p.aliases)?;
    if !p.affiliations.is_empty() && p.kind != "person" {
        return Err(Error::invalid(
            format!("{what} affiliations"),
            format!("only a person has affiliations, and '{}' is a {}", p.name, p.kind),
        ));
    }
    let mut seen = HashSet::new();
    for a in &p.affiliations {
        input::required(&format!("{what} affiliation role"), &a.role)?;
        if a.organisation == p.id {
            return Err(Error::invalid(
                format!("{what} affiliations"),
                format!("'{}' cannot be affiliated with itself", p.name),
            ));
        }
        if !seen.insert((&a.organisation, &a.role)) {
            return Err(Error::invalid(
                format!("{what} affiliations"),
                format!("'{}' as {} appears twice", a.organisation, a.role),
            ));
        }
    }
    Ok(())
}

fn check_agreement(a: &AgreementRec) -> Result<()> {
    let what = format!("agreement '{}'", a.id);
    stamps(&what, &a.created_at, &a.updated_at)?;
    input::required(&format!("{what} title"), &a.title)?;
    input::line(&format!("{what} kind"), &a.kind)?;
    input::text(&format!("{what} terms"), &a.terms)?;
    opt_date(&what, "effective", &a.effective)?;
    opt_date(&what, "terminated", &a.terminated)?;
    unique(&format!("{what} parties"), &a.parties)?;
    tags_and_attributions(&what, &a.tags, &a.attributions)?;
    let mut references = HashSet::new();
    for c in &a.clauses {
        let cwhat = format!("clause '{}'", c.id);
        stamps(&cwhat, &c.created_at, &c.updated_at)?;
        input::required(&format!("{cwhat} reference"), &c.reference)?;
        input::text(&format!("{cwhat} text"), &c.text)?;
        if !references.insert(&c.reference) {
            return Err(Error::invalid(
                format!("{what} clauses"),
                format!("the reference '{}' appears twice", c.reference),
            ));
        }
        tags_and_attributions(&cwhat, &c.tags, &c.attributions)?;
    }
    Ok(())
}

fn check_letter(l: &LetterRec) -> Result<()> {
    let what = format!("letter '{}'", l.id);
    stamps(&what, &l.created_at, &l.updated_at)?;
    one_of(&format!("{what} channel"), &l.channel, letter::CHANNELS)?;
    input::required(&format!("{what} subject"), &l.subject)?;
    input::text(&format!("{what} body"), &l.body)?;
    date(&what, "date", &l.date)?;
    opt_date(&what, "deadline", &l.deadline)?;
    let recipients: Vec<String> = l.to.iter().chain(&l.cc).cloned().collect();
    unique(&format!("{what} recipients (to and cc)"), &recipients)?;
    if let Some(m) = &l.message_id {
        input::required(&format!("{what} message_id"), m)?;
    }
    if l.in_reply_to.as_deref() == Some(l.id.as_str()) {
        return Err(Error::invalid(format!("{what} in_reply_to"), "a letter cannot answer itself"));
    }
    tags_and_attributions(&what, &l.tags, &l.attributions)
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
                return Err(Error::invalid(
                    format!("letter '{}' in_reply_to", l.id),
                    "the reply thread loops back on itself",
                ));
            }
            at = up;
        }
    }
    Ok(())
}

fn check_allegation(a: &AllegationRec) -> Result<()> {
    let what = format!("allegation '{}'", a.id);
    stamps(&what, &a.created_at, &a.updated_at)?;
    input::required(&format!("{what} summary"), &a.summary)?;
    input::text(&format!("{what} detail"), &a.detail)?;
    date(&what, "date", &a.date)?;
    unique(&format!("{what} clauses"), &a.clauses)?;
    for (i, s) in a.history.iter().enumerate() {
        let swhat = format!("{what} history[{i}]");
        one_of(&format!("{swhat} status"), &s.status, allegation::STATUSES)?;
        date(&swhat, "date", &s.date)?;
        input::text(&format!("{swhat} note"), &s.note)?;
    }
    tags_and_attributions(&what, &a.tags, &a.attributions)
}

fn check_evidence(e: &EvidenceRec) -> Result<()> {
    let what = format!("evidence '{}'", e.id);
    stamps(&what, &e.created_at, &e.updated_at)?;
    one_of(&format!("{what} kind"), &e.kind, evidence::KINDS)?;
    input::required(&format!("{what} title"), &e.title)?;
    input::text(&format!("{what} note"), &e.note)?;
    opt_date(&what, "date", &e.date)?;
    if let Some(sha) = &e.sha256 {
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(Error::invalid(
                format!("{what} sha256"),
                format!("'{}' is not a SHA-256 (64 lower-case hexadecimal digits)", input::shorten(sha)),
            ));
        }
    }
    if e.size.is_some_and(|s| s < 0) {
        return Err(Error::invalid(format!("{what} size"), "is negative"));
    }
    match (e.kind.as_str(), &e.sha256, e.size) {
        ("file", Some(_), Some(_)) => {}
        ("file", _, _) => return Err(Error::invalid(format!("{what} sha256"), "a file needs its sha256 and size")),
        (_, None, None) => {}
        _ => {
            return Err(Error::invalid(
                format!("{what} sha256"),
                format!("only file evidence has a stored file, and this is a {}", e.kind),
            ))
        }
    }
    match &e.url {
        None if e.kind == "url" => return Err(Error::invalid(format!("{what} url"), "is required for URL evidence")),
        Some(u)
            if !(u.to_ascii_lowercase().starts_with("http://") || u.to_ascii_lowercase().starts_with("https://")) =>
        {
            return Err(Error::invalid(
                format!("{what} url"),
                format!("'{}' is not an http(s) address", input::shorten(u)),
            ))
        }
        _ => {}
    }
    for (field, value) in [
        ("media_type", &e.media_type),
        ("original_name", &e.original_name),
        ("url", &e.url),
        ("publisher", &e.publisher),
    ] {
        if let Some(v) = value {
            input::line(&format!("{what} {field}"), v)?;
        }
    }
    tags_and_attributions(&what, &e.tags, &e.attributions)
}

// --- Checks against the database, and what to write -----------------------------------------------------

/// What an import writes: which records are new, which parties of the bundle stand for which party
/// of the database, and which case roles and evidence links are missing.
struct Plan {
    new_records: HashSet<String>,
    /// Bundle party id → database party id (the same id, or that of the party with the same name).
    parties: HashMap<String, String>,
    new_parties: Vec<String>,
    new_roles: Vec<usize>,
    new_links: Vec<usize>,
    created: usize,
    skipped: usize,
}

impl Plan {
    fn is_new(&self, id: &str) -> bool {
        self.new_records.contains(id)
    }

    fn party<'a>(&'a self, id: &'a str) -> &'a str {
        self.parties.get(id).map(String::as_str).unwrap_or(id)
    }
}

fn plan(conn: &Connection, b: &Bundle, kinds: &HashMap<String, &'static str>) -> Result<Plan> {
    let case_id = b.case.id.as_str();
    let mut plan = Plan {
        new_records: HashSet::new(),
        parties: HashMap::new(),
        new_parties: Vec::new(),
        new_roles: Vec::new(),
        new_links: Vec::new(),
        created: 0,
        skipped: 0,
    };
    // A case with the bundle's slug but another id is another case: merging into it would mix two cases.
    let same_slug: Option<String> =
        conn.query_row("SELECT id FROM case_file WHERE slug = ?1", [&b.case.slug], |r| r.get(0)).optional()?;
    if let Some(other) = same_slug.filter(|other| other != case_id) {
        return Err(Error::Conflict(format!(
            "another case ('{other}') already has the slug '{}'; rename it before importing this bundle",
            b.case.slug
        )));
    }
    let mut ordered: Vec<(&str, &'static str)> = kinds.iter().map(|(id, kind)| (id.as_str(), *kind)).collect();
    ordered.sort();
    for (id, kind) in ordered {
        match store::record_kind(conn, id)? {
            Some(found) if found != kind => {
                return Err(Error::Conflict(format!(
                    "id '{id}' is a {kind} in the bundle but a {found} in the database"
                )));
            }
            Some(_) if kind == "party" => {
                plan.parties.insert(id.to_string(), id.to_string());
                plan.skipped += 1;
            }
            Some(_) => {
                if crate::store::case_of(conn, id, kind)?.as_deref() != Some(case_id) {
                    return Err(Error::Conflict(format!("{kind} '{id}' is already in the database, in another case")));
                }
                plan.skipped += 1;
            }
            None if kind == "party" => {
                // Parties are shared across cases and named uniquely: a party the database already
                // knows by this name is that party, whatever id it was given elsewhere.
                let name = b.parties.iter().find(|p| p.id == id).map(|p| p.name.as_str()).unwrap_or_default();
                let known: Option<String> = conn
                    .query_row("SELECT id FROM party WHERE name = ?1 COLLATE UNICASE", [name], |r| r.get(0))
                    .optional()?;
                match known {
                    Some(existing) => {
                        plan.parties.insert(id.to_string(), existing);
                        plan.skipped += 1;
                    }
                    None => {
                        plan.parties.insert(id.to_string(), id.to_string());
                        plan.new_parties.push(id.to_string());
                        plan.new_records.insert(id.to_string());
                        plan.created += 1;
                    }
                }
            }
            None => {
                plan.new_records.insert(id.to_string());
                plan.created += 1;
            }
        }
    }
    plan.new_parties.sort();

    // Every reference must name a record of the bundle or one already in the database, of the kind
    // it may name, and (parties aside) in this case.
    each_ref(b, &mut |r| {
        let found = match kinds.get(r.id) {
            Some(kind) => Some(kind.to_string()),
            None => store::record_kind(conn, r.id)?,
        };
        let Some(kind) = found else {
            return Err(Error::invalid(r.place, format!("'{}' is neither in the bundle nor in the database", r.id)));
        };
        if !r.kinds.is_empty() && !r.kinds.contains(&kind.as_str()) {
            return Err(Error::invalid(r.place, format!("'{}' is a {kind}, not a {}", r.id, r.kinds.join(" or "))));
        }
        if !kinds.contains_key(r.id)
            && kind != "party"
            && crate::store::case_of(conn, r.id, &kind)?.as_deref() != Some(case_id)
        {
            return Err(Error::invalid(r.place, format!("'{}' belongs to another case", r.id)));
        }
        Ok(())
    })?;

    // New rows must not collide with what the database holds under another id.
    for a in b.agreements.iter() {
        for c in a.clauses.iter().filter(|c| plan.is_new(&c.id) && !plan.is_new(&a.id)) {
            let taken: Option<String> = conn
                .query_row(
                    "SELECT id FROM clause WHERE agreement_id = ?1 AND reference = ?2",
                    params![a.id, c.reference],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = taken {
                return Err(Error::Conflict(format!(
                    "agreement '{}' already has a clause '{}' ({other})",
                    a.id, c.reference
                )));
            }
        }
    }
    for l in b.letters.iter().filter(|l| plan.is_new(&l.id)) {
        if let Some(m) = &l.message_id {
            let taken: Option<String> = conn
                .query_row("SELECT id FROM letter WHERE case_id = ?1 AND message_id = ?2", params![case_id, m], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(other) = taken {
                return Err(Error::Conflict(format!("letter '{other}' already has the message id '{m}'")));
            }
        }
    }

    // Case roles and evidence links have no id: each is added when the database does not have it.
    for (i, r) in b.case.roles.iter().enumerate() {
        let exists = !plan.is_new(case_id)
            && conn
                .query_row(
                    "SELECT 1 FROM case_party WHERE case_id = ?1 AND party_id = ?2 AND role = ?3",
                    params![case_id, plan.party(&r.party), r.role],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
        if exists {
            plan.skipped += 1;
        } else {
            plan.new_roles.push(i);
            plan.created += 1;
        }
    }
    for (i, l) in b.links.iter().enumerate() {
        let exists = conn
            .query_row(
                "SELECT 1 FROM evidence_link WHERE evidence_id = ?1 AND record_id = ?2 AND pinpoint = ?3",
                params![l.evidence, plan.party(&l.record), l.pinpoint],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if exists {
            plan.skipped += 1;
        } else {
            plan.new_links.push(i);
            plan.created += 1;
        }
    }
    Ok(plan)
}

// --- Evidence files -----------------------------------------------------------------------------------

/// Puts the file of every new file evidence into the store before anything is written to the database
/// (so that the database never names a missing file), checking each against its SHA-256 and size.
fn bring_files(store: &Store, b: &Bundle, plan: &Plan, folder: Option<&Path>) -> Result<()> {
    let mut done = HashSet::new();
    for e in b.evidence.iter().filter(|e| plan.is_new(&e.id)) {
        let (Some(sha), Some(size)) = (e.sha256.as_deref(), e.size) else { continue };
        let target = evidence::blob_path(store, sha);
        if done.insert(sha) && !target.exists() {
            let Some(folder) = folder else {
                return Err(Error::invalid(
                    "files",
                    format!("evidence file {sha} is not in the store, and no bundle folder was given to bring it from"),
                ));
            };
            let source = folder.join(sha);
            copy_checked(&source, &target, sha, || {
                Error::invalid("files", format!("evidence file {sha} is not in the bundle folder {}", folder.display()))
            })?;
        }
        let actual = std::fs::metadata(&target).map_err(|e| Error::io(&target, e))?.len();
        if i64::try_from(actual).ok() != Some(size) {
            return Err(Error::invalid(
                format!("evidence '{}' size", e.id),
                format!("the bundle says {size} bytes but evidence file {sha} has {actual}"),
            ));
        }
    }
    Ok(())
}

/// Copies `source` to `target` through a temporary file beside `target`, hashing on the way; the copy
/// takes `target`'s name only when its SHA-256 is `sha256`, so a damaged or altered file never lands
/// under a hash it does not have.
fn copy_checked(source: &Path, target: &Path, sha256: &str, missing: impl FnOnce() -> Error) -> Result<()> {
    let mut input = match File::open(source) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        Err(e) => return Err(Error::io(source, e)),
    };
    let dir =
        target.parent().ok_or_else(|| Error::invalid("files", format!("'{}' has no folder", target.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = dir.join(format!("incoming-{}", store::new_id()));
    let result = (|| -> Result<()> {
        let mut out = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = input.read(&mut buf).map_err(|e| Error::io(source, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| Error::io(&tmp, e))?;
        }
        out.sync_all().map_err(|e| Error::io(&tmp, e))?;
        let actual = store::hex(&hasher.finalize());
        if actual != sha256 {
            return Err(Error::invalid(
                "files",
                format!("evidence file {sha256} does not match its SHA-256: {} hashes to {actual}", source.display()),
            ));
        }
        std::fs::rename(&tmp, target).map_err(|e| Error::io(target, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes a whole file through a temporary name, so a reader never sees half of it.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}-{}", BUNDLE_FILE, store::new_id()));
    let result = (|| -> Result<()> {
        let mut out = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        out.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
        out.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

// --- Writing ------------------------------------------------------------------------------------------

/// Adds the registry row of a record with the bundle's timestamps.
fn register(conn: &Connection, kind: &str, id: &str, created_at: &str, updated_at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO record (id, kind, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, kind, created_at, updated_at],
    )?;
    Ok(())
}

/// The five stored columns of a date already checked by [`check`].
fn cols(what: &str, text: Option<&str>) -> Result<store::DateCols> {
    let parsed = match text {
        Some(t) => Some(input::date(what, t)?),
        None => None,
    };
    Ok(store::date_cols(parsed.as_ref()))
}

fn write_tags_and_attributions(
    conn: &Connection,
    plan: &Plan,
    id: &str,
    tags: &[String],
    list: &[AttributionRec],
) -> Result<()> {
    for t in tags {
        conn.execute("INSERT INTO record_tag (record_id, tag) VALUES (?1, ?2)", params![id, t])?;
    }
    for a in list {
        conn.execute(
            "INSERT INTO attribution (record_id, asserted_by, reported_by, how, certainty) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                a.asserted_by.as_deref().map(|p| plan.party(p)),
                a.reported_by.as_deref().map(|p| plan.party(p)),
                a.how,
                a.certainty
            ],
        )?;
    }
    Ok(())
}

/// Writes what the plan says is missing, in an order that satisfies every foreign key as it goes.
fn insert(conn: &Connection, b: &Bundle, plan: &Plan) -> Result<()> {
    let case_id = b.case.id.as_str();
    let new_parties: Vec<&PartyRec> = b.parties.iter().filter(|p| plan.is_new(&p.id)).collect();
    for p in &new_parties {
        register(conn, "party", &p.id, &p.created_at, &p.updated_at)?;
        conn.execute(
            "INSERT INTO party (id, name, kind, description) VALUES (?1, ?2, ?3, ?4)",
            params![p.id, p.name, p.kind, p.description],
        )?;
    }
    for p in &new_parties {
        for a in &p.aliases {
            conn.execute("INSERT INTO party_alias (party_id, alias) VALUES (?1, ?2)", params![p.id, a])?;
        }
        for a in &p.affiliations {
            conn.execute(
                "INSERT INTO affiliation (person_id, organisation_id, role) VALUES (?1, ?2, ?3)",
                params![p.id, plan.party(&a.organisation), a.role],
            )?;
        }
    }

    let c = &b.case;
    if plan.is_new(case_id) {
        register(conn, "case", case_id, &c.created_at, &c.updated_at)?;
        conn.execute(
            "INSERT INTO case_file (id, slug, title, status, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![case_id, c.slug, c.title, c.status, c.summary],
        )?;
        for t in &c.tags {
            conn.execute("INSERT INTO case_tag (case_id, tag) VALUES (?1, ?2)", params![case_id, t])?;
        }
    }
    for &i in &plan.new_roles {
        let r = &c.roles[i];
        conn.execute(
            "INSERT INTO case_party (case_id, party_id, role, on_behalf_of) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, plan.party(&r.party), r.role, r.on_behalf_of.as_deref().map(|p| plan.party(p))],
        )?;
    }

    for a in &b.agreements {
        let what = format!("agreement '{}'", a.id);
        if plan.is_new(&a.id) {
            let (ef, ef_sort, ef_lo, ef_hi, ef_rank) = cols(&format!("{what} effective"), a.effective.as_deref())?;
            let (te, te_sort, te_lo, te_hi, te_rank) = cols(&format!("{what} terminated"), a.terminated.as_deref())?;
            register(conn, "agreement", &a.id, &a.created_at, &a.updated_at)?;
            conn.execute(
                "INSERT INTO agreement (id, case_id, title, kind, terms,
                     effective, effective_sort, effective_lo, effective_hi, effective_rank,
                     terminated, terminated_sort, terminated_lo, terminated_hi, terminated_rank)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    a.id, case_id, a.title, a.kind, a.terms, ef, ef_sort, ef_lo, ef_hi, ef_rank, te, te_sort, te_lo,
                    te_hi, te_rank
                ],
            )?;
            for p in &a.parties {
                conn.execute(
                    "INSERT INTO agreement_party (agreement_id, party_id) VALUES (?1, ?2)",
                    params![a.id, plan.party(p)],
                )?;
            }
            write_tags_and_attributions(conn, plan, &a.id, &a.tags, &a.attributions)?;
        }
        for cl in a.clauses.iter().filter(|cl| plan.is_new(&cl.id)) {
            register(conn, "clause", &cl.id, &cl.created_at, &cl.updated_at)?;
            conn.execute(
                "INSERT INTO clause (id, agreement_id, reference, text, position) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![cl.id, a.id, cl.reference, cl.text, cl.position],
            )?;
            write_tags_and_attributions(conn, plan, &cl.id, &cl.tags, &cl.attributions)?;
        }
    }

    for e in b.events.iter().filter(|e| plan.is_new(&e.id)) {
        let (date, sort, lo, hi, rank) = cols(&format!("event '{}' date", e.id), Some(&e.date))?;
        register(conn, "event", &e.id, &e.created_at, &e.updated_at)?;
        conn.execute(
            "INSERT INTO event (id, case_id, title, description, position, date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![e.id, case_id, e.title, e.description, e.position, date, sort, lo, hi, rank],
        )?;
        for p in &e.parties {
            conn.execute("INSERT INTO event_party (event_id, party_id) VALUES (?1, ?2)", params![e.id, plan.party(p)])?;
        }
        write_tags_and_attributions(conn, plan, &e.id, &e.tags, &e.attributions)?;
    }

    let new_letters: Vec<&LetterRec> = b.letters.iter().filter(|l| plan.is_new(&l.id)).collect();
    for l in &new_letters {
        let what = format!("letter '{}'", l.id);
        let (date, sort, lo, hi, rank) = cols(&format!("{what} date"), Some(&l.date))?;
        let (dl, dl_sort, dl_lo, dl_hi, dl_rank) = cols(&format!("{what} deadline"), l.deadline.as_deref())?;
        register(conn, "letter", &l.id, &l.created_at, &l.updated_at)?;
        // The letter it answers may come later in the bundle: replies are linked once all are in.
        conn.execute(
            "INSERT INTO letter (id, case_id, channel, sender_party_id, sender_person_id, subject, body, position, message_id,
                 date, date_sort, date_lo, date_hi, date_rank, deadline, deadline_sort, deadline_lo, deadline_hi, deadline_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            params![l.id, case_id, l.channel, plan.party(&l.sender), l.sender_person.as_deref().map(|p| plan.party(p)),
                    l.subject, l.body, l.position, l.message_id, date, sort, lo, hi, rank, dl, dl_sort, dl_lo, dl_hi, dl_rank],
        )?;
        for (list, kind) in [(&l.to, "to"), (&l.cc, "cc")] {
            for p in list {
                conn.execute(
                    "INSERT INTO letter_recipient (letter_id, party_id, kind) VALUES (?1, ?2, ?3)",
                    params![l.id, plan.party(p), kind],
                )?;
            }
        }
        write_tags_and_attributions(conn, plan, &l.id, &l.tags, &l.attributions)?;
    }
    for l in &new_letters {
        if let Some(parent) = &l.in_reply_to {
            conn.execute("UPDATE letter SET in_reply_to = ?2 WHERE id = ?1", params![l.id, parent])?;
        }
    }

    for a in b.allegations.iter().filter(|a| plan.is_new(&a.id)) {
        let what = format!("allegation '{}'", a.id);
        let (date, sort, lo, hi, rank) = cols(&format!("{what} date"), Some(&a.date))?;
        // `plan` checked that `raised_in` names a letter or an event, of the bundle or of the database.
        let raised_kind = match &a.raised_in {
            Some(r) if b.letters.iter().any(|l| l.id == *r) => Some("letter".to_string()),
            Some(r) if b.events.iter().any(|e| e.id == *r) => Some("event".to_string()),
            Some(r) => store::record_kind(conn, r)?,
            None => None,
        };
        let letter = a.raised_in.as_deref().filter(|_| raised_kind.as_deref() == Some("letter"));
        let event = a.raised_in.as_deref().filter(|_| raised_kind.as_deref() == Some("event"));
        register(conn, "allegation", &a.id, &a.created_at, &a.updated_at)?;
        conn.execute(
            "INSERT INTO allegation (id, case_id, made_by, against, raised_in_letter, raised_in_event, agreement_id, summary,
                 detail, position, date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![a.id, case_id, plan.party(&a.made_by), plan.party(&a.against), letter, event, a.agreement, a.summary,
                    a.detail, a.position, date, sort, lo, hi, rank],
        )?;
        for cl in &a.clauses {
            conn.execute(
                "INSERT INTO allegation_clause (allegation_id, clause_id) VALUES (?1, ?2)",
                params![a.id, cl],
            )?;
        }
        // The history opens with the raising; a bundle that leaves it out gets it as creating one would.
        let raising = [StatusRec { status: "alleged".into(), date: a.date.clone(), note: String::new(), position: 0 }];
        let history = if a.history.is_empty() { &raising[..] } else { &a.history[..] };
        for (i, s) in history.iter().enumerate() {
            let (d, d_sort, d_lo, d_hi, d_rank) = cols(&format!("{what} history[{i}] date"), Some(&s.date))?;
            conn.execute(
                "INSERT INTO allegation_status (allegation_id, status, note, position, date, date_sort, date_lo, date_hi, date_rank)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![a.id, s.status, s.note, s.position, d, d_sort, d_lo, d_hi, d_rank],
            )?;
        }
        write_tags_and_attributions(conn, plan, &a.id, &a.tags, &a.attributions)?;
    }

    for r in b.responses.iter().filter(|r| plan.is_new(&r.id)) {
        let (date, sort, lo, hi, rank) = cols(&format!("response '{}' date", r.id), Some(&r.date))?;
        register(conn, "response", &r.id, &r.created_at, &r.updated_at)?;
        conn.execute(
            "INSERT INTO response (id, case_id, by_party, letter_id, stance, text, position, date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![r.id, case_id, plan.party(&r.by), r.letter, r.stance, r.text, r.position, date, sort, lo, hi, rank],
        )?;
        for a in &r.allegations {
            conn.execute(
                "INSERT INTO response_allegation (response_id, allegation_id) VALUES (?1, ?2)",
                params![r.id, a],
            )?;
        }
        write_tags_and_attributions(conn, plan, &r.id, &r.tags, &r.attributions)?;
    }

    for e in b.evidence.iter().filter(|e| plan.is_new(&e.id)) {
        let (date, sort, lo, hi, rank) = cols(&format!("evidence '{}' date", e.id), e.date.as_deref())?;
        register(conn, "evidence", &e.id, &e.created_at, &e.updated_at)?;
        conn.execute(
            "INSERT INTO evidence (id, case_id, kind, title, note, sha256, size, media_type, original_name, url, publisher,
                 date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![e.id, case_id, e.kind, e.title, e.note, e.sha256, e.size, e.media_type, e.original_name, e.url, e.publisher,
                    date, sort, lo, hi, rank],
        )?;
        write_tags_and_attributions(conn, plan, &e.id, &e.tags, &e.attributions)?;
    }

    for &i in &plan.new_links {
        let l = &b.links[i];
        conn.execute(
            "INSERT INTO evidence_link (evidence_id, record_id, pinpoint, note) VALUES (?1, ?2, ?3, ?4)",
            params![l.evidence, plan.party(&l.record), l.pinpoint, l.note],
        )?;
    }
    Ok(())
}
