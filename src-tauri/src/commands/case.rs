//! Case commands.

use dossier_core::record::case::{self, Case, CaseInput};
use dossier_core::view::overview::{self, CaseSummary, Overview};
use tauri::State;

use crate::error::ApiError;
use crate::state::{self, AppState};

#[tauri::command]
pub async fn list_cases(state: State<'_, AppState>) -> Result<Vec<CaseSummary>, ApiError> {
    state.run(|s| overview::summaries(s.reader())).await
}

/// The case's overview: read while the store is held, its summary rendered from Markdown after it is
/// let go, so a long summary holds up no other command.
#[tauri::command]
pub async fn get_case_overview(state: State<'_, AppState>, case: String) -> Result<Overview, ApiError> {
    case_overview(&state, case).await
}

async fn case_overview(state: &AppState, case: String) -> Result<Overview, ApiError> {
    let read = state.run(move |s| overview::read(s.reader(), &case)).await?;
    state::unlocked(move || read.render()).await
}

#[tauri::command]
pub async fn create_case(state: State<'_, AppState>, input: CaseInput) -> Result<Case, ApiError> {
    state.run(move |s| case::create(s, &input)).await
}

#[tauri::command]
pub async fn update_case(
    state: State<'_, AppState>,
    case: String,
    input: CaseInput,
    base: Option<String>,
) -> Result<Case, ApiError> {
    state.edit(case, base, move |s, case| case::update(s, case, &input)).await
}

#[cfg(test)]
mod tests {
    use super::case_overview;
    use crate::state::AppState;

    /// The overview read and rendered apart is the one the core reads and renders in one call.
    #[test]
    fn the_overview_rendered_off_the_lock_is_the_whole_overview() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::open(&dir.path().join("db.sqlite")).expect("open (with the demo cases)");
        let slug = state
            .blocking(|s| dossier_core::view::overview::summaries(s.reader()))
            .expect("cases")
            .first()
            .expect("a demo case")
            .case
            .slug
            .clone();
        let whole = state.blocking(|s| dossier_core::view::overview::overview(s.reader(), &slug)).expect("whole");
        let apart = tauri::async_runtime::block_on(case_overview(&state, slug)).expect("apart");
        assert!(!apart.summary_html.is_empty());
        assert_eq!(apart.summary_html, whole.summary_html);
        assert_eq!(apart.case.id, whole.case.id);
        assert_eq!(apart.open_allegations.len(), whole.open_allegations.len());
    }
}
