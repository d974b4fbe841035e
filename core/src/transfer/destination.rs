//! Where an export is written: the file the user named, and never anything else in its place.
//!
//! An export is written whole beside its target and renamed over it (`store::staged`), so a failed
//! export never leaves half a file. Renaming over what the user named replaced it, whatever it was:
//! `dossier export -o /dev/null` run as root destroyed `/dev/null`, and a symbolic link became a
//! regular file. So what the name stands for decides:
//!
//! - nothing there, or a regular file: written whole beside it, then renamed over it, as before;
//! - a character device or a FIFO (`/dev/stdout`, `/dev/null`, a named pipe a script reads): written
//!   through, as the shell's `>` does, since there is no file to keep whole;
//! - a symbolic link: the same rules applied to the file it leads to, written whole beside that file,
//!   so the link stays a link and its target gets the export (what a user who keeps a link to a
//!   synchronised folder expects); a link to nothing is refused, since where it would create a file is
//!   not what the user typed;
//! - anything else (a folder, a block device, a socket) is refused, naming it.

use std::fs::{File, Metadata};
use std::io::Write;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use crate::error::{Error, Result};
use crate::store::staged;

/// Writes `bytes` to the file `path` names, as the module says.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
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
        None => staged::write_whole(path, bytes),
        Some(meta) if is_stream(meta) => write_through(path, bytes),
        Some(meta) if meta.is_file() && link.is_some_and(|l| l.file_type().is_symlink()) => {
            // The file the link leads to, its folder found through every link on the way.
            let real = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
            staged::write_whole(&real, bytes)
        }
        Some(meta) if meta.is_file() => staged::write_whole(path, bytes),
        Some(meta) if meta.is_dir() => Err(refused(path, "is a folder")),
        Some(_) => Err(refused(path, "is a device or a socket, not a file")),
    }
}

/// A character device or a FIFO: a stream with no file to keep whole.
fn is_stream(meta: &Metadata) -> bool {
    meta.file_type().is_char_device() || meta.file_type().is_fifo()
}

/// Writes to the device or FIFO `path` names, checking what was opened (not what was looked at a
/// moment before), so a regular file put there meanwhile is never overwritten in place.
fn write_through(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = File::options().write(true).open(path).map_err(|e| Error::io(path, e))?;
    let opened = file.metadata().map_err(|e| Error::io(path, e))?;
    if !is_stream(&opened) {
        return Err(refused(path, "changed while it was opened"));
    }
    file.write_all(bytes).and_then(|()| file.flush()).map_err(|e| Error::io(path, e))
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
