//! A relay kept in memory, shared by the clients of one process: the server of the core's tests and of
//! the model-based test of the merge. It orders and refuses as the PostgreSQL server does (the head
//! compared and swapped, the hash recomputed, an entry id appended once, a reader or a removed device
//! refused), and can be cut off to play a client that is offline.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{chain_hash, Appended, Relay, Sealed, WrappedKey};
use crate::error::{Error, Result};

#[derive(Default)]
struct Log {
    entries: Vec<Sealed>,
    keys: Vec<WrappedKey>,
    /// Device → (role, active).
    members: BTreeMap<[u8; 32], (String, bool)>,
    files: BTreeMap<[u8; 32], File>,
}

/// A sealed file: how many chunks and bytes it has in all, the chunks received, whether complete.
struct File {
    chunks: u32,
    chunk: BTreeMap<u32, Vec<u8>>,
    complete: bool,
}

/// One space's log in memory; clones share it.
#[derive(Clone, Default)]
pub struct MemoryServer {
    log: Arc<Mutex<Log>>,
}

impl MemoryServer {
    pub fn new() -> MemoryServer {
        MemoryServer::default()
    }

    /// A connection to it for one client, online.
    pub fn connect(&self, space: uuid::Uuid) -> MemoryRelay {
        MemoryRelay { log: self.log.clone(), space, online: true, lose_answers: false }
    }

    /// How many entries the log holds.
    pub fn len(&self) -> usize {
        self.log.lock().map(|l| l.entries.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Changes the log as a malicious or restored server would (for the tests of what clients detect).
    pub fn tamper(&self, change: impl FnOnce(&mut Vec<Sealed>)) {
        if let Ok(mut log) = self.log.lock() {
            change(&mut log.entries);
        }
    }
}

/// A client's connection to a [`MemoryServer`].
pub struct MemoryRelay {
    log: Arc<Mutex<Log>>,
    space: uuid::Uuid,
    /// `false`: every call fails as a cut network does.
    pub online: bool,
    /// `true`: an append is kept, and its answer lost on the way back (a cut after the commit).
    pub lose_answers: bool,
}

impl MemoryRelay {
    fn log(&self) -> Result<std::sync::MutexGuard<'_, Log>> {
        if !self.online {
            return Err(Error::Offline("the test's network is cut".into()));
        }
        self.log.lock().map_err(|_| Error::internal("the memory relay's lock is poisoned"))
    }
}

impl Relay for MemoryRelay {
    fn head(&mut self) -> Result<(i64, [u8; 32])> {
        let log = self.log()?;
        Ok(log.entries.last().map_or((0, super::GENESIS_PREV), |e| (e.seq, e.hash)))
    }

    fn read(&mut self, after: i64, limit: usize) -> Result<Vec<Sealed>> {
        let log = self.log()?;
        Ok(log.entries.iter().filter(|e| e.seq > after).take(limit).cloned().collect())
    }

    fn append(&mut self, entries: &[Sealed]) -> Result<Appended> {
        let space = self.space;
        let mut log = self.log()?;
        let (mut seq, mut prev) = log.entries.last().map_or((0, super::GENESIS_PREV), |e| (e.seq, e.hash));
        for e in entries {
            if e.seq != seq + 1 || e.prev_hash != prev {
                return Ok(Appended::Moved);
            }
            if chain_hash(&space, e) != e.hash {
                return Err(Error::Rejected(format!("entry {}'s hash is not its header's", e.seq)));
            }
            if log.entries.iter().any(|x| x.entry_id == e.entry_id) {
                return Err(Error::Rejected(format!("entry {} was appended already", e.entry_id)));
            }
            match log.members.get(&e.author) {
                Some((_, false)) => return Err(Error::Revoked("the server no longer lets this device append".into())),
                Some((role, true)) if role == "reader" => return Err(Error::Rejected("a reader cannot write".into())),
                None if e.seq > 1 => return Err(Error::Rejected("this device is not a member of the space".into())),
                _ => {}
            }
            (seq, prev) = (e.seq, e.hash);
        }
        if let Some(first) = entries.first().filter(|e| e.seq == 1) {
            log.members.insert(first.author, ("admin".into(), true));
        }
        log.entries.extend_from_slice(entries);
        if self.lose_answers {
            return Err(Error::Offline("the test's network was cut after the server committed".into()));
        }
        Ok(Appended::Done)
    }

    fn find(&mut self, ids: &[uuid::Uuid]) -> Result<Vec<(uuid::Uuid, i64)>> {
        let log = self.log()?;
        Ok(log.entries.iter().filter(|e| ids.contains(&e.entry_id)).map(|e| (e.entry_id, e.seq)).collect())
    }

    fn put_keys(&mut self, keys: &[WrappedKey]) -> Result<()> {
        let mut log = self.log()?;
        for k in keys {
            log.keys.retain(|x| !(x.epoch == k.epoch && x.device == k.device));
            log.keys.push(k.clone());
        }
        Ok(())
    }

    fn keys_for(&mut self, device: &[u8; 32]) -> Result<Vec<WrappedKey>> {
        let log = self.log()?;
        if log.members.get(device).is_some_and(|(_, active)| !active) {
            return Err(Error::Revoked("the server no longer lets this device read".into()));
        }
        Ok(log.keys.iter().filter(|k| &k.device == device).cloned().collect())
    }

    fn set_member(&mut self, device: &[u8; 32], role: &str, _pg_role: Option<&str>, active: bool) -> Result<()> {
        self.log()?.members.insert(*device, (role.to_string(), active));
        Ok(())
    }

    fn put_chunk(&mut self, name: &[u8; 32], n: u32, chunks: u32, size: u64, data: &[u8]) -> Result<()> {
        let mut log = self.log()?;
        let _ = size;
        let file = log.files.entry(*name).or_insert_with(|| File { chunks, chunk: BTreeMap::new(), complete: false });
        file.chunk.entry(n).or_insert_with(|| data.to_vec());
        Ok(())
    }

    fn complete(&mut self, name: &[u8; 32]) -> Result<()> {
        let mut log = self.log()?;
        let file = log.files.get_mut(name).ok_or_else(|| Error::not_found("file", crate::store::crypt::hex(name)))?;
        if file.chunk.len() as u32 != file.chunks {
            return Err(Error::Rejected(format!("the file has {} of its {} chunks", file.chunk.len(), file.chunks)));
        }
        file.complete = true;
        Ok(())
    }

    fn chunks_of(&mut self, name: &[u8; 32]) -> Result<Option<(Vec<u32>, bool)>> {
        let log = self.log()?;
        Ok(log.files.get(name).map(|f| (f.chunk.keys().copied().collect(), f.complete)))
    }

    fn chunk(&mut self, name: &[u8; 32], n: u32) -> Result<Vec<u8>> {
        let log = self.log()?;
        log.files
            .get(name)
            .and_then(|f| f.chunk.get(&n).cloned())
            .ok_or_else(|| Error::not_found("chunk", format!("{n} of {}", crate::store::crypt::hex(name))))
    }
}
