//! Making a record private (kept out of what is published) or public again.

use dossier_core::record::privacy;
use dossier_core::vocabulary::RecordKind;
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

/// Makes any record but a case private or public; returns its kind, so the page reloads the right panel.
#[tauri::command]
pub async fn set_private(state: State<'_, AppState>, id: String, private: bool) -> Result<RecordKind, ApiError> {
    state.run(move |s| privacy::set(s, &id, private)).await
}
