//! Evidence: files kept in the content-addressed store beside the database (`store::blobs`: named by
//! their SHA-256, hashed while they are copied, the same content stored once), URLs, and publication
//! references; and the links from any evidence to any record, each with a pinpoint ("p. 2", "§ 4"), a
//! note and, when a passage was selected in the viewer, its quote (`link.rs`: the exact words with a
//! little context, checked against the file's text, kept in `link_quote`).
//!
//! A file is copied and flushed to disk before the database row that names it is committed, so the
//! database never points at a file that is not there. Deleting evidence keeps the stored file.

pub mod capture;
mod copies;
mod link;
mod opening;
pub mod redact;
mod verbatim;

pub use link::{for_record, link, unlink, Link, LinkInput, Quote, QuoteInput};
pub(crate) use link::{insert_link, is_linked, link_in, LinkFields};
pub use opening::{file_path, for_viewer, sweep_all_viewer_copies, sweep_viewer_copies, viewer_copy, MAX_SHOWN};
pub use verbatim::QuoteCheck;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::{case, privacy, Listed};
use crate::store::columns::date_cols;
use crate::store::registry::{self, Stamps};
use crate::store::text::{self, FileText, Job, PageText};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{EvidenceKind, RecordKind, Spelling};

/// A URL or a publication reference (files come in through [`add_file`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceInput {
    pub case: String,
    /// "url" or "publication".
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub publisher: String,
    /// Publication or capture date.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileInput {
    pub case: String,
    pub path: PathBuf,
    /// Left empty, the file's name.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    pub id: String,
    pub case_id: String,
    pub kind: EvidenceKind,
    pub title: String,
    pub note: String,
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub media_type: Option<String>,
    pub original_name: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    /// The records this evidence supports.
    pub links: Vec<Link>,
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    /// Where the reading of its file's text stands (`None` for a URL or a publication).
    pub text: Option<FileText>,
    /// What a captured web page keeps beside its archive (`None` for any other evidence).
    pub capture: Option<capture::Capture>,
    /// The original this is a redacted copy of, and its boxes (`None` for any other evidence).
    pub redacted_from: Option<RedactedFrom>,
    /// The redacted copies made of this evidence, oldest first.
    pub redacted_copies: Vec<RedactedCopy>,
    pub created_at: String,
    pub updated_at: String,
}

/// The file of file evidence, as stored.
pub(crate) struct StoredFile {
    pub(crate) sha256: String,
    pub(crate) size: i64,
    pub(crate) media_type: Option<String>,
    pub(crate) original_name: Option<String>,
}

impl StoredFile {
    fn check(&self) -> Result<()> {
        if !crate::store::blobs::is_sha256(&self.sha256) {
            return Err(Error::rule(
                "sha256",
                "not_sha256",
                input::shorten(&self.sha256),
                format!("'{}' is not a SHA-256 (64 lower-case hexadecimal digits)", input::shorten(&self.sha256)),
            ));
        }
        if self.size < 0 {
            return Err(Error::rule("size", "negative", self.size.to_string(), "is negative"));
        }
        if let Some(m) = &self.media_type {
            input::line("media_type", m)?;
        }
        if let Some(n) = &self.original_name {
            input::line("original_name", n)?;
        }
        Ok(())
    }
}

/// Evidence's own values, checked.
pub(crate) struct Fields {
    kind: EvidenceKind,
    title: String,
    note: String,
    file: Option<StoredFile>,
    url: Option<String>,
    publisher: Option<String>,
    date: Option<FuzzyDate>,
}

impl Fields {
    /// Checks the description of evidence; its stored file, if any, comes with [`Fields::with_file`].
    pub(crate) fn check(input: &EvidenceInput, spelling: Spelling) -> Result<Fields> {
        let kind: EvidenceKind = input::one_of("kind", &input.kind, spelling)?;
        let url = input::web_url("url", &input.url)?;
        if kind == EvidenceKind::Url && url.is_none() {
            return Err(Error::rule("url", "url_required", None, "is required for URL evidence"));
        }
        Ok(Fields {
            kind,
            title: input::required("title", &input.title)?,
            url,
            publisher: Some(input::line("publisher", &input.publisher)?).filter(|p| !p.is_empty()),
            date: input::opt_date("date", &input.date)?,
            note: input::text("note", &input.note)?,
            file: None,
        })
    }

    /// The same with its stored file, which file evidence must have and no other evidence may.
    pub(crate) fn with_file(self, file: Option<StoredFile>) -> Result<Fields> {
        match (self.kind, &file) {
            (EvidenceKind::File, None) => {
                Err(Error::rule("sha256", "file_without_hash", None, "a file needs its sha256 and size"))
            }
            (EvidenceKind::File, Some(f)) => {
                f.check()?;
                Ok(Fields { file, ..self })
            }
            (kind, Some(_)) => Err(Error::rule(
                "sha256",
                "hash_without_file",
                kind.to_string(),
                format!("only file evidence has a stored file, and this is a {kind}"),
            )),
            (_, None) => Ok(self),
        }
    }
}

/// Writes a new piece of evidence (of any kind).
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, case_id: &str, f: &Fields, stamps: &Stamps) -> Result<()> {
    let (d, sort, lo, hi, rank) = date_cols(f.date.as_ref());
    let file = f.file.as_ref();
    registry::register(w, RecordKind::Evidence, id, stamps)?;
    w.execute(
        "INSERT INTO evidence (id, case_id, kind, title, note, sha256, size, media_type, original_name, url, publisher,
             date, date_sort, date_lo, date_hi, date_rank)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            id,
            case_id,
            f.kind,
            f.title,
            f.note,
            file.map(|x| &x.sha256),
            file.map(|x| x.size),
            file.and_then(|x| x.media_type.as_ref()),
            file.and_then(|x| x.original_name.as_ref()),
            f.url,
            f.publisher,
            d,
            sort,
            lo,
            hi,
            rank
        ],
    )?;
    Ok(())
}

/// Changes the description of evidence; a stored file never changes.
fn update_row(w: &Writer<'_>, id: &str, f: &Fields) -> Result<()> {
    let (d, sort, lo, hi, rank) = date_cols(f.date.as_ref());
    w.execute(
        "UPDATE evidence SET title = ?2, note = ?3, url = ?4, publisher = ?5,
             date = ?6, date_sort = ?7, date_lo = ?8, date_hi = ?9, date_rank = ?10
         WHERE id = ?1",
        params![id, f.title, f.note, f.url, f.publisher, d, sort, lo, hi, rank],
    )?;
    registry::touch(w, id)
}

/// Adds a file as evidence of a case. The file is copied into the store; the original is not touched.
pub fn add_file(store: &mut Store, input: &FileInput) -> Result<Evidence> {
    let meta = std::fs::metadata(&input.path).map_err(|e| Error::io(&input.path, e))?;
    if !meta.is_file() {
        let path = input.path.display().to_string();
        return Err(Error::rule("file", "not_a_file", path.clone(), format!("'{path}' is not a regular file")));
    }
    let file = File::open(&input.path).map_err(|e| Error::io(&input.path, e))?;
    add_stream(store, input, BufReader::with_capacity(1 << 16, file))
}

/// Adds evidence read from `content`, recorded under the name and details of `input` (its `path` is
/// only a name here: it is not opened).
pub fn add_stream(store: &mut Store, input: &FileInput, content: impl Read) -> Result<Evidence> {
    let staged = stage(store, input, content)?;
    let id = registry::new_id();
    store.write("add evidence file", Some(&id), input, |w| insert_staged(w, &id, &staged))?;
    get(store.reader(), &id)
}

/// A file put into the evidence store, with its checked description, for evidence not written yet
/// ([`insert_staged`], inside a write).
pub(crate) struct Staged {
    case_id: String,
    fields: Fields,
    text: text::BeforeWrite,
}

/// Checks the description of a new file's evidence, then copies the file into the store and reads
/// its text when that is quick: all that adding it does before its write.
pub(crate) fn stage(store: &Store, input: &FileInput, content: impl Read) -> Result<Staged> {
    let case_id = case::resolve(store.reader(), &input.case)?;
    stage_for(store, case_id, input, content)
}

/// [`stage`] for the case `case_id` (`input.case` is not read), which need not exist yet: a file of a
/// case that the same write creates (a generated one). A case that never comes fails the write.
pub(crate) fn stage_for(store: &Store, case_id: String, input: &FileInput, content: impl Read) -> Result<Staged> {
    // Only the last path component is kept, so a name like "../../etc/passwd" is recorded as "passwd"
    // and never reused as a path: the stored file is named by its hash.
    let original_name = input.path.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
        let path = input.path.display().to_string();
        Error::rule("file", "no_file_name", path.clone(), format!("'{path}' has no file name"))
    })?;
    let title =
        if input.title.trim().is_empty() { original_name.replace(['\n', '\r'], " ") } else { input.title.clone() };
    let description = EvidenceInput {
        case: case_id.clone(),
        kind: EvidenceKind::File.to_string(),
        title,
        date: input.date.clone(),
        note: input.note.clone(),
        ..Default::default()
    };
    let media_type = mime_guess::from_path(&original_name).first_or_octet_stream().essence_str().to_string();
    // The description is checked before the file is copied, so bad input stores nothing.
    let fields = Fields::check(&description, Spelling::Exact)?;
    let (sha256, size) = store.blobs().put(content, &input.path)?;
    let text = text::read_before_write(store, &sha256, &media_type);
    let file = StoredFile {
        sha256,
        size: i64::try_from(size).map_err(|_| Error::internal(format!("a file of {size} bytes")))?,
        media_type: Some(media_type),
        original_name: Some(original_name),
    };
    Ok(Staged { case_id, fields: fields.with_file(Some(file))?, text })
}

/// Writes the evidence `id` of a staged file, with its text.
pub(crate) fn insert_staged(w: &Writer<'_>, id: &str, staged: &Staged) -> Result<()> {
    if let Some(file) = &staged.fields.file {
        text::keep_for_write(w, &file.sha256, file.media_type.as_deref().unwrap_or(""), &staged.text)?;
    }
    insert_row(w, id, &staged.case_id, &staged.fields, &Stamps::now())
}

/// Checks a URL or a publication reference; returns its case's id with its values.
fn validate_reference(db: &Reader, input: &EvidenceInput) -> Result<(String, Fields)> {
    let case_id = case::resolve(db, &input.case)?;
    if input::one_of::<EvidenceKind>("kind", &input.kind, Spelling::Lenient)? == EvidenceKind::File {
        return Err(Error::rule("kind", "file_by_reference", None, "files are added from a path, not as a reference"));
    }
    Ok((case_id, Fields::check(input, Spelling::Lenient)?))
}

/// Adds a URL or a publication reference.
pub fn create(store: &mut Store, input: &EvidenceInput) -> Result<Evidence> {
    let (case_id, fields) = validate_reference(store.reader(), input)?;
    let id = registry::new_id();
    store.write("create evidence", Some(&id), input, |w| insert_row(w, &id, &case_id, &fields, &Stamps::now()))?;
    get(store.reader(), &id)
}

/// Adds a URL or a publication reference inside a write under way, checked as [`create`] checks it;
/// returns its id.
pub(crate) fn create_in(w: &Writer<'_>, input: &EvidenceInput) -> Result<String> {
    let (case_id, fields) = validate_reference(w, input)?;
    let id = registry::new_id();
    insert_row(w, &id, &case_id, &fields, &Stamps::now())?;
    Ok(id)
}

/// Edits the description of evidence (title, URL, publisher, date, note); a file's content never changes.
pub fn update(store: &mut Store, id: &str, input: &EvidenceInput) -> Result<Evidence> {
    let existing = get(store.reader(), id)?;
    let case_id = case::resolve(store.reader(), &input.case)?;
    registry::same_case(store.reader(), RecordKind::Evidence, &existing.id, &case_id)?;
    let file = existing.sha256.clone().map(|sha256| StoredFile {
        sha256,
        size: existing.size.unwrap_or(0),
        media_type: existing.media_type.clone(),
        original_name: existing.original_name.clone(),
    });
    // A file stays a file whatever kind the input names; the others keep their kind too.
    let kind = if file.is_some() { EvidenceKind::File } else { input::one_of("kind", &input.kind, Spelling::Lenient)? };
    if kind != existing.kind {
        return Err(Error::rule(
            "kind",
            "kind_is_fixed",
            existing.kind.to_string(),
            format!("evidence '{}' is a {} and stays one", existing.title, existing.kind),
        ));
    }
    let description = EvidenceInput { kind: kind.to_string(), ..input.clone() };
    let fields = Fields::check(&description, Spelling::Lenient)?.with_file(file)?;
    store.write("update evidence", Some(&existing.id), input, |w| update_row(w, &existing.id, &fields))?;
    get(store.reader(), &existing.id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let e = get(store.reader(), id)?;
    let label = format!("evidence '{}'", e.title);
    store.write("delete evidence", Some(&e.id), &e.title, |w| {
        registry::delete_row(w, RecordKind::Evidence, &e.id, &label)
    })
}

pub fn get(db: &Reader, id: &str) -> Result<Evidence> {
    let mut e = db
        .optional(
            "SELECT id, case_id, kind, title, note, sha256, size, media_type, original_name, url, publisher, date
               FROM evidence WHERE id = ?1",
            [id.trim()],
            |r| {
                Ok(Evidence {
                    id: r.get(0)?,
                    case_id: r.get(1)?,
                    kind: r.get(2)?,
                    title: r.get(3)?,
                    note: r.get(4)?,
                    sha256: r.get(5)?,
                    size: r.get(6)?,
                    media_type: r.get(7)?,
                    original_name: r.get(8)?,
                    url: r.get(9)?,
                    publisher: r.get(10)?,
                    date: r.get(11)?,
                    links: Vec::new(),
                    private: false,
                    text: None,
                    capture: None,
                    redacted_from: None,
                    redacted_copies: Vec::new(),
                    created_at: String::new(),
                    updated_at: String::new(),
                })
            },
        )?
        .ok_or_else(|| Error::not_found("evidence", id))?;
    e.links = link::of_evidence(db, &e.id, e.sha256.as_deref())?;
    Stamps { created_at: e.created_at, updated_at: e.updated_at } = registry::stamps(db, &e.id)?;
    e.private = privacy::is_private(db, &e.id)?;
    if let Some(sha) = &e.sha256 {
        e.text = text::state(db, sha)?;
        e.capture = capture::of(db, &e.id)?;
        e.redacted_from = redacted_from(db, &e.id)?;
        e.redacted_copies = redacted_copies(db, &e.id)?;
    }
    Ok(e)
}

/// What a redacted copy was made from, as its panel names it: the original by id and title, and the
/// boxes with their reasons.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedactedFrom {
    pub original_id: String,
    pub original_title: String,
    pub made_at: String,
    pub boxes: Vec<redact::RedactedBox>,
}

/// A redacted copy of a piece of evidence, as its original's panel lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedactedCopy {
    pub id: String,
    pub title: String,
    pub made_at: String,
}

fn redacted_from(db: &Reader, id: &str) -> Result<Option<RedactedFrom>> {
    let Some(r) = redact::of(db, id)? else { return Ok(None) };
    let original_title = db.one("SELECT title FROM evidence WHERE id = ?1", [&r.original_id], |row| row.get(0))?;
    Ok(Some(RedactedFrom { original_id: r.original_id, original_title, made_at: r.made_at, boxes: r.boxes }))
}

fn redacted_copies(db: &Reader, id: &str) -> Result<Vec<RedactedCopy>> {
    db.all(
        "SELECT r.evidence_id, e.title, r.made_at FROM redaction r JOIN evidence e ON e.id = r.evidence_id
          WHERE r.original_id = ?1 ORDER BY r.made_at, r.evidence_id",
        [id],
        |row| Ok(RedactedCopy { id: row.get(0)?, title: row.get(1)?, made_at: row.get(2)? }),
    )
}

pub fn list(db: &Reader, case: &str) -> Result<Vec<Evidence>> {
    let case_id = case::resolve(db, case)?;
    crate::record::list_by(db, LIST, &case_id, get)
}

/// A page of [`list`]: `limit` pieces of evidence from position `offset`, with the total.
pub fn page(db: &Reader, case: &str, offset: usize, limit: usize) -> Result<Listed<Evidence>> {
    let case_id = case::resolve(db, case)?;
    crate::record::page_by(db, LIST, &case_id, get, offset, limit)
}

/// The evidence of a case, in the order it is listed.
const LIST: &str = "SELECT id FROM evidence WHERE case_id = ?1 ORDER BY title COLLATE NOCASE, id";

/// The text read from the file of evidence `id`: one page, or all of them.
pub fn text(db: &Reader, id: &str, page: Option<i64>) -> Result<Vec<PageText>> {
    let e = get(db, id)?;
    let sha = e.sha256.clone().ok_or_else(|| not_a_file(&e))?;
    if let Some(n) = page.filter(|&n| n < 1 || e.text.as_ref().is_some_and(|t| n > t.pages)) {
        let pages = e.text.as_ref().map_or(0, |t| t.pages);
        return Err(Error::rule(
            "page",
            "no_such_page",
            n.to_string(),
            format!("page {n} is not among the {pages} pages read"),
        ));
    }
    text::pages(db, &sha, page)
}

/// The reading of the file of evidence `id`, to run outside the store ([`Job::run`]) and keep with
/// [`Store::keep_text`]: again on demand, or for the first time when it was left waiting.
pub fn reading(store: &Store, id: &str) -> Result<Job> {
    let e = get(store.reader(), id)?;
    let sha = e.sha256.as_deref().ok_or_else(|| not_a_file(&e))?;
    Ok(text::job(store, sha, e.media_type.as_deref().unwrap_or("")))
}

/// The [`reading`] of the file of evidence `id`, its beginning noted (`Store::begin_text`): what a
/// front end calls just before it runs the job. `None` when the file, whose reading was interrupted
/// twice already, was marked failed instead.
pub fn begin_reading(store: &mut Store, id: &str) -> Result<Option<Job>> {
    let job = reading(store, id)?;
    Ok(store.begin_text(&job)?.then_some(job))
}

/// Stops the reading of the file of evidence `id` if it was not read yet: the file is marked stopped
/// ("reading stopped"), the background reader leaves it, and reading it again (`read_text`, the
/// app's "read again") reads it whole. A file already read keeps its text. The front end stops the
/// reading under way itself (the app's reader checks between pages).
pub fn stop_reading(store: &mut Store, id: &str) -> Result<Evidence> {
    let e = get(store.reader(), id)?;
    let sha = e.sha256.as_deref().ok_or_else(|| not_a_file(&e))?;
    store.stop_text(sha)?;
    get(store.reader(), id)
}

/// The error for evidence that is a URL or a publication where a file was needed.
fn not_a_file(e: &Evidence) -> Error {
    Error::rule("evidence", "not_a_file", e.title.clone(), format!("'{}' is not a file", e.title))
}

/// The evidence whose files wait to be read (one per file), in the order `store::text::pending` gives:
/// files never interrupted first, then the smallest.
pub fn waiting(db: &Reader) -> Result<Vec<String>> {
    Ok(text::pending(db)?.into_iter().filter_map(|f| f.evidence_id).collect())
}

/// Reads the text of the file of evidence `id` now and keeps it (what the CLI does, waiting); returns
/// where it stands. The store is not locked while the file is read.
pub fn read_text(store: &mut Store, id: &str, progress: &mut crate::extract::Progress<'_>) -> Result<Evidence> {
    let Some(job) = begin_reading(store, id)? else { return get(store.reader(), id) };
    let result = job.run(progress);
    store.keep_text(&job, &result)?;
    if let Err(Error::Cancelled) = result {
        return Err(Error::Cancelled);
    }
    get(store.reader(), id)
}

impl Evidence {
    pub fn to_input(&self) -> EvidenceInput {
        EvidenceInput {
            case: self.case_id.clone(),
            kind: self.kind.to_string(),
            title: self.title.clone(),
            url: self.url.clone().unwrap_or_default(),
            publisher: self.publisher.clone().unwrap_or_default(),
            date: self.date.clone().unwrap_or_default(),
            note: self.note.clone(),
        }
    }
}
