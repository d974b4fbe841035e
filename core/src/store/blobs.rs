//! The content-addressed evidence store: each file is kept once, named by its SHA-256, at
//! `<files>/ab/abcdef…` beside the database, never under the user's own file name. A file is hashed
//! while it is copied, and takes its name only once the copy is complete and flushed, so a crash
//! never leaves a half-written file under a real hash and the database never names a missing file.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::staged::Staged;
use crate::error::{Error, Result};

/// Whether `sha256` is a SHA-256 as the store names files: 64 lower-case hexadecimal digits.
pub fn is_sha256(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the file with this SHA-256 lives in the store `files`; an invalid hash names no file.
pub fn path(files: &Path, sha256: &str) -> Result<PathBuf> {
    if !is_sha256(sha256) {
        return Err(Error::internal(format!("'{}' is not a SHA-256", crate::input::shorten(sha256))));
    }
    Ok(files.join(&sha256[..2]).join(sha256))
}

/// Copies `reader` into a staged file in `dir`, hashing it on the way; returns the staged copy, its
/// SHA-256 and its size. `source` names what is read in errors.
fn copy_hashing(mut reader: impl Read, source: &Path, dir: &Path) -> Result<(Staged, String, u64)> {
    let mut staged = Staged::new_in(dir)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| Error::io(source, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        staged.write_all(&buf[..n])?;
        size += n as u64;
    }
    Ok((staged, format!("{:x}", hasher.finalize()), size))
}

/// Copies `reader` (read from `source`) into the store `files`; returns its SHA-256 and size. Content
/// already in the store is kept once.
pub(crate) fn put(files: &Path, reader: impl Read, source: &Path) -> Result<(String, u64)> {
    std::fs::create_dir_all(files).map_err(|e| Error::io(files, e))?;
    let (staged, sha, size) = copy_hashing(reader, source, files)?;
    let target = path(files, &sha)?;
    if target.exists() {
        staged.discard();
    } else {
        let parent = target.parent().unwrap_or(files);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        staged.commit(&target)?;
    }
    Ok((sha, size))
}

/// Copies the file `source` to `target`, which takes the name only when the content's SHA-256 is
/// `sha256`, so a damaged or altered file never lands under a hash it does not have. Used both ways:
/// from a bundle folder into the store, and from the store into a bundle folder. `missing` is the
/// error for a source that is not there.
pub(crate) fn copy_verified(source: &Path, target: &Path, sha256: &str, missing: impl FnOnce() -> Error) -> Result<()> {
    let input = match std::fs::File::open(source) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        Err(e) => return Err(Error::io(source, e)),
    };
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let (staged, actual, _) = copy_hashing(input, source, dir)?;
    if actual != sha256 {
        return Err(Error::rule(
            "files",
            "hash_mismatch",
            sha256.to_string(),
            format!("evidence file {sha256} does not match its SHA-256: {} hashes to {actual}", source.display()),
        ));
    }
    staged.commit(target)
}
