//! Moving a case in and out of files: the one entry point the CLI and the desktop app call to export a
//! case in a format (Markdown, HTML report, Word document, PDF, CSV chronology, JSON bundle, ICS deadlines, the published
//! site or TimelineJS) or to import a
//! file (JSON bundle, CSV chronology or workbook, .eml e-mail, mailbox, Outlook .msg or .pst). It picks the format, reads and writes the files
//! (read whole and bounded in size; an export written as it is made under a temporary name, then
//! renamed, so a failed or stopped export never leaves half a file, and never in place of a device, a
//! FIFO or a link: `destination`), and hands the work to `export`, `bundle` and `import`.

pub mod as_of;
pub mod bundle;
mod destination;
pub mod export;
pub mod import;
pub mod produce;
pub mod progress;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Lang;
use crate::error::{Error, Result};
use crate::input;
use crate::record::case;
use crate::record::evidence::{self, capture::CaptureInput};
use crate::store::Store;
use crate::vocabulary::{Format, Spelling, Vocabulary};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportRequest {
    pub case: String,
    /// md, html, docx, pdf, csv, json, ics, site (a folder) or timelinejs.
    pub format: String,
    pub path: PathBuf,
    /// "en" or "fr", for the Markdown and HTML reports.
    #[serde(default)]
    pub lang: String,
    /// For json: also copy the evidence files into a `files/` folder beside the bundle.
    #[serde(default)]
    pub with_files: bool,
    /// For the reports (md, html, docx): sections, a chronology filter, exhibit numbering; for json:
    /// whether the bundle carries the records' history and its actors.
    #[serde(default)]
    pub options: export::ReportOptions,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportRequest {
    pub path: PathBuf,
    /// json, csv, xlsx, ods, eml, mbox, msg or pst; empty: from the file's extension.
    #[serde(default)]
    pub format: String,
    /// The case a CSV or e-mail goes into (a bundle names its own case).
    #[serde(default)]
    pub case: String,
    /// For a bundle whose case exists: add what is missing instead of refusing.
    #[serde(default)]
    pub merge: bool,
    /// For a CSV chronology: create the parties it names that do not exist yet (as organisations).
    #[serde(default)]
    pub create_parties: bool,
    /// For a workbook (.xlsx, .ods): the sheet the chronology is on; empty: the first.
    #[serde(default)]
    pub sheet: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TransferReport {
    pub format: Format,
    pub path: String,
    /// The case the records went into or came from.
    pub case_slug: String,
    /// Records created by an import; bytes written by an export.
    pub count: u64,
    pub messages: Vec<String>,
    /// An export of an encrypted database: the file written is not encrypted, and the user is told so.
    pub unencrypted_copy: bool,
}

/// The formats that publish: read through `export::publish`, without what is private.
pub const PUBLISH_FORMATS: [Format; 2] = [Format::Site, Format::Timelinejs];

/// What a publish export of a case would still say of private parties, to show before it is made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PublishCheck {
    /// The formats the check is about (the others are not published).
    pub formats: Vec<Format>,
    /// Each private party named in a published text, with where.
    pub names: Vec<export::PrivateName>,
}

/// The private parties a publish export of the case would name in its free text (the app shows them
/// in the export dialog before the user confirms).
pub fn publish_check(store: &Store, case: &str) -> Result<PublishCheck> {
    let case = case::get(store.reader(), case)?;
    Ok(PublishCheck { formats: PUBLISH_FORMATS.to_vec(), names: export::private_names(store.reader(), &case.id)? })
}

/// Checks a case before it is exported in `format`: for a publish format, the private parties its free
/// text would name, to warn of; with `strict`, any of them refuses the export (naming the first), and
/// `strict` is refused for a format that publishes nothing. Called before anything is written.
pub fn before_export(store: &Store, case: &str, format: &str, strict: bool) -> Result<Vec<export::PrivateName>> {
    let publishes = Format::parse(&format.trim().to_ascii_lowercase(), Spelling::Exact)
        .is_some_and(|f| PUBLISH_FORMATS.contains(&f));
    if !publishes {
        if strict {
            return Err(Error::rule(
                "strict",
                "not_published",
                input::shorten(format),
                format!(
                    "--strict checks what is published: use it with site or timelinejs, not '{}'",
                    input::shorten(format)
                ),
            ));
        }
        return Ok(Vec::new());
    }
    let names = publish_check(store, case)?.names;
    if let (true, Some(first)) = (strict, names.first()) {
        return Err(Error::rule(
            "strict",
            "private_name_published",
            first.party.clone(),
            format!(
                "{}: nothing was written; reword that text or make the party public, or export without --strict",
                first.describe()
            ),
        ));
    }
    Ok(names)
}

/// The format `given`, or the one the path's extension names, if it is one of `allowed`.
fn format_of(path: &Path, given: &str, allowed: &[Format]) -> Result<Format> {
    let wanted = if given.trim().is_empty() {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("markdown") => "md".to_string(),
            Some("htm") => "html".to_string(),
            Some("ical") => "ics".to_string(),
            Some("mht") => "mhtml".to_string(),
            // `page.warc.gz`: a WARC file gzipped record by record, as crawlers write them.
            Some("gz") if path.to_string_lossy().to_ascii_lowercase().ends_with(".warc.gz") => "warc".to_string(),
            Some(ext) => ext.to_string(),
            None => String::new(),
        }
    } else {
        given.trim().to_ascii_lowercase()
    };
    let names: Vec<&str> = allowed.iter().map(|f| f.as_str()).collect();
    Format::parse(&wanted, Spelling::Exact).filter(|f| allowed.contains(f)).ok_or_else(|| {
        Error::rule(
            "format",
            "not_one_of",
            input::shorten(&wanted),
            format!("'{}' is not one of: {} (for {})", input::shorten(&wanted), names.join(", "), path.display()),
        )
    })
}

/// A case exported in `format` (md, html, docx, pdf, csv, json, ics or timelinejs), as bytes.
pub fn export_bytes(
    store: &Store,
    case: &str,
    format: &str,
    lang: &str,
    options: &export::ReportOptions,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    export_to(store, case, format, lang, options, &mut out, &progress::unwatched)?;
    Ok(out)
}

/// A case exported in `format` (as [`export_bytes`]) written to `out` as it is made (standard output,
/// a pipe), `watch` told how far it is as [`export_watched`] tells it; returns the bytes written.
/// Stopped, or failing, part of the export may have been written to `out` already.
pub fn export_to(
    store: &Store,
    case: &str,
    format: &str,
    lang: &str,
    options: &export::ReportOptions,
    out: &mut dyn std::io::Write,
    watch: &dyn progress::Watch,
) -> Result<u64> {
    let format = Format::parse(&format.trim().to_ascii_lowercase(), Spelling::Exact)
        .filter(|f| Format::EXPORTS.contains(f))
        .ok_or_else(|| {
            let names: Vec<&str> = Format::EXPORTS.iter().map(|f| f.as_str()).collect();
            Error::rule(
                "format",
                "not_one_of",
                input::shorten(format),
                format!("'{}' is not one of: {}", input::shorten(format), names.join(", ")),
            )
        })?;
    let case = case::get(store.reader(), case)?;
    let made = Made::new(store, &case.id, format, lang, options, false)?;
    made.begin(watch)?;
    let mut counted = CountingWriter { out, bytes: 0 };
    made.write(&mut counted, watch)?;
    Ok(counted.bytes)
}

/// An export made and ready to be written: a report, laid out as it is written, or the bytes of the
/// other formats, made whole.
enum Made<'a> {
    Report {
        report: Box<export::report::Reading<'a>>,
        format: Format,
        generated_on: String,
    },
    /// A bundle, written as its records are read.
    Bundle {
        db: &'a crate::store::Reader,
        case_id: String,
        contents: bundle::Contents,
    },
    Bytes(Vec<u8>),
}

impl<'a> Made<'a> {
    fn new(
        store: &'a Store,
        case_id: &str,
        format: Format,
        lang: &str,
        options: &export::ReportOptions,
        word: bool,
    ) -> Result<Made<'a>> {
        let db = store.reader();
        let lang = lang_of(lang)?;
        let bytes = match format {
            Format::Md | Format::Html | Format::Docx | Format::Pdf => {
                let report = Box::new(export::report::Reading::open(db, case_id, lang, options)?);
                return Ok(Made::Report { report, format, generated_on: today() });
            }
            Format::Csv => export::csv(db, case_id)?,
            Format::Ics => export::ics(db, case_id)?.into_bytes(),
            Format::Json => return Ok(Made::Bundle { db, case_id: case_id.to_string(), contents: contents(options) }),
            Format::Timelinejs => export::timelinejs(db, case_id, lang)?.into_bytes(),
            // A log is a spreadsheet, or a Word document when the file asked for is one.
            Format::PrivilegeLog | Format::RedactionLog => {
                let log = if format == Format::PrivilegeLog {
                    export::privilege_log(db, case_id, lang, &today())?
                } else {
                    export::redaction_log(db, case_id, lang, &today())?
                };
                if word {
                    log.docx()?
                } else {
                    log.csv()?
                }
            }
            Format::Site => return Err(Error::rule(
                "format",
                "needs_folder",
                None,
                "the site is a folder of files (index.html, style.css, timeline.js): give an output folder (-o DIR)",
            )),
            Format::Eml
            | Format::Mbox
            | Format::Xlsx
            | Format::Ods
            | Format::Msg
            | Format::Pst
            | Format::Warc
            | Format::Mhtml => {
                return Err(Error::internal(format!("{format} is a format to import from, not to export to")))
            }
        };
        Ok(Made::Bytes(bytes))
    }

    /// Tells `watch` the writing begins, and of how many units: the report's, or one for bytes made
    /// whole.
    fn begin(&self, watch: &dyn progress::Watch) -> Result<()> {
        let units = match self {
            Made::Report { report, format, .. } => export::report_units(report, *format),
            Made::Bundle { .. } | Made::Bytes(_) => 1,
        };
        progress::Ticker::new(watch, units).begin()
    }

    fn write(&self, out: &mut dyn std::io::Write, watch: &dyn progress::Watch) -> Result<()> {
        match self {
            Made::Report { report, format, generated_on } => {
                export::write_report(report, *format, generated_on, out, watch)
            }
            Made::Bundle { db, case_id, contents } => {
                bundle::export_to(db, case_id, *contents, out)?;
                progress::Ticker::new(watch, 1).finish()
            }
            Made::Bytes(bytes) => {
                out.write_all(bytes).map_err(|e| Error::io("the export", e))?;
                progress::Ticker::new(watch, 1).finish()
            }
        }
    }
}

/// A writer that counts the bytes it passes on.
struct CountingWriter<'a> {
    out: &'a mut dyn std::io::Write,
    bytes: u64,
}

impl std::io::Write for CountingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// What a JSON bundle exported with `options` carries: the records only, unless the history (and,
/// with it, the actors' names) is asked for.
fn contents(options: &export::ReportOptions) -> bundle::Contents {
    bundle::Contents { history: options.with_history, actors: options.with_history && options.with_actors }
}

fn lang_of(lang: &str) -> Result<Lang> {
    Lang::parse(if lang.is_empty() { "en" } else { lang })
        .ok_or_else(|| Error::rule("lang", "not_one_of", lang.to_string(), format!("'{lang}' is not en or fr")))
}

/// Today's date, as a report says when it was made.
fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// Writes the published site into the folder `dir` (made if missing): its three files, each whole.
/// Other files in the folder are left as they are. Returns the bytes written.
fn export_site(store: &Store, case_id: &str, lang: &str, dir: &Path) -> Result<u64> {
    let files = export::site(store.reader(), case_id, lang_of(lang)?, &today())?;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::rule(
            "path",
            "not_a_folder",
            dir.display().to_string(),
            format!("{} is a file: the site needs a folder", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut size = 0;
    for (name, bytes) in files {
        destination::write(&dir.join(name), &bytes)?;
        size += bytes.len() as u64;
    }
    Ok(size)
}

/// Exports a case to a file.
pub fn export(store: &Store, request: &ExportRequest) -> Result<TransferReport> {
    export_watched(store, request, &progress::unwatched)
}

/// [`export`], telling `watch` how far it has got: in the units of the report (each block at a
/// section's top level, each long table's header and row: [`export::report::Reading::units`]) for md,
/// html and docx (twice over), which are written as they are built; in its own steps for the pdf;
/// once at the start and once at the end for the formats made whole first (csv, json, ics,
/// timelinejs, the site). `watch` is first told `0` of the
/// total once the case is read, before the file is created. When it answers `false` the export
/// stops with the `cancelled` error, and what it had written is removed: the file the request names
/// is as it was, or still absent.
pub fn export_watched(store: &Store, request: &ExportRequest, watch: &dyn progress::Watch) -> Result<TransferReport> {
    let format = format_of(&request.path, &request.format, Format::EXPORTS)?;
    let case = case::get(store.reader(), &request.case)?;
    let path = request.path.display().to_string();
    if format == Format::Json && request.with_files {
        let dir = request.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut ticker = progress::Ticker::new(watch, 1);
        ticker.begin()?;
        bundle::export_with_files_to(store, &case.id, &request.path, contents(&request.options))?;
        ticker.finish()?;
        let size = std::fs::metadata(&request.path).map(|m| m.len()).unwrap_or(0);
        let mut messages = not_encrypted(store);
        messages.push(format!("evidence files copied to {}", dir.join(bundle::FILES_DIR).display()));
        messages.extend(captures_in_bundle(store, &case.id)?);
        let unencrypted_copy = store.is_encrypted();
        return Ok(TransferReport { format, path, case_slug: case.slug, count: size, messages, unencrypted_copy });
    }
    let count = if format == Format::Site {
        let mut ticker = progress::Ticker::new(watch, 1);
        ticker.begin()?;
        let size = export_site(store, &case.id, &request.lang, &request.path)?;
        ticker.finish()?;
        size
    } else {
        let word = request.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        let made = Made::new(store, &case.id, format, &request.lang, &request.options, word)?;
        // Stopped while the case was read: no file is created.
        made.begin(watch)?;
        destination::write_with(&request.path, |out| made.write(out, watch))?
    };
    let mut messages = not_encrypted(store);
    if format == Format::Json {
        messages.extend(captures_in_bundle(store, &case.id)?);
    }
    Ok(TransferReport { format, path, case_slug: case.slug, count, messages, unencrypted_copy: store.is_encrypted() })
}

/// What the change log notes of an export.
#[derive(Serialize)]
struct ExportNote<'a> {
    case: &'a str,
    format: &'a str,
    path: &'a str,
    bytes: u64,
}

/// Notes an export in the change log (action `export`: the case, the format, where it was written and
/// how many bytes), so that an erasure can name the exports made since the record was written, which
/// may still hold it (`care::erase`). An export is a read: when the database cannot be written (opened
/// read-only, its log key unreadable), the export stands and `report` says it was not noted.
pub fn note_export(store: &mut Store, report: &mut TransferReport) {
    let Ok(case) = case::get(store.reader(), &report.case_slug) else { return };
    let note = ExportNote { case: &case.id, format: report.format.as_str(), path: &report.path, bytes: report.count };
    if let Err(e) = store.write("export", None, &note, |_| Ok(())) {
        report.messages.push(format!("this export is not noted in the change log ({e}): an erasure will not name it"));
    }
}

/// What a bundle of a case holding web captures must say: bundle version 1 has no field for a
/// capture's parts, so each is carried as its web archive alone (whose text is read again on import).
fn captures_in_bundle(store: &Store, case_id: &str) -> Result<Option<String>> {
    let n: i64 = store.reader().one(
        "SELECT count(*) FROM evidence_capture c JOIN evidence e ON e.id = c.evidence_id WHERE e.case_id = ?1",
        [case_id],
        |r| r.get(0),
    )?;
    Ok((n > 0).then(|| {
        format!(
            "{n} web capture{} carried as {} web archive alone: bundle version 1 has no place for a capture's \
             screenshot, text file and details (address asked for, time, status)",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "its" } else { "their" }
        )
    }))
}

/// What an export of an encrypted database must say: the file it wrote is not encrypted.
fn not_encrypted(store: &Store) -> Vec<String> {
    if store.is_encrypted() {
        vec!["this export is not encrypted: keep it as carefully as the database's passphrase".to_string()]
    } else {
        Vec::new()
    }
}

/// Imports a file. Nothing is written unless the whole file imports.
pub fn import(store: &mut Store, request: &ImportRequest) -> Result<TransferReport> {
    import_watched(store, request, &progress::unwatched)
}

/// [`import`], telling `watch` how far it has got; when `watch` answers `false` the import stops with
/// the `cancelled` error and nothing is written.
pub fn import_watched(
    store: &mut Store,
    request: &ImportRequest,
    watch: &dyn progress::Watch,
) -> Result<TransferReport> {
    let path = request.path.display().to_string();
    let meta = std::fs::metadata(&request.path).map_err(|e| Error::io(&request.path, e))?;
    // A folder is a set of e-mails, imported as a mailbox.
    if meta.is_dir() {
        let case = case::get(store.reader(), &request.case)?;
        let messages = import::eml_folder(&request.path)?;
        let report = import::mailbox(store, &case.id, messages, watch)?;
        return Ok(records_report(Format::Eml, path, case.slug, report));
    }
    let format = format_of(&request.path, &request.format, Format::IMPORTS)?;
    if !meta.is_file() {
        return Err(Error::rule("file", "not_a_file", path.clone(), format!("'{path}' is not a regular file")));
    }
    let largest = match format {
        Format::Mbox => import::MAX_MAILBOX_BYTES,
        Format::Pst => import::MAX_PST_BYTES,
        Format::Json => bundle::MAX_BUNDLE_BYTES,
        Format::Warc | Format::Mhtml => crate::archive::MAX_ARCHIVE as u64,
        _ => import::MAX_FILE_BYTES as u64,
    };
    if meta.len() > largest {
        return Err(Error::rule(
            "file",
            "file_too_large",
            (largest >> 20).to_string(),
            format!("'{path}' is {} MiB; {format} imports take files up to {} MiB", meta.len() >> 20, largest >> 20),
        ));
    }
    if matches!(format, Format::Warc | Format::Mhtml) {
        // A web archive imports as one captured page, evidence of the case.
        let case = case::get(store.reader(), &request.case)?;
        let input = CaptureInput { case: case.id.clone(), archive: request.path.clone(), ..Default::default() };
        let e = evidence::capture::add(store, &input)?;
        return Ok(TransferReport {
            format,
            path,
            case_slug: case.slug,
            count: 1,
            messages: vec![format!(
                "the page {} captured at {} is evidence {}",
                e.url.unwrap_or_default(),
                e.date.unwrap_or_default(),
                e.id
            )],
            unencrypted_copy: false,
        });
    }
    if format == Format::Json {
        let files = request.path.parent().map(|d| d.join(bundle::FILES_DIR)).filter(|d| d.is_dir());
        let mode = if request.merge { bundle::Mode::Merge } else { bundle::Mode::Refuse };
        let report = bundle::import_file_watched(store, &request.path, files.as_deref(), mode, watch)?;
        let messages = if report.skipped > 0 {
            vec![format!(
                "{} items already present (records, parties, roles, links) were kept as they are",
                report.skipped
            )]
        } else {
            vec![]
        };
        return Ok(TransferReport {
            format,
            path,
            case_slug: report.case_slug,
            count: report.created as u64,
            messages,
            unencrypted_copy: false,
        });
    }
    let case = case::get(store.reader(), &request.case)?;
    let name = request.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // An archive is read from the disk as it is walked, never whole.
    if format == Format::Pst {
        let report = import::pst(store, &case.id, &request.path, &name, watch)?;
        return Ok(records_report(format, path, case.slug, report));
    }
    let bytes = std::fs::read(&request.path).map_err(|e| Error::io(&request.path, e))?;
    let report = match format {
        Format::Csv => import::csv_chronology_watched(store, &case.id, &bytes, request.create_parties, watch)?,
        Format::Xlsx | Format::Ods => {
            let csv = import::sheet_as_csv(&bytes, format, &request.sheet, &name)?;
            import::csv_chronology_watched(store, &case.id, &csv, request.create_parties, watch)?
        }
        Format::Mbox => import::mailbox(store, &case.id, import::split_mbox(&bytes, &name)?, watch)?,
        Format::Msg => import::msg(store, &case.id, &bytes, &name)?,
        _ => import::eml(store, &case.id, &bytes, &name)?,
    };
    Ok(records_report(format, path, case.slug, report))
}

/// What an import of records (CSV rows, e-mails) reports.
fn records_report(format: Format, path: String, case_slug: String, report: import::ImportReport) -> TransferReport {
    TransferReport {
        format,
        path,
        case_slug,
        count: report.created.len() as u64,
        messages: report.messages,
        unencrypted_copy: false,
    }
}
