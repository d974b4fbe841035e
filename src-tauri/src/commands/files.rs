//! The file dialogs, opened by the shell rather than the page: the path the user picks is remembered
//! (`paths::Paths`) for the direction of its dialog (the open dialog's to be read, the save dialog's
//! and the folder dialog's to be written) and returned for the page to show and to send back with the command that uses it.

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::ApiError;
use crate::paths::{Access, Paths};

/// A file to read (an import, evidence), picked in the open dialog; `None` if the user cancelled.
#[tauri::command]
pub async fn choose_file(app: AppHandle, paths: State<'_, Paths>) -> Result<Option<String>, ApiError> {
    let picked = tauri::async_runtime::spawn_blocking(move || app.dialog().file().blocking_pick_file())
        .await
        .map_err(|e| ApiError::internal(format!("the file dialog failed: {e}")))?;
    remember(&paths, Access::Read, picked)
}

/// A file to write (an export, a backup), picked in the save dialog with `suggested` as its name;
/// `None` if the user cancelled.
#[tauri::command]
pub async fn choose_save_path(
    app: AppHandle,
    paths: State<'_, Paths>,
    suggested: String,
) -> Result<Option<String>, ApiError> {
    let picked =
        tauri::async_runtime::spawn_blocking(move || app.dialog().file().set_file_name(suggested).blocking_save_file())
            .await
            .map_err(|e| ApiError::internal(format!("the file dialog failed: {e}")))?;
    remember(&paths, Access::Write, picked)
}

/// A folder to write into (a production's volume is made inside it), picked in the folder dialog;
/// `None` if the user cancelled.
#[tauri::command]
pub async fn choose_folder(app: AppHandle, paths: State<'_, Paths>) -> Result<Option<String>, ApiError> {
    let picked = tauri::async_runtime::spawn_blocking(move || app.dialog().file().blocking_pick_folder())
        .await
        .map_err(|e| ApiError::internal(format!("the folder dialog failed: {e}")))?;
    remember(&paths, Access::Write, picked)
}

fn remember(
    paths: &Paths,
    access: Access,
    picked: Option<tauri_plugin_dialog::FilePath>,
) -> Result<Option<String>, ApiError> {
    let Some(picked) = picked else { return Ok(None) };
    let path = picked.into_path().map_err(|e| ApiError::internal(format!("the dialog gave no path: {e}")))?;
    let shown = path.display().to_string();
    paths.grant(access, [path]);
    Ok(Some(shown))
}
