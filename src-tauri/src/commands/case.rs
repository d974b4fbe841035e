//! Case commands.

use dossier_core::record::case::{self, Case, CaseInput};
use dossier_core::view::overview::{self, CaseSummary, Overview};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_cases(state: State<'_, AppState>) -> Result<Vec<CaseSummary>, ApiError> {
    state.run(|s| overview::summaries(s.reader())).await
}

#[tauri::command]
pub async fn get_case(state: State<'_, AppState>, case: String) -> Result<Case, ApiError> {
    state.run(move |s| case::get(s.reader(), &case)).await
}

#[tauri::command]
pub async fn get_case_overview(state: State<'_, AppState>, case: String) -> Result<Overview, ApiError> {
    state.run(move |s| overview::overview(s.reader(), &case)).await
}

#[tauri::command]
pub async fn create_case(state: State<'_, AppState>, input: CaseInput) -> Result<Case, ApiError> {
    state.run(move |s| case::create(s, &input)).await
}

#[tauri::command]
pub async fn update_case(
    state: State<'_, AppState>,
    case: String,
    input: CaseInput,
    base: Option<String>,
) -> Result<Case, ApiError> {
    state.edit(case, base, move |s, case| case::update(s, case, &input)).await
}

#[tauri::command]
pub async fn delete_case(state: State<'_, AppState>, case: String) -> Result<(), ApiError> {
    state.run(move |s| case::delete(s, &case)).await
}
