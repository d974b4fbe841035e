//! Export and import commands: files in and out, through `dossier_core::transfer`.

use dossier_core::transfer::{self, ExportRequest, ImportRequest, TransferReport};
use tauri::State;

use crate::error::ApiError;
use crate::paths::Paths;
use crate::state::AppState;

#[tauri::command]
pub async fn export_case(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    request: ExportRequest,
) -> Result<TransferReport, ApiError> {
    paths.permit(&request.path)?;
    state.run(move |s| transfer::export(s, &request)).await
}

#[tauri::command]
pub async fn import_file(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    request: ImportRequest,
) -> Result<TransferReport, ApiError> {
    paths.permit(&request.path)?;
    state.run(move |s| transfer::import(s, &request)).await
}
