//! The one door to the database. `Store` opens the SQLite file (pragmas, migrations, refusal of newer
//! schemas), and every write in the core goes through `Store::write`, which runs it in one immediate
//! transaction and appends a hash-chained entry to the change log in that same transaction. Keeping a
//! single write path is what lets the audit trail, crash safety and later merging be added in one place.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use sha2::{Digest, Sha256};

use crate::date::{FuzzyDate, Qualifier};
use crate::error::{Error, Result};

/// Shipped migrations, oldest first. Never edit one that has shipped: add a new file.
const MIGRATIONS: &[M<'static>] =
    &[M::up(include_str!("migrations/0001_record.sql")), M::up(include_str!("migrations/0002_search.sql"))];

/// The directory name the desktop app and the CLI share under the per-user data directory.
pub const APP_ID: &str = "org.dossier.app";

/// The schema version this build writes.
pub fn schema_version() -> usize {
    MIGRATIONS.len()
}

pub struct Store {
    conn: Connection,
    files: PathBuf,
    /// Inside [`Store::batch`]: writes become savepoints of the batch's one transaction.
    in_batch: bool,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, with its evidence store in the folder beside it
    /// named after the database file (`dossier.sqlite` keeps its files in `dossier.sqlite.files/`).
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let conn = Connection::open(path)?;
        let mut files = path.as_os_str().to_owned();
        files.push(".files");
        Store::init(conn, PathBuf::from(files))
    }

    /// An in-memory database (for tests and previews) whose evidence files go to `files`.
    pub fn open_in_memory(files: &Path) -> Result<Store> {
        Store::init(Connection::open_in_memory()?, files.to_path_buf())
    }

    /// The database the desktop app and the CLI use when none is named: `dossier.sqlite` in the per-user
    /// data directory (`$XDG_DATA_HOME/org.dossier.app` on Linux).
    pub fn default_path() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join(APP_ID).join("dossier.sqlite"))
    }

    fn init(mut conn: Connection, files: PathBuf) -> Result<Store> {
        // WAL keeps readers off the writer's back; synchronous=FULL makes each commit durable on its own,
        // so no committed record is lost to a crash or power cut (NORMAL could drop the last commits).
        // A database from a newer Dossier is refused before anything (even the journal mode) changes it.
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > schema_version() as i64 {
            return Err(Error::SchemaTooNew { found, supported: schema_version() });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Names are matched ignoring case in every script, not only ASCII as SQLite's NOCASE does:
        // "électricité de france" finds "Électricité de France". Used in queries only, never in the
        // schema, so other tools can still open the file.
        conn.create_collation("UNICASE", |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase()))?;
        // The same folding for LIKE-style filters: `unicode_lower(x)` lower-cases every script.
        conn.create_scalar_function(
            "unicode_lower",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
        )?;
        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
        // Version 2 added the search index: fill it for records written before (file text needs Rust).
        // Checked on every open rather than only right after the upgrade, so an upgrade interrupted
        // before the index was filled is completed the next time.
        let unindexed: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM record) AND NOT EXISTS (SELECT 1 FROM search_doc)",
            [],
            |r| r.get(0),
        )?;
        if unindexed {
            let tx = conn.transaction()?;
            crate::view::search::reindex_all(&tx, &files)?;
            tx.commit()?;
        }
        Ok(Store { conn, files, in_batch: false })
    }

    /// The connection for reading. Writes must go through [`Store::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The folder of the content-addressed evidence store.
    pub fn files_dir(&self) -> &Path {
        &self.files
    }

    /// Runs `change` in one immediate transaction and records it in the change log as `action` on
    /// `record_id` with `detail` (the input that caused it). Either all of it commits or none of it does.
    /// Inside a [`Store::batch`] it runs in a savepoint of the batch instead, and commits with it.
    pub(crate) fn write<T>(
        &mut self,
        action: &str,
        record_id: Option<&str>,
        detail: &impl serde::Serialize,
        change: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let detail = serde_json::to_string(detail).map_err(|e| Error::invalid("detail", e.to_string()))?;
        let files = &self.files;
        // The search index and the materialized timeline change in the same transaction as the
        // record, so they never disagree with it.
        let finish = |conn: &Connection| -> Result<()> {
            if let Some(id) = record_id {
                refresh_derived(conn, files, id)?;
            }
            append_change(conn, action, record_id, &detail)
        };
        if self.in_batch {
            let savepoint = self.conn.savepoint()?;
            let out = change(&savepoint)?;
            finish(&savepoint)?;
            savepoint.commit()?;
            return Ok(out);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = change(&tx)?;
        finish(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs several writes as one: they all commit together or, if `work` fails, none of them does.
    /// Imports use it so that a bad row or a broken file leaves the database as it was.
    pub fn batch<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if self.in_batch {
            return work(self);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_batch = true;
        let out = work(self);
        self.in_batch = false;
        match out {
            Ok(value) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Walks the change log and checks every entry's hash and link to the one before.
    /// Returns the number of entries verified.
    pub fn verify_change_log(&self) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, action, record_id, detail, prev_hash, hash FROM change_log ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_string();
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let stored_prev: String = row.get(5)?;
            let stored: String = row.get(6)?;
            if stored_prev != prev {
                return Err(Error::Tampered { seq, reason: "does not follow the entry before it".into() });
            }
            let at: String = row.get(1)?;
            let action: String = row.get(2)?;
            let record_id: Option<String> = row.get(3)?;
            let detail: String = row.get(4)?;
            if chain_hash(&prev, seq, &at, &action, record_id.as_deref(), &detail) != stored {
                return Err(Error::Tampered { seq, reason: "content does not match its hash".into() });
            }
            prev = stored;
            count += 1;
        }
        Ok(count)
    }
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn chain_hash(prev: &str, seq: i64, at: &str, action: &str, record_id: Option<&str>, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, action, record_id.unwrap_or(""), detail] {
        // Length-prefixing each part keeps ("ab","c") and ("a","bc") from hashing alike.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn append_change(tx: &Connection, action: &str, record_id: Option<&str>, detail: &str) -> Result<()> {
    let last: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = now();
    let hash = chain_hash(&prev, seq, &at, action, record_id, detail);
    tx.execute(
        "INSERT INTO change_log (seq, at, action, record_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, at, action, record_id, detail, prev, hash],
    )?;
    Ok(())
}

/// The current time as stored in `created_at`/`updated_at`: RFC 3339, UTC, whole seconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A new record id: a UUID v7, so ids sort roughly by creation time and never collide across
/// machines whose records are later merged.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Recomputes what is derived from a record (its search-index row and its timeline entries) after it
/// was added, changed or deleted.
pub(crate) fn refresh_derived(conn: &Connection, files: &Path, record_id: &str) -> Result<()> {
    crate::view::timeline::refresh(conn, record_id)?;
    crate::view::search::reindex(conn, files, record_id)
}

/// Recomputes the derived data (search index, timeline) of every record of a case and of the parties
/// it gives roles (after an import).
pub(crate) fn refresh_case(conn: &Connection, files: &Path, case_id: &str) -> Result<()> {
    let ids = conn
        .prepare(
            "SELECT ?1 UNION SELECT id FROM agreement WHERE case_id = ?1
             UNION SELECT c.id FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE a.case_id = ?1
             UNION SELECT id FROM letter WHERE case_id = ?1 UNION SELECT id FROM allegation WHERE case_id = ?1
             UNION SELECT id FROM response WHERE case_id = ?1 UNION SELECT id FROM event WHERE case_id = ?1
             UNION SELECT id FROM evidence WHERE case_id = ?1 UNION SELECT party_id FROM case_party WHERE case_id = ?1",
        )?
        .query_map([case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in ids {
        refresh_derived(conn, files, &id)?;
    }
    Ok(())
}

/// Adds the registry row every record has.
pub(crate) fn register(tx: &Connection, kind: &str, id: &str) -> Result<()> {
    let at = now();
    tx.execute("INSERT INTO record (id, kind, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)", params![id, kind, at])?;
    Ok(())
}

/// Marks a record as changed now.
pub(crate) fn touch(tx: &Connection, id: &str) -> Result<()> {
    tx.execute("UPDATE record SET updated_at = ?2 WHERE id = ?1", params![id, now()])?;
    Ok(())
}

/// The kind of the record with this id, if there is one.
pub fn record_kind(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT kind FROM record WHERE id = ?1", [id], |r| r.get(0)).optional()?)
}

/// Refuses an edit that would move a record to another case: other records of its case may refer to
/// it (an allegation raised in a letter, a response to an allegation), and references never cross cases.
pub(crate) fn same_case(conn: &Connection, table: &str, kind: &'static str, id: &str, case_id: &str) -> Result<()> {
    let current: Option<String> =
        conn.query_row(&format!("SELECT case_id FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).optional()?;
    match current {
        None => Err(Error::not_found(kind, id)),
        Some(c) if c == case_id => Ok(()),
        Some(_) => Err(Error::invalid("case", format!("a {kind} cannot move to another case; record it there anew"))),
    }
}

/// The case a record belongs to; `None` for parties, which belong to no case.
pub(crate) fn case_of(conn: &Connection, id: &str, kind: &str) -> Result<Option<String>> {
    let sql = match kind {
        "party" => return Ok(None),
        "case" => return Ok(Some(id.to_string())),
        "clause" => "SELECT a.case_id FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE c.id = ?1",
        "agreement" => "SELECT case_id FROM agreement WHERE id = ?1",
        "letter" => "SELECT case_id FROM letter WHERE id = ?1",
        "allegation" => "SELECT case_id FROM allegation WHERE id = ?1",
        "response" => "SELECT case_id FROM response WHERE id = ?1",
        "event" => "SELECT case_id FROM event WHERE id = ?1",
        "evidence" => "SELECT case_id FROM evidence WHERE id = ?1",
        _ => return Ok(None),
    };
    Ok(conn.query_row(sql, [id], |r| r.get(0)).optional()?)
}

/// Created and updated timestamps of a record.
pub(crate) fn stamps(conn: &Connection, id: &str) -> Result<(String, String)> {
    Ok(conn
        .query_row("SELECT created_at, updated_at FROM record WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Deletes the row `id` of `table`, describing `label` (e.g. "party 'Microsoft'") in errors. When other
/// records still point at it, the delete is refused with a message that says which ones.
pub(crate) fn delete_row(
    tx: &Connection,
    table: &'static str,
    kind: &'static str,
    id: &str,
    label: &str,
) -> Result<()> {
    let sql = format!("DELETE FROM {table} WHERE id = ?1");
    match tx.execute(&sql, [id]) {
        Ok(0) => Err(Error::not_found(kind, id)),
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
            Err(Error::Conflict(format!("cannot delete {label}: {}", referrers(tx, &sql, id)?)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Lists what still refers to `id`, by replaying the refused delete with deferred foreign keys inside a
/// savepoint that is always rolled back, and asking SQLite which rows it would leave dangling.
fn referrers(tx: &Connection, delete_sql: &str, id: &str) -> Result<String> {
    tx.execute_batch("SAVEPOINT explain_delete; PRAGMA defer_foreign_keys = ON;")?;
    let found = (|| -> Result<Vec<(String, i64)>> {
        tx.execute(delete_sql, [id])?;
        let mut stmt = tx.prepare(
            "SELECT \"table\", count(*) FROM pragma_foreign_key_check GROUP BY \"table\" ORDER BY \"table\"",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })();
    tx.execute_batch("ROLLBACK TO explain_delete; RELEASE explain_delete; PRAGMA defer_foreign_keys = OFF;")?;
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

/// The five stored columns of a fuzzy date: text, sort key, lower and upper bounds, and order rank.
pub(crate) type DateCols = (Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

pub(crate) fn date_cols(date: Option<&FuzzyDate>) -> DateCols {
    match date {
        None => (None, None, None, None, None),
        Some(d) => (Some(d.canonical()), Some(d.sort_key()), d.lower(), d.upper(), Some(order_rank(d))),
    }
}

/// Orders items at the same sort key as `FuzzyDate`'s `Ord` does: "before X" ahead of everything at X
/// and "after X" behind it, then finer precision first, then exact < about < between.
pub(crate) fn order_rank(d: &FuzzyDate) -> i64 {
    let (group, q) = match d.qualifier() {
        Qualifier::Before => (0, 0),
        Qualifier::Exact => (1, 1),
        Qualifier::About => (1, 2),
        Qualifier::Between => (1, 3),
        Qualifier::After => (2, 4),
    };
    group * 64 + d.precision().rank() as i64 * 8 + q
}
