//! The content-addressed evidence store: each file is kept once, under `<files>/ab/abcdef…` beside the
//! database, never under the user's own file name. A file is hashed while it is copied in, and takes
//! its name only once the copy is complete and flushed, so a crash never leaves a half-written file
//! under a real name and the database never names a missing file.
//!
//! In a plaintext database a file is named by its SHA-256 and stored as it is. In an encrypted one
//! (`crypt`) it is stored encrypted and named by an HMAC of its SHA-256; everything that reads or
//! writes evidence files goes through [`Blobs`], so no other code knows which.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::crypt::{hex, BlobKeys};
use super::staged::Staged;
use crate::error::{Error, Result};

/// Whether `sha256` is a SHA-256 as the store names files: 64 lower-case hexadecimal digits.
pub fn is_sha256(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What a stored evidence file was found to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobState {
    Intact,
    Missing,
    /// Its content is not the content of its hash: why.
    Altered(String),
}

/// Opens `source` for reading only if it is a regular file: never through a symlink, and never a
/// device or a pipe (opened without blocking, then checked).
fn open_regular(source: &Path, missing: impl FnOnce() -> Error) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let refused = || {
        Error::rule(
            "files",
            "not_a_regular_file",
            source.display().to_string(),
            format!("{} is not a regular file (a link, a device or a pipe): refused", source.display()),
        )
    };
    match std::fs::symlink_metadata(source) {
        Ok(meta) if meta.file_type().is_file() => {}
        Ok(_) => return Err(refused()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing()),
        Err(e) => return Err(Error::io(source, e)),
    }
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(source)
        .map_err(|e| if e.raw_os_error() == Some(libc::ELOOP) { refused() } else { Error::io(source, e) })?;
    if !file.metadata().map_err(|e| Error::io(source, e))?.is_file() {
        return Err(refused());
    }
    Ok(file)
}

/// The evidence store of one database (a clone reads the same files, for work done outside the store's
/// lock: reading a document's text).
pub struct Blobs {
    dir: PathBuf,
    keys: Option<BlobKeys>,
    /// The files put into the store and not flushed to disk yet, while [`Blobs::flushed_at_once`] runs.
    unflushed: RefCell<Option<Vec<PathBuf>>>,
}

impl Clone for Blobs {
    /// The same store; files its original has not flushed yet are the original's to flush.
    fn clone(&self) -> Blobs {
        Blobs::new(self.dir.clone(), self.keys.clone())
    }
}

/// Flushes the files `kept` in the store at `dir`, their data and their names, to disk.
#[cfg(target_os = "linux")]
fn flush_all(dir: &Path, _kept: &[PathBuf]) -> Result<()> {
    use std::os::fd::AsRawFd;
    let folder = File::open(dir).map_err(|e| Error::io(dir, e))?;
    // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open for the call.
    if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
        return Err(Error::io(dir, io::Error::last_os_error()));
    }
    Ok(())
}

/// Flushes the files `kept` in the store at `dir`, their data and their names, to disk.
#[cfg(not(target_os = "linux"))]
fn flush_all(dir: &Path, kept: &[PathBuf]) -> Result<()> {
    let mut folders = std::collections::BTreeSet::new();
    for file in kept {
        File::open(file).and_then(|f| f.sync_all()).map_err(|e| Error::io(file, e))?;
        folders.insert(file.parent().unwrap_or(dir).to_path_buf());
    }
    for folder in folders {
        File::open(&folder).and_then(|d| d.sync_all()).map_err(|e| Error::io(&folder, e))?;
    }
    Ok(())
}

/// Copies `reader` to `out` while hashing it; returns the SHA-256 and the size. `source` names what is
/// read in errors, `target` what is written.
fn copy_hashing(mut reader: impl Read, mut out: impl Write, source: &Path, target: &Path) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| Error::io(source, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(target, e))?;
        size += n as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

impl Blobs {
    pub(crate) fn new(dir: PathBuf, keys: Option<BlobKeys>) -> Blobs {
        Blobs { dir, keys, unflushed: RefCell::new(None) }
    }

    /// The folder of the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The keys files are encrypted and named with, when they are.
    pub(crate) fn keys(&self) -> Option<&BlobKeys> {
        self.keys.as_ref()
    }

    /// Whether files are stored encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.keys.is_some()
    }

    /// Where the file with this SHA-256 is stored; an invalid hash names no file.
    pub fn path(&self, sha256: &str) -> Result<PathBuf> {
        if !is_sha256(sha256) {
            return Err(Error::internal(format!("'{}' is not a SHA-256", crate::input::shorten(sha256))));
        }
        let name = match &self.keys {
            Some(keys) => keys.name(sha256),
            None => sha256.to_string(),
        };
        Ok(self.dir.join(&name[..2]).join(name))
    }

    /// Removes the stored file with this SHA-256 (an erasure, once no evidence names it); a file
    /// already gone is no error.
    pub(crate) fn remove(&self, sha256: &str) -> Result<()> {
        let path = self.path(sha256)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Whether the store holds the file with this SHA-256.
    pub fn contains(&self, sha256: &str) -> bool {
        self.path(sha256).is_ok_and(|p| p.is_file())
    }

    /// Writes `reader` into a staged file in the store, encrypting it when the store is; returns the
    /// staged file, the content's SHA-256 and size.
    fn stage(&self, reader: impl Read, source: &Path) -> Result<(Staged, String, u64)> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let mut staged = Staged::new_in(&self.dir)?;
        let target = staged.path().to_path_buf();
        let (sha, size) = match &self.keys {
            None => copy_hashing(reader, &mut staged, source, &target)?,
            Some(keys) => {
                let mut writer = keys.writer(&mut staged).map_err(|e| Error::io(&target, e))?;
                let found = copy_hashing(reader, &mut writer, source, &target)?;
                writer.finish().map_err(|e| Error::io(&target, e))?;
                found
            }
        };
        Ok((staged, sha, size))
    }

    /// Gives a staged file the name of the content it holds, unless the store has it already, intact.
    /// A stored copy that was altered or damaged is replaced: adding the original again repairs it.
    fn keep(&self, staged: Staged, sha: &str) -> Result<()> {
        let target = self.path(sha)?;
        if target.exists() && self.state(sha)? == BlobState::Intact {
            staged.discard();
            return Ok(());
        }
        let parent = target.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        match self.unflushed.borrow_mut().as_mut() {
            Some(unflushed) => {
                staged.commit_unsynced(&target)?;
                unflushed.push(target);
                Ok(())
            }
            None => staged.commit(&target),
        }
    }

    /// Runs `put`, in which the files put into the store are named as usual but not flushed to disk
    /// one by one, then flushes them all at once (on Linux, one `syncfs` of the store's file system,
    /// rather than two `fsync`s a file: for the twenty thousand messages of a mailbox, most of the
    /// import's time). What `put` returns is only returned once its files are on disk, so the write
    /// that names them still comes after. A file left unflushed by a crash is one no record names,
    /// and adding its content again replaces it if it was cut short.
    pub(crate) fn flushed_at_once<T>(&self, put: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.unflushed.borrow().is_some() {
            return put();
        }
        *self.unflushed.borrow_mut() = Some(Vec::new());
        let out = put();
        let kept = self.unflushed.borrow_mut().take().unwrap_or_default();
        let out = out?;
        if !kept.is_empty() {
            flush_all(&self.dir, &kept)?;
        }
        Ok(out)
    }

    /// Copies `reader` (read from `source`) into the store; returns its SHA-256 and size. Content
    /// already in the store is kept once.
    pub(crate) fn put(&self, reader: impl Read, source: &Path) -> Result<(String, u64)> {
        let (staged, sha, size) = self.stage(reader, source)?;
        self.keep(staged, &sha)?;
        Ok((sha, size))
    }

    /// Copies the plain file `source` (a bundle's) into the store, which keeps it only when it has
    /// `size` bytes and the SHA-256 `sha256` (a damaged or altered file never lands under a hash it does
    /// not have). Only a regular file is read: a symlink (which could pull in any local file whose hash
    /// is known), a device (`/dev/zero` never ends) or a pipe (which never answers) is refused before it
    /// is opened, and no more than `size` bytes are read. `missing` is the error for a source that is
    /// not there.
    pub(crate) fn put_verified(
        &self,
        source: &Path,
        sha256: &str,
        size: u64,
        missing: impl FnOnce() -> Error,
    ) -> Result<()> {
        let input = open_regular(source, missing)?;
        let found = input.metadata().map_err(|e| Error::io(source, e))?.len();
        if found != size {
            return Err(Error::rule(
                "files",
                "size_mismatch",
                size.to_string(),
                format!("the bundle says {size} bytes but {} has {found}", source.display()),
            ));
        }
        let (staged, actual, copied) = self.stage(BufReader::new(input).take(size + 1), source)?;
        if copied != size || actual != sha256 {
            return Err(mismatch(sha256, source, &actual));
        }
        self.keep(staged, sha256)
    }

    /// Whether the file with this SHA-256 is in the store and whole: read to the end, decrypted and
    /// authenticated when the store is encrypted, and hashed.
    pub fn state(&self, sha256: &str) -> Result<BlobState> {
        let path = self.path(sha256)?;
        if !path.is_file() {
            return Ok(BlobState::Missing);
        }
        let mut hasher = Sha256::new();
        let mut reader = self.open(sha256)?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(BlobState::Altered(e.to_string())),
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        let actual = hex(&hasher.finalize());
        Ok(if actual == sha256 {
            BlobState::Intact
        } else {
            BlobState::Altered(format!("its content hashes to {actual}"))
        })
    }

    /// The content of the file with this SHA-256, read (and decrypted, and checked) as it is read.
    pub(crate) fn open(&self, sha256: &str) -> Result<Box<dyn Read + Send>> {
        let path = self.path(sha256)?;
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        Ok(match &self.keys {
            None => Box::new(BufReader::new(file)),
            Some(keys) => Box::new(keys.reader(BufReader::new(file), sha256).map_err(|e| Error::io(&path, e))?),
        })
    }

    /// Writes the plain content of the file with this SHA-256 to `target` (a file outside the store),
    /// whole and checked against the hash. `missing` is the error for a file the store does not have.
    pub(crate) fn copy_out(&self, sha256: &str, target: &Path, missing: impl FnOnce() -> Error) -> Result<()> {
        if !self.contains(sha256) {
            return Err(missing());
        }
        let source = self.path(sha256)?;
        let dir = super::staged::folder_of(target);
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut staged = Staged::new_in(dir)?;
        let (actual, _) = copy_hashing(self.open(sha256)?, &mut staged, &source, target)?;
        if actual != sha256 {
            return Err(mismatch(sha256, &source, &actual));
        }
        staged.commit(target)
    }

    /// The size of the content of the file with this SHA-256 (for an encrypted file, less its headers
    /// and tags), or `None` when the store does not have it.
    pub(crate) fn size(&self, sha256: &str) -> Result<Option<u64>> {
        let path = self.path(sha256)?;
        let stored = match std::fs::metadata(&path) {
            Ok(meta) => meta.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let Some(keys) = &self.keys else { return Ok(Some(stored)) };
        // A padded file's size is only in its sealed content: it is read through (and so checked).
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let size = keys.reader(BufReader::new(file), sha256).and_then(|mut r| io::copy(&mut r, &mut io::sink()));
        size.map(Some).map_err(|e| Error::io(&path, e))
    }
}

fn mismatch(sha256: &str, source: &Path, actual: &str) -> Error {
    Error::rule(
        "files",
        "hash_mismatch",
        sha256.to_string(),
        format!("evidence file {sha256} does not match its SHA-256: {} hashes to {actual}", source.display()),
    )
}
