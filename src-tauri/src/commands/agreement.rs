//! Agreement and clause commands.

use dossier_core::record::agreement::{self, Agreement, AgreementInput, Clause, ClauseInput};
use dossier_core::record::Listed;
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_agreements(state: State<'_, AppState>, case: String) -> Result<Vec<Agreement>, ApiError> {
    state.run(move |s| agreement::list(s.reader(), &case)).await
}

#[tauri::command]
pub async fn get_agreement(state: State<'_, AppState>, id: String) -> Result<Agreement, ApiError> {
    state.run(move |s| agreement::get(s.reader(), &id)).await
}

#[tauri::command]
pub async fn create_agreement(state: State<'_, AppState>, input: AgreementInput) -> Result<Agreement, ApiError> {
    state.run(move |s| agreement::create(s, &input)).await
}

#[tauri::command]
pub async fn update_agreement(
    state: State<'_, AppState>,
    id: String,
    input: AgreementInput,
    base: Option<String>,
) -> Result<Agreement, ApiError> {
    state.edit(id, base, move |s, id| agreement::update(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_agreement(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| agreement::delete(s, &id)).await
}

#[tauri::command]
pub async fn add_clause(state: State<'_, AppState>, agreement: String, input: ClauseInput) -> Result<Clause, ApiError> {
    state.run(move |s| agreement::add_clause(s, &agreement, &input)).await
}

#[tauri::command]
pub async fn update_clause(state: State<'_, AppState>, id: String, input: ClauseInput) -> Result<Clause, ApiError> {
    state.run(move |s| agreement::update_clause(s, &id, &input)).await
}

#[tauri::command]
pub async fn delete_clause(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| agreement::delete_clause(s, &id)).await
}

/// A page of the list: `limit` items from `offset`, with the total.
#[tauri::command]
pub async fn list_agreements_page(
    state: State<'_, AppState>,
    case: String,
    offset: usize,
    limit: usize,
) -> Result<Listed<Agreement>, ApiError> {
    state.run(move |s| agreement::page(s.reader(), &case, offset, limit)).await
}
