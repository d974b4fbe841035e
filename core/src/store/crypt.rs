//! The keys of an encrypted database, and the encryption of its evidence files.
//!
//! - **The data key** is 32 random bytes. Three keys are derived from it with HKDF-SHA256: SQLCipher's
//!   raw key (the database, its WAL and its search index, page by page), the key that encrypts evidence
//!   files, and the key that names them.
//! - **The key file** (`<database>.key`, beside the database) holds the data key wrapped
//!   (XChaCha20-Poly1305) by a key derived from the passphrase with Argon2id, whose parameters and salt
//!   it stores. Changing the passphrase rewrites this small file, nothing else. Without it the database
//!   cannot be opened: it is part of the database, as the evidence folder is.
//! - **Evidence files** are encrypted with XChaCha20-Poly1305 in the STREAM construction (chunks of
//!   64 KiB, each authenticated, the last one marked, so a changed, reordered or cut chunk is refused on
//!   read); a reader also hashes what it decrypts and refuses, at the end, content whose SHA-256 is
//!   not the one asked for, so one file put under another's name does not read either. Memory stays at
//!   one chunk whatever the file's size. A file is named by an HMAC of its SHA-256, so a name does not
//!   tell which known file is present; the SHA-256 itself stays inside the encrypted database, for
//!   citation and checks.
//!
//! Keys and passphrases live in [`zeroize::Zeroizing`] buffers and are never written anywhere but in
//! wrapped form.

use std::io::{self, Read, Seek, SeekFrom, Write};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A passphrase, wiped from memory when dropped.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// A passphrase as typed; the one line end a file or a prompt adds is not part of it.
    pub fn new(text: &str) -> Result<Passphrase> {
        let text = text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(text);
        if text.is_empty() {
            return Err(Error::rule("passphrase", "required", None, "is required"));
        }
        Ok(Passphrase(Zeroizing::new(text.to_string())))
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// How hard the passphrase's key derivation is (Argon2id). Stored in the key file, so a database keeps
/// opening with the parameters it was encrypted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// About half a second on the machine Dossier is built and tested on (measured: `dossier case list`
    /// on an encrypted database takes 0.51 s, 0.05 s of it not the derivation), and 128 MiB of memory,
    /// which a laptop has to spare for a moment. Memory is what makes guessing on graphics cards dear.
    fn default() -> Self {
        KdfParams { memory_kib: 131072, iterations: 6, parallelism: 1 }
    }
}

/// The key file: the wrapped data key and how to unwrap it.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    version: u32,
    kdf: KdfRecord,
    wrapped_key: Wrapped,
}

#[derive(Serialize, Deserialize)]
struct KdfRecord {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct Wrapped {
    algorithm: String,
    nonce: String,
    ciphertext: String,
}

const KEY_FORMAT: &str = "dossier-key";
/// Version 2 binds the derivation's record (algorithm, parameters, salt) to the wrapped key; version 1
/// files are still read.
const KEY_VERSION: u32 = 2;
/// Binds a wrapped key to what it is: it cannot be taken for anything else.
const WRAP_AAD_V1: &[u8] = b"dossier-key/1";

/// The most a key file may ask of the derivation: the parameters are read from a file anyone who can
/// write the folder can change, so they are bounded before any memory is taken or time spent (a
/// crafted file asked for 32 GiB and aborted, or 4 billion passes and hung). Dossier writes 128 MiB
/// and 6 passes; these leave room for much stronger settings.
const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_PARALLELISM: u32 = 16;
const MIN_SALT: usize = 16;

/// What the wrap of a version-2 key file authenticates besides the key: the derivation's record, so
/// that no field of it can be changed without the passphrase failing.
fn wrap_aad(version: u32, kdf: &KdfRecord) -> Vec<u8> {
    if version == 1 {
        return WRAP_AAD_V1.to_vec();
    }
    let p = &kdf.params;
    format!("dossier-key/2|{}|{}|{}|{}|{}", kdf.algorithm, p.memory_kib, p.iterations, p.parallelism, kdf.salt)
        .into_bytes()
}

/// Refuses derivation parameters outside the bounds above, before deriving anything.
fn bounded(p: KdfParams, salt: &[u8]) -> Result<()> {
    let out = |what: String| {
        Error::Locked(format!(
            "the key file asks for {what}, beyond what Dossier allows: it was not written by Dossier"
        ))
    };
    if p.memory_kib > MAX_MEMORY_KIB {
        return Err(out(format!("{} KiB of memory (at most {MAX_MEMORY_KIB})", p.memory_kib)));
    }
    if p.iterations == 0 || p.iterations > MAX_ITERATIONS {
        return Err(out(format!("{} passes (1 to {MAX_ITERATIONS})", p.iterations)));
    }
    if p.parallelism == 0 || p.parallelism > MAX_PARALLELISM {
        return Err(out(format!("{} lanes (1 to {MAX_PARALLELISM})", p.parallelism)));
    }
    if salt.len() < MIN_SALT {
        return Err(out(format!("a salt of {} bytes (at least {MIN_SALT})", salt.len())));
    }
    Ok(())
}

/// 32 random bytes from the operating system, for a key.
pub(crate) fn random_key() -> Zeroizing<[u8; 32]> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    bytes.copy_from_slice(&XChaCha20Poly1305::generate_key(&mut OsRng));
    bytes
}

/// HMAC-SHA256 of `message` under `key`, in hex (HKDF's extract step is exactly that HMAC).
pub(crate) fn mac(key: &[u8], message: &[u8]) -> String {
    let (mac, _) = Hkdf::<Sha256>::extract(Some(key), message);
    hex(&mac)
}

/// The data key of an encrypted database.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub(crate) fn random() -> DataKey {
        DataKey(random_key())
    }

    fn derive(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        // HKDF-Expand of 32 bytes from a 32-byte key cannot fail.
        let _ = Hkdf::<Sha256>::new(None, self.0.as_slice()).expand(purpose.as_bytes(), out.as_mut_slice());
        out
    }

    /// SQLCipher's raw key, as `PRAGMA key` takes it: `x'…'`.
    pub(crate) fn sqlcipher_key(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex(self.derive("dossier/1/database").as_slice())))
    }

    /// The key that seals the change log's entries of this database (see `seal`).
    pub(crate) fn log_key(&self) -> Zeroizing<[u8; 32]> {
        self.derive("dossier/1/log")
    }

    pub(crate) fn blob_keys(&self) -> BlobKeys {
        BlobKeys {
            encrypt: self.derive("dossier/1/evidence-encryption"),
            name: self.derive("dossier/1/evidence-names"),
        }
    }

    /// The key file text for this key under `passphrase`.
    pub(crate) fn wrap(&self, passphrase: &Passphrase, params: KdfParams) -> Result<String> {
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        bounded(params, &salt)?;
        let kek = derive_kek(passphrase, &salt, params)?;
        let cipher = XChaCha20Poly1305::new(kek.as_slice().into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let kdf = KdfRecord { algorithm: "argon2id".into(), params, salt: hex(&salt) };
        let aad = wrap_aad(KEY_VERSION, &kdf);
        let ciphertext = cipher
            .encrypt(&nonce, Payload { msg: self.0.as_slice(), aad: &aad })
            .map_err(|_| Error::internal("the data key could not be wrapped"))?;
        let file = KeyFile {
            format: KEY_FORMAT.into(),
            version: KEY_VERSION,
            kdf,
            wrapped_key: Wrapped {
                algorithm: "xchacha20poly1305".into(),
                nonce: hex(&nonce),
                ciphertext: hex(&ciphertext),
            },
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| Error::internal(format!("key file: {e}")))?;
        text.push('\n');
        Ok(text)
    }

    /// The data key a key file holds, unwrapped with `passphrase`.
    pub(crate) fn unwrap(key_file: &str, passphrase: &Passphrase) -> Result<DataKey> {
        let damaged = |why: &str| Error::Locked(format!("the key file is damaged: {why}"));
        let file: KeyFile = serde_json::from_str(key_file).map_err(|e| damaged(&e.to_string()))?;
        if file.format != KEY_FORMAT || !(1..=KEY_VERSION).contains(&file.version) || file.kdf.algorithm != "argon2id" {
            return Err(damaged("not a Dossier key file of a version this Dossier reads"));
        }
        let salt = unhex(&file.kdf.salt).ok_or_else(|| damaged("bad salt"))?;
        bounded(file.kdf.params, &salt)?;
        let aad = wrap_aad(file.version, &file.kdf);
        let nonce = unhex(&file.wrapped_key.nonce).filter(|n| n.len() == 24).ok_or_else(|| damaged("bad nonce"))?;
        let ciphertext = unhex(&file.wrapped_key.ciphertext).ok_or_else(|| damaged("bad wrapped key"))?;
        let kek = derive_kek(passphrase, &salt, file.kdf.params)?;
        let cipher = XChaCha20Poly1305::new(kek.as_slice().into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(nonce.as_slice().into(), Payload { msg: &ciphertext, aad: &aad })
                .map_err(|_| Error::Locked("wrong passphrase".into()))?,
        );
        let mut key = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            return Err(damaged("the wrapped key has the wrong length"));
        }
        key.copy_from_slice(&plain);
        Ok(DataKey(key))
    }
}

fn derive_kek(passphrase: &Passphrase, salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32))
        .map_err(|e| Error::Locked(format!("the key file's Argon2 parameters are not usable: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.bytes(), salt, out.as_mut_slice())
        .map_err(|e| Error::internal(format!("key derivation failed: {e}")))?;
    Ok(out)
}

/// The two keys of the evidence files.
#[derive(Clone)]
pub(crate) struct BlobKeys {
    encrypt: Zeroizing<[u8; 32]>,
    name: Zeroizing<[u8; 32]>,
}

/// Start of every encrypted evidence file, and its version.
/// Version 1 files hold the content as it is; version 2 files pad it (see [`padded_length`]), so the
/// stored size tells a file's size only within a few per cent. Both are read.
const BLOB_MAGIC: &[u8; 8] = b"DSRBLOB2";
const BLOB_MAGIC_V1: &[u8; 8] = b"DSRBLOB1";
/// The header: the magic and STREAM's nonce prefix.
const HEADER: u64 = (8 + NONCE_PREFIX) as u64;

/// How long the padded plaintext of a file of `content` bytes is: the content, zeros, then the content's
/// length (8 bytes, big-endian), `content + 8` rounded up as Padmé does (Nikitin et al., 2019: the
/// low bits of the length are zeroed, at most about 12 % more, so a stored size fits many contents),
/// and nudged so that the last chunk holds the whole length field.
pub(crate) fn padded_length(content: u64) -> u64 {
    let l = content + 8;
    let e = 63 - u64::from(l.leading_zeros());
    let s = 64 - u64::from(e.leading_zeros());
    let mask = (1u64 << e.saturating_sub(s)) - 1;
    let mut total = (l + mask) & !mask;
    let tail = total % CHUNK as u64;
    if tail < 8 {
        total += 8 - tail;
    }
    total
}
/// Plaintext bytes per chunk; a chunk on disk is 16 bytes longer (its tag).
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
/// STREAM's nonce prefix for XChaCha20-Poly1305: the 24-byte nonce less STREAM's 5-byte counter.
const NONCE_PREFIX: usize = 19;

impl BlobKeys {
    /// The name of the stored file whose content has this SHA-256: HMAC-SHA256 of it under the naming
    /// key, in hex. (HKDF's extract step is exactly that HMAC, with the key as its salt.)
    pub(crate) fn name(&self, sha256: &str) -> String {
        let (mac, _) = Hkdf::<Sha256>::extract(Some(self.name.as_slice()), sha256.as_bytes());
        hex(&mac)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.encrypt.as_slice().into())
    }

    /// An encrypting writer over `out`: what is written to it lands in `out` encrypted.
    pub(crate) fn writer<W: Write>(&self, mut out: W) -> io::Result<BlobWriter<W>> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        out.write_all(BLOB_MAGIC)?;
        out.write_all(&nonce[..NONCE_PREFIX])?;
        let stream = EncryptorBE32::from_aead(self.cipher(), nonce[..NONCE_PREFIX].into());
        Ok(BlobWriter { out, stream: Some(stream), pending: Vec::with_capacity(CHUNK), content: 0 })
    }

    /// A decrypting reader over the stored file `input`, whose content must have this SHA-256.
    pub(crate) fn reader<R: Read + Seek>(&self, mut input: R, sha256: &str) -> io::Result<BlobReader<R>> {
        let mut head = [0u8; 8 + NONCE_PREFIX];
        input.read_exact(&mut head).map_err(|_| altered())?;
        let left = match &head[..8] {
            m if m == BLOB_MAGIC => Some(self.content_length(&mut input, &head[8..])?),
            m if m == BLOB_MAGIC_V1 => None,
            _ => return Err(altered()),
        };
        let stream = DecryptorBE32::from_aead(self.cipher(), head[8..].into());
        Ok(BlobReader {
            input,
            stream: Some(stream),
            plain: Vec::new(),
            at: 0,
            hasher: Sha256::new(),
            expected: sha256.to_string(),
            left,
        })
    }

    /// The content length a padded file records in its last chunk, which is decrypted (and so
    /// authenticated) on its own first; the input is left just after the header.
    fn content_length<R: Read + Seek>(&self, input: &mut R, prefix: &[u8]) -> io::Result<u64> {
        let body = input.seek(SeekFrom::End(0))?.checked_sub(HEADER).ok_or_else(altered)?;
        let sealed_chunk = (CHUNK + TAG) as u64;
        let last = body / sealed_chunk;
        let mut sealed = vec![0u8; usize::try_from(body - last * sealed_chunk).map_err(|_| altered())?];
        input.seek(SeekFrom::Start(HEADER + last * sealed_chunk))?;
        input.read_exact(&mut sealed)?;
        // STREAM's nonce for chunk `last`, marked last: the prefix, the counter (big-endian), 1.
        let mut nonce = [0u8; 24];
        nonce[..NONCE_PREFIX].copy_from_slice(prefix);
        nonce[NONCE_PREFIX..NONCE_PREFIX + 4]
            .copy_from_slice(&u32::try_from(last).map_err(|_| altered())?.to_be_bytes());
        nonce[23] = 1;
        let plain = Zeroizing::new(self.cipher().decrypt((&nonce).into(), sealed.as_slice()).map_err(|_| altered())?);
        let field: [u8; 8] =
            plain.get(plain.len().saturating_sub(8)..).and_then(|f| f.try_into().ok()).ok_or_else(altered)?;
        let content = u64::from_be_bytes(field);
        let total = last * CHUNK as u64 + plain.len() as u64;
        if content.checked_add(8).is_none_or(|c| c > total) {
            return Err(altered());
        }
        input.seek(SeekFrom::Start(HEADER))?;
        Ok(content)
    }
}

fn altered() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the encrypted evidence file has been altered or is not this evidence")
}

/// Encrypts what is written to it, a chunk at a time.
pub(crate) struct BlobWriter<W: Write> {
    out: W,
    stream: Option<EncryptorBE32<XChaCha20Poly1305>>,
    pending: Vec<u8>,
    /// Bytes of content written so far.
    content: u64,
}

impl<W: Write> Write for BlobWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.content += buf.len() as u64;
        self.seal(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> BlobWriter<W> {
    /// Adds `buf` to the stream, sealing each chunk once it is full and more comes.
    fn seal(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        let written = buf.len();
        while !buf.is_empty() {
            let room = CHUNK - self.pending.len();
            let take = room.min(buf.len());
            self.pending.extend_from_slice(&buf[..take]);
            buf = &buf[take..];
            // A full chunk is sealed only once more data comes: the last chunk is always shorter than
            // a full one (possibly empty), which is how a reader knows it is the last.
            if self.pending.len() == CHUNK && !buf.is_empty() {
                self.seal_pending()?;
            }
        }
        Ok(written)
    }

    fn seal_pending(&mut self) -> io::Result<()> {
        let stream = self.stream.as_mut().ok_or_else(|| io::Error::other("blob writer already finished"))?;
        let sealed = stream.encrypt_next(self.pending.as_slice()).map_err(|_| io::Error::other("encryption failed"))?;
        self.out.write_all(&sealed)?;
        self.pending.clear();
        Ok(())
    }

    /// Pads the content (zeros, then its length: see [`padded_length`]), seals the last chunk and gives
    /// back the underlying writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let mut zeros = padded_length(self.content) - self.content - 8;
        let block = [0u8; 4096];
        while zeros > 0 {
            let n = zeros.min(block.len() as u64) as usize;
            self.seal(&block[..n])?;
            zeros -= n as u64;
        }
        self.seal(&self.content.to_be_bytes())?;
        if self.pending.len() == CHUNK {
            self.seal_pending()?;
        }
        let stream = self.stream.take().ok_or_else(|| io::Error::other("blob writer already finished"))?;
        let sealed = stream.encrypt_last(self.pending.as_slice()).map_err(|_| io::Error::other("encryption failed"))?;
        self.out.write_all(&sealed)?;
        Ok(self.out)
    }
}

/// Decrypts a stored file as it is read, refusing any chunk that does not authenticate.
pub(crate) struct BlobReader<R: Read> {
    input: R,
    stream: Option<DecryptorBE32<XChaCha20Poly1305>>,
    plain: Vec<u8>,
    at: usize,
    hasher: Sha256,
    expected: String,
    /// Of a padded file, the content still to come (what follows is padding).
    left: Option<u64>,
}

impl<R: Read> BlobReader<R> {
    /// Keeps of a decrypted chunk only the content (a padded file's padding is dropped) and hashes it.
    fn keep(&mut self, mut plain: Vec<u8>) {
        if let Some(left) = self.left.as_mut() {
            plain.truncate(usize::try_from(*left).unwrap_or(usize::MAX).min(plain.len()));
            *left -= plain.len() as u64;
        }
        self.hasher.update(&plain);
        self.plain = plain;
    }

    fn next_chunk(&mut self) -> io::Result<()> {
        let Some(mut stream) = self.stream.take() else { return Ok(()) };
        let mut sealed = vec![0u8; CHUNK + TAG];
        let mut filled = 0;
        while filled < sealed.len() {
            match self.input.read(&mut sealed[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        sealed.truncate(filled);
        self.at = 0;
        if filled == CHUNK + TAG {
            let plain = stream.decrypt_next(sealed.as_slice()).map_err(|_| altered())?;
            self.keep(plain);
            self.stream = Some(stream);
        } else if filled >= TAG {
            let plain = stream.decrypt_last(sealed.as_slice()).map_err(|_| altered())?;
            self.keep(plain);
            // The whole content is read: it must be the content asked for.
            if hex(&std::mem::take(&mut self.hasher).finalize()) != self.expected {
                return Err(altered());
            }
        } else {
            // Cut short: the marked last chunk is missing.
            return Err(altered());
        }
        Ok(())
    }
}

impl<R: Read> Read for BlobReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.plain.len() {
            if self.stream.is_none() {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let n = buf.len().min(self.plain.len() - self.at);
        buf[..n].copy_from_slice(&self.plain[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}
