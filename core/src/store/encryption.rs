//! Turning a plaintext database into an encrypted one and back, and changing the passphrase.
//!
//! A database is three things beside one another: the SQLite file (with its WAL), the evidence folder
//! `<database>.files/`, and, when it is encrypted, the key file `<database>.key` (see `crypt`).
//! Encrypting or decrypting writes a complete new copy of each first (`….new`), leaving the original
//! untouched, so the original is the backup until the very end. Then a marker file,
//! `<database>.switch`, is written whole, and only then are the new copies renamed into place and the
//! old ones removed. [`recover`], run before every open, finishes a switch whose marker exists and
//! throws away new copies whose marker does not: a process killed at any point leaves either the old
//! database or the new one, never a mix.
//!
//! The old plaintext is deleted, not wiped: on a disk that keeps old blocks (most SSDs, journaling
//! file systems) it may remain readable there until overwritten, which only full-disk encryption
//! prevents. The commands that encrypt say so.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::blobs::Blobs;
use super::crypt::{DataKey, KdfParams, Passphrase};
use super::staged;
use super::{with_suffix, Store};
use crate::error::{Error, Result};

/// The key file of the database at `db`.
pub fn key_path(db: &Path) -> PathBuf {
    with_suffix(db, ".key")
}

/// The evidence folder of the database at `db`.
pub fn files_path(db: &Path) -> PathBuf {
    with_suffix(db, ".files")
}

/// Whether the database at `db` is encrypted (its key file is there).
pub fn is_encrypted(db: &Path) -> bool {
    key_path(db).is_file()
}

/// What becomes of one part of the database in a switch.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// The new copy takes the part's place.
    Replace,
    /// The part goes (only ever the key file, when the database turns plaintext).
    Remove,
}

/// A switch, as its marker file says: the fate of each part, and the random part of its new copies'
/// names. A marker is obeyed only as far as a switch Dossier makes could say (see [`Switch::sound`]).
#[derive(Serialize, Deserialize)]
pub(crate) struct Switch {
    pub(crate) database: Fate,
    pub(crate) files: Fate,
    pub(crate) key: Fate,
    /// The new copies are `<part>.new-<tag>`; a marker written before the tag existed names `<part>.new`.
    #[serde(default)]
    pub(crate) tag: Option<String>,
}

impl Switch {
    /// The database and its evidence replaced by `copies`, and the key file replaced or removed.
    pub(crate) fn replacing(copies: &NewCopies, key: Fate) -> Switch {
        Switch { database: Fate::Replace, files: Fate::Replace, key, tag: Some(copies.tag.clone()) }
    }

    fn copy_of(&self, part: &Path) -> PathBuf {
        match &self.tag {
            Some(tag) => with_suffix(part, &format!(".new-{tag}")),
            None => with_suffix(part, ".new"),
        }
    }

    /// Where a replaced part waits until the switch is complete.
    fn old_of(&self, part: &Path) -> PathBuf {
        match &self.tag {
            Some(tag) => with_suffix(part, &format!(".old-{tag}")),
            None => with_suffix(part, ".old"),
        }
    }

    /// Refuses what no switch of Dossier's says: removing the database or its evidence, a tag that is
    /// not one Dossier makes, or removing the key of a database that is not being replaced (which would
    /// lose an encrypted database for good).
    fn sound(&self, db: &Path) -> Result<()> {
        let replaced = self.copy_of(db).exists() || self.old_of(db).exists();
        let tagged = self.tag.as_deref().is_none_or(is_tag);
        if self.database != Fate::Replace
            || self.files != Fate::Replace
            || !tagged
            || (self.key == Fate::Remove && !replaced)
        {
            return Err(Error::Conflict(format!(
                "{} asks for what Dossier never does (remove the database, its evidence or its key); it was not obeyed: remove that file if you did not make it",
                marker(db).display()
            )));
        }
        Ok(())
    }
}

/// The new copies a conversion writes beside the parts it replaces, named `<part>.new-<tag>` with a
/// random tag: no file of the user's is ever taken for one, overwritten or removed.
pub(crate) struct NewCopies {
    tag: String,
}

impl NewCopies {
    pub(crate) fn new() -> NewCopies {
        NewCopies { tag: super::registry::new_id() }
    }

    /// The new copy of `part`.
    pub(crate) fn of(&self, part: &Path) -> PathBuf {
        with_suffix(part, &format!(".new-{}", self.tag))
    }

    /// Removes the new copies written so far (a conversion that failed before its switch).
    pub(crate) fn discard(&self, db: &Path) {
        for part in [db.to_path_buf(), files_path(db), key_path(db)] {
            let _ = remove(&self.of(&part));
        }
    }
}

/// Whether `text` is a tag Dossier makes (a UUID).
fn is_tag(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok_and(|u| u.hyphenated().to_string() == text)
}

/// The files and folders beside `path` whose names are its own plus `.SOMETHING`, each with what
/// follows that dot (`dossier.sqlite.new-…` → `new-…`); none when its folder is not there.
pub(crate) fn beside(path: &Path) -> Result<Vec<(String, std::fs::DirEntry)>> {
    let Some(name) = path.file_name() else { return Ok(Vec::new()) };
    let prefix = format!("{}.", name.to_string_lossy());
    let dir = staged::folder_of(path);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    Ok(entries
        .flatten()
        .filter_map(|e| Some((e.file_name().to_string_lossy().strip_prefix(&prefix)?.to_string(), e)))
        .collect())
}

/// The copies `<part>.new-<tag>` left in `part`'s folder by conversions that never reached their switch.
pub(crate) fn orphan_copies(part: &Path) -> Vec<PathBuf> {
    let found = beside(part).unwrap_or_default();
    found.into_iter().filter(|(rest, _)| rest.strip_prefix("new-").is_some_and(is_tag)).map(|(_, e)| e.path()).collect()
}

fn marker(db: &Path) -> PathBuf {
    with_suffix(db, ".switch")
}

fn parts(db: &Path, s: &Switch) -> [(PathBuf, Fate); 3] {
    [(db.to_path_buf(), s.database), (files_path(db), s.files), (key_path(db), s.key)]
}

pub(crate) fn remove(path: &Path) -> Result<()> {
    let done = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    match done {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io(from, e))
}

pub(crate) fn sync_dir(db: &Path) -> Result<()> {
    let dir = staged::folder_of(db);
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))
}

/// Finishes an interrupted switch, or undoes one that never reached its marker. Run before a database
/// is opened; does nothing when no switch was under way.
pub(crate) fn recover(db: &Path) -> Result<()> {
    let marker = marker(db);
    let switch: Option<Switch> = match std::fs::read_to_string(&marker) {
        Ok(text) => Some(serde_json::from_str(&text).map_err(|e| {
            Error::Locked(format!("{} is damaged ({e}); an encryption change was interrupted", marker.display()))
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&marker, e)),
    };
    let Some(switch) = switch else {
        // No marker: the tagged new copies there are from a switch that never committed. Only those:
        // a `<part>.new` without a tag may be the user's, and is left alone.
        for part in [db.to_path_buf(), files_path(db), key_path(db)] {
            for orphan in orphan_copies(&part) {
                remove(&orphan)?;
            }
        }
        return Ok(());
    };
    switch.sound(db)?;
    // The old database's WAL was checkpointed into it before the marker was written; it must never be
    // read as the new database's.
    remove(&with_suffix(db, "-wal"))?;
    remove(&with_suffix(db, "-shm"))?;
    for (part, fate) in parts(db, &switch) {
        let new = switch.copy_of(&part);
        let old = switch.old_of(&part);
        match fate {
            Fate::Replace if new.exists() => {
                if part.exists() {
                    remove(&old)?;
                    rename(&part, &old)?;
                }
                rename(&new, &part)?;
            }
            Fate::Remove if part.exists() => {
                remove(&old)?;
                rename(&part, &old)?;
            }
            _ => {}
        }
    }
    sync_dir(db)?;
    for (part, _) in parts(db, &switch) {
        remove(&switch.old_of(&part))?;
    }
    remove(&marker)?;
    sync_dir(db)
}

/// Refuses to read a database whose switch was interrupted, when it cannot be finished (read-only).
pub(crate) fn refuse_unfinished_switch(db: &Path) -> Result<()> {
    if marker(db).exists() {
        return Err(Error::Conflict(format!(
            "an encryption change of {} was interrupted; open it writable once to finish it",
            db.display()
        )));
    }
    Ok(())
}

/// Commits a switch whose new copies are complete and on disk.
pub(crate) fn commit(db: &Path, switch: Switch) -> Result<()> {
    let text = serde_json::to_string(&switch).map_err(|e| Error::internal(format!("switch marker: {e}")))?;
    staged::write_whole(&marker(db), text.as_bytes())?;
    recover(db)
}

/// Opens the database at `db` for a conversion, checkpoints its WAL into it and returns the
/// connection with the evidence files of every piece of file evidence.
fn prepared(db: &Path, passphrase: Option<&Passphrase>) -> Result<(Store, Vec<String>)> {
    recover(db)?;
    if !db.is_file() {
        return Err(Error::not_found("database", db.display().to_string()));
    }
    let store = Store::open_with(db, passphrase)?;
    store.db.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let shas =
        store.reader().strings("SELECT DISTINCT sha256 FROM evidence WHERE sha256 IS NOT NULL ORDER BY sha256", [])?;
    Ok((store, shas))
}

/// Copies every evidence file from one store into another (decrypting from the first and encrypting
/// into the second as each is), checking each against its SHA-256.
pub(crate) fn copy_files(from: &Blobs, to: &Blobs, shas: &[String]) -> Result<()> {
    for sha in shas {
        let missing = || {
            Error::rule("files", "file_missing", sha.clone(), format!("evidence file {sha} is missing from the store"))
        };
        if !from.contains(sha) {
            return Err(missing());
        }
        let (copied, _) = to.put(from.open(sha)?, &from.path(sha)?)?;
        if copied != *sha {
            return Err(Error::rule(
                "files",
                "hash_mismatch",
                sha.clone(),
                format!("evidence file {sha} does not match its SHA-256 (it hashes to {copied})"),
            ));
        }
    }
    Ok(())
}

/// What encrypting a database did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct EncryptReport {
    /// Evidence files encrypted.
    pub files: usize,
    /// What became of each copy of the record kept beside the database (see [`super::companions`]).
    pub companions: Vec<super::companions::Outcome>,
}

impl EncryptReport {
    /// Whether every copy beside the database was encrypted or removed: no plaintext record is left.
    pub fn is_whole(&self) -> bool {
        self.companions.iter().all(|c| c.error.is_none())
    }
}

/// Turns the plaintext database at `db` and its evidence files into an encrypted one, under
/// `passphrase`, then the copies of the record kept beside it (upgrade snapshots, databases a restore
/// replaced: encrypted under the same key; unfinished conversions: removed), so that no plaintext of
/// the record is left in its folder.
pub fn encrypt(db: &Path, passphrase: &Passphrase, params: KdfParams) -> Result<EncryptReport> {
    if is_encrypted(db) {
        return Err(Error::Conflict(format!("{} is already encrypted", db.display())));
    }
    let (store, shas) = prepared(db, None)?;
    let key = DataKey::random();
    let wrapped = key.wrap(passphrase, params)?;
    let copies = NewCopies::new();
    let written = (|| {
        export(store.db.connection(), &copies.of(db), Some(&key.sqlcipher_key()), store.user_version()?)?;
        copy_files(&store.blobs, &Blobs::new(copies.of(&files_path(db)), Some(key.blob_keys())), &shas)?;
        staged::write_whole(&copies.of(&key_path(db)), wrapped.as_bytes())
    })();
    drop(store);
    if let Err(e) = written {
        copies.discard(db);
        return Err(e);
    }
    commit(db, Switch::replacing(&copies, Fate::Replace))?;
    let companions = super::companions::encrypt_all(db, &key, &wrapped)?;
    Ok(EncryptReport { files: shas.len(), companions })
}

/// Turns the encrypted database at `db` back into a plaintext one. Returns the number of evidence
/// files decrypted.
pub fn decrypt(db: &Path, passphrase: &Passphrase) -> Result<usize> {
    if !is_encrypted(db) {
        return Err(Error::Conflict(format!("{} is not encrypted", db.display())));
    }
    let (store, shas) = prepared(db, Some(passphrase))?;
    let copies = NewCopies::new();
    let written = (|| {
        export(store.db.connection(), &copies.of(db), Some(""), store.user_version()?)?;
        copy_files(&store.blobs, &Blobs::new(copies.of(&files_path(db)), None), &shas)
    })();
    drop(store);
    if let Err(e) = written {
        copies.discard(db);
        return Err(e);
    }
    commit(db, Switch::replacing(&copies, Fate::Remove))?;
    Ok(shas.len())
}

/// Changes the passphrase of the encrypted database at `db`: the data key is unwrapped with the old
/// passphrase and wrapped anew under the new one; nothing else is rewritten.
pub fn change_passphrase(db: &Path, old: &Passphrase, new: &Passphrase, params: KdfParams) -> Result<()> {
    recover(db)?;
    let path = key_path(db);
    let text =
        std::fs::read_to_string(&path).map_err(|_| Error::Conflict(format!("{} is not encrypted", db.display())))?;
    let key = DataKey::unwrap(&text, old)?;
    staged::write_whole(&path, key.wrap(new, params)?.as_bytes())
}

/// Copies the open database into a new file `target` encrypted with `key` (an empty key: plaintext;
/// none: the open database's own), with SQLCipher's `sqlcipher_export`.
pub(crate) fn export(conn: &Connection, target: &Path, key: Option<&str>, user_version: i64) -> Result<()> {
    remove(target)?;
    let name = target.to_str().ok_or_else(|| {
        Error::rule("database", "not_utf8", None, format!("'{}' is not a UTF-8 path", target.display()))
    })?;
    match key {
        Some(key) => conn.execute("ATTACH DATABASE ?1 AS converted KEY ?2", [name, key])?,
        None => conn.execute("ATTACH DATABASE ?1 AS converted", [name])?,
    };
    let copied = conn
        .query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()))
        .and_then(|()| conn.execute_batch(&format!("PRAGMA converted.user_version = {user_version};")));
    conn.execute_batch("DETACH DATABASE converted;")?;
    copied?;
    // The copy must be on disk before the marker that makes it the database.
    std::fs::File::open(target).and_then(|f| f.sync_all()).map_err(|e| Error::io(target, e))
}
