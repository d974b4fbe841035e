//! The append-only change log: one entry per write, each hashed together with the hash of the entry
//! before it, so that an entry edited or removed outside the core breaks the chain. Triggers in the
//! schema refuse `UPDATE` and `DELETE` on it.

use rusqlite::params;
use sha2::{Digest, Sha256};

use super::conn::{Reader, Writer};
use super::registry;
use crate::error::{Error, Result};

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn chain_hash(prev: &str, seq: i64, at: &str, action: &str, record_id: Option<&str>, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, action, record_id.unwrap_or(""), detail] {
        // Length-prefixing each part keeps ("ab","c") and ("a","bc") from hashing alike.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// Appends the entry of one write: `action` on `record_id`, with `detail` (JSON).
pub(super) fn append(w: &Writer<'_>, action: &str, record_id: Option<&str>, detail: &str) -> Result<()> {
    let last: Option<(i64, String)> =
        w.optional("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = registry::now();
    let hash = chain_hash(&prev, seq, &at, action, record_id, detail);
    w.execute(
        "INSERT INTO change_log (seq, at, action, record_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, at, action, record_id, detail, prev, hash],
    )?;
    Ok(())
}

/// Walks the log and checks every entry's hash and link to the one before; returns how many there are.
pub(super) fn verify(db: &Reader) -> Result<usize> {
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    db.each("SELECT seq, at, action, record_id, detail, prev_hash, hash FROM change_log ORDER BY seq", [], |row| {
        let seq: i64 = row.get(0)?;
        let stored_prev: String = row.get(5)?;
        let stored: String = row.get(6)?;
        if stored_prev != prev {
            return Err(Error::Tampered { seq, reason: "does not follow the entry before it".into() });
        }
        let (at, action, record_id, detail): (String, String, Option<String>, String) =
            (row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
        if chain_hash(&prev, seq, &at, &action, record_id.as_deref(), &detail) != stored {
            return Err(Error::Tampered { seq, reason: "content does not match its hash".into() });
        }
        prev = stored;
        count += 1;
        Ok(())
    })?;
    Ok(count)
}
