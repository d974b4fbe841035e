//! Moving a case in and out of files: the one entry point the CLI and the desktop app call to export a
//! case in a format (Markdown, HTML report, CSV chronology, JSON bundle, ICS deadlines) or to import a
//! file (JSON bundle, CSV chronology, .eml e-mail). It picks the format, reads and writes the files
//! (whole, bounded in size, written under a temporary name then renamed so a failed export never leaves
//! half a file), and hands the work to `export`, `bundle` and `import`.

pub mod bundle;
pub mod export;
pub mod import;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Lang;
use crate::error::{Error, Result};
use crate::store::Store;

pub const EXPORT_FORMATS: &[&str] = &["md", "html", "csv", "json", "ics"];
pub const IMPORT_FORMATS: &[&str] = &["json", "csv", "eml"];
/// Largest file an import reads.
pub const MAX_IMPORT_BYTES: u64 = 50 << 20;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct ExportRequest {
    pub case: String,
    /// md, html, csv, json or ics.
    pub format: String,
    pub path: PathBuf,
    /// "en" or "fr", for the Markdown and HTML reports.
    #[serde(default)]
    pub lang: String,
    /// For json: also copy the evidence files into a `files/` folder beside the bundle.
    #[serde(default)]
    pub with_files: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportRequest {
    pub path: PathBuf,
    /// json, csv or eml; empty: from the file's extension.
    #[serde(default)]
    pub format: String,
    /// The case a CSV or e-mail goes into (a bundle names its own case).
    #[serde(default)]
    pub case: String,
    /// For a bundle whose case exists: add what is missing instead of refusing.
    #[serde(default)]
    pub merge: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TransferReport {
    pub format: String,
    pub path: String,
    /// The case the records went into or came from.
    pub case_slug: String,
    /// Records created by an import; bytes written by an export.
    pub count: u64,
    pub messages: Vec<String>,
}

fn format_of(path: &Path, given: &str, allowed: &[&'static str], field: &str) -> Result<&'static str> {
    let wanted = if given.trim().is_empty() {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("markdown") => "md".to_string(),
            Some("htm") => "html".to_string(),
            Some("ical") => "ics".to_string(),
            Some(ext) => ext.to_string(),
            None => String::new(),
        }
    } else {
        given.trim().to_ascii_lowercase()
    };
    allowed.iter().copied().find(|f| *f == wanted).ok_or_else(|| {
        Error::invalid(field, format!("'{}' is not one of: {} (for {})", wanted, allowed.join(", "), path.display()))
    })
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so the target is either the
/// old file or the complete new one.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| Error::invalid("path", format!("'{}' names no file", path.display())))?;
    let tmp = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A case exported in `format` (md, html, csv, json or ics), as bytes.
pub fn export_bytes(store: &Store, case: &str, format: &str, lang: &str) -> Result<Vec<u8>> {
    let format =
        EXPORT_FORMATS.iter().copied().find(|f| *f == format.trim().to_ascii_lowercase()).ok_or_else(|| {
            Error::invalid("format", format!("'{format}' is not one of: {}", EXPORT_FORMATS.join(", ")))
        })?;
    let case = crate::record::case::get(store.conn(), case)?;
    let lang = Lang::parse(if lang.is_empty() { "en" } else { lang })
        .ok_or_else(|| Error::invalid("lang", format!("'{lang}' is not en or fr")))?;
    let conn = store.conn();
    Ok(match format {
        "md" => crate::transfer::export::markdown(conn, &case.id, lang)?.into_bytes(),
        "html" => {
            let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
            crate::transfer::export::html(conn, &case.id, lang, &today)?.into_bytes()
        }
        "csv" => crate::transfer::export::csv(conn, &case.id)?,
        "ics" => crate::transfer::export::ics(conn, &case.id)?.into_bytes(),
        _ => crate::transfer::bundle::export_json(conn, &case.id)?.into_bytes(),
    })
}

/// Exports a case to a file.
pub fn export(store: &Store, request: &ExportRequest) -> Result<TransferReport> {
    let format = format_of(&request.path, &request.format, EXPORT_FORMATS, "format")?;
    let case = crate::record::case::get(store.conn(), &request.case)?;
    let mut messages = Vec::new();
    let bytes: Vec<u8> = match format {
        "json" if request.with_files => {
            let dir = request.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            crate::transfer::bundle::export_with_files_to(store, &case.id, &request.path)?;
            messages.push(format!("evidence files copied to {}", dir.join("files").display()));
            let size = std::fs::metadata(&request.path).map(|m| m.len()).unwrap_or(0);
            return Ok(TransferReport {
                format: format.into(),
                path: request.path.display().to_string(),
                case_slug: case.slug,
                count: size,
                messages,
            });
        }
        _ => export_bytes(store, &case.id, format, &request.lang)?,
    };
    write_whole(&request.path, &bytes)?;
    Ok(TransferReport {
        format: format.into(),
        path: request.path.display().to_string(),
        case_slug: case.slug,
        count: bytes.len() as u64,
        messages,
    })
}

/// Imports a file. Nothing is written unless the whole file imports.
pub fn import(store: &mut Store, request: &ImportRequest) -> Result<TransferReport> {
    let format = format_of(&request.path, &request.format, IMPORT_FORMATS, "format")?;
    let meta = std::fs::metadata(&request.path).map_err(|e| Error::io(&request.path, e))?;
    if !meta.is_file() {
        return Err(Error::invalid("file", format!("'{}' is not a regular file", request.path.display())));
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "file",
            format!(
                "'{}' is {} MiB; imports take files up to {} MiB",
                request.path.display(),
                meta.len() >> 20,
                MAX_IMPORT_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(&request.path).map_err(|e| Error::io(&request.path, e))?;
    let path = request.path.display().to_string();
    match format {
        "json" => {
            let json = String::from_utf8(bytes).map_err(|e| {
                Error::invalid("bundle", format!("'{path}' is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
            })?;
            let files = request.path.parent().map(|d| d.join("files")).filter(|d| d.is_dir());
            let mode = if request.merge {
                crate::transfer::bundle::Mode::Merge
            } else {
                crate::transfer::bundle::Mode::Refuse
            };
            let report = crate::transfer::bundle::import_json(store, &json, files.as_deref(), mode)?;
            let messages = if report.skipped > 0 {
                vec![format!(
                    "{} items already present (records, parties, roles, links) were kept as they are",
                    report.skipped
                )]
            } else {
                vec![]
            };
            Ok(TransferReport {
                format: format.into(),
                path,
                case_slug: report.case_slug,
                count: report.created as u64,
                messages,
            })
        }
        _ => {
            let case = crate::record::case::get(store.conn(), &request.case)?;
            let report = if format == "csv" {
                crate::transfer::import::csv_chronology(store, &case.id, &bytes)?
            } else {
                let name = request.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                crate::transfer::import::eml(store, &case.id, &bytes, &name)?
            };
            Ok(TransferReport {
                format: format.into(),
                path,
                case_slug: case.slug,
                count: report.created.len() as u64,
                messages: report.messages,
            })
        }
    }
}
