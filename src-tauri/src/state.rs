//! The app's state: the one open `Store`, shared by commands that each run their database work on a
//! blocking thread so the window never waits on I/O.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dossier_core::Store;
use tauri::Manager;

use crate::error::ApiError;

pub struct AppState {
    store: Arc<Mutex<Store>>,
}

/// The embedded default database: `dossier.sqlite` in the app's data directory, which is the same
/// place the `dossier` CLI uses by default. `DOSSIER_DB` overrides it (tests, several case files).
pub fn database_path(app: &tauri::AppHandle) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(path) = std::env::var_os("DOSSIER_DB") {
        return Ok(PathBuf::from(path));
    }
    Ok(app.path().app_data_dir()?.join("dossier.sqlite"))
}

impl AppState {
    /// Opens the database, loading the demo cases the first time (when it holds no case).
    pub fn open(path: &Path) -> Result<AppState, Box<dyn std::error::Error>> {
        let fresh = !path.exists();
        let mut store = Store::open(path)?;
        if fresh {
            dossier_core::demo::load_if_empty(&mut store)?;
        }
        Ok(AppState { store: Arc::new(Mutex::new(store)) })
    }

    /// Runs `work` on the store on a blocking thread.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> dossier_core::Result<T> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard =
                store.lock().map_err(|_| ApiError::internal("the database lock was poisoned by an earlier failure"))?;
            work(&mut guard).map_err(ApiError::from)
        })
        .await
        .map_err(|e| ApiError::internal(format!("background task failed: {e}")))?
    }
}
