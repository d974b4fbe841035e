//! Evidence files in a team space: sent to the server before the entry that names them, sealed on
//! this device in chunks of 4 MiB under a name the server cannot link to their content, resumed where
//! a cut left them; fetched by the others when they ask (`dossier evidence fetch`), each chunk opened
//! and the whole checked against its SHA-256 before it enters their store. A file the space has and
//! this device has not fetched is noted as such (`team_file`), so `check` does not call it missing.

use std::io::{Read, Seek, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::outbox::Pending;
use super::{envelope, local, Relay};
use crate::error::{Error, Result};
use crate::store::conn::{Reader, Writer};
use crate::store::{blobs, Store};

/// The plaintext bytes of one chunk.
pub const CHUNK: usize = 4 << 20;

/// What a fetch brought.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fetched {
    pub files: usize,
    pub bytes: u64,
    /// Files the space does not have yet (their sender has not synced since writing them).
    pub not_in_space: Vec<String>,
}

/// The files of the evidence `id` (its file, a capture's text and screenshot), by SHA-256.
fn files_of(db: &Reader, id: &str) -> Result<Vec<String>> {
    db.strings("SELECT sha256 FROM evidence_file WHERE evidence_id = ?1", [id])
}

/// Notes the files of the evidence `id`, just applied from the space, that this device does not have.
pub(crate) fn note_unfetched(w: &Writer<'_>, store: &blobs::Blobs, id: &str) -> Result<()> {
    for sha in files_of(w, id)? {
        if !store.contains(&sha) {
            w.execute("INSERT OR IGNORE INTO team_file (sha256, size) VALUES (?1, 0)", [&sha])?;
        }
    }
    Ok(())
}

/// The files the space has and this device has not fetched, by SHA-256.
pub fn unfetched(db: &Reader) -> Result<Vec<String>> {
    db.strings("SELECT sha256 FROM team_file ORDER BY sha256", [])
}

/// Whether the file `sha256` is one the space has and this device has not fetched.
pub fn is_unfetched(db: &Reader, sha256: &str) -> Result<bool> {
    db.exists("SELECT 1 FROM team_file WHERE sha256 = ?1", [sha256])
}

impl Store {
    /// Sends every file the waiting writes name that the server does not hold whole yet.
    pub(crate) fn send_files(&mut self, relay: &mut dyn Relay, pending: &[Pending]) -> Result<usize> {
        let mut shas = std::collections::BTreeSet::new();
        for p in pending {
            for id in p.payload.records.keys() {
                shas.extend(files_of(&self.db, id)?.into_iter().filter(|sha| self.blobs.contains(sha)));
            }
        }
        let name_key =
            local::key(&self.db, 1)?.ok_or_else(|| Error::Revoked("this device holds no space key".into()))?;
        let epoch = local::current_epoch(&self.db)?.unwrap_or(1);
        let key = local::key(&self.db, epoch)?.ok_or_else(|| Error::internal("the current space key is missing"))?;
        let mut sent = 0;
        for sha in shas {
            let name = envelope::blob_name(&name_key, &sha);
            let held = relay.chunks_of(&name)?;
            if held.as_ref().is_some_and(|(_, complete)| *complete) {
                continue;
            }
            let have: Vec<u32> = held.map(|(chunks, _)| chunks).unwrap_or_default();
            let size = self.blobs.size(&sha)?.ok_or_else(|| Error::not_found("evidence file", sha.clone()))?;
            let chunks = size.div_ceil(CHUNK as u64).max(1) as u32;
            // The server adds up what it stores: the sealed chunks.
            let sealed_size = size + u64::from(chunks) * envelope::CHUNK_OVERHEAD as u64;
            let mut reader = self.blobs.open(&sha)?;
            let mut buf = vec![0u8; CHUNK];
            for n in 0..chunks {
                let len = read_full(&mut reader, &mut buf).map_err(|e| Error::io(self.blobs.dir(), e))?;
                if !have.contains(&n) {
                    let sealed = envelope::seal_chunk(&key, epoch, &sha, n, n + 1 == chunks, &buf[..len]);
                    relay.put_chunk(&name, n, chunks, sealed_size, &sealed)?;
                }
            }
            relay.complete(&name)?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Fetches from the space the files `shas` (all it has that this device lacks, when empty).
    pub fn team_fetch(&mut self, relay: &mut dyn Relay, shas: &[String]) -> Result<Fetched> {
        let wanted = if shas.is_empty() { unfetched(&self.db)? } else { shas.to_vec() };
        let name_key =
            local::key(&self.db, 1)?.ok_or_else(|| Error::Revoked("this device holds no space key".into()))?;
        let mut out = Fetched::default();
        for sha in wanted {
            if self.blobs.contains(&sha) {
                continue;
            }
            let name = envelope::blob_name(&name_key, &sha);
            match relay.chunks_of(&name)? {
                Some((chunks, true)) => {
                    out.bytes += self.fetch_one(relay, &sha, &name, chunks.len() as u32)?;
                    out.files += 1;
                    self.write("team.fetch", None, &serde_json::json!({ "file": sha }), |w| {
                        w.execute("DELETE FROM team_file WHERE sha256 = ?1", [&sha])?;
                        Ok(())
                    })?;
                }
                _ => out.not_in_space.push(sha),
            }
        }
        Ok(out)
    }

    /// Downloads one file chunk by chunk into a staged file, checks its SHA-256, and keeps it.
    fn fetch_one(&mut self, relay: &mut dyn Relay, sha: &str, name: &[u8; 32], chunks: u32) -> Result<u64> {
        let dir = self.blobs.dir().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut staged = tempfile::tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut size = 0u64;
        let mut hasher = Sha256::new();
        for n in 0..chunks {
            let sealed = relay.chunk(name, n)?;
            let epoch = envelope::chunk_epoch(&sealed)?;
            let key = local::key(&self.db, epoch)?
                .ok_or_else(|| Error::Revoked(format!("this device holds no key of epoch {epoch} for file {sha}")))?;
            let plain = envelope::open_chunk(&key, sha, n, n + 1 == chunks, &sealed)?;
            hasher.update(&plain);
            staged.write_all(&plain).map_err(|e| Error::io(&dir, e))?;
            size += plain.len() as u64;
        }
        let found = crate::store::crypt::hex(&hasher.finalize());
        if found != sha {
            return Err(Error::SpaceTampered {
                seq: 0,
                reason: format!("the file {sha} fetched from the space hashes to {found}"),
            });
        }
        staged.rewind().map_err(|e| Error::io(&dir, e))?;
        self.blobs.put(std::io::BufReader::new(staged), &dir)?;
        Ok(size)
    }
}

/// Reads until `buf` is full or the reader ends; returns how many bytes were read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}
