//! The background reader of documents' text. Adding a PDF, a Word file or a picture stores it at once;
//! its text is read here, one file at a time, off the command that added it and off the store's lock
//! (`evidence::reading` takes a job, the job runs without the store, `Store::keep_text` keeps what it
//! read). The page hears `text-progress` (pages read by OCR) and `text-read` (done, or failed).
//!
//! It wakes when told (a file added, an import, an unlock, a reading asked for again) and reads every
//! file waiting, those asked for again first. While the database is locked it stops between pages.
//!
//! One file cannot hold up the others for long: the core bounds each file's OCR (200 pages or 10
//! minutes), lists the files waiting smallest first and those whose reading was cut short last, and
//! marks failed a file whose reading was interrupted twice (it may be what stopped the app). Rather
//! than a pool of readers, which would give a hostile file a core of its own and still compete with
//! the window for two cores, the user can stop the reading of one file (`stop`, from the evidence
//! panel): it stops between pages and the file is marked stopped until read again.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use tauri::{AppHandle, Manager};

use dossier_core::record::evidence;

use crate::commands::events::{TextProgress, TextRead, TEXT_PROGRESS, TEXT_READ};
use crate::state::AppState;

/// What the reader is asked to do.
#[derive(Default)]
struct Asked {
    /// Evidence whose text is to be read again, first.
    again: VecDeque<String>,
    /// Whether to look for files waiting.
    waiting: bool,
}

/// The reader's door: tell it to look, to read a piece of evidence again, or to stop reading one.
#[derive(Clone, Default)]
pub struct Reading {
    asked: Arc<(Mutex<Asked>, Condvar)>,
    /// The evidence whose reading the user asked to stop, checked between pages.
    stopping: Arc<Mutex<Option<String>>>,
}

impl Reading {
    /// Starts the reader's thread.
    pub fn start(&self, app: AppHandle) {
        let reading = self.clone();
        std::thread::Builder::new()
            .name("text-reader".into())
            .spawn(move || loop {
                let again = reading.wait();
                reading.read_all(&app, again);
            })
            .expect("start the text reader");
    }

    /// Asks the reader to read every file waiting.
    pub fn wake(&self) {
        let (asked, ready) = &*self.asked;
        asked.lock().unwrap_or_else(PoisonError::into_inner).waiting = true;
        ready.notify_one();
    }

    /// Asks the reader to read the file of evidence `id` again.
    pub fn again(&self, id: String) {
        let (asked, ready) = &*self.asked;
        asked.lock().unwrap_or_else(PoisonError::into_inner).again.push_back(id);
        ready.notify_one();
    }

    /// Asks the reader to stop reading the file of evidence `id` if it is reading it now (the core
    /// has marked it stopped; a reading asked for again later is not stopped by this).
    pub fn stop(&self, id: String) {
        let (asked, _) = &*self.asked;
        asked.lock().unwrap_or_else(PoisonError::into_inner).again.retain(|again| *again != id);
        *self.stopping.lock().unwrap_or_else(PoisonError::into_inner) = Some(id);
    }

    fn is_stopped(&self, id: &str) -> bool {
        self.stopping.lock().unwrap_or_else(PoisonError::into_inner).as_deref() == Some(id)
    }

    /// Waits to be asked; returns the evidence to read again.
    fn wait(&self) -> Vec<String> {
        let (asked, ready) = &*self.asked;
        let mut guard = asked.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while !guard.waiting && guard.again.is_empty() {
            guard = ready.wait(guard).unwrap_or_else(PoisonError::into_inner);
        }
        guard.waiting = false;
        guard.again.drain(..).collect()
    }

    fn read_all(&self, app: &AppHandle, again: Vec<String>) {
        let state = app.state::<AppState>();
        let mut done = std::collections::HashSet::new();
        for id in again {
            self.read_one(app, &state, &id);
            done.insert(id);
        }
        // Files waiting, one at a time; one that stays waiting (stopped) is not tried again now.
        while let Ok(waiting) = state.blocking(|s| evidence::waiting(s.reader())) {
            let Some(id) = waiting.into_iter().find(|id| !done.contains(id)) else { break };
            self.read_one(app, &state, &id);
            done.insert(id);
        }
    }

    fn read_one(&self, app: &AppHandle, state: &AppState, id: &str) {
        // A stop asked before this reading began was for an earlier one.
        self.stopping.lock().unwrap_or_else(PoisonError::into_inner).take_if(|stopped| stopped == id);
        let job = match state.blocking(|s| evidence::begin_reading(s, id)) {
            Ok(Some(job)) => job,
            // Marked failed instead (interrupted twice): the page shows it.
            Ok(None) => {
                TEXT_READ.emit(app, TextRead { evidence_id: id.to_string() });
                return;
            }
            Err(_) => return,
        };
        let result = job.run(&mut |done, total| {
            TEXT_PROGRESS.emit(app, TextProgress { evidence_id: id.to_string(), done, total });
            // A database locked meanwhile stops the reading: its keys are not used once it is locked.
            // Asked without waiting, so a long command holding the store does not eat the reading's time.
            state.is_open_now() && !self.is_stopped(id)
        });
        if matches!(result, Err(dossier_core::Error::Cancelled)) {
            if self.is_stopped(id) {
                TEXT_READ.emit(app, TextRead { evidence_id: id.to_string() });
            }
            return;
        }
        if state.blocking(|s| s.keep_text(&job, &result)).is_ok() {
            TEXT_READ.emit(app, TextRead { evidence_id: id.to_string() });
        }
    }
}
