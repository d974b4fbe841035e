//! Making a record private (kept out of what is published) or public again, and privileged (withheld,
//! and listed in the privilege log) or not.

use dossier_core::record::privacy;
use dossier_core::record::privilege::{self, Privilege, PrivilegeInput};
use dossier_core::vocabulary::RecordKind;
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

/// Makes any record but a case private or public; returns its kind, so the page reloads the right panel.
#[tauri::command]
pub async fn set_private(state: State<'_, AppState>, id: String, private: bool) -> Result<RecordKind, ApiError> {
    state.run(move |s| privacy::set(s, &id, private)).await
}

/// A record's privilege (its basis and the privilege log's description), if it is privileged.
#[tauri::command]
pub async fn get_privilege(state: State<'_, AppState>, id: String) -> Result<Option<Privilege>, ApiError> {
    state.run(move |s| privilege::get(s.reader(), &id)).await
}

/// Marks a record privileged with `input`, or no longer privileged with `None`; returns its privilege
/// as now stored.
#[tauri::command]
pub async fn set_privilege(
    state: State<'_, AppState>,
    id: String,
    input: Option<PrivilegeInput>,
) -> Result<Option<Privilege>, ApiError> {
    state
        .run(move |s| {
            privilege::set(s, &id, input.as_ref())?;
            privilege::get(s.reader(), &id)
        })
        .await
}
