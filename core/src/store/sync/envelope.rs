//! What the server of a team space sees of an entry or an evidence file, and how a member opens it:
//! the body sealed under the space key, the header chained and signed.
//!
//! - **An entry's payload** is deflated and sealed with XChaCha20-Poly1305 under a key derived from
//!   the space key of its epoch; its associated data is the space, the entry id, the epoch and the
//!   author, so a body cannot be moved to another entry, space or author. Its MAC is keyed (the server
//!   cannot test a guess of what an entry says against it) and goes into the chain hash, which the
//!   author signs: the signature covers the content without the server learning it.
//! - **An evidence file** is cut into chunks, each sealed under a key of its own file and marked with
//!   its number and whether it is the last, so chunks cannot be reordered, swapped between files or
//!   cut at the end unnoticed. Its name on the server is keyed too, and stays the same across epochs so
//!   a file already sent is not sent again.
//!
//! Opening checks everything before handing anything back; what does not open was altered.

use std::io::{Read, Write};

use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305};
use flate2::{read::DeflateDecoder, write::DeflateEncoder, Compression};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::keys::{self, Device, SpaceKey};
use super::{chain_hash, Kind, Sealed};
use crate::error::{Error, Result};

/// The most an entry's payload may hold once inflated: a body is refused before it costs more memory
/// than this, however small it is sealed (a deflate bomb). A write of the record is far smaller.
pub const MAX_PAYLOAD: usize = 64 * 1024 * 1024;

/// XChaCha20-Poly1305's nonce.
const NONCE: usize = 24;
/// Poly1305's tag.
const TAG: usize = 16;
/// A sealed chunk's header: the epoch (4 bytes) and the nonce.
const CHUNK_HEADER: usize = 4 + NONCE;
/// How many bytes sealing adds to a chunk: its header and its tag.
pub const CHUNK_OVERHEAD: usize = CHUNK_HEADER + TAG;

/// A 32-byte key for one purpose, HKDF-SHA256-expanded from the space key with `info` (its parts
/// joined).
fn derive(key: &SpaceKey, info: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    // HKDF-Expand of 32 bytes cannot fail: the limit is 255 times the hash's length.
    let _ = Hkdf::<Sha256>::new(None, key.bytes()).expand_multi_info(info, out.as_mut_slice());
    out
}

fn hmac(key: &[u8; 32]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length")
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

/// An entry's associated data: space id ‖ entry id ‖ epoch (big-endian) ‖ author, all of fixed length.
fn entry_aad(space: &uuid::Uuid, entry_id: &uuid::Uuid, epoch: i32, author: &[u8; 32]) -> [u8; 68] {
    let mut aad = [0u8; 68];
    aad[..16].copy_from_slice(space.as_bytes());
    aad[16..32].copy_from_slice(entry_id.as_bytes());
    aad[32..36].copy_from_slice(&epoch.to_be_bytes());
    aad[36..].copy_from_slice(author);
    aad
}

/// Deflates `payload`, seals it with XChaCha20-Poly1305 under HKDF(space key, "dossier-space-seal/1")
/// with a random 24-byte nonce and AAD = space id ‖ entry id ‖ epoch (BE) ‖ author, and computes
/// mac = HMAC-SHA256(HKDF(space key, "dossier-space-mac/1"), payload) over the plaintext payload (not
/// the deflated one, so the MAC does not depend on the compressor). Returns (nonce, body, mac).
/// A payload over [`MAX_PAYLOAD`] would not open: the caller keeps entries far below it.
pub fn seal(
    key: &SpaceKey,
    space: &uuid::Uuid,
    entry_id: &uuid::Uuid,
    epoch: i32,
    author: &[u8; 32],
    payload: &[u8],
) -> (Vec<u8>, Vec<u8>, [u8; 32]) {
    let mut deflate = DeflateEncoder::new(Vec::with_capacity(payload.len() / 4 + 64), Compression::default());
    // Deflating into memory cannot fail: the only errors are the inner writer's.
    deflate.write_all(payload).expect("deflating into memory");
    let deflated = deflate.finish().expect("deflating into memory");
    let (nonce, body) = seal_deflated(key, &entry_aad(space, entry_id, epoch, author), &deflated);
    let mut mac = hmac(&derive(key, &[b"dossier-space-mac/1"]));
    mac.update(payload);
    (nonce, body, mac.finalize().into_bytes().into())
}

/// The AEAD step of [`seal`], on the payload already deflated.
fn seal_deflated(key: &SpaceKey, aad: &[u8], deflated: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let body = cipher(&derive(key, &[b"dossier-space-seal/1"]))
        .encrypt(&nonce, Payload { msg: deflated, aad })
        // XChaCha20-Poly1305 refuses only messages past 256 GiB.
        .expect("sealing an entry");
    (nonce.to_vec(), body)
}

/// Opens `e.body` (the AEAD with the same associated data as [`seal`], then inflates it, refusing a
/// payload over [`MAX_PAYLOAD`] before it takes more memory) and checks its MAC in constant time. Any
/// failure is [`Error::SpaceTampered`] naming `e.seq`, with a one-line reason: the same entry is then
/// refused alike by every replica.
pub fn open(key: &SpaceKey, space: &uuid::Uuid, e: &Sealed) -> Result<Vec<u8>> {
    let tampered = |reason: &str| Error::SpaceTampered { seq: e.seq, reason: reason.to_string() };
    if e.nonce.len() != NONCE {
        return Err(tampered("the entry's seal does not open (its nonce is not 24 bytes)"));
    }
    let aad = entry_aad(space, &e.entry_id, e.epoch, &e.author);
    let deflated = cipher(&derive(key, &[b"dossier-space-seal/1"]))
        .decrypt(e.nonce.as_slice().into(), Payload { msg: &e.body, aad: &aad })
        .map_err(|_| tampered("the entry's seal does not open"))?;
    let payload = inflate(&deflated, MAX_PAYLOAD).map_err(tampered)?;
    let mut mac = hmac(&derive(key, &[b"dossier-space-mac/1"]));
    mac.update(&payload);
    mac.verify_slice(&e.mac).map_err(|_| tampered("the entry's MAC does not match"))?;
    Ok(payload)
}

/// The raw deflate stream `deflated` inflated, or why not: more than `max` bytes, or not deflate.
/// Reading stops one byte past `max`, so a bomb costs at most `max` bytes and the time to inflate them.
fn inflate(deflated: &[u8], max: usize) -> std::result::Result<Vec<u8>, &'static str> {
    let mut out = Vec::new();
    DeflateDecoder::new(deflated)
        .take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| "the entry's payload does not inflate")?;
    if out.len() > max {
        return Err("the entry's payload inflates past 64 MiB");
    }
    Ok(out)
}

/// Where an entry goes in the space's log, and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// Its seq, and the hash of the entry before it.
    pub seq: i64,
    pub prev_hash: [u8; 32],
    pub entry_id: uuid::Uuid,
    /// The epoch whose key seals it.
    pub epoch: i32,
    pub kind: Kind,
}

/// The entry holding `payload` at `place`: sealed with `key` (of `place.epoch`), authored and signed by
/// `device`.
pub fn entry(key: &SpaceKey, device: &Device, space: &uuid::Uuid, place: Place, payload: &[u8]) -> Sealed {
    let (nonce, body, mac) = seal(key, space, &place.entry_id, place.epoch, &device.id(), payload);
    let mut e = Sealed {
        seq: place.seq,
        prev_hash: place.prev_hash,
        hash: [0; 32],
        entry_id: place.entry_id,
        author: device.id(),
        epoch: place.epoch,
        kind: place.kind.code(),
        mac,
        nonce,
        body,
        sig: Vec::new(),
    };
    sign(device, space, &mut e);
    e
}

/// Sets `e.hash` to [`chain_hash`] of its header and `e.sig` to the device's signature of that hash.
pub fn sign(device: &Device, space: &uuid::Uuid, e: &mut Sealed) {
    e.hash = chain_hash(space, e);
    e.sig = device.sign(&e.hash);
}

/// Checks that `e.hash` is [`chain_hash`] of its header and that `e.sig` is `e.author`'s signature of
/// it; [`Error::SpaceTampered`] naming `e.seq` otherwise. Whether the author may write there is the
/// log's business, not this one's.
pub fn verify(space: &uuid::Uuid, e: &Sealed) -> Result<()> {
    let tampered = |reason: &str| Error::SpaceTampered { seq: e.seq, reason: reason.to_string() };
    if chain_hash(space, e) != e.hash {
        return Err(tampered("the entry's hash does not match its header"));
    }
    if !keys::verify(&e.author, &e.hash, &e.sig) {
        return Err(tampered("the entry's signature is not its author's"));
    }
    Ok(())
}

/// The name an evidence file has on the server: HMAC-SHA256(HKDF(name_key, "dossier-space-name/1"),
/// its SHA-256 in hex as `blobs` writes it). The server cannot tell which known file it holds. Stable
/// across epochs (the caller passes the key of epoch 1 as `name_key`), so a file is sent once per space.
pub fn blob_name(name_key: &SpaceKey, sha256: &str) -> [u8; 32] {
    let mut mac = hmac(&derive(name_key, &[b"dossier-space-name/1"]));
    mac.update(sha256.as_bytes());
    mac.finalize().into_bytes().into()
}

/// A chunk's associated data: the file's SHA-256 ‖ n (big-endian) ‖ 1 if it is the last chunk, else 0.
fn chunk_aad(sha256: &str, n: u32, last: bool) -> Vec<u8> {
    let mut aad = Vec::with_capacity(sha256.len() + 5);
    aad.extend_from_slice(sha256.as_bytes());
    aad.extend_from_slice(&n.to_be_bytes());
    aad.push(u8::from(last));
    aad
}

/// The key of one file's chunks: HKDF(space key of the epoch, "dossier-space-file/1" ‖ sha256).
fn file_key(key: &SpaceKey, sha256: &str) -> Zeroizing<[u8; 32]> {
    derive(key, &[b"dossier-space-file/1", sha256.as_bytes()])
}

/// Chunk `n` of the file whose SHA-256 is `sha256`, sealed for the server: 4 bytes epoch (BE) ‖ 24-byte
/// nonce ‖ XChaCha20-Poly1305 ciphertext, under the file's key from the space key of `epoch`, with
/// AAD = sha256 ‖ n (BE u32) ‖ last (1 byte), so chunks cannot be reordered, swapped between files or
/// cut at the end unnoticed.
pub fn seal_chunk(key: &SpaceKey, epoch: i32, sha256: &str, n: u32, last: bool, plain: &[u8]) -> Vec<u8> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher(&file_key(key, sha256))
        .encrypt(&nonce, Payload { msg: plain, aad: &chunk_aad(sha256, n, last) })
        // XChaCha20-Poly1305 refuses only messages past 256 GiB; a chunk is a few MiB.
        .expect("sealing a chunk");
    let mut out = Vec::with_capacity(CHUNK_HEADER + sealed.len());
    out.extend_from_slice(&epoch.to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// The epoch a sealed chunk names, to pick the key it opens with. Not authenticated by itself: a
/// changed epoch picks a key the chunk does not open with.
pub fn chunk_epoch(sealed: &[u8]) -> Result<i32> {
    if sealed.len() < CHUNK_HEADER {
        return Err(Error::Rejected(format!(
            "a file chunk from the team server is {} bytes, shorter than its 28-byte header",
            sealed.len()
        )));
    }
    Ok(i32::from_be_bytes([sealed[0], sealed[1], sealed[2], sealed[3]]))
}

/// Opens chunk `n` of the file `sha256` with the space key of the epoch it names ([`chunk_epoch`]).
/// A chunk that does not open ([`Error::Rejected`]) was altered, moved, taken from another file or
/// marked last when it was not (or not when it was).
pub fn open_chunk(key: &SpaceKey, sha256: &str, n: u32, last: bool, sealed: &[u8]) -> Result<Vec<u8>> {
    let refused = || {
        Error::Rejected(format!(
            "chunk {n} of evidence file {sha256} from the team server does not open: it was altered, cut or belongs elsewhere"
        ))
    };
    if sealed.len() < CHUNK_HEADER + TAG {
        return Err(refused());
    }
    cipher(&file_key(key, sha256))
        .decrypt(
            sealed[4..CHUNK_HEADER].into(),
            Payload { msg: &sealed[CHUNK_HEADER..], aad: &chunk_aad(sha256, n, last) },
        )
        .map_err(|_| refused())
}

#[cfg(test)]
mod tests {
    use flate2::{Compress, FlushCompress};

    use super::*;

    /// A raw deflate stream of `mib` MiB of zeros, about 1 KiB a MiB: one MiB deflated and flushed to
    /// a byte boundary, repeated (its matches reach back only into zeros), then a last empty block.
    fn bomb(mib: usize) -> Vec<u8> {
        let deflate = |input: &[u8], flush| {
            let mut z = Compress::new(Compression::best(), false);
            let mut out = Vec::with_capacity(64 * 1024);
            z.compress_vec(input, &mut out, flush).unwrap();
            assert_eq!(z.total_in(), input.len() as u64);
            out
        };
        let segment = deflate(&vec![0u8; 1024 * 1024], FlushCompress::Sync);
        let mut stream = segment.repeat(mib);
        stream.extend(deflate(&[], FlushCompress::Finish));
        stream
    }

    #[test]
    fn a_deflate_bomb_is_refused_at_the_bound() {
        let stream = bomb(80);
        assert!(stream.len() < 200 * 1024, "the bomb is small: {} bytes", stream.len());
        // The stream is well formed: under a larger bound it inflates to all its zeros.
        assert_eq!(inflate(&bomb(2), 4 << 20).map(|p| p.len()), Ok(2 << 20));

        let key = SpaceKey::generate();
        let space = uuid::Uuid::now_v7();
        let device = Device::generate();
        let mut e = Sealed {
            seq: 7,
            prev_hash: [0; 32],
            hash: [0; 32],
            entry_id: uuid::Uuid::now_v7(),
            author: device.id(),
            epoch: 1,
            kind: 1,
            mac: [0; 32],
            nonce: vec![],
            body: vec![],
            sig: vec![],
        };
        (e.nonce, e.body) = seal_deflated(&key, &entry_aad(&space, &e.entry_id, e.epoch, &e.author), &stream);
        match open(&key, &space, &e) {
            Err(Error::SpaceTampered { seq: 7, reason }) => assert!(reason.contains("past 64 MiB"), "{reason}"),
            other => panic!("a bomb must be refused: {other:?}"),
        }
    }

    #[test]
    fn what_is_not_deflate_is_refused() {
        assert_eq!(inflate(b"\xff\xff\xff not deflate", 1024), Err("the entry's payload does not inflate"));
    }
}
