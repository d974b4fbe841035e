//! The write path: every change of the record goes through [`Store::write`] (or a [`Store::batch`] of
//! them), in one immediate transaction with its change-log entry, its seal and the refresh of the
//! derived tables; then the anchor follows the log's head. What happens after the `COMMIT` is never an
//! error (see [`Store::take_warnings`]). One gate per process around each transaction ([`settled`])
//! lets a front end that is being stopped say truthfully whether its write was saved.

use std::collections::BTreeSet;
use std::path::Path;

use super::conn::{Reader, Writer};
use super::{anchor, change_log, derived, erasure, files, images, log_key, seal, sync, text, Store};
use crate::error::{Error, Result};

/// Held for the whole of every write transaction of this process, whichever store it is on (see
/// [`settled`]). SQLite already lets one writer at a time in; this only lets a front end that is being
/// stopped wait for the write under way to end, and keep the next from starting.
static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// How many records' images one change-log entry of a large write holds ([`Store::write_in_parts`]):
/// an import of any size is a run of such entries in one transaction. Reading one record's history
/// reads each entry that holds it, so an entry stays small: a hundred records, about 150 KB.
pub(crate) const RECORDS_PER_ENTRY: usize = 100;

/// How many records' derived rows one set of statements refreshes, in a large write.
const REFRESHED_AT_ONCE: usize = 1_000;

/// How many write transactions this process committed.
static COMMITTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Waits until no write of this process is under way and returns how many it committed, with a guard
/// that keeps any other write from starting while it is held. A front end stopped by a signal (the
/// CLI's Ctrl-C) holds it while it says whether its change was saved, then exits: what it says is then
/// true, and no write is cut in half by the exit.
pub fn settled() -> (std::sync::MutexGuard<'static, ()>, u64) {
    let guard = WRITING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    (guard, COMMITTED.load(std::sync::atomic::Ordering::SeqCst))
}

impl Store {
    /// Runs `change` in one immediate transaction and records it in the change log as `action` on
    /// `record_id` with `detail` (the input that caused it). Either all of it commits or none of it does.
    /// Inside a [`Store::batch`] it runs in a savepoint of the batch instead, and commits with it.
    pub(crate) fn write<T>(
        &mut self,
        action: &str,
        record_id: Option<&str>,
        detail: &impl serde::Serialize,
        change: impl FnOnce(&Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_in_parts(action, record_id, usize::MAX, |_, _, _| Ok(detail), change)
    }

    /// [`Store::write`] for a change of any size (an import): `change` writes, then the records it
    /// touched are logged `per_entry` at a time, each group in a change-log entry of its own, whose
    /// detail is `detail(part, parts, &what change returned)` (parts counted from 1), all in the one
    /// transaction. Each record is in one entry, with its image after the whole change.
    pub(crate) fn write_in_parts<T, D: serde::Serialize>(
        &mut self,
        action: &str,
        record_id: Option<&str>,
        per_entry: usize,
        detail: impl Fn(usize, usize, &T) -> Result<D>,
        change: impl FnOnce(&Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let actor = self.actor.clone();
        let expected = self.expected.take();
        let team = self.team;
        self.refuse_if_unsealable()?;
        let out = self.transaction(|w| {
            if let (Some((id, seen)), Some(target)) = (&expected, record_id) {
                if id == target {
                    refuse_if_changed(w, id, seen)?;
                }
            }
            w.execute("DELETE FROM temp.touched", [])?;
            let out = change(w)?;
            let mut touched = images::touched(w)?;
            if let Some(id) = record_id.filter(|id| !touched.iter().any(|t| t == id)) {
                touched.push(id.to_string());
            }
            // The search index and the materialized timeline change in the same transaction as the
            // records, so they never disagree with them: a few thousand records at a time, before the
            // log's entries, whose writes would make FTS5 write what it holds so far as a segment of
            // its own. Larger sets gain nothing and hold more in memory (the sorts of the views).
            for part in touched.chunks(REFRESHED_AT_ONCE) {
                derived::refresh(w, part)?;
            }
            let groups: Vec<&[String]> =
                if touched.is_empty() { vec![&[]] } else { touched.chunks(per_entry).collect() };
            for (part, ids) in (1..).zip(&groups) {
                let detail = serde_json::to_string(&detail(part, groups.len(), &out)?).map_err(|e| {
                    Error::internal(format!("the change-log detail of '{action}' cannot be written: {e}"))
                })?;
                let mut logged = serde_json::Map::new();
                for id in *ids {
                    let image = match images::current(w, id)? {
                        Some(after) => serde_json::json!({ "after": after.to_json() }),
                        None => serde_json::json!({ "before": change_log::last_image(w, id)?, "after": null }),
                    };
                    logged.insert(id.clone(), image);
                }
                if team {
                    let seq = change_log::head(w)?.0 + 1;
                    sync::outbox::keep(w, seq, (action, record_id, &detail, &actor), ids)?;
                }
                append_sealed(w, action, record_id, &detail, &logged, &actor)?;
            }
            Ok(out)
        })?;
        if !self.in_batch {
            self.advance_anchor();
        }
        Ok(out)
    }

    /// After a write committed: brings the anchor beside the database file (see [`anchor`]) to the
    /// log's head. Nothing here can undo the write, so nothing here is an error: a write that committed
    /// is reported as done, and an anchor that could not be moved is a warning, which the next write or
    /// `check` repairs.
    pub(super) fn advance_anchor(&mut self) {
        let Some(path) = self.path.clone() else { return };
        if let Err(e) = self.locked_anchor_update(&path) {
            self.warnings.push(format!(
                "the change was saved, but its anchor ({}) could not be updated: {e}; the next change or `dossier check` updates it",
                files::anchor(&path).display()
            ));
        }
    }

    /// Writes the log's head as the anchor, holding the database's write lock so that no other process
    /// commits or moves the anchor meanwhile: writers that finish out of order never move it back. An
    /// anchor the log does not continue (entries cut, or rewritten) is left for `check` to report.
    fn locked_anchor_update(&self, path: &Path) -> Result<()> {
        let conn = self.db.connection();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let moved = (|| {
            let (seq, hash) = change_log::head(&self.db)?;
            let head = anchor::Anchor { seq, hash };
            match anchor::load(path) {
                Ok(Some(kept)) if kept == head => Ok(()),
                Ok(Some(kept)) if !continues(&self.db, &kept)? => Err(Error::Tampered {
                    seq: kept.seq,
                    reason: format!("the log does not continue the anchor {kept}; run `dossier check`"),
                }),
                // Entries this installation did not seal are not blessed by moving the anchor over them.
                Ok(Some(kept)) if !self.sealed_since(kept.seq, head.seq)? => Err(Error::Tampered {
                    seq: kept.seq + 1,
                    reason: format!(
                        "entries {} to {} were not written by this installation; run `dossier check`",
                        kept.seq + 1,
                        head.seq
                    ),
                }),
                _ => anchor::save(path, &head),
            }
        })();
        let _ = conn.execute_batch("ROLLBACK");
        moved
    }

    /// Whether the entries after `from` up to `to` were all sealed by this store's key (true when it has
    /// none, and cannot tell).
    fn sealed_since(&self, from: i64, to: i64) -> Result<bool> {
        match &self.log_key {
            Some(key) => seal::all_verified(&self.db, key, from, to),
            None => Ok(true),
        }
    }

    /// Moves the anchor to the log's head, as after a write (see `locked_anchor_update`): for `check`,
    /// which repairs an anchor left behind when every entry after it is this installation's own.
    pub(crate) fn repair_anchor(&self) -> Result<()> {
        match &self.path {
            Some(path) if !self.read_only => self.locked_anchor_update(path),
            _ => Ok(()),
        }
    }

    /// What went wrong after writes that committed (an anchor that could not be updated), oldest
    /// first, and forgets them: for a front end to show as warnings, never as a failed write.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Refuses a write that would be sealed when this installation's key exists but could not be read
    /// (a locked keyring), after trying it once more: the keyring may have been unlocked since the
    /// store was opened. Nothing is written unsealed, which would look forged to `check`, nor sealed
    /// with another key (see `log_key`).
    pub(super) fn refuse_if_unsealable(&mut self) -> Result<()> {
        // A read-only store is refused for that, by the write itself.
        let Some(unread) = self.unread_key.as_ref().filter(|_| !self.read_only) else { return Ok(()) };
        match log_key::installation(true) {
            Ok(log_key::Found::Key(key)) => {
                self.log_key = Some(key);
                self.unread_key = None;
                Ok(())
            }
            Ok(log_key::Found::Unread(again)) => {
                let refused = again.refusal();
                self.unread_key = Some(again);
                Err(refused)
            }
            // No configuration folder any more, or no key and none could be made: as it was.
            Ok(log_key::Found::None) | Err(_) => Err(unread.refusal()),
        }
    }

    /// Runs `work` in a transaction of its own, or in a savepoint of the batch under way.
    pub(super) fn transaction<T>(&mut self, work: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        self.refuse_if_read_only()?;
        let conn = self.db.connection();
        if self.in_batch {
            // A savepoint of the batch's transaction, which holds the process's write gate already.
            conn.execute_batch("SAVEPOINT write")?;
            let out = work(&Writer::new(&self.db, self.log_key.as_ref()))
                .and_then(|out| Ok(conn.execute_batch("RELEASE write").map(|()| out)?));
            if out.is_err() {
                let _ = conn.execute_batch("ROLLBACK TO write; RELEASE write");
            }
            return out;
        }
        self.transact(|store| work(&Writer::new(&store.db, store.log_key.as_ref())))
    }

    /// Runs `work` as one write transaction of this process, holding its write gate (see
    /// [`settled`]): it commits if `work` succeeds, and rolls back otherwise.
    fn transact<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let _writing = WRITING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.db.connection().execute_batch("BEGIN IMMEDIATE")?;
        let out = work(self).and_then(|out| Ok(self.db.connection().execute_batch("COMMIT").map(|()| out)?));
        match &out {
            Ok(_) => {
                COMMITTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            Err(_) => {
                let _ = self.db.connection().execute_batch("ROLLBACK");
            }
        }
        out
    }

    /// Runs several writes as one: they all commit together or, if `work` fails, none of them does.
    /// Imports use it so that a bad row or a broken file leaves the database as it was.
    pub fn batch<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if self.in_batch {
            return work(self);
        }
        self.refuse_if_read_only()?;
        self.refuse_if_unsealable()?;
        let out = self.transact(|store| {
            store.in_batch = true;
            let out = work(store);
            store.in_batch = false;
            out
        })?;
        self.advance_anchor();
        Ok(out)
    }
}

/// What an erasure did to the database and its evidence store.
#[derive(Debug, Clone)]
pub struct Erased {
    /// The erasure's change-log entry.
    pub seq: i64,
    /// Every record it removed, by id.
    pub records: Vec<String>,
    /// The evidence entries rewritten: how many earlier change-log entries lost content.
    pub entries: usize,
    /// The evidence files (SHA-256) no evidence showed any more: removed from the store, with their text.
    pub files: Vec<String>,
    /// What could not be done after the erasure committed (a file left, the database not compacted).
    pub warnings: Vec<String>,
}

impl Store {
    /// Erases what `remove` deletes: the rows, in one transaction, then every trace the database keeps
    /// of the records that went — their images and the detail of every earlier entry that held them
    /// (see `erasure`), the history a bundle brought, their search rows (the index merged so that no
    /// segment keeps their words) and the text read from `files` once no evidence shows them — and one
    /// change-log entry saying what was erased and why, never what it held. After the commit, those
    /// files leave the evidence store and the database file is rewritten without the free pages and
    /// write-ahead log that held the erased text (`compact`). An erasure is never part of a batch.
    pub(crate) fn erase(
        &mut self,
        head: erasure::Head,
        files: &[String],
        remove: impl FnOnce(&Writer<'_>) -> Result<()>,
    ) -> Result<Erased> {
        if self.in_batch {
            return Err(Error::internal("an erasure cannot be part of a batch of writes"));
        }
        self.refuse_if_unsealable()?;
        let actor = self.actor.clone();
        // Deleted rows' bytes are overwritten where they lay, not only unlinked.
        self.db.connection().execute_batch("PRAGMA secure_delete = ON;")?;
        let out = self.transaction(|w| {
            w.execute("DELETE FROM temp.touched", [])?;
            remove(w)?;
            let mut erased = BTreeSet::new();
            let mut logged = serde_json::Map::new();
            let touched = images::touched(w)?;
            derived::refresh(w, &touched)?;
            for id in touched {
                let slot = match images::current(w, &id)? {
                    Some(after) => serde_json::json!({ "after": after.to_json() }),
                    None => {
                        erased.insert(id.clone());
                        serde_json::json!({ "after": null, "erased": head.reason })
                    }
                };
                logged.insert(id, slot);
            }
            if !erased.contains(&head.id) {
                return Err(Error::internal(format!("erasing {} removed nothing", head.id)));
            }
            let by = change_log::head(w)?.0 + 1;
            let entries = erasure::rewrite(w, &erased, by)?;
            for id in &erased {
                w.execute("DELETE FROM imported_history WHERE record_id = ?1", [id])?;
            }
            let mut gone = Vec::new();
            for sha in files {
                if text::forget(w, sha)? {
                    gone.push(sha.clone());
                }
            }
            let rewritten = entries.len();
            let detail = erasure::Detail { head: head.clone(), records: erased.into_iter().collect(), entries };
            let text = change_log::to_json(&detail)?;
            let seq = append_sealed(w, erasure::ACTION, Some(&head.id), &text, &logged, &actor)?;
            derived::search::merge(w)?;
            Ok(Erased { seq, records: detail.records, entries: rewritten, files: gone, warnings: Vec::new() })
        });
        let mut erased = match out {
            Ok(erased) => erased,
            Err(e) => {
                let _ = self.db.connection().execute_batch("PRAGMA secure_delete = OFF;");
                return Err(e);
            }
        };
        self.advance_anchor();
        for sha in &erased.files {
            if let Err(e) = self.blobs.remove(sha) {
                erased.warnings.push(format!("the erased evidence file could not be removed from the store: {e}"));
            }
        }
        erased.warnings.extend(self.compact());
        let _ = self.db.connection().execute_batch("PRAGMA secure_delete = OFF;");
        Ok(erased)
    }

    /// Rewrites the database file whole (`VACUUM`) and empties its write-ahead log, so that no free
    /// page, no old copy of a page and no index segment still holds erased text. Another process that
    /// has the database open can keep the log from being emptied: that is a warning (SQLite empties it
    /// when the last one closes the database).
    fn compact(&self) -> Vec<String> {
        let conn = self.db.connection();
        let truncate = || conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
        let done = truncate().and_then(|_| conn.execute_batch("VACUUM;")).and_then(|()| truncate());
        match done {
            Ok(0) => Vec::new(),
            Ok(_) => vec!["another window or command has the database open: its write-ahead log may hold the erased \
                           text until every one of them has closed it"
                .into()],
            Err(e) => vec![format!(
                "the database file could not be rewritten without the erased text ({e}): its free pages may still hold it"
            )],
        }
    }
}

/// Appends an entry to the change log and seals it with the installation's key when it has one;
/// returns the entry's number.
fn append_sealed(
    w: &Writer<'_>,
    action: &str,
    record_id: Option<&str>,
    detail: &str,
    images: &serde_json::Map<String, serde_json::Value>,
    actor: &str,
) -> Result<i64> {
    let (seq, hash) = change_log::append(w, action, record_id, detail, images, actor)?;
    if let Some(key) = w.seal_key() {
        seal::put(w, seq, &hash, key)?;
    }
    Ok(seq)
}

/// Whether the change log still holds the entry `kept` names, unchanged: it grew from there.
fn continues(db: &Reader, kept: &anchor::Anchor) -> Result<bool> {
    Ok(kept.seq == 0 || change_log::entry(db, kept.seq)?.is_some_and(|e| e.hash == kept.hash))
}

/// Refuses a write to the record `id` if its `updated_at` is no longer `seen`, inside the write's own
/// transaction (so no other write can come between the comparison and the change).
fn refuse_if_changed(w: &Writer<'_>, id: &str, seen: &str) -> Result<()> {
    let now: Option<String> = w.optional("SELECT updated_at FROM record WHERE id = ?1", [id], |r| r.get(0))?;
    match now {
        Some(now) if now != seen => Err(Error::Conflict(format!(
            "this record was changed elsewhere (at {now}) since it was opened (at {seen}): reopen it to see that change, then edit again"
        ))),
        _ => Ok(()),
    }
}
