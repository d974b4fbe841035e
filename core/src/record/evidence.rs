//! Evidence: files kept in a content-addressed store beside the database (named by their SHA-256,
//! hashed while they are copied, the same content stored once), URLs, and publication references; and
//! the links from any evidence to any record, each with a pinpoint ("p. 2", "§ 4") and a note.
//!
//! A file is copied and flushed to disk before the database row that names it is committed, so the
//! database never points at a file that is not there. Deleting evidence keeps the stored file.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::input;
use crate::record::case;
use crate::store::{self, Store};

pub const KINDS: &[&str] = &["file", "url", "publication"];

/// A URL or a publication reference (files come in through [`add_file`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct LinkInput {
    pub evidence: String,
    pub record: String,
    #[serde(default)]
    pub pinpoint: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Evidence {
    pub id: String,
    pub case_id: String,
    pub kind: String,
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
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Link {
    pub evidence_id: String,
    pub record_id: String,
    pub record_kind: String,
    pub record_title: String,
    pub pinpoint: String,
    pub note: String,
}

/// Where the file with this SHA-256 lives in the store: `<files>/ab/abcdef…`.
pub fn blob_path(store: &Store, sha256: &str) -> PathBuf {
    store.files_dir().join(&sha256[..2]).join(sha256)
}

/// Copies `reader` (read from `source`) into the store while hashing it; returns its SHA-256 and size.
/// The copy is written to a temporary name, flushed, then renamed, so a crash never leaves a
/// half-written blob under a real hash.
fn store_blob(store: &Store, mut reader: impl Read, source: &Path) -> Result<(String, u64)> {
    let dir = store.files_dir();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = dir.join(format!("incoming-{}", store::new_id()));
    let result = (|| -> Result<(String, u64)> {
        let mut out = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(|e| Error::io(source, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| Error::io(&tmp, e))?;
            size += n as u64;
        }
        out.sync_all().map_err(|e| Error::io(&tmp, e))?;
        let sha = store::hex(&hasher.finalize());
        let target = blob_path(store, &sha);
        if target.exists() {
            std::fs::remove_file(&tmp).map_err(|e| Error::io(&tmp, e))?;
        } else {
            let parent = target.parent().unwrap_or(dir);
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
            // The rename itself must reach the disk before the database row that names the file.
            File::open(parent).and_then(|d| d.sync_all()).map_err(|e| Error::io(parent, e))?;
        }
        Ok((sha, size))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Adds a file as evidence of a case. The file is copied into the store; the original is not touched.
pub fn add_file(store: &mut Store, input: &FileInput) -> Result<Evidence> {
    let meta = std::fs::metadata(&input.path).map_err(|e| Error::io(&input.path, e))?;
    if !meta.is_file() {
        return Err(Error::invalid("file", format!("'{}' is not a regular file", input.path.display())));
    }
    let file = File::open(&input.path).map_err(|e| Error::io(&input.path, e))?;
    add_stream(store, input, BufReader::with_capacity(1 << 16, file))
}

/// Adds evidence read from `content`, recorded under the name and details of `input` (its `path` is
/// only a name here: it is not opened).
pub fn add_stream(store: &mut Store, input: &FileInput, content: impl Read) -> Result<Evidence> {
    let case_id = case::resolve(store.conn(), &input.case)?;
    // Only the last path component is kept, so a name like "../../etc/passwd" is recorded as "passwd"
    // and never reused as a path: the stored file is named by its hash.
    let original_name = input
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::invalid("file", format!("'{}' has no file name", input.path.display())))?;
    let title = if input.title.trim().is_empty() {
        input::line("title", &original_name.replace(['\n', '\r'], " "))?
    } else {
        input::required("title", &input.title)?
    };
    let date = input::opt_date("date", &input.date)?;
    let note = input::text("note", &input.note)?;
    let media_type = mime_guess::from_path(&original_name).first_or_octet_stream().essence_str().to_string();
    let (sha, size) = store_blob(store, content, &input.path)?;
    let id = store::new_id();
    let (d, sort, lo, hi, rank) = store::date_cols(date.as_ref());
    store.write("add evidence file", Some(&id), input, |tx| {
        store::register(tx, "evidence", &id)?;
        tx.execute(
            "INSERT INTO evidence (id, case_id, kind, title, note, sha256, size, media_type, original_name,
                 date, date_sort, date_lo, date_hi, date_rank)
             VALUES (?1, ?2, 'file', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![id, case_id, title, note, sha, size as i64, media_type, original_name, d, sort, lo, hi, rank],
        )?;
        Ok(())
    })?;
    get(store.conn(), &id)
}

struct Valid {
    case_id: String,
    kind: &'static str,
    title: String,
    url: Option<String>,
    publisher: Option<String>,
    date: store::DateCols,
    note: String,
}

fn validate(conn: &Connection, input: &EvidenceInput, existing_kind: Option<&str>) -> Result<Valid> {
    let case_id = case::resolve(conn, &input.case)?;
    let kind = match existing_kind {
        Some("file") => "file",
        _ => match input::one_of("kind", &input.kind, KINDS)? {
            "file" => return Err(Error::invalid("kind", "files are added from a path, not as a reference")),
            k => k,
        },
    };
    let url = match input::line("url", &input.url)? {
        u if u.is_empty() => None,
        u if u.to_ascii_lowercase().starts_with("http://") || u.to_ascii_lowercase().starts_with("https://") => Some(u),
        u => return Err(Error::invalid("url", format!("'{}' is not an http(s) address", input::shorten(&u)))),
    };
    if kind == "url" && url.is_none() {
        return Err(Error::invalid("url", "is required for URL evidence"));
    }
    let publisher = Some(input::line("publisher", &input.publisher)?).filter(|p| !p.is_empty());
    let date = input::opt_date("date", &input.date)?;
    Ok(Valid {
        case_id,
        kind,
        title: input::required("title", &input.title)?,
        url,
        publisher,
        date: store::date_cols(date.as_ref()),
        note: input::text("note", &input.note)?,
    })
}

/// Adds a URL or a publication reference.
pub fn create(store: &mut Store, input: &EvidenceInput) -> Result<Evidence> {
    let v = validate(store.conn(), input, None)?;
    let id = store::new_id();
    store.write("create evidence", Some(&id), input, |tx| {
        store::register(tx, "evidence", &id)?;
        tx.execute(
            "INSERT INTO evidence (id, case_id, kind, title, url) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, v.case_id, v.kind, v.title, v.url],
        )?;
        write_fields(tx, &id, &v)
    })?;
    get(store.conn(), &id)
}

fn write_fields(tx: &rusqlite::Connection, id: &str, v: &Valid) -> Result<()> {
    let (d, sort, lo, hi, rank) = &v.date;
    tx.execute(
        "UPDATE evidence SET case_id = ?2, title = ?3, note = ?4, url = ?5, publisher = ?6,
             date = ?7, date_sort = ?8, date_lo = ?9, date_hi = ?10, date_rank = ?11
         WHERE id = ?1",
        params![id, v.case_id, v.title, v.note, v.url, v.publisher, d, sort, lo, hi, rank],
    )?;
    Ok(())
}

/// Edits the description of evidence (title, URL, publisher, date, note); a file's content never changes.
pub fn update(store: &mut Store, id: &str, input: &EvidenceInput) -> Result<Evidence> {
    let existing = get(store.conn(), id)?;
    let v = validate(store.conn(), input, Some(&existing.kind))?;
    store::same_case(store.conn(), "evidence", "evidence", &existing.id, &v.case_id)?;
    if v.kind != existing.kind {
        return Err(Error::invalid(
            "kind",
            format!("evidence '{}' is a {} and stays one", existing.title, existing.kind),
        ));
    }
    store.write("update evidence", Some(&existing.id), input, |tx| {
        write_fields(tx, &existing.id, &v)?;
        store::touch(tx, &existing.id)
    })?;
    get(store.conn(), &existing.id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let e = get(store.conn(), id)?;
    let label = format!("evidence '{}'", e.title);
    store.write("delete evidence", Some(&e.id), &e.title, |tx| {
        store::delete_row(tx, "evidence", "evidence", &e.id, &label)
    })
}

/// Links evidence to any record (including another case's parties, which are shared), with a pinpoint.
pub fn link(store: &mut Store, input: &LinkInput) -> Result<Link> {
    let evidence = get(store.conn(), &input.evidence)?;
    let record = input.record.trim();
    let kind = store::record_kind(store.conn(), record)?.ok_or_else(|| Error::not_found("record", record))?;
    if let Some(case_of) = store::case_of(store.conn(), record, &kind)? {
        if case_of != evidence.case_id {
            return Err(Error::invalid("record", format!("'{record}' belongs to another case than the evidence")));
        }
    }
    let pinpoint = input::line("pinpoint", &input.pinpoint)?;
    let note = input::text("note", &input.note)?;
    store.write("link evidence", Some(record), input, |tx| {
        tx.execute(
            "INSERT INTO evidence_link (evidence_id, record_id, pinpoint, note) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (evidence_id, record_id, pinpoint) DO UPDATE SET note = excluded.note",
            params![evidence.id, record, pinpoint, note],
        )?;
        store::touch(tx, record)
    })?;
    let (record_kind, record_title) = describe_record(store.conn(), record)?;
    Ok(Link { evidence_id: evidence.id, record_id: record.to_string(), record_kind, record_title, pinpoint, note })
}

pub fn unlink(store: &mut Store, evidence: &str, record: &str, pinpoint: &str) -> Result<()> {
    let evidence = get(store.conn(), evidence)?;
    let detail = LinkInput {
        evidence: evidence.id.clone(),
        record: record.to_string(),
        pinpoint: pinpoint.to_string(),
        note: String::new(),
    };
    store.write("unlink evidence", Some(record), &detail, |tx| {
        let n = tx.execute(
            "DELETE FROM evidence_link WHERE evidence_id = ?1 AND record_id = ?2 AND pinpoint = ?3",
            params![evidence.id, record.trim(), pinpoint.trim()],
        )?;
        if n == 0 {
            return Err(Error::not_found("evidence link", format!("{} → {record}", evidence.title)));
        }
        Ok(())
    })
}

/// A record's kind and a one-line title for it, whatever its kind.
pub fn describe_record(conn: &Connection, id: &str) -> Result<(String, String)> {
    let kind = store::record_kind(conn, id)?.ok_or_else(|| Error::not_found("record", id))?;
    let sql = match kind.as_str() {
        "case" => "SELECT title FROM case_file WHERE id = ?1",
        "party" => "SELECT name FROM party WHERE id = ?1",
        "agreement" => "SELECT title FROM agreement WHERE id = ?1",
        "clause" => "SELECT reference FROM clause WHERE id = ?1",
        "letter" => "SELECT subject FROM letter WHERE id = ?1",
        "allegation" => "SELECT summary FROM allegation WHERE id = ?1",
        "response" => "SELECT CASE WHEN text = '' THEN stance ELSE text END FROM response WHERE id = ?1",
        "event" => "SELECT title FROM event WHERE id = ?1",
        _ => "SELECT title FROM evidence WHERE id = ?1",
    };
    let title: String = conn.query_row(sql, [id], |r| r.get(0))?;
    Ok((kind, title))
}

pub fn get(conn: &Connection, id: &str) -> Result<Evidence> {
    let found = conn
        .query_row(
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
                    created_at: String::new(),
                    updated_at: String::new(),
                })
            },
        )
        .optional()?;
    let mut e = found.ok_or_else(|| Error::not_found("evidence", id))?;
    let links = conn
        .prepare_cached(
            "SELECT record_id, pinpoint, note FROM evidence_link WHERE evidence_id = ?1 ORDER BY record_id, pinpoint",
        )?
        .query_map([&e.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (record_id, pinpoint, note) in links {
        let (record_kind, record_title) = describe_record(conn, &record_id)?;
        e.links.push(Link { evidence_id: e.id.clone(), record_id, record_kind, record_title, pinpoint, note });
    }
    (e.created_at, e.updated_at) = store::stamps(conn, &e.id)?;
    Ok(e)
}

pub fn list(conn: &Connection, case: &str) -> Result<Vec<Evidence>> {
    let case_id = case::resolve(conn, case)?;
    let ids = conn
        .prepare("SELECT id FROM evidence WHERE case_id = ?1 ORDER BY title COLLATE NOCASE, id")?
        .query_map([&case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

/// The evidence linked to a record, with each link's pinpoint.
pub fn for_record(conn: &Connection, record_id: &str) -> Result<Vec<(Evidence, Link)>> {
    let ids = conn
        .prepare_cached(
            "SELECT evidence_id, pinpoint FROM evidence_link WHERE record_id = ?1 ORDER BY evidence_id, pinpoint",
        )?
        .query_map([record_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.into_iter()
        .map(|(eid, pinpoint)| {
            let e = get(conn, &eid)?;
            let link = e
                .links
                .iter()
                .find(|l| l.record_id == record_id && l.pinpoint == pinpoint)
                .cloned()
                .ok_or_else(|| Error::not_found("evidence link", &eid))?;
            Ok((e, link))
        })
        .collect()
}

impl Evidence {
    pub fn to_input(&self) -> EvidenceInput {
        EvidenceInput {
            case: self.case_id.clone(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            url: self.url.clone().unwrap_or_default(),
            publisher: self.publisher.clone().unwrap_or_default(),
            date: self.date.clone().unwrap_or_default(),
            note: self.note.clone(),
        }
    }
}
