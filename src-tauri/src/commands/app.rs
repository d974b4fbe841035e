//! What the app is: its version and the database schema it writes, and the upgrade its database had
//! on this start, told once.

use dossier_core::store::{self, Upgrade};
use serde::Serialize;
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

/// The app's version and the schema version of the databases it writes.
#[derive(Clone, Serialize)]
pub struct About {
    pub version: String,
    pub schema: usize,
}

#[tauri::command]
pub fn about() -> About {
    About { version: env!("CARGO_PKG_VERSION").to_string(), schema: store::schema_version() }
}

/// The schema upgrade opening the database made (with where the copy from before it is), once: the
/// page asks on start and after an unlock, and tells the user the first time there is one.
#[tauri::command]
pub async fn take_upgrade_notice(state: State<'_, AppState>) -> Result<Option<Upgrade>, ApiError> {
    state.run(|s| Ok(s.take_upgrade())).await
}
