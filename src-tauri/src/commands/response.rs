//! Response commands.

use dossier_core::record::response::{self, Response, ResponseInput};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn get_response(state: State<'_, AppState>, id: String) -> Result<Response, ApiError> {
    state.run(move |s| response::get(s.reader(), &id)).await
}

#[tauri::command]
pub async fn create_response(state: State<'_, AppState>, input: ResponseInput) -> Result<Response, ApiError> {
    state.run(move |s| response::create(s, &input)).await
}

#[tauri::command]
pub async fn update_response(
    state: State<'_, AppState>,
    id: String,
    input: ResponseInput,
    base: Option<String>,
) -> Result<Response, ApiError> {
    state.edit(id, base, move |s, id| response::update(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_response(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| response::delete(s, &id)).await
}
