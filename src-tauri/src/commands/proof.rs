//! Proof commands: checking that the record is as Dossier wrote it, a record's history, backups, and
//! erasing a record for real.

use std::path::PathBuf;

use dossier_core::care::backup::{self, BackupReport};
use dossier_core::care::check::{self, CheckReport};
use dossier_core::care::erase::{self, EraseInput, EraseReport};
use dossier_core::view::history::{self, Change};
use tauri::State;

use crate::error::ApiError;
use crate::paths::{Access, Paths};
use crate::state::AppState;

/// Checks the database, the change log against the last anchor seen, every record and every file.
#[tauri::command]
pub async fn check_record(state: State<'_, AppState>) -> Result<CheckReport, ApiError> {
    state.run(|s| check::check(s, None)).await
}

/// What each write changed in one record.
#[tauri::command]
pub async fn get_history(state: State<'_, AppState>, id: String) -> Result<Vec<Change>, ApiError> {
    state.run(move |s| history::history(s.reader(), &id)).await
}

/// Copies the whole database, its evidence files and its key file to `path` (chosen with the save
/// dialog): a backup of an encrypted database stays encrypted under the same passphrase.
#[tauri::command]
pub async fn backup_database(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    path: PathBuf,
) -> Result<BackupReport, ApiError> {
    paths.permit(Access::Write, &path)?;
    state
        .run(move |store| {
            let report = backup::backup(store, &path)?;
            // Not noted (a read-only database): an erasure still names it, from the last-backup file.
            let _ = backup::note(store, &report);
            Ok(report)
        })
        .await
}

/// The last backup taken of the database, if any.
#[tauri::command]
pub async fn get_last_backup(state: State<'_, AppState>) -> Result<Option<BackupReport>, ApiError> {
    state.with_slot(|_, path| backup::last_backup(path)).await
}

/// Erases a record for real (a piece of evidence, a record of any kind, a party or a case with all it
/// holds), with the reason given: unlike a delete, it cannot be undone.
#[tauri::command]
pub async fn erase_record(state: State<'_, AppState>, input: EraseInput) -> Result<EraseReport, ApiError> {
    state.run(move |s| erase::erase(s, &input)).await
}
