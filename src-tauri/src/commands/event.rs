//! Event commands.

use dossier_core::record::event::{self, Event, EventInput};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_events(state: State<'_, AppState>, case: String) -> Result<Vec<Event>, ApiError> {
    state.run(move |s| event::list(s.reader(), &case)).await
}

#[tauri::command]
pub async fn get_event(state: State<'_, AppState>, id: String) -> Result<Event, ApiError> {
    state.run(move |s| event::get(s.reader(), &id)).await
}

#[tauri::command]
pub async fn create_event(state: State<'_, AppState>, input: EventInput) -> Result<Event, ApiError> {
    state.run(move |s| event::create(s, &input)).await
}

#[tauri::command]
pub async fn update_event(
    state: State<'_, AppState>,
    id: String,
    input: EventInput,
    base: Option<String>,
) -> Result<Event, ApiError> {
    state.edit(id, base, move |s, id| event::update(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_event(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| event::delete(s, &id)).await
}
