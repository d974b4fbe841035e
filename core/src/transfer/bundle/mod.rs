//! The JSON bundle: a whole case, losslessly, in a versioned and documented schema
//! (`docs/bundle-format.md`), for handing a case to someone else and for backups. Export is
//! deterministic: the same record always gives the same bytes, so a bundle can be diffed, hashed and
//! kept under version control. Import preserves every id and timestamp, checks the whole bundle before
//! writing anything, and writes it as one change: all of it or nothing.

mod check;
mod emit;
mod inputs;
mod plan;
mod read;
mod refs;
mod schema;
mod stream;
mod write;

use std::cell::Cell;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::record::{case, evidence};
use crate::store::{Reader, Store, RECORDS_PER_ENTRY};
use crate::transfer::progress::{self, Ticker};
use schema::{Item, Section};
use stream::Until;

/// The value of the bundle's `format` field.
pub const FORMAT: &str = "dossier-bundle";
/// The bundle shape this build writes and the only one it reads. A change of shape that an older
/// reader would misread takes the next number; readers refuse versions they do not know.
pub const VERSION: u32 = 1;

/// The largest bundle an import reads (16 GiB). A bundle is read as a stream, in the memory of its
/// ids (about 100 bytes a record) and of a few hundred records, so this bound is only a stated one.
pub const MAX_BUNDLE_BYTES: u64 = 16 << 30;

/// The name of the bundle [`export_with_files`] writes.
pub const BUNDLE_FILE: &str = "bundle.json";
/// The folder beside the bundle that holds its evidence files, each named by its SHA-256.
pub const FILES_DIR: &str = "files";

/// What a bundle carries beyond the records as they are now. A bundle handed to someone else carries
/// neither by default: a record's earlier versions hold whatever an edit removed (a source's phone
/// number taken out of a title), and the actors name the system users who wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contents {
    /// Every record's history: one entry per write, with the record's image after it.
    pub history: bool,
    /// With the history, who wrote each entry as recorded (`cli (alice)`); without, the front end
    /// only (`cli`).
    pub actors: bool,
}

impl Contents {
    /// The records as they are now, and nothing of how they came to be.
    pub const RECORDS: Contents = Contents { history: false, actors: false };
    /// Everything: the history with its actors, as a backup keeps it.
    pub const ALL: Contents = Contents { history: true, actors: true };
}

/// What to do when the case being imported is already in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Refuse the import, writing nothing.
    Refuse,
    /// Add what is missing (records, case roles and evidence links the database does not have) and
    /// leave everything that is there as it is.
    Merge,
}

/// What a bundle import did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundleImport {
    pub case_slug: String,
    /// Records, case roles and evidence links written.
    pub created: usize,
    /// Records, case roles and evidence links already in the database (parties reused included).
    pub skipped: usize,
}

/// The case `case` (slug or id) as a bundle carrying `contents`: pretty-printed JSON ending with a
/// newline. Two exports of the same record give the same bytes: records are ordered by id, lists by a
/// stored order, and nothing depends on the time of the export.
pub fn export_json(db: &Reader, case: &str, contents: Contents) -> Result<String> {
    let mut out = Vec::new();
    emit::bundle(db, case, contents, &mut out)?;
    String::from_utf8(out).map_err(|e| Error::internal(format!("the bundle is not UTF-8: {e}")))
}

/// [`export_json`] written to `out` as each record is read, in the memory of one record (and of the
/// case's ids and evidence links). Returns the SHA-256 of each evidence file the bundle names.
pub fn export_to(db: &Reader, case: &str, contents: Contents, out: &mut dyn std::io::Write) -> Result<Vec<String>> {
    emit::bundle(db, case, contents, out)
}

/// Writes the bundle of `case` to `dir/bundle.json` and each evidence file beside it as
/// `dir/files/<sha256>`, checking every file against its SHA-256 on the way. Returns the bundle's path.
pub fn export_with_files(store: &Store, case: &str, dir: &Path, contents: Contents) -> Result<PathBuf> {
    let path = dir.join(BUNDLE_FILE);
    export_with_files_to(store, case, &path, contents)?;
    Ok(path)
}

/// Like [`export_with_files`], but writes the bundle to `path` (any name) with the evidence files in
/// `files/` beside it.
pub fn export_with_files_to(store: &Store, case: &str, path: &Path, contents: Contents) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let files = dir.join(FILES_DIR);
    std::fs::create_dir_all(&files).map_err(|e| Error::io(&files, e))?;
    crate::transfer::destination::write_with(path, |out| {
        for sha in emit::bundle(store.reader(), case, contents, out)? {
            store.blobs().copy_out(&sha, &files.join(&sha), || {
                Error::rule(
                    "files",
                    "file_missing",
                    sha.clone(),
                    format!("evidence file {sha} is missing from the store"),
                )
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Reads a bundle and writes the case it holds, keeping every id and timestamp. The whole bundle is
/// checked first (its format and version, every value, date and reference, by the same rules as
/// records typed in, only stricter on spelling); evidence files are then brought into the store from
/// `files` (the folder of `<sha256>` files written beside the bundle), each checked against its
/// SHA-256; finally everything is written in one transaction, so a failure anywhere leaves the
/// database and its change log as they were.
///
/// Without `files`, file evidence is accepted only when its file is already in the store.
pub fn import_json(store: &mut Store, json: &str, files: Option<&Path>, mode: Mode) -> Result<BundleImport> {
    import_from(store, &|| Ok(json.as_bytes()), json.len() as u64, files, mode, &progress::unwatched)
}

/// [`import_json`] from the bundle file at `path`, read as a stream: a bundle of any size is imported
/// in the memory of its ids and of a few hundred records. `watch` is told how many bytes of the file
/// were read, twice over (once to check it, once to write it); `false` stops the import with nothing
/// written.
pub fn import_file_watched(
    store: &mut Store,
    path: &Path,
    files: Option<&Path>,
    mode: Mode,
    watch: &dyn progress::Watch,
) -> Result<BundleImport> {
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    import_from(store, &|| std::fs::File::open(path).map_err(|e| Error::io(path, e)), size, files, mode, watch)
}

/// Reads the bundle that `open` opens (`size` bytes) three times at most: its header and case, then
/// every item to check it, then (the plan made) every item again to write what is missing.
fn import_from<R: Read>(
    store: &mut Store,
    open: &dyn Fn() -> Result<R>,
    size: u64,
    files: Option<&Path>,
    mode: Mode,
    watch: &dyn progress::Watch,
) -> Result<BundleImport> {
    let bytes = Cell::new(0);
    let outline = stream::read(open()?, &[], Until::Header, &bytes, &mut |_| Ok(()))?;
    header(&outline)?;
    let mut case = None;
    stream::read(open()?, &[Section::Case], Until::Case, &bytes, &mut |item| {
        if let Item::Case(c) = item {
            case = Some(c);
        }
        Ok(())
    })?;
    let case = case.ok_or_else(|| Error::rule("case", "required", None, "the bundle has no case"))?;
    if mode == Mode::Refuse {
        let exists =
            case::resolve(store.reader(), &case.id).is_ok() || case::with_slug(store.reader(), &case.slug)?.is_some();
        if exists {
            return Err(Error::Conflict(format!(
                "case '{}' already exists; import with merge to add what is missing",
                case.slug
            )));
        }
    }

    let mut tick = Ticker::new(watch, size.saturating_mul(2).max(1));
    tick.begin()?;
    let mut checker = check::Checker::new(case)?;
    let records = &Section::ALL[1..];
    bytes.set(0);
    let outline = stream::read(open()?, records, Until::End, &bytes, &mut |item| {
        tick.reach(bytes.get())?;
        checker.item(item)
    })?;
    let checked = checker.finish()?;
    let plan = plan::plan(store.reader(), &checked)?;
    let case_slug = checked.case.slug.clone();
    if plan.created == 0 {
        // Nothing new but perhaps links: no write, and no change-log entry, for a change that did not happen.
        let (missing, there) = missing_links(store.reader(), &checked, &plan, open()?)?;
        if missing == 0 {
            return Ok(BundleImport { case_slug, created: 0, skipped: plan.skipped + there });
        }
    }
    let texts = write::bring_files(store, &checked, &plan, files)?;
    // The sections written in the order they must be, each read where the file has it: one reading
    // of the file when its sections are in Dossier's order, one per section out of order otherwise.
    // A section the file does not have (no private record, no history) is not read for.
    let mut readings: Vec<Vec<Section>> = Vec::new();
    let mut last = None;
    for section in records.iter().copied().filter(|s| *s != Section::Parties) {
        let Some(at) = outline.order.iter().position(|s| *s == section) else { continue };
        match readings.last_mut() {
            Some(run) if Some(at) > last => run.push(section),
            _ => readings.push(vec![section]),
        }
        last = Some(at);
    }
    let case_id = checked.case.id.clone();
    let mut at = write::Writing::new(&checked, &plan);
    let runs = readings.len() as u64;
    let done = store.write_in_parts(
        "import bundle",
        Some(&case_id),
        RECORDS_PER_ENTRY,
        |part, parts, done: &Done| {
            Ok(ImportDetail {
                format: FORMAT,
                version: VERSION,
                case: &checked.case.slug,
                mode,
                from: outline.anchor.as_deref(),
                part: (parts > 1).then_some(part),
                done: (part == parts).then_some(*done),
            })
        },
        |w| {
            // A reply may come before the letter it answers: references are checked at the commit.
            w.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
            for (sha, media, text) in &texts {
                crate::store::text::keep_for_write(w, sha, media, text)?;
            }
            write::start(w, &checked, &plan)?;
            for (n, sections) in (0..).zip(&readings) {
                bytes.set(0);
                stream::read(open()?, sections, Until::End, &bytes, &mut |item| {
                    tick.reach(size + (n * size + bytes.get()) / runs)?;
                    write::item(w, &mut at, &item)
                })?;
            }
            tick.finish()?;
            Ok(Done { created: plan.created + at.links.0, skipped: plan.skipped + at.links.1, history: at.history })
        },
    )?;
    Ok(BundleImport { case_slug, created: done.created, skipped: done.skipped })
}

/// Refuses a file that is not a bundle of this version, naming what it is.
fn header(outline: &stream::Outline) -> Result<()> {
    match outline.format.as_ref().and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(Error::rule(
                "format",
                "not_a_bundle",
                input::shorten(other),
                format!("'{}' is not a Dossier bundle (expected '{FORMAT}')", input::shorten(other)),
            ))
        }
        None => {
            return Err(Error::rule(
                "format",
                "not_a_bundle",
                None,
                format!("the file has no \"format\": \"{FORMAT}\"; it is not a Dossier bundle"),
            ))
        }
    }
    match &outline.version {
        Some(v) if v.as_u64() == Some(u64::from(VERSION)) => Ok(()),
        Some(v) => Err(Error::rule(
            "version",
            "bundle_version",
            v.to_string(),
            format!("bundle version {v} is not supported: this Dossier reads version {VERSION}"),
        )),
        None => Err(Error::rule(
            "version",
            "bundle_version",
            None,
            format!("the bundle has no version: this Dossier reads version {VERSION}"),
        )),
    }
}

/// How many of the bundle's evidence links the database lacks, and how many it has.
fn missing_links(db: &Reader, b: &check::Checked, plan: &plan::Plan, input: impl Read) -> Result<(usize, usize)> {
    let (mut missing, mut there) = (0, 0);
    stream::read(input, &[Section::Links], Until::End, &Cell::new(0), &mut |item| {
        plan::refs(db, &b.kinds, &b.case.id, &item)?;
        if let Item::Link(l) = item {
            if evidence::is_linked(db, &l.evidence, plan.id(&l.record), &l.pinpoint)? {
                there += 1;
            } else {
                missing += 1;
            }
        }
        Ok(())
    })?;
    Ok((missing, there))
}

/// What the change log records of an import, in each of its entries.
#[derive(Serialize)]
struct ImportDetail<'a> {
    format: &'a str,
    version: u32,
    case: &'a str,
    mode: Mode,
    /// The anchor of the database the bundle was exported from.
    from: Option<&'a str>,
    /// Which entry of the import this is, from 1, when it took more than one (each holds the images of
    /// [`RECORDS_PER_ENTRY`] records).
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<usize>,
    /// What the import did, in its last entry.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    done: Option<Done>,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Done {
    created: usize,
    skipped: usize,
    /// How many entries of history the new records brought.
    history: usize,
}
