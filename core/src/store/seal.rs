//! Seals: what makes the change log provable to someone who can write the database file.
//!
//! The hash chain alone has no secret: whoever can write the file can append an entry (backdated, under
//! any name) or rewrite the log and recompute every hash. So each entry is also sealed with an HMAC of
//! its hash under a key the database folder does not hold:
//! - for an encrypted database, a key derived from its data key (only the passphrase opens it);
//! - for a plaintext one, this installation's own key, made on first use and kept in the user's
//!   keyring or in their configuration folder (`$XDG_CONFIG_HOME/org.dossier.app/log.key`, mode 0600;
//!   see `log_key`) — outside the folder a synced drive, a shared disk or a copied case carries.
//!
//! A seal names its key by an id that does not reveal it, so `check` tells an entry this installation
//! sealed (verified), one another installation sealed (it cannot say), one sealed by this
//! installation's key when that key could not be read (a locked keyring: it cannot say either), and
//! one nobody sealed. The same configuration folder keeps a second copy of every database's anchor
//! (see `anchor`).

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::params;
use zeroize::Zeroizing;

use super::conn::{Reader, Writer};
use super::crypt::{self, DataKey};
use super::log_key::Kept;
use crate::error::Result;

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
    kept: Kept,
}

impl LogKey {
    pub(crate) fn from_key(key: Zeroizing<[u8; 32]>, kept: Kept) -> LogKey {
        let id = crypt::mac(key.as_slice(), b"dossier/1/log-key-id")[..16].to_string();
        LogKey { id, key, kept }
    }

    /// The key of an encrypted database, derived from its data key.
    pub(crate) fn of_data_key(key: &DataKey) -> LogKey {
        LogKey::from_key(key.log_key(), Kept::Database)
    }

    /// Where the key is kept.
    pub fn kept(&self) -> Kept {
        self.kept
    }

    /// The key's bytes, to move it (see `log_key::move_to`).
    pub(crate) fn secret(&self) -> &[u8] {
        self.key.as_slice()
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
    /// Sealed by this installation's key, which could not be read (a locked keyring): not verified.
    Unread,
    /// Not sealed.
    No,
}

/// Every seal of the log, by entry: (key id, mac).
pub(crate) fn all(db: &Reader) -> Result<HashMap<i64, (String, String)>> {
    let rows = db.all("SELECT seq, key_id, mac FROM log_seal", [], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.into_iter().collect())
}

/// What the seal `found` (from [`all`]) says of the entry whose hash is `hash`, to `key`; `unread`: the
/// id of this installation's key when it could not be read.
pub(crate) fn judge(
    found: Option<&(String, String)>,
    hash: &str,
    key: Option<&LogKey>,
    unread: Option<&str>,
) -> Sealed {
    match (found, key) {
        (None, _) => Sealed::No,
        (Some((id, _)), None) if Some(id.as_str()) == unread => Sealed::Unread,
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
    Ok(rows.iter().all(|(hash, seal)| judge(seal.as_ref(), hash, Some(key), None) == Sealed::Verified))
}
