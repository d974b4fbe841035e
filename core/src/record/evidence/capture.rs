//! Captured web pages: one piece of evidence that keeps three files, each in the evidence store by its
//! SHA-256 — the web archive (a WARC file with the requests and responses as they crossed the wire,
//! redirects included, or an MHTML file a browser saved), the text of the page, and a screenshot of
//! the whole page when one was taken — with when the page was received and the address it ended at.
//!
//! The archive is the evidence's own file (`evidence.sha256`, media type `application/warc` or
//! `multipart/related`): it is what is cited, opened, checked and backed up like any document, and
//! its text (`file_page`, read from the archive by `extract`) is what search finds. The text and the
//! screenshot are parts, named in `evidence_capture` with what the archive says of the page. Every
//! fact here is read from the archive itself (`archive`), never taken from whoever hands it over: a
//! capture made by `dossier capture` and a WARC or MHTML file made elsewhere (Webrecorder, Hunchly, a
//! browser) are stored by the same function. Fetching a page is not the core's business: the CLI does
//! it (crate `dossier-capture`) and gives the files to [`add`].

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{case, get, registry, text, Evidence, EvidenceInput, Fields, Staged, StoredFile};
use crate::archive::{self, Page};
use crate::error::{Error, Result};
use crate::extract::Pages;
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{EvidenceKind, Spelling, TextMethod};

/// Largest screenshot kept.
const MAX_SCREENSHOT: u64 = 64 << 20;

/// A web page to keep as evidence: its archive, and the screenshot taken beside it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaptureInput {
    pub case: String,
    /// The web archive: a WARC file (`.warc`, `.warc.gz`) or an MHTML file (`.mhtml`, `.mht`).
    pub archive: PathBuf,
    /// A screenshot of the whole page (PNG); without one, the archive's own when it holds one.
    #[serde(default)]
    pub screenshot: Option<PathBuf>,
    /// How the screenshot was taken, or why there is none.
    #[serde(default)]
    pub screenshot_note: String,
    /// Left empty, the page's title (else its address).
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
}

/// What a capture keeps beside its archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Capture {
    /// "warc" or "mhtml".
    pub format: String,
    /// The address asked for.
    pub url: String,
    /// The page's address after redirects.
    pub final_url: String,
    /// When the page was received (UTC, RFC 3339).
    pub captured_at: String,
    /// The HTTP status of the page's response (none in an MHTML file).
    pub status: Option<i64>,
    /// The software that made the archive, as the archive names it.
    pub made_by: String,
    /// The page's text, a file of its own.
    pub text: CapturePart,
    /// The screenshot of the whole page, when there is one.
    pub screenshot: Option<CapturePart>,
    /// How the screenshot was taken, or why there is none (as written when it was taken, in English).
    pub screenshot_note: String,
    /// The same in French ([`note_in_french`]).
    pub screenshot_note_fr: String,
}

/// A file of a capture in the evidence store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CapturePart {
    pub sha256: String,
    pub size: i64,
}

/// The files of a capture made in memory (`dossier capture`, the app): never written anywhere but the
/// evidence store, which seals them when the database is encrypted.
pub struct CaptureFiles {
    /// The archive's file name, as the evidence will name it.
    pub name: String,
    pub archive: Vec<u8>,
    pub screenshot: Option<Vec<u8>>,
    /// The page's text as a browser drew it (the app's capture window reads it from the page, so text
    /// its scripts wrote is kept); without it, the text is read from the archive's HTML.
    pub text: Option<String>,
}

/// Keeps a captured web page as one piece of evidence of `input.case`: the archive, the page's text
/// read from it, and the screenshot, read from the files `input` names. Nothing is written unless all
/// three are stored.
pub fn add(store: &mut Store, input: &CaptureInput) -> Result<Evidence> {
    let archive = read_bounded(&input.archive, archive::MAX_ARCHIVE as u64, "web archive")?;
    let screenshot = match &input.screenshot {
        Some(path) => Some(read_bounded(path, MAX_SCREENSHOT, "screenshot")?),
        None => None,
    };
    let name = input.archive.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    add_files(store, input, CaptureFiles { name, archive, screenshot, text: None })
}

/// [`add`] for files held in memory (`input.archive` and `input.screenshot` are not read).
pub fn add_files(store: &mut Store, input: &CaptureInput, files: CaptureFiles) -> Result<Evidence> {
    if files.screenshot.as_ref().is_some_and(|s| s.len() as u64 > MAX_SCREENSHOT) {
        return Err(Error::rule(
            "screenshot",
            "file_too_large",
            (MAX_SCREENSHOT >> 20).to_string(),
            format!("the screenshot is over {} MiB", MAX_SCREENSHOT >> 20),
        ));
    }
    let staged = stage(store, input, files)?;
    let id = registry::new_id();
    // The change log notes what was asked, with the archive by its name.
    let logged = CaptureInput { archive: PathBuf::from(&staged.file_name), screenshot: None, ..input.clone() };
    store.write("capture web page", Some(&id), &logged, |w| insert_staged(w, &id, &staged))?;
    get(store.reader(), &id)
}

/// A capture whose files are in the store, to write.
pub(crate) struct StagedCapture {
    file: Staged,
    file_name: String,
    row: Capture,
}

/// Reads the archive, checks the description, and copies the three files into the store.
pub(crate) fn stage(store: &Store, input: &CaptureInput, files: CaptureFiles) -> Result<StagedCapture> {
    let case_id = case::resolve(store.reader(), &input.case)?;
    let CaptureFiles { name, archive: bytes, screenshot, text: drawn } = files;
    // Only a last path component is kept: a name is never used as a path.
    let name = Path::new(&name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let page = archive::read(&bytes)?;
    let final_url = crate::input::web_url("url", &page.final_url)?.ok_or_else(|| {
        Error::rule("url", "archive_without_url", None, "the web archive does not name the page's address")
    })?;
    if page.captured_at.is_empty() {
        return Err(Error::rule(
            "date",
            "archive_without_date",
            None,
            "the web archive does not say when the page was received",
        ));
    }
    let screenshot = match screenshot {
        Some(png) => Some((png, input.screenshot_note.clone())),
        None => page.screenshot.clone().map(|png| (png, kept_in_archive(&page, &input.screenshot_note))),
    };
    if let Some((png, _)) = &screenshot {
        if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(Error::rule("screenshot", "not_png", None, "the screenshot is not a PNG picture"));
        }
    }
    // A title from the page is made one line of printable text (what a person types is checked as typed).
    let title = match input.title.trim() {
        "" => page.title().map(|t| one_line(&t)).filter(|t| !t.is_empty()).unwrap_or_else(|| final_url.clone()),
        t => t.to_string(),
    };
    let description = EvidenceInput {
        case: case_id.clone(),
        kind: EvidenceKind::File.to_string(),
        title,
        url: final_url.clone(),
        date: page.captured_at.clone(),
        note: input.note.clone(),
        ..Default::default()
    };
    // The description is checked before any file is copied, so bad input stores nothing.
    let fields = Fields::check(&description, Spelling::Exact)?;
    // What was drawn, else what the archive's HTML says; bounded as a page's body is.
    let text = match drawn {
        Some(t) => t.chars().take(archive::MAX_BODY).collect(),
        None => page.text(),
    };
    let blobs = store.blobs();
    let (archive_sha, archive_size) = blobs.put(&bytes[..], Path::new(&name))?;
    let (text_sha, text_size) = blobs.put(text.as_bytes(), Path::new("page text"))?;
    let shot = match &screenshot {
        Some((png, _)) => Some(blobs.put(&png[..], Path::new("screenshot"))?),
        None => None,
    };
    let media_type = page.format.media_type().to_string();
    let read = Pages { method: TextMethod::Plain, pages: vec![text], problem: page.problem.clone() };
    let file = StoredFile {
        sha256: archive_sha,
        size: size(archive_size)?,
        media_type: Some(media_type),
        original_name: Some(name.clone()).filter(|n| !n.is_empty()),
    };
    let row = Capture {
        format: page.format.as_str().to_string(),
        url: crate::input::web_url("url", &page.url).ok().flatten().unwrap_or_else(|| final_url.clone()),
        final_url,
        captured_at: page.captured_at.clone(),
        status: page.status.map(i64::from),
        made_by: one_line(&page.made_by),
        text: CapturePart { sha256: text_sha, size: size(text_size)? },
        screenshot: shot.map(|(sha256, n)| Ok::<_, Error>(CapturePart { sha256, size: size(n)? })).transpose()?,
        screenshot_note: match &screenshot {
            Some((_, note)) => note.clone(),
            None if input.screenshot_note.trim().is_empty() => "no screenshot: the archive holds none".to_string(),
            None => input.screenshot_note.clone(),
        },
        screenshot_note_fr: String::new(),
    };
    crate::input::line("screenshot_note", &row.screenshot_note)?;
    Ok(StagedCapture {
        file: Staged { case_id, fields: fields.with_file(Some(file))?, text: text::BeforeWrite::Read(Ok(read)) },
        file_name: name,
        row,
    })
}

/// The note of a screenshot found in the archive itself.
fn kept_in_archive(page: &Page, note: &str) -> String {
    if !note.trim().is_empty() {
        return note.to_string();
    }
    match one_line(&page.made_by).as_str() {
        "" => "kept in the web archive".to_string(),
        by => format!("kept in the web archive, made by {by}"),
    }
}

/// Text read from an archive as one line of printable characters, at most 500: what a file made
/// elsewhere says is kept, never refused for its form.
fn one_line(text: &str) -> String {
    let words = crate::input::without_controls(text).split_whitespace().collect::<Vec<_>>().join(" ");
    words.chars().take(500).collect()
}

fn size(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::internal(format!("a file of {n} bytes")))
}

/// Reads a regular file whole, refusing one over `max` bytes.
fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let shown = path.display().to_string();
    if !meta.is_file() {
        return Err(Error::rule("file", "not_a_file", shown.clone(), format!("'{shown}' is not a regular file")));
    }
    if meta.len() > max {
        return Err(Error::rule(
            "file",
            "file_too_large",
            (max >> 20).to_string(),
            format!("the {what} '{shown}' is {} MiB; at most {} MiB is kept", meta.len() >> 20, max >> 20),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(max).read_to_end(&mut bytes)).map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Writes the evidence `id` of a staged capture: the evidence with its archive and the archive's
/// text, then the capture's own row.
pub(crate) fn insert_staged(w: &Writer<'_>, id: &str, staged: &StagedCapture) -> Result<()> {
    super::insert_staged(w, id, &staged.file)?;
    let (c, shot) = (&staged.row, staged.row.screenshot.as_ref());
    w.execute(
        "INSERT INTO evidence_capture (evidence_id, format, url, final_url, captured_at, status, made_by,
             text_sha256, text_size, screenshot_sha256, screenshot_size, screenshot_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            c.format,
            c.url,
            c.final_url,
            c.captured_at,
            c.status,
            c.made_by,
            c.text.sha256,
            c.text.size,
            shot.map(|p| &p.sha256),
            shot.map(|p| p.size),
            c.screenshot_note
        ],
    )?;
    Ok(())
}

/// Where a capture's part is stored: `part` is "screenshot" or "text" (the archive is the evidence's
/// own file, `evidence::file_path`).
pub fn part_path(store: &Store, id: &str, part: &str) -> Result<PathBuf> {
    let e = get(store.reader(), id)?;
    let c = e.capture.ok_or_else(|| {
        Error::rule("evidence", "not_a_capture", e.title.clone(), format!("'{}' is not a captured web page", e.title))
    })?;
    let sha = match part {
        "text" => c.text.sha256,
        "screenshot" => c.screenshot.map(|s| s.sha256).ok_or_else(|| {
            Error::rule(
                "part",
                "no_screenshot",
                e.title.clone(),
                format!("'{}' has no screenshot: {}", e.title, c.screenshot_note),
            )
        })?,
        other => {
            return Err(Error::rule(
                "part",
                "not_one_of",
                other.to_string(),
                format!("'{other}' is not one of: screenshot, text"),
            ))
        }
    };
    store.blobs().path(&sha)
}

/// A capture's screenshot for the app's viewer (`evidence://localhost/<id>/screenshot`): the PNG
/// read from the store (decrypted into memory when the database is encrypted) and checked to be one.
/// The page names the evidence, never a path.
pub fn screenshot_for_viewer(store: &Store, id: &str) -> Result<(String, Vec<u8>)> {
    let e = get(store.reader(), id)?;
    let shot = e.capture.as_ref().and_then(|c| c.screenshot.clone());
    let Some(shot) = shot else {
        return Err(Error::rule("part", "no_screenshot", e.title.clone(), format!("'{}' has no screenshot", e.title)));
    };
    let mut bytes = Vec::new();
    store
        .blobs()
        .open(&shot.sha256)?
        .take(MAX_SCREENSHOT)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::io(e.title.as_str(), err))?;
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(Error::rule("screenshot", "not_png", None, "the screenshot is not a PNG picture"));
    }
    Ok(("image/png".to_string(), bytes))
}

/// What the evidence `id` keeps as a capture, if it is one.
pub(crate) fn of(db: &Reader, id: &str) -> Result<Option<Capture>> {
    db.optional(
        "SELECT format, url, final_url, captured_at, status, made_by, text_sha256, text_size,
                screenshot_sha256, screenshot_size, screenshot_note
           FROM evidence_capture WHERE evidence_id = ?1",
        [id],
        |r| {
            let shot: Option<String> = r.get(8)?;
            Ok(Capture {
                format: r.get(0)?,
                url: r.get(1)?,
                final_url: r.get(2)?,
                captured_at: r.get(3)?,
                status: r.get(4)?,
                made_by: r.get(5)?,
                text: CapturePart { sha256: r.get(6)?, size: r.get(7)? },
                screenshot: match shot {
                    Some(sha256) => Some(CapturePart { sha256, size: r.get(9)? }),
                    None => None,
                },
                screenshot_note: r.get(10)?,
                screenshot_note_fr: String::new(),
            })
        },
    )
    .map(|found| found.map(|c| Capture { screenshot_note_fr: note_in_french(&c.screenshot_note), ..c }))
}

/// A screenshot's note in French: each clause Dossier writes (`dossier capture`'s Chromium, the app's
/// capture window, an imported archive) put in French; a clause it did not write itself (what a
/// browser said when it failed) is kept as it came.
pub fn note_in_french(note: &str) -> String {
    note.split("; ").map(clause_in_french).collect::<Vec<_>>().join(" ; ")
}

fn clause_in_french(clause: &str) -> String {
    const FIXED: [(&str, &str); 5] = [
        (
            "the page had not finished loading when it was drawn",
            "la page n’avait pas fini de se charger quand elle a été dessinée",
        ),
        (
            "its archive holds the document as WebKit had built it, not the bytes received",
            "son archive contient le document tel que WebKit l’avait construit, non les octets reçus",
        ),
        ("kept in the web archive", "conservée dans l’archive web"),
        ("no screenshot: none was asked for", "pas de capture d’écran : aucune n’a été demandée"),
        ("no screenshot: the archive holds none", "pas de capture d’écran : l’archive n’en contient pas"),
    ];
    if let Some((_, fr)) = FIXED.iter().find(|(en, _)| *en == clause) {
        return fr.to_string();
    }
    let drawn = clause.strip_prefix("the whole page, ").and_then(|rest| rest.split_once(" px, drawn by "));
    if let Some((size, by)) = drawn {
        let chromium =
            by.split_once(" from its own load of ").and_then(|(who, tail)| Some((who, tail.rsplit_once(" at ")?)));
        if let Some((who, (url, at))) = chromium {
            return format!(
                "la page entière, {size} px, dessinée par {who} à partir de son propre chargement de {url} le {at}"
            );
        }
        let window = by
            .split_once(" in Dossier's capture window at ")
            .and_then(|(who, tail)| Some((who, tail.split_once(" from ")?)));
        if let Some((who, (at, url))) = window {
            return format!("la page entière, {size} px, dessinée par {who} dans la fenêtre de capture de Dossier le {at} depuis {url}");
        }
    }
    let cut = clause.strip_prefix("the page is ").and_then(|rest| rest.split_once(" px high and only its first "));
    if let Some((high, shown)) = cut {
        if let Some(shown) = shown.strip_suffix(" px are shown") {
            return format!("la page fait {high} px de haut et seuls ses {shown} premiers px sont montrés");
        }
    }
    let late = clause
        .strip_prefix("the page had not finished loading after ")
        .and_then(|r| r.strip_suffix(" s and was taken as shown"));
    if let Some(seconds) = late {
        return format!("la page n’avait pas fini de se charger après {seconds} s et a été prise telle qu’affichée");
    }
    if let Some(by) = clause.strip_prefix("kept in the web archive, made by ") {
        return format!("conservée dans l’archive web, faite par {by}");
    }
    if let Some(program) =
        clause.strip_prefix("no screenshot: Chromium (").and_then(|r| r.strip_suffix(") is not installed"))
    {
        return format!("pas de capture d’écran : Chromium ({program}) n’est pas installé");
    }
    match clause.strip_prefix("no screenshot: ") {
        Some(why) => format!("pas de capture d’écran : {why}"),
        None => clause.to_string(),
    }
}
