//! Whole copies of a database, the ground its backups, snapshots and conversions stand on: SQLite's
//! online backup of an open database into a new file ([`snapshot`], under the same key), SQLCipher's
//! export of it under another key or none ([`export`]), and its evidence files copied from one folder
//! into another, each checked against its SHA-256 ([`copy_files`]). In the store because opening a
//! database uses them: the snapshot before a schema upgrade, the encryption of a plaintext copy found
//! beside an encrypted database.

use std::path::Path;

use rusqlite::Connection;

use super::blobs::Blobs;
use super::switch;
use crate::error::{Error, Result};

/// Copies the database `conn` is open on into the new file `target` with SQLite's online backup API:
/// one consistent snapshot, whatever other connections write meanwhile. `key`: SQLCipher's raw key for
/// an encrypted database (the copy gets the same), `None` for a plaintext one.
pub(crate) fn snapshot(conn: &Connection, target: &Path, key: Option<&str>) -> Result<()> {
    let mut copy = Connection::open(target)?;
    if let Some(key) = key {
        let pragma = zeroize::Zeroizing::new(format!("PRAGMA key = \"{key}\";"));
        copy.execute_batch(&pragma)?;
    }
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut copy)?;
        // All pages in one step: the snapshot is one read transaction of the source. A writer holding
        // the database only delays it.
        let mut waited = 0;
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                _ if waited < 600 => {
                    waited += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => return Err(Error::Conflict("the database stayed busy for 30 s: back up again later".into())),
            }
        }
    }
    copy.execute_batch("PRAGMA journal_mode = DELETE;")?;
    drop(copy);
    std::fs::File::open(target).and_then(|f| f.sync_all()).map_err(|e| Error::io(target, e))
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

/// Copies the open database into a new file `target` encrypted with `key` (an empty key: plaintext;
/// none: the open database's own), with SQLCipher's `sqlcipher_export`.
pub(crate) fn export(conn: &Connection, target: &Path, key: Option<&str>, user_version: i64) -> Result<()> {
    switch::remove(target)?;
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
