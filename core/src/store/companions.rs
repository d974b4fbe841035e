//! The copies of the record Dossier keeps beside a database: the snapshot taken before each schema
//! upgrade (`<db>.before-v<N>-<time>`), the database a restore replaced (`<db>.before-restore-<time>`,
//! with its evidence folder), and the new copies of a conversion an older Dossier left unfinished
//! (`<db>.new`, `<db>.files.new`, `<db>.key.new`). Each holds the whole record: encrypting a database
//! without them would leave in its folder the plaintext the encryption is meant to protect. So
//! encrypting lists them first, then encrypts the copies under the database's new key (they open with
//! the same passphrase, and stay the safety net they were) and removes the unfinished ones, and says
//! what it did with each.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use super::blobs::Blobs;
use super::copy::{copy_files, export};
use super::crypt::DataKey;
use super::files::{self, Beside};
use super::staged;
use super::switch::{self, Fate, NewCopies, Switch};
use crate::error::Result;

/// What a copy beside the database is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The database as it was before a schema upgrade.
    Upgrade,
    /// The database a restore replaced.
    Restore,
    /// A conversion's new copy that never took the database's place.
    Unfinished,
}

/// A plaintext copy of the record beside a database.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Companion {
    pub path: String,
    pub kind: Kind,
}

/// What was done with a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Done {
    Encrypted,
    Removed,
}

/// What became of one copy when its database was encrypted: done, or the error that left it as it was.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Outcome {
    pub path: String,
    pub kind: Kind,
    pub done: Option<Done>,
    pub error: Option<String>,
}

/// The plaintext copies of the record beside the database at `db`, by name.
pub fn plaintext(db: &Path) -> Result<Vec<Companion>> {
    let mut found = Vec::new();
    for (rest, entry) in files::beside(db)? {
        let path = entry.path();
        let kind = match files::classify(&rest) {
            Beside::BeforeUpgrade => Kind::Upgrade,
            Beside::BeforeRestore => Kind::Restore,
            Beside::UntaggedNew => {
                found.push(Companion { path: path.display().to_string(), kind: Kind::Unfinished });
                continue;
            }
            Beside::Other => continue,
        };
        let plain = entry.file_type().is_ok_and(|t| t.is_file()) && !files::key(&path).exists();
        if plain {
            found.push(Companion { path: path.display().to_string(), kind });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Every copy of the record beside the database at `db`, plaintext or encrypted, by name.
pub fn all(db: &Path) -> Result<Vec<Companion>> {
    let mut found = Vec::new();
    for (rest, entry) in files::beside(db)? {
        let kind = match files::classify(&rest) {
            Beside::BeforeUpgrade => Kind::Upgrade,
            Beside::BeforeRestore => Kind::Restore,
            Beside::UntaggedNew => Kind::Unfinished,
            Beside::Other => continue,
        };
        found.push(Companion { path: entry.path().display().to_string(), kind });
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Removes every copy of the record beside the database at `db`, each with the files beside it (its
/// key, evidence folder, anchor and journals): after an erasure, any of them may hold what was
/// erased. Returns what it removed, or the error that left a copy where it was.
pub(crate) fn remove_all(db: &Path) -> Result<Vec<Outcome>> {
    recover_all(db)?;
    let mut outcomes = Vec::new();
    for companion in all(db)? {
        let path = PathBuf::from(&companion.path);
        let own = [
            files::key(&path),
            files::evidence(&path),
            files::anchor(&path),
            files::wal(&path),
            files::shm(&path),
            files::journal(&path),
        ];
        let removed = own.iter().chain([&path]).try_for_each(|part| switch::remove(part));
        let (done, error) = match removed {
            Ok(()) => (Some(Done::Removed), None),
            Err(e) => (None, Some(e.to_string())),
        };
        outcomes.push(Outcome { path: companion.path, kind: companion.kind, done, error });
    }
    Ok(outcomes)
}

/// Finishes or undoes the conversions of copies beside the database at `db` that a kill interrupted (see
/// `switch::recover`).
pub(crate) fn recover_all(db: &Path) -> Result<()> {
    for (rest, _) in files::beside(db).unwrap_or_default() {
        if let Some(snapshot) = files::switching_snapshot(db, &rest) {
            switch::recover(&snapshot)?;
        }
    }
    Ok(())
}

/// Encrypts every plaintext copy beside the database at `db` under its data `key` (with `wrapped`, the
/// key file's text, so each opens with the same passphrase) and removes the unfinished ones. A copy
/// that cannot be converted is left as it was and says why.
pub(crate) fn encrypt_all(db: &Path, key: &DataKey, wrapped: &str) -> Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for companion in plaintext(db)? {
        let path = PathBuf::from(&companion.path);
        let done = match companion.kind {
            Kind::Unfinished => switch::remove(&path).map(|()| Done::Removed),
            Kind::Upgrade | Kind::Restore => encrypt_copy(&path, key, wrapped).map(|()| Done::Encrypted),
        };
        let (done, error) = match done {
            Ok(done) => (Some(done), None),
            Err(e) => (None, Some(e.to_string())),
        };
        outcomes.push(Outcome { path: companion.path, kind: companion.kind, done, error });
    }
    Ok(outcomes)
}

/// Encrypts the plaintext database copy at `path` and its evidence folder, if it has one, through the
/// same switch as the database's own encryption.
fn encrypt_copy(path: &Path, key: &DataKey, wrapped: &str) -> Result<()> {
    let conn = Connection::open(path)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let copies = NewCopies::new();
    let written = (|| {
        export(&conn, &copies.of(path), Some(&key.sqlcipher_key()), version)?;
        let from = Blobs::new(files::evidence(path), None);
        let kept: Vec<String> = evidence_files(&conn)?.into_iter().filter(|sha| from.contains(sha)).collect();
        copy_files(&from, &Blobs::new(copies.of(&files::evidence(path)), Some(key.blob_keys())), &kept)?;
        staged::write_whole(&copies.of(&files::key(path)), wrapped.as_bytes())
    })();
    drop(conn);
    if let Err(e) = written {
        copies.discard(path);
        return Err(e);
    }
    switch::commit(path, Switch::replacing(&copies, Fate::Replace))?;
    // A copy's journal, if SQLite left one, held plaintext pages of it.
    switch::remove(&files::journal(path))
}

/// The SHA-256 of every evidence file a database copy names (none when it has no evidence table): a
/// capture's parts too, in a copy made since schema version 16.
fn evidence_files(conn: &Connection) -> Result<Vec<String>> {
    let has = |name: &str| {
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [name], |r| r.get::<_, i64>(0))
    };
    let sql = if has("evidence_file")? > 0 {
        "SELECT DISTINCT sha256 FROM evidence_file ORDER BY sha256"
    } else if has("evidence")? > 0 {
        "SELECT DISTINCT sha256 FROM evidence WHERE sha256 IS NOT NULL ORDER BY sha256"
    } else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare(sql)?;
    let shas = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(shas)
}
