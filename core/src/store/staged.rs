//! Files written whole: a [`Staged`] file is written under a temporary name in the folder of its
//! target, flushed, then renamed over the target (and the folder flushed), so a reader — or a crash —
//! sees either the old file or the complete new one, never half of one. A staged file that is not
//! committed is removed when dropped.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub(crate) struct Staged {
    file: File,
    path: PathBuf,
    committed: bool,
}

impl Staged {
    /// A new temporary file in the folder `dir`, which must exist. Its name is random and it is created
    /// exclusively (`O_EXCL`), so nothing placed there beforehand, a symlink included, is written through.
    pub(crate) fn new_in(dir: &Path) -> Result<Staged> {
        Staged::with_mode(dir, 0o666)
    }

    /// A new temporary file in `dir` that only its owner can read (mode 0600 from its creation): for a
    /// key.
    pub(crate) fn private_in(dir: &Path) -> Result<Staged> {
        Staged::with_mode(dir, 0o600)
    }

    fn with_mode(dir: &Path, mode: u32) -> Result<Staged> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = dir.join(format!("{PREFIX}{}", super::registry::new_id()));
        let file =
            File::options().write(true).create_new(true).mode(mode).open(&path).map_err(|e| Error::io(&path, e))?;
        // Held until the file is renamed or removed: a staged file nobody holds a lock on was left by a
        // process that died, and [`sweep`] removes it. The file exists for a moment before it is locked;
        // `sweep` leaves files that young alone, so no other process can take it in between.
        file.lock().map_err(|e| Error::io(&path, e))?;
        Ok(Staged { file, path, committed: false })
    }

    /// Where the file is being written.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file and renames it to `target`, then flushes the folder so the rename itself
    /// survives a power cut.
    pub(crate) fn commit(mut self, target: &Path) -> Result<()> {
        self.file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        std::fs::rename(&self.path, target).map_err(|e| Error::io(target, e))?;
        self.committed = true;
        let dir = folder_of(target);
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))
    }

    /// Renames the file to `target` without waiting for the disk: for files worth keeping whole but not
    /// worth a flush (the anchor, rewritten after every write).
    pub(crate) fn commit_unsynced(mut self, target: &Path) -> Result<()> {
        std::fs::rename(&self.path, target).map_err(|e| Error::io(target, e))?;
        self.committed = true;
        Ok(())
    }

    /// Drops the file without committing it (when its content turned out to be already stored).
    pub(crate) fn discard(self) {}
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The prefix of every staged file's name.
const PREFIX: &str = ".incoming-";

/// How old a staged file must be before [`sweep`] considers it. A live process locks its staged file
/// right after creating it; a file younger than this may be one whose lock is not taken yet.
const ORPHAN_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the staged files in `dir` left by processes that died before committing or removing them
/// (a kill in the middle of a copy): those older than a minute that no live process holds the lock
/// of. Returns how many.
pub(crate) fn sweep(dir: &Path) -> Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) || !is_old(&entry) {
            continue;
        }
        let Ok(file) = File::open(&path) else { continue };
        if file.try_lock().is_ok() {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                // Another process's sweep removed it first.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
    }
    Ok(removed)
}

/// Whether a staged file was last written to more than [`ORPHAN_AFTER`] ago (a clock set back makes a
/// file look young, which only delays its removal).
fn is_old(entry: &std::fs::DirEntry) -> bool {
    let modified = entry.metadata().and_then(|m| m.modified());
    modified.is_ok_and(|t| t.elapsed().is_ok_and(|age| age > ORPHAN_AFTER))
}

/// The folder a file named by `path` is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes `bytes` to `path` whole, through a [`Staged`] file beside it.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    stage(path, bytes)?.commit(path)
}

/// [`write_whole`] without waiting for the disk: for files worth keeping whole but not worth a flush
/// (the anchor, rewritten after every write).
pub(crate) fn write_whole_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    stage(path, bytes)?.commit_unsynced(path)
}

/// [`write_whole`] for a file only its owner may read (mode 0600), such as a key.
pub(crate) fn write_whole_private(path: &Path, bytes: &[u8]) -> Result<()> {
    stage_as(path, bytes, Staged::private_in)?.commit(path)
}

/// `bytes` in a staged file beside `path`, ready to take its place.
fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    stage_as(path, bytes, Staged::new_in)
}

fn stage_as(path: &Path, bytes: &[u8], new: fn(&Path) -> Result<Staged>) -> Result<Staged> {
    if path.file_name().is_none() {
        return Err(Error::rule(
            "path",
            "not_a_file",
            path.display().to_string(),
            format!("'{}' names no file", path.display()),
        ));
    }
    let mut staged = new(folder_of(path))?;
    staged.write_all(bytes).map_err(|e| Error::io(path, e))?;
    Ok(staged)
}
