//! The record registry: every record of every kind has a row in `record` (id, kind, created and
//! updated stamps), so evidence links, tags and attributions can point at any record under a foreign
//! key. The questions asked of any record whatever its kind — which case is it in, what is it called,
//! what still refers to it — are answered here, from one table of per-kind SQL.

use rusqlite::params;
use serde::Serialize;

use super::conn::{Reader, Writer};
use crate::error::{Error, Result};
use crate::vocabulary::RecordKind;

/// A new record id: a UUID v7, so ids sort roughly by creation time and never collide across
/// machines whose records are later merged.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current time as stored in `created_at`/`updated_at`: RFC 3339, UTC, to the millisecond (fine
/// enough that two edits of one record have different stamps: a stale edit is told by its stamp).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A stored moment (RFC 3339) as people read it in either language: `2026-11-29 04:22 UTC`.
pub fn moment(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// When a record was created and last changed (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stamps {
    pub created_at: String,
    pub updated_at: String,
}

impl Stamps {
    /// Both stamps set to now, for a record being created.
    pub fn now() -> Stamps {
        let at = now();
        Stamps { created_at: at.clone(), updated_at: at }
    }
}

/// The table that holds the records of a kind.
pub(crate) fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Case => "case_file",
        RecordKind::Party => "party",
        RecordKind::Agreement => "agreement",
        RecordKind::Clause => "clause",
        RecordKind::Letter => "letter",
        RecordKind::Allegation => "allegation",
        RecordKind::Response => "response",
        RecordKind::Event => "event",
        RecordKind::Evidence => "evidence",
    }
}

/// The case of the record `?1` of a kind; parties belong to no case.
fn case_sql(kind: RecordKind) -> Option<&'static str> {
    Some(match kind {
        RecordKind::Party => return None,
        RecordKind::Case => "SELECT id FROM case_file WHERE id = ?1",
        RecordKind::Clause => {
            "SELECT a.case_id FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE c.id = ?1"
        }
        RecordKind::Agreement => "SELECT case_id FROM agreement WHERE id = ?1",
        RecordKind::Letter => "SELECT case_id FROM letter WHERE id = ?1",
        RecordKind::Allegation => "SELECT case_id FROM allegation WHERE id = ?1",
        RecordKind::Response => "SELECT case_id FROM response WHERE id = ?1",
        RecordKind::Event => "SELECT case_id FROM event WHERE id = ?1",
        RecordKind::Evidence => "SELECT case_id FROM evidence WHERE id = ?1",
    })
}

/// A one-line title for the record `?1` of a kind.
fn title_sql(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Case => "SELECT title FROM case_file WHERE id = ?1",
        RecordKind::Party => "SELECT name FROM party WHERE id = ?1",
        RecordKind::Agreement => "SELECT title FROM agreement WHERE id = ?1",
        RecordKind::Clause => "SELECT reference FROM clause WHERE id = ?1",
        RecordKind::Letter => "SELECT subject FROM letter WHERE id = ?1",
        RecordKind::Allegation => "SELECT summary FROM allegation WHERE id = ?1",
        RecordKind::Response => "SELECT CASE WHEN text = '' THEN stance ELSE text END FROM response WHERE id = ?1",
        RecordKind::Event => "SELECT title FROM event WHERE id = ?1",
        RecordKind::Evidence => "SELECT title FROM evidence WHERE id = ?1",
    }
}

/// Every record of the case `?1`, the case itself excluded (clauses through their agreement).
const IN_CASE: &str = "SELECT id FROM agreement WHERE case_id = ?1
     UNION ALL SELECT c.id FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE a.case_id = ?1
     UNION ALL SELECT id FROM letter WHERE case_id = ?1
     UNION ALL SELECT id FROM allegation WHERE case_id = ?1
     UNION ALL SELECT id FROM response WHERE case_id = ?1
     UNION ALL SELECT id FROM event WHERE case_id = ?1
     UNION ALL SELECT id FROM evidence WHERE case_id = ?1";

/// Adds the registry row of a new record.
pub(crate) fn register(w: &Writer<'_>, kind: RecordKind, id: &str, stamps: &Stamps) -> Result<()> {
    w.execute(
        "INSERT INTO record (id, kind, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, kind, stamps.created_at, stamps.updated_at],
    )?;
    Ok(())
}

/// Marks a record as changed now.
pub(crate) fn touch(w: &Writer<'_>, id: &str) -> Result<()> {
    w.execute("UPDATE record SET updated_at = ?2 WHERE id = ?1", params![id, now()])?;
    Ok(())
}

/// The kind of the record with this id, if there is one.
pub fn kind_of(db: &Reader, id: &str) -> Result<Option<RecordKind>> {
    db.optional("SELECT kind FROM record WHERE id = ?1", [id], |r| r.get(0))
}

/// Created and updated timestamps of a record.
pub fn stamps(db: &Reader, id: &str) -> Result<Stamps> {
    db.one("SELECT created_at, updated_at FROM record WHERE id = ?1", [id], |r| {
        Ok(Stamps { created_at: r.get(0)?, updated_at: r.get(1)? })
    })
}

/// The case a record of `kind` belongs to; `None` for parties, which belong to no case, and for a
/// record that is not there.
pub fn case_of(db: &Reader, kind: RecordKind, id: &str) -> Result<Option<String>> {
    match case_sql(kind) {
        Some(sql) => db.optional(sql, [id], |r| r.get(0)),
        None => Ok(None),
    }
}

/// A record's kind and a one-line title for it, whatever its kind.
pub fn title_of(db: &Reader, id: &str) -> Result<(RecordKind, String)> {
    let kind = kind_of(db, id)?.ok_or_else(|| Error::not_found("record", id))?;
    Ok((kind, db.one(title_sql(kind), [id], |r| r.get(0))?))
}

/// Every record of a case, the case itself excluded.
pub fn ids_in_case(db: &Reader, case_id: &str) -> Result<Vec<String>> {
    db.strings(IN_CASE, [case_id])
}

/// How many records a case holds and when any of them (or the case) last changed.
pub fn activity(db: &Reader, case_id: &str) -> Result<(i64, Option<String>)> {
    // Counted from each table's case index; the newest record found by walking the records newest
    // first (`record_updated`) until one belongs to the case, usually the first.
    let records = db.one(
        "SELECT (SELECT count(*) FROM agreement WHERE case_id = ?1)
              + (SELECT count(*) FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE a.case_id = ?1)
              + (SELECT count(*) FROM letter WHERE case_id = ?1)
              + (SELECT count(*) FROM allegation WHERE case_id = ?1)
              + (SELECT count(*) FROM response WHERE case_id = ?1)
              + (SELECT count(*) FROM event WHERE case_id = ?1)
              + (SELECT count(*) FROM evidence WHERE case_id = ?1)",
        [case_id],
        |r| r.get(0),
    )?;
    let newest = db.optional(
        "SELECT r.updated_at FROM record r INDEXED BY record_updated
          WHERE r.id = ?1
             OR EXISTS (SELECT 1 FROM agreement WHERE id = r.id AND case_id = ?1)
             OR EXISTS (SELECT 1 FROM clause c JOIN agreement a ON a.id = c.agreement_id
                         WHERE c.id = r.id AND a.case_id = ?1)
             OR EXISTS (SELECT 1 FROM letter WHERE id = r.id AND case_id = ?1)
             OR EXISTS (SELECT 1 FROM allegation WHERE id = r.id AND case_id = ?1)
             OR EXISTS (SELECT 1 FROM response WHERE id = r.id AND case_id = ?1)
             OR EXISTS (SELECT 1 FROM event WHERE id = r.id AND case_id = ?1)
             OR EXISTS (SELECT 1 FROM evidence WHERE id = r.id AND case_id = ?1)
          ORDER BY r.updated_at DESC LIMIT 1",
        [case_id],
        |r| r.get(0),
    )?;
    Ok((records, newest))
}

/// The ids of the records of `kind` in a case, in id order (for the kinds that belong to a case
/// directly: agreements, letters, allegations, responses, events, evidence).
pub fn ids_of_kind(db: &Reader, kind: RecordKind, case_id: &str) -> Result<Vec<String>> {
    db.strings(&format!("SELECT id FROM {} WHERE case_id = ?1 ORDER BY id", table(kind)), [case_id])
}

/// How many records of `kind` the case holds (for the kinds that belong to a case directly).
pub fn count_in_case(db: &Reader, kind: RecordKind, case_id: &str) -> Result<i64> {
    db.one(&format!("SELECT count(*) FROM {} WHERE case_id = ?1", table(kind)), [case_id], |r| r.get(0))
}

/// Refuses an edit that would move a record to another case: other records of its case may refer to
/// it (an allegation raised in a letter, a response to an allegation), and references never cross cases.
pub(crate) fn same_case(db: &Reader, kind: RecordKind, id: &str, case_id: &str) -> Result<()> {
    match case_of(db, kind, id)? {
        None => Err(Error::not_found(kind.as_str(), id)),
        Some(c) if c == case_id => Ok(()),
        Some(_) => Err(Error::rule(
            "case",
            "moves_case",
            None,
            format!("a {kind} cannot move to another case; record it there anew"),
        )),
    }
}

/// Deletes the record `id` of `kind`, describing it as `label` (e.g. "party 'Microsoft'") in errors.
/// When other records still point at it, the delete is refused with a message that says which ones.
pub(crate) fn delete_row(w: &Writer<'_>, kind: RecordKind, id: &str, label: &str) -> Result<()> {
    remove_row(w, kind, id, label, "delete")
}

/// Deletes the record `id` of `kind` for an erasure: as [`delete_row`], refused in the same way.
pub(crate) fn erase_row(w: &Writer<'_>, kind: RecordKind, id: &str, label: &str) -> Result<()> {
    remove_row(w, kind, id, label, "erase")
}

fn remove_row(w: &Writer<'_>, kind: RecordKind, id: &str, label: &str, verb: &str) -> Result<()> {
    // A letter's deadline rule may count from an event; the schema keeps no reference for it (see
    // migration 0017), so the refusal is here.
    if kind == RecordKind::Event {
        let counting: Option<String> =
            w.optional("SELECT subject FROM letter WHERE deadline_event = ?1 LIMIT 1", [id], |r| r.get(0))?;
        if let Some(subject) = counting {
            return Err(Error::Conflict(format!(
                "cannot {verb} {label}: the deadline of letter '{subject}' is counted from it; change that letter's rule first"
            )));
        }
    }
    // What was handed to the other side stays on record; only an erasure takes it away.
    if kind == RecordKind::Evidence && verb == "delete" {
        let volume: Option<String> = w.optional(
            "SELECT p.volume FROM production_document d JOIN production p ON p.id = d.production_id
              WHERE d.evidence_id = ?1 ORDER BY p.made_at LIMIT 1",
            [id],
            |r| r.get(0),
        )?;
        if let Some(volume) = volume {
            return Err(Error::Conflict(format!(
                "cannot {verb} {label}: it was produced in volume {volume}; erase it if it must go"
            )));
        }
    }
    let sql = format!("DELETE FROM {} WHERE id = ?1", table(kind));
    match w.execute(&sql, [id]) {
        Ok(0) => Err(Error::not_found(kind.as_str(), id)),
        Ok(_) => Ok(()),
        Err(Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            Err(Error::Conflict(format!("cannot {verb} {label}: {}", referrers(w, &sql, id)?)))
        }
        Err(e) => Err(e),
    }
}

/// Erases the case `case_id` and every record in it at once, its references to each other deferred
/// to the end of the write; refused, naming them, when records outside the case still refer to one.
pub(crate) fn erase_case(w: &Writer<'_>, case_id: &str, label: &str) -> Result<()> {
    w.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    for id in ids_in_case(w, case_id)? {
        if let Some(kind) = kind_of(w, &id)? {
            w.execute(&format!("DELETE FROM {} WHERE id = ?1", table(kind)), [&id])?;
        }
    }
    w.execute("DELETE FROM case_file WHERE id = ?1", [case_id])?;
    let left = w.all(
        "SELECT \"table\", count(*) FROM pragma_foreign_key_check GROUP BY \"table\" ORDER BY \"table\"",
        [],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    w.execute_batch("PRAGMA defer_foreign_keys = OFF;")?;
    if left.is_empty() {
        return Ok(());
    }
    let parts: Vec<String> = left.into_iter().map(|(table, n)| format!("{n} {}", referrer_noun(&table, n))).collect();
    Err(Error::Conflict(format!(
        "cannot erase {label}: records outside it still refer to its records ({})",
        parts.join(", ")
    )))
}

/// Lists what still refers to `id`, by replaying the refused delete with deferred foreign keys inside a
/// savepoint that is always rolled back, and asking SQLite which rows it would leave dangling.
fn referrers(w: &Writer<'_>, delete_sql: &str, id: &str) -> Result<String> {
    w.execute_batch("SAVEPOINT explain_delete; PRAGMA defer_foreign_keys = ON;")?;
    let found = w.execute(delete_sql, [id]).and_then(|_| {
        w.all(
            "SELECT \"table\", count(*) FROM pragma_foreign_key_check GROUP BY \"table\" ORDER BY \"table\"",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )
    });
    w.execute_batch("ROLLBACK TO explain_delete; RELEASE explain_delete; PRAGMA defer_foreign_keys = OFF;")?;
    let parts: Vec<String> = found?.into_iter().map(|(table, n)| format!("{n} {}", referrer_noun(&table, n))).collect();
    Ok(if parts.is_empty() {
        "other records still refer to it".into()
    } else {
        format!("still referred to by {}", parts.join(", "))
    })
}

fn referrer_noun(table: &str, n: i64) -> String {
    let one = match table {
        "case_party" => "case role",
        "case_file" => "case",
        "letter_recipient" => "letter recipient",
        "event_party" => "event",
        "agreement_party" => "agreement",
        "allegation_clause" => "allegation citing it",
        "allegation_status" => "status entry",
        "response_allegation" => "response",
        "evidence_link" => "evidence link",
        other => other,
    };
    if n == 1 {
        one.to_string()
    } else {
        format!("{one}s")
    }
}
