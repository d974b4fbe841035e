//! Which files the page may name, and for what. The page never chooses a path on disk by itself: the
//! shell opens the file dialogs (`commands::files`) and receives the files dropped on the window,
//! remembers each path the user gave that way together with the direction it was given for, and every
//! command that reads or writes a file the page names refuses any other path, or a path given for the
//! other direction. A compromised page can then reach only files the user picked, and only the way the
//! user picked them: a file chosen in the open dialog or dropped on the window is read, never
//! overwritten by an export, and a dropped folder never receives a site's files; only a path chosen in
//! the save dialog, or a folder chosen in the folder dialog (where a production makes its volume), is
//! written. `DOSSIER_ALLOWED_DIRS` (folders separated by `:`) also admits paths
//! inside those folders, both ways, for automation and tests.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::ApiError;

/// The environment variable naming folders whose files the page may name without a dialog.
pub const ALLOWED_DIRS_ENV: &str = "DOSSIER_ALLOWED_DIRS";

/// What a command does with a path the page names, and what a dialog or a drop gave it for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Read only: from the open dialog or a drop (an import, evidence).
    Read,
    /// Written or replaced: from the save dialog (an export, a backup, a hearing bundle), or written
    /// into: from the folder dialog (a production's volume).
    Write,
}

#[derive(Default)]
pub struct Paths {
    granted: Mutex<HashSet<(PathBuf, Access)>>,
    allowed: Vec<PathBuf>,
}

impl Paths {
    pub fn from_env() -> Paths {
        let allowed = std::env::var_os(ALLOWED_DIRS_ENV)
            .map(|dirs| std::env::split_paths(&dirs).filter_map(|d| d.canonicalize().ok()).collect())
            .unwrap_or_default();
        Paths { granted: Mutex::default(), allowed }
    }

    /// Remembers paths the user gave through a dialog or a drop, for `access` only.
    pub fn grant(&self, access: Access, paths: impl IntoIterator<Item = PathBuf>) {
        let mut granted = self.granted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        granted.extend(paths.into_iter().map(|p| (p, access)));
    }

    /// Refuses a path the user did not give for `access` (see the module docs).
    pub fn permit(&self, access: Access, path: &Path) -> Result<(), ApiError> {
        let granted = self.granted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if granted.contains(&(path.to_path_buf(), access)) || self.inside_allowed(path) {
            return Ok(());
        }
        let shown = path.display().to_string();
        let (key, message) = match access {
            Access::Read => (
                "path_not_chosen",
                format!("'{shown}' was not chosen in a file dialog or dropped on the window: choose it with Browse…"),
            ),
            Access::Write => (
                "path_not_chosen_for_writing",
                format!("'{shown}' was not chosen in the save dialog, so it is not written: choose where to write with Browse…"),
            ),
        };
        Err(dossier_core::Error::rule("path", key, shown, message).into())
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
    use std::path::{Path, PathBuf};

    use super::{Access, Paths};

    /// Guards the security review's finding 1: the page names only files the user gave.
    #[test]
    fn only_given_paths_and_allowed_folders_are_admitted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let allowed = dir.path().canonicalize().expect("canonical");
        let paths = Paths { granted: Default::default(), allowed: vec![allowed.clone()] };
        let refused = |p: &Path| paths.permit(Access::Read, p).expect_err("refused").message;
        assert!(refused(Path::new("/etc/passwd")).contains("was not chosen in a file dialog"));
        for access in [Access::Read, Access::Write] {
            assert!(paths.permit(access, &allowed.join("new/folder/report.html")).is_ok(), "inside an allowed folder");
            assert!(paths.permit(access, &allowed.join("../escape")).is_err(), "no way out by ..");
        }
        std::os::unix::fs::symlink("/etc/passwd", allowed.join("link")).expect("link");
        assert!(paths.permit(Access::Read, &allowed.join("link")).is_err(), "a link out of the folder is refused");
        paths.grant(Access::Read, [PathBuf::from("/home/someone/chosen.eml")]);
        assert!(paths.permit(Access::Read, Path::new("/home/someone/chosen.eml")).is_ok(), "a path from a dialog");
    }

    /// Guards the residual of the 2026-12-06 review's old finding 1: a file opened or dropped is not
    /// overwritten by an export, and a dropped folder does not receive a site.
    #[test]
    fn a_path_is_admitted_only_for_the_direction_it_was_given() {
        let paths = Paths::default();
        let opened = PathBuf::from("/home/someone/secrets.csv");
        let dropped_folder = PathBuf::from("/home/someone/Documents");
        let saved = PathBuf::from("/home/someone/report.html");
        paths.grant(Access::Read, [opened.clone(), dropped_folder.clone()]);
        paths.grant(Access::Write, [saved.clone()]);

        assert!(paths.permit(Access::Read, &opened).is_ok());
        let refused = paths.permit(Access::Write, &opened).expect_err("an opened file is not written");
        assert_eq!(refused.key.as_deref(), Some("path_not_chosen_for_writing"));
        assert!(refused.message.contains("save dialog"), "{}", refused.message);
        assert!(paths.permit(Access::Write, &dropped_folder).is_err(), "a dropped folder receives no site");
        assert!(paths.permit(Access::Write, &saved).is_ok());
        let refused = paths.permit(Access::Read, &saved).expect_err("a save path is not read");
        assert_eq!(refused.key.as_deref(), Some("path_not_chosen"));
    }

    /// Every command that takes a path checks it for what it does with it: the commands that write
    /// ask for a path from the save dialog, those that read for one from the open dialog or a drop.
    /// A new command that takes `Paths` must be named here with its direction.
    #[test]
    fn every_command_that_takes_a_path_checks_its_direction() {
        let expected = [
            ("export_case", "Access::Write"),
            ("backup_database", "Access::Write"),
            ("import_file", "Access::Read"),
            ("add_evidence_file", "Access::Read"),
            ("produce_documents", "Access::Write"),
            ("make_hearing_bundle", "Access::Write"),
        ];
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        let mut seen = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("commands folder") {
            let source = std::fs::read_to_string(entry.expect("entry").path()).expect("command source");
            for command in source.split("#[tauri::command]").skip(1) {
                let name = command.split("fn ").nth(1).and_then(|s| s.split(['(', '<']).next()).unwrap_or("");
                if ["choose_file", "choose_save_path", "choose_folder"].contains(&name)
                    || !command.contains("State<'_, Paths>")
                {
                    continue;
                }
                let (_, access) = expected
                    .iter()
                    .find(|(n, _)| *n == name)
                    .unwrap_or_else(|| panic!("{name} takes a path: name its direction in this test"));
                assert!(command.contains(&format!("paths.permit({access}, ")), "{name} must check {access}");
                seen.push(name.to_string());
            }
        }
        seen.sort();
        let mut names: Vec<String> = expected.iter().map(|(n, _)| n.to_string()).collect();
        names.sort();
        assert_eq!(seen, names);
    }
}
