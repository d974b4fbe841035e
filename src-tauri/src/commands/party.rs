//! Party and case-role commands.

use dossier_core::record::party::{self, Party, PartyInput};
use dossier_core::record::role::{self, CaseRole};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_parties(state: State<'_, AppState>) -> Result<Vec<Party>, ApiError> {
    state.run(|s| party::list(s.reader())).await
}

#[tauri::command]
pub async fn get_party(state: State<'_, AppState>, party: String) -> Result<Party, ApiError> {
    state.run(move |s| party::get(s.reader(), &party)).await
}

#[tauri::command]
pub async fn create_party(state: State<'_, AppState>, input: PartyInput) -> Result<Party, ApiError> {
    state.run(move |s| party::create(s, &input)).await
}

#[tauri::command]
pub async fn update_party(
    state: State<'_, AppState>,
    party: String,
    input: PartyInput,
    base: Option<String>,
) -> Result<Party, ApiError> {
    state.edit(party, base, move |s, party| party::update(s, party, &input)).await
}

#[tauri::command]
pub async fn delete_party(state: State<'_, AppState>, party: String) -> Result<(), ApiError> {
    state.run(move |s| party::delete(s, &party)).await
}

#[tauri::command]
pub async fn list_case_roles(state: State<'_, AppState>, case: String) -> Result<Vec<CaseRole>, ApiError> {
    state.run(move |s| role::roles(s.reader(), &case)).await
}

#[tauri::command]
pub async fn add_case_role(
    state: State<'_, AppState>,
    case: String,
    party: String,
    role: String,
    on_behalf_of: Option<String>,
) -> Result<(), ApiError> {
    state.run(move |s| role::add_role(s, &case, &party, &role, on_behalf_of.as_deref())).await
}

#[tauri::command]
pub async fn remove_case_role(
    state: State<'_, AppState>,
    case: String,
    party: String,
    role: String,
) -> Result<(), ApiError> {
    state.run(move |s| role::remove_role(s, &case, &party, &role)).await
}
