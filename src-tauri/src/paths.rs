//! Which files the page may name. The page never chooses a path on disk by itself: the shell opens the
//! file dialogs (`commands::files`) and receives the files dropped on the window, remembers each path
//! the user gave that way, and every command that reads or writes a file the page names refuses any
//! other path. A compromised page can then reach only files the user picked. `DOSSIER_ALLOWED_DIRS`
//! (folders separated by `:`) also admits paths inside those folders, for automation and tests.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::ApiError;

/// The environment variable naming folders whose files the page may name without a dialog.
pub const ALLOWED_DIRS_ENV: &str = "DOSSIER_ALLOWED_DIRS";

#[derive(Default)]
pub struct Paths {
    granted: Mutex<HashSet<PathBuf>>,
    allowed: Vec<PathBuf>,
}

impl Paths {
    pub fn from_env() -> Paths {
        let allowed = std::env::var_os(ALLOWED_DIRS_ENV)
            .map(|dirs| std::env::split_paths(&dirs).filter_map(|d| d.canonicalize().ok()).collect())
            .unwrap_or_default();
        Paths { granted: Mutex::default(), allowed }
    }

    /// Remembers paths the user gave through a dialog or a drop.
    pub fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        let mut granted = self.granted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        granted.extend(paths);
    }

    /// Refuses a path the user did not give (see the module docs).
    pub fn permit(&self, path: &Path) -> Result<(), ApiError> {
        let granted = self.granted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if granted.contains(path) || self.inside_allowed(path) {
            return Ok(());
        }
        let shown = path.display().to_string();
        Err(dossier_core::Error::rule(
            "path",
            "path_not_chosen",
            shown.clone(),
            format!("'{shown}' was not chosen in a file dialog or dropped on the window: choose it with Browse…"),
        )
        .into())
    }

    fn inside_allowed(&self, path: &Path) -> bool {
        if self.allowed.is_empty() || !path.is_absolute() || path.components().any(|c| c == Component::ParentDir) {
            return false;
        }
        // A file to be written may not exist yet, nor its folder: the nearest folder above it that
        // exists, with links resolved, must be inside an allowed one.
        let Some(existing) = path.ancestors().find(|a| a.exists()) else { return false };
        let Ok(real) = existing.canonicalize() else { return false };
        self.allowed.iter().any(|dir| real.starts_with(dir))
    }
}

#[cfg(test)]
mod tests {
    use super::Paths;

    /// Guards the security review's finding 1: the page names only files the user gave.
    #[test]
    fn only_given_paths_and_allowed_folders_are_admitted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let allowed = dir.path().canonicalize().expect("canonical");
        let paths = Paths { granted: Default::default(), allowed: vec![allowed.clone()] };
        let refused = |p: &std::path::Path| paths.permit(p).expect_err("refused").message;
        assert!(refused(std::path::Path::new("/etc/passwd")).contains("was not chosen in a file dialog"));
        assert!(paths.permit(&allowed.join("new/folder/report.html")).is_ok(), "a new file inside an allowed folder");
        assert!(paths.permit(&allowed.join("../escape")).is_err(), "no way out by ..");
        std::os::unix::fs::symlink("/etc/passwd", allowed.join("link")).expect("link");
        assert!(paths.permit(&allowed.join("link")).is_err(), "a link out of the folder is followed, and refused");
        paths.grant([std::path::PathBuf::from("/home/someone/chosen.eml")]);
        assert!(paths.permit(std::path::Path::new("/home/someone/chosen.eml")).is_ok(), "a path from a dialog");
    }
}
