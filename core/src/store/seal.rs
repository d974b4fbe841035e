//! Seals: what makes the change log provable to someone who can write the database file.
//!
//! The hash chain alone has no secret: whoever can write the file can append an entry (backdated, under
//! any name) or rewrite the log and recompute every hash. So each entry is also sealed with an HMAC of
//! its hash under a key the database folder does not hold:
//! - for an encrypted database, a key derived from its data key (only the passphrase opens it);
//! - for a plaintext one, this installation's own key, made on first use and kept in the user's
//!   configuration folder (`$XDG_CONFIG_HOME/org.dossier.app/log.key`, mode 0600) — outside the folder
//!   a synced drive, a shared disk or a copied case carries.
//!
//! A seal names its key by an id that does not reveal it, so `check` tells an entry this installation
//! sealed (verified), one another installation sealed (it cannot say), and one nobody sealed. The same
//! configuration folder keeps a second copy of every database's anchor (see `anchor`).

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::params;
use zeroize::Zeroizing;

use super::conn::{Reader, Writer};
use super::crypt::{self, DataKey};
use crate::error::{Error, Result};

/// The environment variable that names another configuration folder (tests, portable installs).
pub const CONFIG_ENV: &str = "DOSSIER_CONFIG_DIR";

/// The folder, outside every database folder, where this installation keeps its log key and a copy of
/// each database's anchor.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_ENV) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => dirs::config_dir().map(|d| d.join(super::APP_ID)),
    }
}

/// The key that seals a database's log entries.
#[derive(Clone)]
pub struct LogKey {
    id: String,
    key: Zeroizing<[u8; 32]>,
}

impl LogKey {
    fn from_key(key: Zeroizing<[u8; 32]>) -> LogKey {
        let id = crypt::mac(key.as_slice(), b"dossier/1/log-key-id")[..16].to_string();
        LogKey { id, key }
    }

    /// The key of an encrypted database, derived from its data key.
    pub(crate) fn of_data_key(key: &DataKey) -> LogKey {
        LogKey::from_key(key.log_key())
    }

    /// This installation's key, made and kept (mode 0600) the first time when `create`. `None` when
    /// there is no configuration folder, or no key yet and `create` is false.
    pub(crate) fn installation(create: bool) -> Result<Option<LogKey>> {
        let Some(dir) = config_dir() else { return Ok(None) };
        let file = dir.join("log.key");
        match std::fs::read_to_string(&file) {
            Ok(text) => parse(&text).map(|k| Some(LogKey::from_key(k))).ok_or_else(|| {
                Error::rule(
                    "log key",
                    "bad_log_key",
                    None,
                    format!("{} is damaged: move it away to let Dossier make a new one", file.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => make(&dir, &file).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&file, e)),
        }
    }

    /// The id seals name this key by.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The seal of the entry whose hash is `hash`.
    fn seal(&self, hash: &str) -> String {
        crypt::mac(self.key.as_slice(), hash.as_bytes())
    }

    /// A seal for any other text (a document's reading), as `<key id>:<mac>`.
    pub(crate) fn seal_text(&self, text: &[u8]) -> String {
        format!("{}:{}", self.id, crypt::mac(self.key.as_slice(), text))
    }

    /// Whether `sealed` (from [`LogKey::seal_text`]) is this key's seal of `text`; `None` when another
    /// key sealed it.
    pub(crate) fn verify_text(&self, sealed: &str, text: &[u8]) -> Option<bool> {
        let (id, _) = sealed.split_once(':')?;
        (id == self.id).then(|| self.seal_text(text) == sealed)
    }
}

fn parse(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let bytes = Zeroizing::new(crypt::unhex(text.trim())?);
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
    Some(key)
}

/// Makes this installation's key: the folder 0700, the file 0600 and created exclusively, so two
/// processes starting at once end up with the same key (the second reads the first's).
fn make(dir: &std::path::Path, file: &std::path::Path) -> Result<LogKey> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| Error::io(dir, e))?;
    let key = crypt::random_key();
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
        Ok(mut f) => {
            f.write_all(crypt::hex(key.as_slice()).as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| Error::io(file, e))?;
            Ok(LogKey::from_key(key))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            // Another process made it a moment ago; it may still be writing it.
            std::thread::sleep(std::time::Duration::from_millis(50));
            LogKey::installation(false)?.ok_or_else(|| Error::io(file, e))
        }
        Err(e) => Err(Error::io(file, e)),
    }
}

/// What a reading's seal covers: the file's hash, then each page's number and text.
fn reading(db: &Reader, sha256: &str) -> Result<Vec<u8>> {
    let mut covered = sha256.as_bytes().to_vec();
    db.each("SELECT page, text FROM file_page WHERE sha256 = ?1 ORDER BY page", [sha256], |r| {
        let text: String = r.get(1)?;
        covered.extend_from_slice(format!("\n{}:{}:", r.get::<_, i64>(0)?, text.len()).as_bytes());
        covered.extend_from_slice(text.as_bytes());
        Ok(())
    })?;
    Ok(covered)
}

/// Seals the text just kept for the file `sha256`, when the write has a key (see `reading_seal`).
pub(crate) fn seal_reading(w: &Writer<'_>, sha256: &str) -> Result<()> {
    w.execute("DELETE FROM reading_seal WHERE sha256 = ?1", [sha256])?;
    if let Some(key) = w.seal_key() {
        let sealed = key.seal_text(&reading(w, sha256)?);
        w.execute("INSERT INTO reading_seal (sha256, seal) VALUES (?1, ?2)", params![sha256, sealed])?;
    }
    Ok(())
}

/// The files whose kept text no longer matches the seal this installation put on it: (SHA-256, the
/// titles of the evidence showing it).
pub(crate) fn altered_readings(db: &Reader, key: &LogKey) -> Result<Vec<(String, String)>> {
    let sealed = db.all(
        "SELECT s.sha256, s.seal, (SELECT group_concat('''' || title || '''', ', ') FROM evidence WHERE sha256 = s.sha256)
           FROM reading_seal s ORDER BY s.sha256",
        [],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)),
    )?;
    let mut altered = Vec::new();
    for (sha, seal, titles) in sealed {
        if key.verify_text(&seal, &reading(db, &sha)?) == Some(false) {
            altered.push((sha, titles.unwrap_or_default()));
        }
    }
    Ok(altered)
}

/// Seals the entry `seq` whose hash is `hash`, in the write that appends it.
pub(crate) fn put(w: &Writer<'_>, seq: i64, hash: &str, key: &LogKey) -> Result<()> {
    w.execute("INSERT INTO log_seal (seq, key_id, mac) VALUES (?1, ?2, ?3)", params![seq, key.id, key.seal(hash)])?;
    Ok(())
}

/// What a seal says of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealed {
    /// Sealed by the key at hand, and the seal matches.
    Verified,
    /// Sealed by the key at hand, and the seal does not match: the entry changed since.
    Broken,
    /// Sealed by a key not at hand (another installation).
    Elsewhere,
    /// Not sealed.
    No,
}

/// Every seal of the log, by entry: (key id, mac).
pub(crate) fn all(db: &Reader) -> Result<HashMap<i64, (String, String)>> {
    let rows = db.all("SELECT seq, key_id, mac FROM log_seal", [], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.into_iter().collect())
}

/// What the seal `found` (from [`all`]) says of the entry whose hash is `hash`, to `key`.
pub(crate) fn judge(found: Option<&(String, String)>, hash: &str, key: Option<&LogKey>) -> Sealed {
    match (found, key) {
        (None, _) => Sealed::No,
        (Some((id, mac)), Some(key)) if *id == key.id => {
            if *mac == key.seal(hash) {
                Sealed::Verified
            } else {
                Sealed::Broken
            }
        }
        (Some(_), _) => Sealed::Elsewhere,
    }
}

/// Whether every entry after `from` up to `to` is sealed by `key`, and verifies.
pub(crate) fn all_verified(db: &Reader, key: &LogKey, from: i64, to: i64) -> Result<bool> {
    let rows = db.all(
        "SELECT c.hash, s.key_id, s.mac FROM change_log c LEFT JOIN log_seal s ON s.seq = c.seq
          WHERE c.seq > ?1 AND c.seq <= ?2",
        params![from, to],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?.zip(r.get::<_, Option<String>>(2)?))),
    )?;
    Ok(rows.iter().all(|(hash, seal)| judge(seal.as_ref(), hash, Some(key)) == Sealed::Verified))
}
