//! Timeline commands.

use dossier_core::view::calendar::{self, Tick};
use dossier_core::view::timeline::{self, Filter, Page};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[tauri::command]
pub async fn get_timeline_page(
    state: State<'_, AppState>,
    case: String,
    filter: Filter,
    after: Option<String>,
    limit: usize,
) -> Result<Page, ApiError> {
    state.run(move |s| timeline::page(s.reader(), &case, &filter, after.as_deref(), limit)).await
}

/// Ticks for the visual strip's axis between two instants (Unix seconds).
#[tauri::command]
pub async fn get_axis(lo: i64, hi: i64, max_ticks: usize) -> Result<Vec<Tick>, ApiError> {
    calendar::axis(lo, hi, max_ticks).map_err(ApiError::from)
}
