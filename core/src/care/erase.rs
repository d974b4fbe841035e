//! Erasing for real: a record, a piece of evidence, a party or a whole case removed from everything
//! Dossier keeps of it — for a clawback of privileged material, to protect a source, on an erasure
//! request, or because it was received in error.
//!
//! A delete keeps the record's last image in the change log, so it can be restored; an erasure does
//! not. In one write (`Store::erase`) the rows go, every change-log image and detail that held them
//! becomes a tombstone (the chain, its seals and every anchor still verify: see `store::erasure`),
//! their search rows and the text read from their files go, and one entry says what was erased, by
//! whom, when and why — never what it held. Then the evidence files no record shows any more leave the
//! store, the copies of the record Dossier kept beside the database (snapshots before an upgrade or a
//! restore) are removed, the copies handed to other programs are swept, and the database file is
//! rewritten without the free pages that held the text. What Dossier cannot reach — backups and
//! exports written elsewhere before — is listed for the person to destroy.

use serde::{Deserialize, Serialize};

use crate::care::backup;
use crate::error::{Error, Result};
use crate::input;
use crate::record::evidence;
use crate::store::erasure::{Erasures, Head};
use crate::store::packed::Packed;
use crate::store::{companions, registry, Reader, Store};
use crate::vocabulary::{ErasureReason, RecordKind, Spelling};

/// What a person asks to erase, as typed: the record's id (a case's slug too), the reason, and a note
/// (required when the reason is "other").
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EraseInput {
    pub id: String,
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// What an erasure did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EraseReport {
    /// The erasure's change-log entry.
    pub entry: i64,
    pub kind: RecordKind,
    pub id: String,
    pub reason: ErasureReason,
    /// Records removed (a case's records with it).
    pub records: usize,
    /// Earlier change-log entries whose content of them was removed.
    pub entries: usize,
    /// Evidence files removed from the store.
    pub files: usize,
    /// Copies of the record beside the database that were removed.
    pub copies: Vec<String>,
    /// Copies Dossier made elsewhere before the erasure, which may still hold what was erased: the
    /// person must destroy them.
    pub elsewhere: Vec<Elsewhere>,
    /// What could not be done (a copy or file that could not be removed), in sentences.
    pub warnings: Vec<String>,
}

/// A copy made elsewhere that may still hold erased content.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Elsewhere {
    /// `backup` or `export`.
    pub what: String,
    /// An export's format (`docx`, `json`…).
    pub format: Option<String>,
    pub path: String,
    /// When it was made (RFC 3339, UTC), and as people read it.
    pub at: String,
    pub when: String,
}

/// Erases the record `input.id` (see the module's documentation). A record that others still refer
/// to (a party a letter names, a letter an allegation was raised in) is refused as a delete would be:
/// erase or change those first. A case is erased with every record in it.
pub fn erase(store: &mut Store, input: &EraseInput) -> Result<EraseReport> {
    let reason: ErasureReason = input::one_of("reason", &input.reason, Spelling::Lenient)?;
    let note = input::line("note", &input.note)?;
    if reason == ErasureReason::Other && note.is_empty() {
        return Err(Error::required("note"));
    }
    let db = store.reader();
    let key = input.id.trim();
    let id = match registry::kind_of(db, key)? {
        Some(_) => key.to_string(),
        // A case may be named by its slug.
        None => db
            .optional("SELECT id FROM case_file WHERE slug = ?1", [key], |r| r.get(0))?
            .ok_or_else(|| Error::not_found("record", key))?,
    };
    let (kind, title) = registry::title_of(db, &id)?;
    let created = db.optional("SELECT created_at FROM record WHERE id = ?1", [&id], |r| r.get::<_, String>(0))?;
    // The case whose exports may hold it: its own for a case, none (every case's) for a party.
    let case = match kind {
        RecordKind::Case => Some(id.clone()),
        _ => registry::case_of(db, kind, &id)?,
    };
    let label = format!("{kind} '{}'", input::shorten(&title));
    let files = db.strings(
        "SELECT DISTINCT sha256 FROM evidence_file WHERE evidence_id = ?1 OR case_id = ?1 ORDER BY sha256",
        [&id],
    )?;
    let head = Head { kind, id: id.clone(), reason, note };
    let erased = store.erase(head, &files, |w| match kind {
        RecordKind::Case => registry::erase_case(w, &id, &label),
        _ => registry::erase_row(w, kind, &id, &label),
    })?;
    let mut warnings = erased.warnings;
    let mut copies_removed = Vec::new();
    if let Some(path) = store.path() {
        for outcome in companions::remove_all(path)? {
            match outcome.error {
                None => copies_removed.push(outcome.path),
                Some(e) => {
                    warnings.push(format!("{} may hold what was erased and could not be removed: {e}", outcome.path))
                }
            }
        }
    }
    if !erased.files.is_empty() {
        evidence::sweep_all_viewer_copies();
    }
    Ok(EraseReport {
        entry: erased.seq,
        kind,
        id,
        reason,
        records: erased.records.len(),
        entries: erased.entries,
        files: erased.files.len(),
        copies: copies_removed,
        elsewhere: elsewhere(store, case.as_deref(), created.as_deref())?,
        warnings,
    })
}

/// The copies Dossier made elsewhere since the record was created (`created`), which may hold it: the
/// backups and the exports of its case (`case`; every case's, for a party) the change log notes, and
/// the last backup when the log does not note it (made before backups were noted).
fn elsewhere(store: &Store, case: Option<&str>, created: Option<&str>) -> Result<Vec<Elsewhere>> {
    let db = store.reader();
    let since = created.unwrap_or("");
    let noted: Vec<(String, String, String)> = db.all(
        "SELECT action, at, detail FROM change_log WHERE action IN ('export', 'backup') AND at >= ?1 ORDER BY seq",
        [since],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Packed>(2)?.0)),
    )?;
    let mut out = Vec::new();
    for (action, at, detail) in noted {
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
        let text = |key: &str| detail.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let format = match action.as_str() {
            "export" if case.is_some_and(|c| text("case") != c) => continue,
            "export" => Some(text("format")),
            _ => None,
        };
        out.push(Elsewhere { what: action, format, path: text("path"), when: registry::moment(&at), at });
    }
    if let Some(last) = store.path().map(backup::last_backup).transpose()?.flatten() {
        let listed = out.iter().any(|e| e.what == "backup" && e.path == last.path);
        if !listed && last.at.as_str() >= since {
            out.push(Elsewhere { what: "backup".into(), format: None, path: last.path, when: last.when, at: last.at });
        }
    }
    Ok(out)
}

/// One erasure, as `check` lists it: what was erased, why, by whom and when — never what it held.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErasureNote {
    /// Its change-log entry.
    pub entry: i64,
    /// When (RFC 3339, UTC), and as people read it.
    pub at: String,
    pub when: String,
    pub actor: Option<String>,
    pub kind: RecordKind,
    pub id: String,
    pub reason: ErasureReason,
    pub note: String,
    /// Records removed with it (a case's records).
    pub records: usize,
}

/// Every erasure in the log, oldest first.
pub fn list(db: &Reader) -> Result<Vec<ErasureNote>> {
    Ok(Erasures::read(db)?
        .all()
        .iter()
        .map(|e| ErasureNote {
            entry: e.seq,
            when: registry::moment(&e.at),
            at: e.at.clone(),
            actor: e.actor.clone(),
            kind: e.detail.head.kind,
            id: e.detail.head.id.clone(),
            reason: e.detail.head.reason,
            note: e.detail.head.note.clone(),
            records: e.detail.records.len(),
        })
        .collect())
}
