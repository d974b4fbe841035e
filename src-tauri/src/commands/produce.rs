//! Productions and hearing bundles: a case's documents handed over as files, through
//! `dossier_core::transfer::produce`. Each runs as an export does: the destination is one the user
//! chose in the shell's dialog (a folder for a volume, a file for a bundle), its progress goes to the
//! page through a channel, and `cancel_export` stops it (nothing is left under its name, and nothing
//! kept in the record).

use std::path::PathBuf;

use dossier_core::record::production::{self, ProductionEntry};
use dossier_core::record::Listed;
use dossier_core::transfer::produce::hearing::{self, HearingBundle, HearingInput};
use dossier_core::transfer::produce::preview::{self, CaseDocument, ProducePreview};
use dossier_core::transfer::produce::{self, ProduceInput, Produced};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::transfer::{watch, Exports, Progress};
use crate::error::ApiError;
use crate::paths::{Access, Paths};
use crate::state::AppState;

/// The numbering the next volume would get and what the selection takes, shown as the Produce…
/// dialog is filled in.
#[tauri::command]
pub async fn preview_production(state: State<'_, AppState>, input: ProduceInput) -> Result<ProducePreview, ApiError> {
    state.run(move |s| preview::preview(s, &input)).await
}

/// A page of the case's documents whose title holds `text`, for the dialogs' document lists.
#[tauri::command]
pub async fn list_case_documents(
    state: State<'_, AppState>,
    case: String,
    text: String,
    offset: usize,
    limit: usize,
) -> Result<Listed<CaseDocument>, ApiError> {
    state.run(move |s| preview::documents(s, &case, &text, offset, limit)).await
}

/// Makes a production into a new volume folder inside `folder`, which the user chose in the folder
/// dialog. Its files are written through a writable twin of the store, off its lock; only the record
/// of the volume is one short write at the end.
#[tauri::command]
pub async fn produce_documents(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    exports: State<'_, Exports>,
    input: ProduceInput,
    folder: PathBuf,
    progress: Channel<Progress>,
) -> Result<Produced, ApiError> {
    paths.permit(Access::Write, &folder)?;
    let stop = exports.start();
    let mut twin = state.run(|s| s.writable_twin()).await?;
    Ok(crate::state::unlocked(move || produce::produce(&mut twin, &input, &folder, &watch(progress, stop))).await??)
}

/// Writes a hearing bundle to `path`, which the user chose in the save dialog, through a read-only
/// twin of the store, off its lock.
#[tauri::command]
pub async fn make_hearing_bundle(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    exports: State<'_, Exports>,
    input: HearingInput,
    path: PathBuf,
    progress: Channel<Progress>,
) -> Result<HearingBundle, ApiError> {
    paths.permit(Access::Write, &path)?;
    let stop = exports.start();
    let twin = state.run(|s| s.read_only_twin()).await?;
    Ok(crate::state::unlocked(move || hearing::write(&twin, &input, &path, &watch(progress, stop))).await??)
}

/// Where a piece of evidence was produced: each volume, its Bates range and what it went as.
#[tauri::command]
pub async fn get_production_history(state: State<'_, AppState>, id: String) -> Result<Vec<ProductionEntry>, ApiError> {
    state.run(move |s| production::history(s.reader(), &id)).await
}
