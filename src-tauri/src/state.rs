//! The app's state: the one open `Store`, shared by commands that each run their database work on a
//! blocking thread so the window never waits on I/O.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dossier_core::store::DB_ENV;
use dossier_core::Store;

use crate::error::ApiError;

pub struct AppState {
    store: Arc<Mutex<Store>>,
}

/// The embedded default database, where the `dossier` CLI looks too: `Store::default_path()`, or the
/// file `DOSSIER_DB` names (tests, several case files).
pub fn database_path() -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os(DB_ENV) {
        Some(path) => Ok(PathBuf::from(path)),
        None => Ok(Store::default_path().ok_or("no per-user data directory to keep the database in")?),
    }
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
