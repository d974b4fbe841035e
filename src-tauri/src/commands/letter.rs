//! Letter commands.

use dossier_core::record::letter::{self, Letter, LetterInput};
use dossier_core::record::Listed;
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_threads(state: State<'_, AppState>, case: String) -> Result<Vec<letter::ThreadItem>, ApiError> {
    state.run(move |s| letter::threads(s.reader(), &case)).await
}

#[tauri::command]
pub async fn get_letter(state: State<'_, AppState>, id: String) -> Result<Letter, ApiError> {
    state.run(move |s| letter::get(s.reader(), &id)).await
}

#[tauri::command]
pub async fn create_letter(state: State<'_, AppState>, input: LetterInput) -> Result<Letter, ApiError> {
    state.run(move |s| letter::create(s, &input)).await
}

#[tauri::command]
pub async fn update_letter(
    state: State<'_, AppState>,
    id: String,
    input: LetterInput,
    base: Option<String>,
) -> Result<Letter, ApiError> {
    state.edit(id, base, move |s, id| letter::update(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_letter(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| letter::delete(s, &id)).await
}

/// A page of the list: `limit` items from `offset`, with the total.
#[tauri::command]
pub async fn list_threads_page(
    state: State<'_, AppState>,
    case: String,
    offset: usize,
    limit: usize,
) -> Result<Listed<letter::ThreadItem>, ApiError> {
    state.run(move |s| letter::threads_page(s.reader(), &case, offset, limit)).await
}

/// The unanswered deadlines of every case still being worked that begin within `days`, overdue ones
/// first: the Upcoming list of the case list.
#[tauri::command]
pub async fn upcoming_deadlines(state: State<'_, AppState>, days: u32) -> Result<Vec<letter::Upcoming>, ApiError> {
    state.run(move |s| letter::upcoming_now(s.reader(), days)).await
}
