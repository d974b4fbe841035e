//! The background reader of documents' text. Adding a PDF, a Word file or a picture stores it at once;
//! its text is read here, one file at a time, off the command that added it and off the store's lock
//! (`evidence::reading` takes a job, the job runs without the store, `Store::keep_text` keeps what it
//! read). The page hears `text-progress` (pages read by OCR) and `text-read` (done, or failed).
//!
//! It wakes when told (a file added, an import, an unlock, a reading asked for again) and reads every
//! file waiting, those asked for again first. While the database is locked it stops between pages.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use dossier_core::record::evidence;

use crate::state::AppState;

/// What the reader is asked to do.
#[derive(Default)]
struct Asked {
    /// Evidence whose text is to be read again, first.
    again: VecDeque<String>,
    /// Whether to look for files waiting.
    waiting: bool,
}

/// The reader's door: tell it to look, or to read a piece of evidence again.
#[derive(Clone, Default)]
pub struct Reading {
    asked: Arc<(Mutex<Asked>, Condvar)>,
}

#[derive(Clone, Serialize)]
struct Progress<'a> {
    evidence_id: &'a str,
    done: usize,
    total: usize,
}

#[derive(Clone, Serialize)]
struct Read<'a> {
    evidence_id: &'a str,
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
        asked.lock().unwrap_or_else(std::sync::PoisonError::into_inner).waiting = true;
        ready.notify_one();
    }

    /// Asks the reader to read the file of evidence `id` again.
    pub fn again(&self, id: String) {
        let (asked, ready) = &*self.asked;
        asked.lock().unwrap_or_else(std::sync::PoisonError::into_inner).again.push_back(id);
        ready.notify_one();
    }

    /// Waits to be asked; returns the evidence to read again.
    fn wait(&self) -> Vec<String> {
        let (asked, ready) = &*self.asked;
        let mut guard = asked.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while !guard.waiting && guard.again.is_empty() {
            guard = ready.wait(guard).unwrap_or_else(std::sync::PoisonError::into_inner);
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
        let Ok(job) = state.blocking(|s| evidence::reading(s, id)) else { return };
        let result = job.run(&mut |done, total| {
            let _ = app.emit("text-progress", Progress { evidence_id: id, done, total });
            // A database locked meanwhile stops the reading: its keys are not used once it is locked.
            // Asked without waiting, so a long command holding the store does not eat the reading's time.
            state.is_open_now()
        });
        if matches!(result, Err(dossier_core::Error::Cancelled)) {
            return;
        }
        if state.blocking(|s| s.keep_text(&job, &result)).is_ok() {
            let _ = app.emit("text-read", Read { evidence_id: id });
        }
    }
}
