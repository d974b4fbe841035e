//! Where the copies handed to another program are kept, and for how long (see the scheme in
//! [`super::opening`]'s docs): one private folder per user, a folder per copy inside it, and a sweep
//! that removes the copies once they are [`MAX_AGE`] old.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// How long a copy is kept after it was made. The program it was handed to needs the file while it
/// is open (some read it again, or keep a lock file beside it), so it cannot be removed at once; an
/// hour covers opening and reading it, and the next start of the app or the next copy removes it.
pub const MAX_AGE: Duration = Duration::from_secs(60 * 60);

/// The prefix of each copy's own folder inside the private folder.
const COPY_PREFIX: &str = "copy-";

/// The prefix of the folders earlier versions made in the system's temporary folder, one per copy,
/// and never removed: they are swept too.
const LEGACY_PREFIX: &str = "dossier-view-";

/// The user's private folder for copies, created `0700` if needed: `$XDG_RUNTIME_DIR/dossier-views`
/// where the session has a runtime folder (private to the user, and emptied at logout), otherwise
/// `dossier-views-<uid>` in the system's temporary folder. A folder of that name that is a link,
/// belongs to another user or cannot be made private is refused: another user could have made it
/// first, to read what is put in it.
pub fn private_folder() -> Result<PathBuf> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|dir| is_own_private_dir(dir));
    let dir = match runtime {
        Some(runtime) => runtime.join("dossier-views"),
        None => std::env::temp_dir().join(format!("dossier-views-{}", user_id())),
    };
    match fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(Error::io(&dir, e)),
    }
    let meta = fs::symlink_metadata(&dir).map_err(|e| Error::io(&dir, e))?;
    if !meta.is_dir() || meta.uid() != user_id() {
        return Err(Error::io(
            &dir,
            io::Error::new(
                io::ErrorKind::PermissionDenied,
                "is a link or belongs to another user, so copies are not put there: remove it",
            ),
        ));
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(|e| Error::io(&dir, e))?;
    }
    Ok(dir)
}

/// A new folder for one copy inside the private folder (`0700`), kept until swept.
pub fn new_folder(private: &Path) -> Result<PathBuf> {
    let dir = tempfile::Builder::new()
        .prefix(COPY_PREFIX)
        .permissions(fs::Permissions::from_mode(0o700))
        .tempdir_in(private)
        .map_err(|e| Error::io(private, e))?
        .keep();
    Ok(dir)
}

/// Makes a copy readable and writable by the user only.
pub fn make_private(file: &Path) -> Result<()> {
    fs::set_permissions(file, fs::Permissions::from_mode(0o600)).map_err(|e| Error::io(file, e))
}

/// Removes the copies older than `max_age` from the private folder, and the folders earlier versions
/// left in the system's temporary folder. Best effort: a copy that cannot be removed now is tried
/// again at the next sweep, and opening a file never fails because of it.
pub fn sweep(max_age: Duration) {
    if let Ok(private) = private_folder() {
        sweep_in(&private, COPY_PREFIX, max_age);
    }
    sweep_in(&std::env::temp_dir(), LEGACY_PREFIX, max_age);
}

/// Removes the folders of `dir` named with `prefix`, this user's own, whose last change is older
/// than `max_age`. Links are never followed.
fn sweep_in(dir: &Path, prefix: &str, max_age: Duration) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(entry.path()) else { continue };
        let old = meta.modified().ok().and_then(|at| now.duration_since(at).ok()).is_some_and(|age| age > max_age);
        if meta.is_dir() && meta.uid() == user_id() && old {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether `dir` is a folder (not a link) of this user's that no one else may enter.
fn is_own_private_dir(dir: &Path) -> bool {
    dir.is_absolute()
        && fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && m.uid() == user_id() && m.mode() & 0o077 == 0)
}

/// The effective user id of this process.
fn user_id() -> u32 {
    // SAFETY: geteuid has no preconditions, cannot fail and touches no memory of ours.
    unsafe { libc::geteuid() }
}
