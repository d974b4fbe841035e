//! Allegation commands.

use dossier_core::record::allegation::{self, Allegation, AllegationInput};
use dossier_core::record::Listed;
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_allegations(state: State<'_, AppState>, case: String) -> Result<Vec<Allegation>, ApiError> {
    state.run(move |s| allegation::list(s.reader(), &case)).await
}

#[tauri::command]
pub async fn get_allegation(state: State<'_, AppState>, id: String) -> Result<Allegation, ApiError> {
    state.run(move |s| allegation::get(s.reader(), &id)).await
}

#[tauri::command]
pub async fn create_allegation(state: State<'_, AppState>, input: AllegationInput) -> Result<Allegation, ApiError> {
    state.run(move |s| allegation::create(s, &input)).await
}

#[tauri::command]
pub async fn update_allegation(
    state: State<'_, AppState>,
    id: String,
    input: AllegationInput,
    base: Option<String>,
) -> Result<Allegation, ApiError> {
    state.edit(id, base, move |s, id| allegation::update(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_allegation(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| allegation::delete(s, &id)).await
}

#[tauri::command]
pub async fn set_allegation_status(
    state: State<'_, AppState>,
    id: String,
    input: allegation::StatusInput,
) -> Result<Allegation, ApiError> {
    state.run(move |s| allegation::set_status(s, &id, &input)).await
}

/// A page of the list: `limit` items from `offset`, with the total.
#[tauri::command]
pub async fn list_allegations_page(
    state: State<'_, AppState>,
    case: String,
    offset: usize,
    limit: usize,
) -> Result<Listed<dossier_core::view::allegations::AllegationItem>, ApiError> {
    state.run(move |s| dossier_core::view::allegations::page(s.reader(), &case, offset, limit)).await
}
