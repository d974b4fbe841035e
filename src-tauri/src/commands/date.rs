//! Commands that describe input as the user types: how a date is understood, how Markdown renders.

use dossier_core::date::Lang;
use dossier_core::view::calendar::{self, DateInfo};

use crate::error::ApiError;

/// How `text`, typed in the UI's language `lang` (`en` or `fr`), is understood: in French a numeric
/// date that reads two ways is day first.
#[tauri::command]
pub async fn describe_date(text: String, lang: String) -> Result<DateInfo, ApiError> {
    calendar::describe_in(&text, Lang::parse(&lang).unwrap_or(Lang::En)).map_err(ApiError::from)
}

/// Several dates described at once (a page of a list); `null` for a text that is not a date.
#[tauri::command]
pub async fn describe_dates(texts: Vec<String>) -> Result<Vec<Option<DateInfo>>, ApiError> {
    calendar::describe_many(&texts).map_err(ApiError::from)
}

/// Markdown as sanitized HTML (pulldown-cmark through ammonia, in the core). It needs no store, so it
/// takes no lock; it runs on a blocking thread, as a long text may take up to the core's render budget.
#[tauri::command]
pub async fn render_markdown(text: String) -> Result<String, ApiError> {
    crate::state::unlocked(move || dossier_core::markdown::to_safe_html(&text)).await
}
