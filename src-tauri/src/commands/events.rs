//! The events the shell sends the page, declared once: each `Event` constant here names the event and
//! types its payload, the shell emits through it, and the build writes the page's typed listener for it
//! (`onTextRead`, … in `ui/src/lib/commands.ts`), so neither side spells the name or the payload alone.

use std::marker::PhantomData;
use std::path::PathBuf;

use serde::Serialize;
use tauri::{AppHandle, Emitter};

/// An event the page can listen to, with its payload's type.
pub struct Event<T> {
    name: &'static str,
    payload: PhantomData<fn(T)>,
}

impl<T: Serialize + Clone> Event<T> {
    const fn new(name: &'static str) -> Event<T> {
        Event { name, payload: PhantomData }
    }

    /// Tells the page; a page that is gone is not an error.
    pub fn emit(&self, app: &AppHandle, payload: T) {
        let _ = app.emit(self.name, payload);
    }
}

/// How far the reading of a file's pages by OCR is.
#[derive(Clone, Serialize)]
pub struct TextProgress {
    pub evidence_id: String,
    pub done: usize,
    pub total: usize,
}

/// A file's text was read, or its reading failed or was stopped: its evidence is worth reading again.
#[derive(Clone, Serialize)]
pub struct TextRead {
    pub evidence_id: String,
}

/// Pages of a file read so far by OCR, while the background reader works on it.
pub const TEXT_PROGRESS: Event<TextProgress> = Event::new("text-progress");

/// A file's reading ended (read, failed or stopped).
pub const TEXT_READ: Event<TextRead> = Event::new("text-read");

/// Files dropped on the window, remembered as given by the user (to be read, never written).
pub const FILES_DROPPED: Event<Vec<PathBuf>> = Event::new("files-dropped");
