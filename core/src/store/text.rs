//! The text of evidence files, kept page by page (`file_page`), with where its reading stands
//! (`file_extraction`). Both are derived from the file, as the search index is from the record: they
//! are not changes of the record and leave no change-log entry, and they can be read again at any time.
//!
//! Reading a document can take minutes (OCR), so it never happens inside a write: a [`Job`] is taken
//! from the store, [run](Job::run) without it (it holds its own handle on the files), and what it read
//! is kept by [`Store::keep_text`] in one short transaction that also re-indexes the evidence showing
//! that file. Text, HTML and e-mail files are read before the write that adds them
//! ([`read_before_write`]), as they always were.

use rusqlite::params;
use serde::Serialize;

use super::blobs::Blobs;
use super::conn::{Reader, Writer};
use super::{derived, Store};
use crate::error::{Error, Result};
use crate::extract::{self, Budget, Kind, Pages, Progress};
use crate::vocabulary::{TextMethod, TextState};

/// Where the reading of a file's text stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileText {
    pub state: TextState,
    pub method: Option<TextMethod>,
    /// Pages read (a text file or an e-mail is one).
    pub pages: i64,
    /// Whether the pages are the file's own (a PDF's, a document's), worth naming in a citation.
    pub paged: bool,
    /// Why it could not be read, or what of it could not (a scanned page OCR failed on), in English;
    /// empty otherwise.
    pub error: String,
}

/// The text of one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PageText {
    pub page: i64,
    pub text: String,
}

/// The reading of one file, to run outside the store.
pub struct Job {
    pub sha256: String,
    kind: Option<Kind>,
    blobs: Blobs,
    budget: Budget,
}

impl Job {
    /// Reads the file's pages, its OCR within the job's budget; holds no lock on the database.
    pub fn run(&self, progress: &mut Progress<'_>) -> Result<Pages> {
        let kind = self.kind.ok_or_else(|| {
            Error::rule("file", "unsupported", None, "no text can be read from this kind of file".to_string())
        })?;
        let open = || self.blobs.open(&self.sha256);
        extract::read_within(kind, &open, self.budget, progress)
    }

    /// The same job with another OCR budget than [`Budget::from_env`] (tests set a small one).
    pub fn within(self, budget: Budget) -> Job {
        Job { budget, ..self }
    }

    /// Whether there is anything to read.
    pub fn is_readable(&self) -> bool {
        self.kind.is_some()
    }
}

/// The job that reads the file `sha256` of type `media_type`.
pub(crate) fn job(store: &Store, sha256: &str, media_type: &str) -> Job {
    Job {
        sha256: sha256.to_string(),
        kind: Kind::of(media_type),
        blobs: store.blobs.clone(),
        budget: Budget::from_env(),
    }
}

/// A file waiting to be read: its SHA-256, its media type, and the first evidence showing it.
pub struct Waiting {
    pub sha256: String,
    pub media_type: String,
    pub evidence_id: Option<String>,
}

/// The files waiting to be read in the background: those never interrupted first, then the smallest
/// first, then the oldest. A file whose reading was cut short (it may be what stops the reader) does
/// not hold back the others at the next start, and one huge scan waits behind the many small files.
pub fn pending(db: &Reader) -> Result<Vec<Waiting>> {
    db.all(
        "SELECT x.sha256, e.media_type, e.id
           FROM file_extraction x
           LEFT JOIN evidence e ON e.id = (SELECT id FROM evidence WHERE sha256 = x.sha256 ORDER BY id LIMIT 1)
          WHERE x.state = 'pending' ORDER BY x.attempts, e.size, x.at, x.sha256",
        [],
        |r| {
            Ok(Waiting {
                sha256: r.get(0)?,
                media_type: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                evidence_id: r.get(2)?,
            })
        },
    )
}

/// Where the reading of the file `sha256` stands, if it was ever asked for.
pub fn state(db: &Reader, sha256: &str) -> Result<Option<FileText>> {
    db.optional("SELECT state, method, pages, paged, error FROM file_extraction WHERE sha256 = ?1", [sha256], |r| {
        Ok(FileText { state: r.get(0)?, method: r.get(1)?, pages: r.get(2)?, paged: r.get(3)?, error: r.get(4)? })
    })
}

/// The text of the file `sha256`: one page, or every page read (pages without text are left out).
pub fn pages(db: &Reader, sha256: &str, page: Option<i64>) -> Result<Vec<PageText>> {
    db.all(
        "SELECT page, text FROM file_page WHERE sha256 = ?1 AND (?2 IS NULL OR page = ?2) ORDER BY page",
        params![sha256, page],
        |r| Ok(PageText { page: r.get(0)?, text: r.get(1)? }),
    )
}

/// What the write adding a file does about its text: the pages of a text file read just before
/// (`read`), or the file marked as waiting to be read in the background, or as holding no text.
pub(crate) enum BeforeWrite {
    Read(Result<Pages>),
    Later,
    Nothing,
}

/// Reads a text, HTML or e-mail file before the write that adds it (quick and bounded); says to read
/// any other file later.
pub(crate) fn read_before_write(store: &Store, sha256: &str, media_type: &str) -> BeforeWrite {
    match Kind::of(media_type) {
        None => BeforeWrite::Nothing,
        Some(kind) if kind.in_background() => BeforeWrite::Later,
        Some(_) => BeforeWrite::Read(job(store, sha256, media_type).run(&mut |_, _| true)),
    }
}

/// Keeps, inside the write adding a file, what [`read_before_write`] decided. A file already read
/// (the same content added again) is left as it is.
pub(crate) fn keep_for_write(w: &Writer<'_>, sha256: &str, media_type: &str, before: &BeforeWrite) -> Result<()> {
    let known = w.exists("SELECT 1 FROM file_extraction WHERE sha256 = ?1 AND state = 'done'", [sha256])?;
    match before {
        _ if known => Ok(()),
        BeforeWrite::Read(result) => keep(w, sha256, Kind::of(media_type).is_some_and(Kind::paged), result),
        BeforeWrite::Later => set_state(w, sha256, TextState::Pending),
        BeforeWrite::Nothing => set_state(w, sha256, TextState::Unsupported),
    }
}

fn set_state(w: &Writer<'_>, sha256: &str, state: TextState) -> Result<()> {
    w.execute(
        "INSERT INTO file_extraction (sha256, state, at) VALUES (?1, ?2, ?3)
         ON CONFLICT (sha256) DO UPDATE SET state = excluded.state, at = excluded.at, attempts = 0",
        params![sha256, state, now()],
    )?;
    Ok(())
}

/// Keeps what reading the file gave: its pages, or why it failed (its earlier pages are dropped).
fn keep(w: &Writer<'_>, sha256: &str, paged: bool, result: &Result<Pages>) -> Result<()> {
    w.execute("DELETE FROM file_page WHERE sha256 = ?1", [sha256])?;
    let (state, method, pages, error) = match result {
        Ok(read) => {
            for (i, text) in read.pages.iter().enumerate().filter(|(_, t)| !t.trim().is_empty()) {
                w.execute(
                    "INSERT INTO file_page (sha256, page, text) VALUES (?1, ?2, ?3)",
                    params![sha256, i as i64 + 1, text],
                )?;
            }
            (TextState::Done, Some(read.method), read.pages.len() as i64, read.problem.clone().unwrap_or_default())
        }
        Err(e) => (TextState::Failed, None, 0, e.to_string()),
    };
    w.execute(
        "INSERT OR REPLACE INTO file_extraction (sha256, state, method, pages, paged, error, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![sha256, state, method, pages, paged, error, now()],
    )?;
    super::seal::seal_reading(w, sha256)
}

/// Keeps what a job read (nothing when it was stopped) and re-indexes the evidence showing the file.
/// A file no evidence shows any more (erased while it was read) keeps nothing.
fn keep_read(w: &Writer<'_>, job: &Job, result: &Result<Pages>) -> Result<()> {
    if matches!(result, Err(Error::Cancelled)) || !shown(w, &job.sha256)? {
        return Ok(());
    }
    if job.kind.is_none() {
        set_state(w, &job.sha256, TextState::Unsupported)?;
    } else {
        keep(w, &job.sha256, job.kind.is_some_and(Kind::paged), result)?;
    }
    for id in w.strings("SELECT id FROM evidence WHERE sha256 = ?1", [&job.sha256])? {
        derived::search::reindex(w, &id)?;
    }
    Ok(())
}

/// Whether any evidence shows the file `sha256`.
fn shown(db: &Reader, sha256: &str) -> Result<bool> {
    db.exists("SELECT 1 FROM evidence_file WHERE sha256 = ?1", [sha256])
}

/// Removes everything read from the file `sha256` — its pages, its reading's state and seal — once no
/// evidence shows it (an erasure); says whether it did.
pub(crate) fn forget(w: &Writer<'_>, sha256: &str) -> Result<bool> {
    if shown(w, sha256)? {
        return Ok(false);
    }
    for table in ["file_page", "file_extraction", "reading_seal"] {
        w.execute(&format!("DELETE FROM {table} WHERE sha256 = ?1"), [sha256])?;
    }
    Ok(true)
}

/// Readings of a pending file that may begin and not end before it is marked failed.
const MAX_ATTEMPTS: i64 = 2;

/// Why a file whose reading was interrupted [`MAX_ATTEMPTS`] times is marked failed.
const INTERRUPTED: &str = "its reading was interrupted twice before it ended (the program was stopped or the \
                           machine went down); read it again to try once more";

/// Notes that the reading of a pending file begins; says `false`, having marked the file failed, when
/// two readings of it began and never ended. A file already read, failed or stopped, read again on
/// demand, is not counted: its state stands until the new reading ends.
fn begin(w: &Writer<'_>, sha256: &str) -> Result<bool> {
    let attempts: Option<i64> =
        w.optional("SELECT attempts FROM file_extraction WHERE sha256 = ?1 AND state = 'pending'", [sha256], |r| {
            r.get(0)
        })?;
    match attempts {
        None => Ok(true),
        Some(n) if n >= MAX_ATTEMPTS => {
            w.execute(
                "UPDATE file_extraction SET state = 'failed', error = ?2, attempts = 0, at = ?3 WHERE sha256 = ?1",
                params![sha256, INTERRUPTED, now()],
            )?;
            Ok(false)
        }
        Some(_) => {
            w.execute("UPDATE file_extraction SET attempts = attempts + 1 WHERE sha256 = ?1", [sha256])?;
            Ok(true)
        }
    }
}

/// Marks a file not yet read as stopped by the user (a file already read keeps its text).
fn stop(w: &Writer<'_>, sha256: &str) -> Result<()> {
    w.execute(
        "UPDATE file_extraction SET state = 'stopped', error = 'the reading was stopped', attempts = 0, at = ?2
          WHERE sha256 = ?1 AND state = 'pending'",
        params![sha256, now()],
    )?;
    Ok(())
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// Keeps what a [`Job`] read (or why it failed) and re-indexes the evidence showing the file, in
    /// one short transaction. A reading that was stopped keeps nothing: the file stays waiting.
    pub fn keep_text(&mut self, job: &Job, result: &Result<Pages>) -> Result<()> {
        // What is kept is sealed: not while this installation's key cannot be read.
        self.refuse_if_unsealable()?;
        self.transaction(|w| keep_read(w, job, result))
    }

    /// Notes, in one short transaction, that `job` begins (before [`Job::run`]); `false` when the file
    /// was marked failed instead, its reading having been interrupted twice already.
    pub fn begin_text(&mut self, job: &Job) -> Result<bool> {
        if self.read_only {
            return Ok(true);
        }
        // Not begun while what it reads could not be sealed (see `keep_text`): the file stays waiting,
        // and is not counted as interrupted.
        self.refuse_if_unsealable()?;
        self.transaction(|w| begin(w, &job.sha256))
    }

    /// Marks the file `sha256`, if it is still waiting to be read, as stopped by the user: the
    /// background reader leaves it until it is asked to read it again.
    pub fn stop_text(&mut self, sha256: &str) -> Result<()> {
        self.transaction(|w| stop(w, sha256))
    }

    /// Reads every text, HTML and e-mail file still waiting (after an upgrade), 50 at a time, each
    /// batch read before the transaction that keeps it; marks files with no text as such. Documents
    /// stay waiting for the front end's background reader.
    pub(crate) fn read_waiting_text_files(&mut self) -> Result<()> {
        // Left waiting, for the next opening, while this installation's key cannot seal what is read.
        if self.read_only || self.unread_key.is_some() {
            return Ok(());
        }
        let waiting: Vec<Waiting> = pending(&self.db)?
            .into_iter()
            .filter(|f| Kind::of(&f.media_type).is_none_or(|k| !k.in_background()))
            .collect();
        for chunk in waiting.chunks(50) {
            let read: Vec<(Job, Result<Pages>)> = chunk
                .iter()
                .map(|f| {
                    let job = job(self, &f.sha256, &f.media_type);
                    let result = job.run(&mut |_, _| true);
                    (job, result)
                })
                .collect();
            self.transaction(|w| read.iter().try_for_each(|(job, result)| keep_read(w, job, result)))?;
        }
        Ok(())
    }
}
