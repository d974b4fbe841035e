//! The JSON bundle: a whole case, losslessly, in a versioned and documented schema
//! (`docs/bundle-format.md`), for handing a case to someone else and for backups. Export is
//! deterministic: the same record always gives the same bytes, so a bundle can be diffed, hashed and
//! kept under version control. Import preserves every id and timestamp, checks the whole bundle before
//! writing anything, and writes it as one change: all of it or nothing.

mod check;
mod plan;
mod read;
mod refs;
mod schema;
mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::record::case;
use crate::store::{Reader, Store};
use crate::transfer::progress::{self, Ticker};
use schema::Bundle;

/// The value of the bundle's `format` field.
pub const FORMAT: &str = "dossier-bundle";
/// The bundle shape this build writes and the only one it reads. A change of shape that an older
/// reader would misread takes the next number; readers refuse versions they do not know.
pub const VERSION: u32 = 1;

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
    to_json(&read::bundle(db, case, contents)?)
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
    let bundle = read::bundle(store.reader(), case, contents)?;
    let json = to_json(&bundle)?;
    let files = dir.join(FILES_DIR);
    std::fs::create_dir_all(&files).map_err(|e| Error::io(&files, e))?;
    let mut done = HashSet::new();
    for e in &bundle.evidence {
        let Some(sha) = e.sha256.as_deref() else { continue };
        if !done.insert(sha) {
            continue;
        }
        store.blobs().copy_out(sha, &files.join(sha), || {
            Error::rule(
                "files",
                "file_missing",
                sha.to_string(),
                format!("evidence file {sha} is missing from the store"),
            )
        })?;
    }
    crate::transfer::destination::write(path, json.as_bytes())
}

fn to_json(bundle: &Bundle) -> Result<String> {
    let mut json = serde_json::to_string_pretty(bundle)
        .map_err(|e| Error::internal(format!("the bundle cannot be written as JSON: {e}")))?;
    json.push('\n');
    Ok(json)
}

/// Reads a bundle and writes the case it holds, keeping every id and timestamp. The whole bundle is
/// checked first (its format and version, every value, date and reference, by the same rules as
/// records typed in, only stricter on spelling); evidence files are then brought into the store from
/// `files` (the folder of `<sha256>` files written beside the bundle), each checked against its
/// SHA-256; finally everything is written as one change, so a failure anywhere leaves the database
/// and its change log as they were.
///
/// Without `files`, file evidence is accepted only when its file is already in the store.
pub fn import_json(store: &mut Store, json: &str, files: Option<&Path>, mode: Mode) -> Result<BundleImport> {
    import_json_watched(store, json, files, mode, &progress::unwatched)
}

/// [`import_json`], telling `watch` how many of the new records are written; `false` stops it with
/// nothing written.
pub fn import_json_watched(
    store: &mut Store,
    json: &str,
    files: Option<&Path>,
    mode: Mode,
    watch: &dyn progress::Watch,
) -> Result<BundleImport> {
    let bundle = parse(json)?;
    if mode == Mode::Refuse {
        let exists = case::resolve(store.reader(), &bundle.case.id).is_ok()
            || case::with_slug(store.reader(), &bundle.case.slug)?.is_some();
        if exists {
            return Err(Error::Conflict(format!(
                "case '{}' already exists; import with merge to add what is missing",
                bundle.case.slug
            )));
        }
    }
    let kinds = check::bundle(&bundle)?;
    let plan = plan::plan(store.reader(), &bundle, &kinds)?;
    let report = BundleImport { case_slug: bundle.case.slug.clone(), created: plan.created, skipped: plan.skipped };
    if plan.created == 0 {
        // Nothing is missing: no write, and no change-log entry for a change that did not happen.
        return Ok(report);
    }
    let texts = write::bring_files(store, &bundle, &plan, files)?;
    let detail = ImportDetail {
        format: FORMAT,
        version: VERSION,
        case: &bundle.case.slug,
        mode,
        created: plan.created,
        skipped: plan.skipped,
        from: bundle.anchor.as_deref(),
        history: bundle.history.iter().filter(|h| plan.is_new(&h.record)).count(),
    };
    store.write("import bundle", Some(&bundle.case.id), &detail, |w| {
        for (sha, media, text) in &texts {
            crate::store::text::keep_for_write(w, sha, media, text)?;
        }
        write::insert(w, &bundle, &plan, &kinds, &mut Ticker::new(watch, plan.created as u64))
    })?;
    Ok(report)
}

/// What the change log records of an import.
#[derive(Serialize)]
struct ImportDetail<'a> {
    format: &'a str,
    version: u32,
    case: &'a str,
    mode: Mode,
    created: usize,
    skipped: usize,
    /// The anchor of the database the bundle was exported from.
    from: Option<&'a str>,
    /// How many entries of history the new records brought.
    history: usize,
}

/// Reads the bundle in two passes: the first only finds its format and version (so that a bundle of
/// another version is refused as such, not for a field this version does not know), the second reads
/// it strictly. Either pass names the line and column of what it could not read.
fn parse(json: &str) -> Result<Bundle> {
    #[derive(Deserialize)]
    struct Header {
        #[serde(default)]
        format: Option<serde_json::Value>,
        #[serde(default)]
        version: Option<serde_json::Value>,
    }
    let header: Header = serde_json::from_str(json).map_err(|e| match e.classify() {
        // Any value is accepted for both fields, so a data error here means the top level is not an object.
        serde_json::error::Category::Data => {
            Error::rule("bundle", "not_a_bundle", None, "the file is not a JSON object: it is not a Dossier bundle")
        }
        _ => json_error(e),
    })?;
    match header.format.as_ref().and_then(|f| f.as_str()) {
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
    match header.version {
        Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
        Some(v) => {
            return Err(Error::rule(
                "version",
                "bundle_version",
                v.to_string(),
                format!("bundle version {v} is not supported: this Dossier reads version {VERSION}"),
            ))
        }
        None => {
            return Err(Error::rule(
                "version",
                "bundle_version",
                None,
                format!("the bundle has no version: this Dossier reads version {VERSION}"),
            ))
        }
    }
    serde_json::from_str(json).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> Error {
    use serde_json::error::Category;
    let (key, message) = match e.classify() {
        Category::Eof => ("cut_short", format!("the file is cut short: {e}")),
        Category::Syntax => ("not_json", format!("not valid JSON: {e}")),
        Category::Data | Category::Io => ("bad_bundle", e.to_string()),
    };
    Error::rule("bundle", key, None, message)
}
