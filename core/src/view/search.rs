//! Full-text search over every text of the record: case titles and summaries, party names and aliases,
//! agreements and clauses, letters, allegations, responses, events, evidence titles and notes, and the
//! text inside text, Markdown, HTML and e-mail evidence files.
//!
//! The index (`search_index`, SQLite FTS5, accent- and case-folding) is kept current by the write path:
//! `Store::write` reindexes the record it changed. User text reaches `MATCH` only through
//! [`to_match`], which turns anything typed into a valid query (quoted phrases, `word*` prefixes,
//! `-word` exclusions; everything else is a plain word), so no input can raise a syntax error.

use std::io::Read;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;

/// Most hits returned for one query: the best-ranked ones.
pub const MAX_HITS: usize = 200;
/// Largest number of words or phrases taken from one query; the rest is ignored.
const MAX_TERMS: usize = 32;
/// Longest evidence file whose text is indexed (larger files are indexed by their first part).
const MAX_FILE_TEXT: u64 = 4 << 20;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Hit {
    pub record_id: String,
    pub kind: String,
    /// `None` for parties, which belong to no case.
    pub case_id: Option<String>,
    pub case_slug: Option<String>,
    pub case_title: Option<String>,
    pub title: String,
    /// An extract around the match: HTML-escaped text with the matched words in `<mark>`.
    pub snippet_html: String,
}

/// Turns what a user typed into an FTS5 query, or `None` when it holds no word to look for.
/// `"exact phrase"`, `word*` (prefix) and `-word` (exclude) are understood; quotes that do not close,
/// parentheses, `AND`/`OR`/`NEAR`, colons and other punctuation are taken as plain text.
pub fn to_match(text: &str) -> Option<String> {
    let mut positives: Vec<String> = Vec::new();
    let mut negatives: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while positives.len() + negatives.len() < MAX_TERMS {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let negate = first == '-';
        if negate {
            chars.next();
        }
        let (raw, phrase) = if chars.peek() == Some(&'"') {
            chars.next();
            let mut s = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                s.push(c);
            }
            (s, true)
        } else {
            let mut s = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                s.push(c);
                chars.next();
            }
            (s, false)
        };
        let prefix = !phrase && raw.ends_with('*');
        let words: Vec<String> = raw
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().take(100).collect())
            .collect();
        if words.is_empty() {
            continue;
        }
        // Inside double quotes FTS5 reads everything as text; the words carry no quote of their own.
        let mut term = format!("\"{}\"", words.join(" "));
        if prefix {
            term.push('*');
        }
        if negate {
            negatives.push(term)
        } else {
            positives.push(term)
        }
    }
    if positives.is_empty() {
        return None;
    }
    let mut query = format!("({})", positives.join(" "));
    for n in negatives {
        query.push_str(" NOT ");
        query.push_str(&n);
    }
    Some(query)
}

/// The best hits for `text`, in one case or across all of them.
pub fn search(conn: &Connection, text: &str, case: Option<&str>, limit: usize) -> Result<Vec<Hit>> {
    let case_id = match case.map(str::trim).filter(|c| !c.is_empty()) {
        Some(key) => Some(crate::record::case::resolve(conn, key)?),
        None => None,
    };
    let Some(query) = to_match(text) else { return Ok(Vec::new()) };
    let mut stmt = conn.prepare_cached(
        "SELECT s.record_id, s.kind, s.case_id, c.slug, c.title, s.title,
                snippet(search_index, -1, char(1), char(2), '…', 16)
           FROM search_index s LEFT JOIN case_file c ON c.id = s.case_id
          WHERE search_index MATCH ?1 AND (?2 IS NULL OR s.case_id = ?2)
          ORDER BY bm25(search_index, 0.0, 0.0, 0.0, 5.0, 1.0)
          LIMIT ?3",
    )?;
    let hits = stmt
        .query_map(params![query, case_id, limit.clamp(1, MAX_HITS) as i64], |r| {
            Ok(Hit {
                record_id: r.get(0)?,
                kind: r.get(1)?,
                case_id: r.get(2)?,
                case_slug: r.get(3)?,
                case_title: r.get(4)?,
                title: r.get(5)?,
                snippet_html: marked(&r.get::<_, String>(6)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(hits)
}

/// Escapes a snippet for HTML, then turns the match markers (U+0001 … U+0002, which escaping leaves
/// alone) into `<mark>`.
fn marked(snippet: &str) -> String {
    crate::markdown::escape_html(snippet).replace('\u{1}', "<mark>").replace('\u{2}', "</mark>")
}

/// The searchable text of one record: (case id, kind, title, body), or `None` if it is gone.
fn document(conn: &Connection, files: &Path, id: &str) -> Result<Option<(Option<String>, String, String, String)>> {
    let Some(kind) = crate::store::record_kind(conn, id)? else { return Ok(None) };
    let one = |sql: &str| -> Result<Option<(Option<String>, String, String)>> {
        Ok(conn.query_row(sql, [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?)
    };
    let found = match kind.as_str() {
        "case" => one(
            "SELECT id, title, slug || ' ' || summary || ' ' || coalesce((SELECT group_concat(tag, ' ') FROM case_tag WHERE case_id = ?1), '')
               FROM case_file WHERE id = ?1",
        )?,
        "party" => one(
            "SELECT NULL, name, description || ' ' || coalesce((SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = ?1), '')
                    || ' ' || coalesce((SELECT group_concat(role, ' ') FROM affiliation WHERE person_id = ?1), '')
               FROM party WHERE id = ?1",
        )?,
        "agreement" => one("SELECT case_id, title, kind || ' ' || terms FROM agreement WHERE id = ?1")?,
        "clause" => one(
            "SELECT a.case_id, c.reference || ' — ' || a.title, c.text FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE c.id = ?1",
        )?,
        "letter" => one("SELECT case_id, subject, body FROM letter WHERE id = ?1")?,
        "allegation" => one("SELECT case_id, summary, detail FROM allegation WHERE id = ?1")?,
        "response" => one("SELECT case_id, CASE WHEN text = '' THEN stance ELSE text END, text FROM response WHERE id = ?1")?,
        "event" => one("SELECT case_id, title, description FROM event WHERE id = ?1")?,
        "evidence" => {
            let row: Option<(String, String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>)> = conn
                .query_row(
                    "SELECT case_id, title, note, original_name, url, publisher, sha256, media_type FROM evidence WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
                )
                .optional()?;
            row.map(|(case_id, title, note, name, url, publisher, sha, media)| {
                let mut body = [note, name.unwrap_or_default(), url.unwrap_or_default(), publisher.unwrap_or_default()].join(" ");
                if let (Some(sha), Some(media)) = (sha, media) {
                    body.push(' ');
                    body.push_str(&file_text(files, &sha, &media));
                }
                (Some(case_id), title, body)
            })
        }
        _ => None,
    };
    let Some((case_id, title, mut body)) = found else { return Ok(None) };
    // Attribution wording and tags are searchable with the record they qualify.
    let extra: String = conn.query_row(
        "SELECT coalesce((SELECT group_concat(how, ' ') FROM attribution WHERE record_id = ?1), '') || ' ' ||
                coalesce((SELECT group_concat(tag, ' ') FROM record_tag WHERE record_id = ?1), '')",
        [id],
        |r| r.get(0),
    )?;
    body.push(' ');
    body.push_str(&extra);
    Ok(Some((case_id, kind, title, body)))
}

/// The text of an evidence file worth indexing: plain text and Markdown as they are, HTML and e-mail
/// reduced to their text. Anything else (PDF, images) gives nothing; a file that cannot be read gives
/// nothing rather than failing the write that triggered indexing.
fn file_text(files: &Path, sha256: &str, media_type: &str) -> String {
    let kind = match media_type {
        "text/plain" | "text/markdown" | "text/csv" => "text",
        "text/html" | "application/xhtml+xml" => "html",
        "message/rfc822" => "mail",
        _ => return String::new(),
    };
    if sha256.len() < 2 {
        return String::new();
    }
    let path = files.join(&sha256[..2]).join(sha256);
    let mut bytes = Vec::new();
    match std::fs::File::open(&path) {
        Ok(f) => {
            if f.take(MAX_FILE_TEXT).read_to_end(&mut bytes).is_err() {
                return String::new();
            }
        }
        Err(_) => return String::new(),
    }
    match kind {
        "html" => html2text::from_read(bytes.as_slice(), 10_000).unwrap_or_default(),
        "mail" => match mail_parser::MessageParser::default().parse(&bytes) {
            Some(m) => format!("{} {}", m.subject().unwrap_or(""), m.body_text(0).unwrap_or_default()),
            None => String::new(),
        },
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Brings the index up to date for one record (added, changed or deleted). Index rows are reached by
/// rowid (the record's document number in `search_doc`), the only lookup FTS5 makes fast.
pub(crate) fn reindex(conn: &Connection, files: &Path, record_id: &str) -> Result<()> {
    let doc: Option<i64> =
        conn.query_row("SELECT doc FROM search_doc WHERE record_id = ?1", [record_id], |r| r.get(0)).optional()?;
    if let Some(doc) = doc {
        conn.execute("DELETE FROM search_index WHERE rowid = ?1", [doc])?;
    }
    match document(conn, files, record_id)? {
        Some((case_id, kind, title, body)) => {
            let doc = match doc {
                Some(doc) => doc,
                None => {
                    conn.execute("INSERT INTO search_doc (record_id) VALUES (?1)", [record_id])?;
                    conn.last_insert_rowid()
                }
            };
            conn.execute(
                "INSERT INTO search_index (rowid, record_id, case_id, kind, title, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![doc, record_id, case_id, kind, title, body],
            )?;
        }
        // Gone. A deletion can take other records with it (an agreement's clauses): drop those too.
        None => {
            let gone = conn
                .prepare_cached("SELECT doc FROM search_doc WHERE record_id NOT IN (SELECT id FROM record)")?
                .query_map([], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            for doc in gone {
                conn.execute("DELETE FROM search_index WHERE rowid = ?1", [doc])?;
                conn.execute("DELETE FROM search_doc WHERE doc = ?1", [doc])?;
            }
        }
    }
    Ok(())
}

/// Rebuilds the whole index (used when a database is upgraded to a version with search).
pub(crate) fn reindex_all(conn: &Connection, files: &Path) -> Result<()> {
    conn.execute("DELETE FROM search_index", [])?;
    conn.execute("DELETE FROM search_doc", [])?;
    let ids = conn
        .prepare("SELECT id FROM record")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in ids {
        reindex(conn, files, &id)?;
    }
    Ok(())
}
