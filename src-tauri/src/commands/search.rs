//! Search command.

use dossier_core::view::search::{self, Hit};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn search_records(
    state: State<'_, AppState>,
    query: String,
    case: Option<String>,
    limit: usize,
) -> Result<Vec<Hit>, ApiError> {
    state.run(move |s| search::search(s.reader(), &query, case.as_deref(), limit)).await
}
