//! Where an export is written: the file the user named, and never anything else in its place.
//!
//! An export is written beside its target, as it is made, and renamed over it once complete
//! (`store::staged`), so a failed or stopped export never leaves half a file: the staged file is
//! removed, and the file the user named is as it was. Renaming over what the user named replaced it,
//! whatever it was:
//! `dossier export -o /dev/null` run as root destroyed `/dev/null`, and a symbolic link became a
//! regular file. So what the name stands for decides:
//!
//! - nothing there, or a regular file: written beside it, then renamed over it;
//! - a character device or a FIFO (`/dev/stdout`, `/dev/null`, a named pipe a script reads): written
//!   through, as the shell's `>` does, since there is no file to keep whole;
//! - a symbolic link: the same rules applied to the file it leads to, written whole beside that file,
//!   so the link stays a link and its target gets the export (what a user who keeps a link to a
//!   synchronised folder expects); a link to nothing is refused, since where it would create a file is
//!   not what the user typed;
//! - anything else (a folder, a block device, a socket) is refused, naming it.

use std::fs::{File, Metadata};
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::staged::{self, Staged};

/// Writes `bytes` to the file `path` names, as the module says.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |out| out.write_all(bytes).map_err(|e| Error::io(path, e))).map(|_| ())
}

/// Writes to the file `path` names, as the module says, what `write` writes to the writer it is
/// handed; returns how many bytes. A regular file is replaced only once `write` has succeeded: when
/// it fails, or is stopped (`cancelled`), what it wrote is removed and the file is as it was. A
/// failure to write is told with `path`.
pub(crate) fn write_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<u64> {
    match place(path)? {
        Place::Staged(target) => {
            if target.file_name().is_none() {
                return Err(refused(path, "names no file"));
            }
            let staged = Staged::new_in(staged::folder_of(&target))?;
            let (staged, written) = fill(path, staged, write)?;
            staged.commit(&target)?;
            Ok(written)
        }
        Place::Stream => {
            let file = open_stream(path)?;
            Ok(fill(path, file, write)?.1)
        }
    }
}

/// Where an export to `path` goes.
enum Place {
    /// A file written beside this one and renamed over it.
    Staged(PathBuf),
    /// A device or a FIFO, written through.
    Stream,
}

/// What `path` stands for, as the module says.
fn place(path: &Path) -> Result<Place> {
    let link = std::fs::symlink_metadata(path).ok();
    let target = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && link.is_none() => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refused(path, "is a symbolic link to nothing"));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    match &target {
        None => Ok(Place::Staged(path.to_path_buf())),
        Some(meta) if is_stream(meta) => Ok(Place::Stream),
        Some(meta) if meta.is_file() && link.is_some_and(|l| l.file_type().is_symlink()) => {
            // The file the link leads to, its folder found through every link on the way.
            Ok(Place::Staged(std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?))
        }
        Some(meta) if meta.is_file() => Ok(Place::Staged(path.to_path_buf())),
        Some(meta) if meta.is_dir() => Err(refused(path, "is a folder")),
        Some(_) => Err(refused(path, "is a device or a socket, not a file")),
    }
}

/// Runs `write` into `out` through a buffer; returns `out` and the bytes written once all of them
/// reached it. On a failure the buffer's rest is dropped, not written, and `out` with it (a staged
/// file is then removed).
fn fill<W: Write>(path: &Path, out: W, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<(W, u64)> {
    let mut buffered = BufWriter::with_capacity(256 * 1024, Counted { out, bytes: 0, failed: None });
    let result = write(&mut buffered);
    let failed = |counted: &mut Counted<W>, e: Error| match counted.failed.take() {
        // The writer's own error does not know the file's name.
        Some(io) => Error::io(path, io),
        None => e,
    };
    if let Err(e) = result {
        let (mut counted, _unwritten) = buffered.into_parts();
        return Err(failed(&mut counted, e));
    }
    match buffered.into_inner() {
        Ok(mut counted) => {
            counted.out.flush().map_err(|e| Error::io(path, e))?;
            Ok((counted.out, counted.bytes))
        }
        Err(e) => Err(Error::io(path, e.into_error())),
    }
}

/// A writer counting what reached it and keeping a copy of its first failure.
struct Counted<W> {
    out: W,
    bytes: u64,
    failed: Option<std::io::Error>,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.out.write(buf) {
            Ok(n) => {
                self.bytes += n as u64;
                Ok(n)
            }
            Err(e) => {
                if self.failed.is_none() && e.kind() != std::io::ErrorKind::Interrupted {
                    self.failed = Some(std::io::Error::new(e.kind(), e.to_string()));
                }
                Err(e)
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A character device or a FIFO: a stream with no file to keep whole.
fn is_stream(meta: &Metadata) -> bool {
    meta.file_type().is_char_device() || meta.file_type().is_fifo()
}

/// Opens the device or FIFO `path` names to write through, checking what was opened (not what was
/// looked at a moment before), so a regular file put there meanwhile is never overwritten in place.
fn open_stream(path: &Path) -> Result<File> {
    let file = File::options().write(true).open(path).map_err(|e| Error::io(path, e))?;
    let opened = file.metadata().map_err(|e| Error::io(path, e))?;
    if !is_stream(&opened) {
        return Err(refused(path, "changed while it was opened"));
    }
    Ok(file)
}

fn refused(path: &Path, why: &str) -> Error {
    Error::rule(
        "path",
        "not_a_file",
        path.display().to_string(),
        format!(
            "'{}' {why}: an export is written only to a file, a device such as /dev/stdout, or a FIFO",
            path.display()
        ),
    )
}
