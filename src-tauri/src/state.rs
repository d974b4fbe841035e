//! The app's state: the database it keeps open, or nothing while an encrypted database is locked. Every
//! command runs its database work on a blocking thread so the window never waits on I/O, and a
//! command that needs the record while the database is locked gets the `locked` error.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dossier_core::store::{is_encrypted, DB_ENV};
use dossier_core::Store;

use crate::error::ApiError;

pub struct AppState {
    path: PathBuf,
    /// `None` while the database is locked.
    store: Arc<Mutex<Option<Store>>>,
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
    /// Opens the database, loading the demo cases the first time (when it holds no case). An encrypted
    /// database stays locked until the user gives its passphrase.
    pub fn open(path: &Path) -> Result<AppState, Box<dyn std::error::Error>> {
        let store = if is_encrypted(path) {
            None
        } else {
            let fresh = !path.exists();
            let mut store = Store::open(path)?;
            if fresh {
                dossier_core::demo::load_if_empty(&mut store)?;
            }
            Some(store)
        };
        Ok(AppState { path: path.to_path_buf(), store: Arc::new(Mutex::new(store)) })
    }

    /// Runs `work` on the open store on a blocking thread; refused while the database is locked.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> dossier_core::Result<T> + Send + 'static,
    {
        self.with_slot(move |slot, _| work(open(slot)?)).await
    }

    /// Runs an edit of the record `id` (`work` gets the store and the id) made from what the page read
    /// when the record's `updated_at` was `base`: if it changed since (another window, the CLI), the
    /// edit is refused with nothing written rather than overwriting that change.
    pub async fn edit<T, F>(&self, id: String, base: Option<String>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store, &str) -> dossier_core::Result<T> + Send + 'static,
    {
        self.run(move |s| match base.as_deref() {
            Some(seen) => s.edit_from(&id, seen, |s| work(s, &id)),
            None => work(s, &id),
        })
        .await
    }

    /// Runs `work` on the open store on the calling thread (a background thread of the shell's own);
    /// refused while the database is locked.
    pub fn blocking<T>(&self, work: impl FnOnce(&mut Store) -> dossier_core::Result<T>) -> Result<T, ApiError> {
        let mut guard = self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        open(&mut guard).and_then(work).map_err(ApiError::from)
    }

    /// Whether the database is still open, without waiting: a store busy with a command is open.
    pub fn is_open_now(&self) -> bool {
        match self.store.try_lock() {
            Ok(slot) => slot.is_some(),
            Err(std::sync::TryLockError::Poisoned(slot)) => slot.into_inner().is_some(),
            Err(std::sync::TryLockError::WouldBlock) => true,
        }
    }

    /// Runs `work` on the store's slot itself (to open, close or convert the database), with the
    /// database's path, on a blocking thread.
    pub async fn with_slot<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Option<Store>, &Path) -> dossier_core::Result<T> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let path = self.path.clone();
        tauri::async_runtime::spawn_blocking(move || {
            // A command that panicked leaves the mutex poisoned; its transaction was rolled back as it
            // unwound, so the store is sound and the app goes on rather than refusing every command.
            let mut guard = store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            work(&mut guard, &path).map_err(ApiError::from)
        })
        .await
        .map_err(|e| ApiError::internal(format!("background task failed: {e}")))?
    }
}

/// Runs `work`, which needs no store (rendering what a command read), on a blocking thread without
/// taking the store's lock: a long render then holds up neither the window nor any other command.
pub async fn unlocked<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal(format!("background task failed: {e}")))
}

/// The open store, or the `locked` error while the database is locked.
fn open(slot: &mut Option<Store>) -> dossier_core::Result<&mut Store> {
    slot.as_mut().ok_or_else(|| dossier_core::Error::Locked("the database is locked".into()))
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::{unlocked, AppState};

    /// Guards the rest of the 2026-12-06 review's M1: work done off the lock (rendering) goes on while
    /// another command holds the store.
    #[test]
    fn work_off_the_lock_runs_while_a_command_holds_the_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::open(&dir.path().join("db.sqlite")).expect("open");
        let (held, holding) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        std::thread::scope(|scope| {
            let state = &state;
            scope.spawn(move || {
                state
                    .blocking(|_| {
                        held.send(()).expect("say it is held");
                        released.recv().expect("wait to be released");
                        Ok(())
                    })
                    .expect("the long command")
            });
            holding.recv().expect("the store is held");
            assert!(state.store.try_lock().is_err(), "the other command holds the store");
            let rendered = tauri::async_runtime::block_on(unlocked(|| dossier_core::markdown::to_safe_html("*hi*")));
            assert_eq!(rendered.expect("rendered").trim(), "<p><em>hi</em></p>");
            release.send(()).expect("release");
        });
    }
}
