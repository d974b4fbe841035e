//! Timeline commands.

use dossier_core::view::calendar::{self, Tick};
use dossier_core::view::timeline::{self, Filter, Outline, Page};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

/// The page that starts `skip` entries into those dated from `from`: the list at any scroll position.
#[tauri::command]
pub async fn get_timeline_slice(
    state: State<'_, AppState>,
    case: String,
    filter: Filter,
    from: i64,
    skip: usize,
    limit: usize,
) -> Result<Page, ApiError> {
    state.run(move |s| timeline::slice(s.reader(), &case, &filter, from, skip, limit)).await
}

/// How many entries the filtered timeline holds, month by month.
#[tauri::command]
pub async fn get_timeline_outline(
    state: State<'_, AppState>,
    case: String,
    filter: Filter,
) -> Result<Outline, ApiError> {
    state.run(move |s| timeline::outline(s.reader(), &case, &filter)).await
}

/// Ticks for the visual strip's axis between two instants (Unix seconds).
#[tauri::command]
pub async fn get_axis(lo: i64, hi: i64, max_ticks: usize) -> Result<Vec<Tick>, ApiError> {
    calendar::axis(lo, hi, max_ticks).map_err(ApiError::from)
}
