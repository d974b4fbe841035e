//! Backups and restores. A backup is a whole copy of the database: the SQLite file, taken with
//! SQLite's online backup API (one consistent snapshot, even while the app or another command writes),
//! every evidence file it names (each read back against its SHA-256 first), its key file when it is
//! encrypted (a backup stays encrypted, under the same passphrase) and its anchor. A restore checks the
//! backup, keeps the database it replaces as one more backup, and switches to the copy the same way
//! `encryption` switches (`store::switch`), so a kill at any point leaves one database or the other.

use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::anchor::{self, Anchor};
use crate::store::blobs::BlobState;
use crate::store::switch::{self, Fate, NewCopies, Switch};
use crate::store::{files, registry, staged, KdfParams, Passphrase, Store};

/// What a backup wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupReport {
    /// The backup's database file.
    pub path: String,
    /// When it was taken (RFC 3339, UTC).
    pub at: String,
    /// The same, as people read it.
    #[serde(default)]
    pub when: String,
    /// The evidence files copied with it.
    pub files: usize,
    pub encrypted: bool,
    /// The head of its change log.
    pub head: Anchor,
}

/// What the change log notes of a backup.
#[derive(Serialize)]
struct BackupNote<'a> {
    path: &'a str,
    files: usize,
    encrypted: bool,
}

/// Notes the backup `report` in the change log (action `backup`), so that an erasure names it among
/// the copies that may still hold what it erased (`care::erase`). The backup stands either way: when
/// the database cannot be written (opened read-only, its log key unreadable), this says so.
pub fn note(store: &mut Store, report: &BackupReport) -> Option<String> {
    let note = BackupNote { path: &report.path, files: report.files, encrypted: report.encrypted };
    store
        .write("backup", None, &note, |_| Ok(()))
        .err()
        .map(|e| format!("this backup is not noted in the change log ({e}): an erasure will not name it"))
}

/// The last backup taken of the database at `db`, if any was.
pub fn last_backup(db: &Path) -> Result<Option<BackupReport>> {
    match std::fs::read_to_string(files::last_backup(db)) {
        Ok(text) => Ok(serde_json::from_str(&text).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(files::last_backup(db), e)),
    }
}

/// Copies one stored evidence file, as stored (encrypted or not), into the folder `to`.
fn copy_stored(store: &Store, sha: &str, to: &Path) -> Result<()> {
    let from = store.blobs().path(sha)?;
    let relative =
        from.strip_prefix(store.files_dir()).map_err(|_| Error::internal("a stored file outside its folder"))?;
    let target = to.join(relative);
    let dir = target.parent().unwrap_or(to);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut staged = staged::Staged::new_in(dir)?;
    let mut source = std::fs::File::open(&from).map_err(|e| Error::io(&from, e))?;
    std::io::copy(&mut source, &mut staged).map_err(|e| Error::io(&target, e))?;
    staged.commit(&target)
}

/// Backs up the database open in `store` to `target` (a new file: nothing is overwritten), with its
/// evidence files in `<target>.files/`, its key file `<target>.key` when encrypted and its anchor
/// `<target>.anchor`. An evidence file that is missing or altered stops the backup, naming it: a backup
/// never copies a damaged record silently. The database file is written last, under a temporary name
/// renamed at the end, so a backup whose database file is there is complete.
pub fn backup(store: &Store, target: &Path) -> Result<BackupReport> {
    for part in [target.to_path_buf(), files::evidence(target), files::key(target), files::anchor(target)] {
        if part.exists() {
            return Err(Error::Conflict(format!("{} already exists: back up to a new name", part.display())));
        }
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let shas = store.reader().strings("SELECT DISTINCT sha256 FROM evidence_file ORDER BY sha256", [])?;
    for sha in &shas {
        match store.blobs().state(sha)? {
            BlobState::Intact => copy_stored(store, sha, &files::evidence(target))?,
            BlobState::Missing => {
                return Err(Error::Conflict(format!(
                    "evidence file {sha} is missing: run `dossier check` before backing up"
                )))
            }
            BlobState::Altered(why) => {
                return Err(Error::Conflict(format!(
                    "evidence file {sha} was altered ({why}): run `dossier check` before backing up"
                )))
            }
        }
    }
    if store.is_encrypted() {
        let source = store.path().ok_or_else(|| Error::internal("an encrypted database has a file"))?;
        let key = std::fs::read(files::key(source)).map_err(|e| Error::io(files::key(source), e))?;
        staged::write_whole(&files::key(target), &key)?;
    }
    // Written under a name of its own, so no file already there is taken for a leftover and removed.
    let partial = NewCopies::new().of(target);
    if let Err(e) = store.snapshot_to(&partial) {
        let _ = switch::remove(&partial);
        return Err(e);
    }
    switch::rename(&partial, target)?;
    switch::sync_dir(target)?;
    let head = head_of(target, store.sqlcipher_key())?;
    anchor::save(target, &head)?;
    let at = registry::now();
    let report = BackupReport {
        path: target.display().to_string(),
        when: registry::moment(&at),
        at,
        files: shas.len(),
        encrypted: store.is_encrypted(),
        head,
    };
    if let Some(db) = store.path() {
        let text = serde_json::to_string(&report).map_err(|e| Error::internal(format!("last backup: {e}")))?;
        staged::write_whole(&files::last_backup(db), text.as_bytes())?;
    }
    Ok(report)
}

/// The head of the change log of the database file at `path`.
fn head_of(path: &Path, key: Option<&str>) -> Result<Anchor> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if let Some(key) = key {
        conn.execute_batch(&zeroize::Zeroizing::new(format!("PRAGMA key = \"{key}\";")))?;
    }
    let (seq, hash) = conn
        .query_row("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap_or((0, crate::store::change_log::genesis().to_string()));
    Ok(Anchor { seq, hash })
}

/// Copies the whole folder `from` into the new folder `to`, file by file.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(from, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestoreReport {
    /// The backup restored.
    pub from: String,
    /// The head of the restored database.
    pub head: Anchor,
    /// Where the database it replaced was kept.
    pub previous: Option<String>,
    /// The backup was plaintext and the database it replaced encrypted: the restored database was
    /// encrypted under the same passphrase, so restoring never turns the record plaintext.
    #[serde(default)]
    pub encrypted_again: bool,
    /// Whether the restored database is encrypted.
    #[serde(default)]
    pub encrypted: bool,
}

/// Replaces the database at `db` with the backup at `source`, which opens with `passphrase` if it is
/// encrypted and must pass `check` first. The database replaced is backed up beside it
/// (`<db>.before-restore-<time>`) unless it does not exist. The switch goes through the same marker
/// as encryption, so a kill leaves the old database or the restored one. A plaintext backup restored
/// over an encrypted database is encrypted under the same passphrase as it is put in place.
pub fn restore(db: &Path, source: &Path, passphrase: Option<&Passphrase>) -> Result<RestoreReport> {
    let copy = Store::open_read_only(source, passphrase)?;
    let report = super::check::check(&copy, None)?;
    if let Some(problem) = report.problems.first() {
        return Err(Error::Conflict(format!(
            "the backup {} does not check ({} problem{}; the first: {}): it is not restored",
            source.display(),
            report.problems.len() + report.unlisted,
            if report.problems.len() + report.unlisted == 1 { "" } else { "s" },
            problem.message
        )));
    }
    drop(copy);
    switch::recover(db)?;
    let was_encrypted = files::is_encrypted(db);
    let previous = if db.exists() {
        let current = Store::open_with(db, passphrase)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = files::before_restore(db, &stamp.to_string());
        backup(&current, &kept)?;
        Some(kept.display().to_string())
    } else {
        None
    };
    let plaintext_backup = !files::key(source).is_file();
    let copies = NewCopies::new();
    if let Err(e) = copy_backup(source, db, &copies) {
        copies.discard(db);
        return Err(e);
    }
    let key = if plaintext_backup { Fate::Remove } else { Fate::Replace };
    switch::commit(db, Switch::replacing(&copies, key))?;
    let encrypted_again = was_encrypted && plaintext_backup;
    if encrypted_again {
        let passphrase =
            passphrase.ok_or_else(|| Error::internal("an encrypted database opened without passphrase"))?;
        super::encryption::encrypt(db, passphrase, KdfParams::default())?;
    }
    let restored = Store::open_with(db, passphrase)?;
    let head = restored.head()?;
    anchor::save(db, &head)?;
    let encrypted = restored.is_encrypted();
    Ok(RestoreReport { from: source.display().to_string(), head, previous, encrypted_again, encrypted })
}

/// Copies the backup at `source` (database, evidence folder, key file) into the new copies beside `db`.
fn copy_backup(source: &Path, db: &Path, copies: &NewCopies) -> Result<()> {
    std::fs::copy(source, copies.of(db)).map_err(|e| Error::io(source, e))?;
    copy_tree(&files::evidence(source), &copies.of(&files::evidence(db)))?;
    if files::key(source).is_file() {
        std::fs::copy(files::key(source), copies.of(&files::key(db))).map_err(|e| Error::io(source, e))?;
    }
    switch::sync_dir(db)
}
