//! Full-text search over every text of the record: case titles and summaries, party names and aliases,
//! agreements and clauses, letters, allegations, responses, events, evidence titles and notes, and the
//! text inside text, Markdown, HTML and e-mail evidence files.
//!
//! The index (`search_index`, SQLite FTS5, accent- and case-folding) is kept current by the write path
//! (`store::derived` reindexes the record each write changed); this module only reads it. User text reaches `MATCH` only through
//! [`to_match`], which turns anything typed into a valid query (quoted phrases, `word*` prefixes,
//! `-word` exclusions; everything else is a plain word), so no input can raise a syntax error.

use rusqlite::params;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::case;
use crate::store::Reader;
use crate::vocabulary::RecordKind;

/// Most hits returned for one query: the best-ranked ones.
pub const MAX_HITS: usize = 200;
/// Largest number of words or phrases taken from one query; the rest is ignored.
const MAX_TERMS: usize = 32;
/// Largest number of words taken from one phrase; the rest of it is ignored (FTS5 spends memory per
/// word of a phrase: 60,000 words took 336 MB).
const MAX_PHRASE_WORDS: usize = 64;
/// Longest query accepted, in characters: longer is refused rather than cut where the user cannot see.
pub const MAX_QUERY_CHARS: usize = 1_000;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Hit {
    pub record_id: String,
    pub kind: RecordKind,
    /// `None` for parties, which belong to no case.
    pub case_id: Option<String>,
    pub case_slug: Option<String>,
    pub case_title: Option<String>,
    pub title: String,
    /// An extract around the match, as pieces of plain text, the matched words marked: each front end
    /// renders them its own way (the app in `<mark>`, the CLI between brackets).
    pub snippet: Vec<Piece>,
}

/// A piece of a snippet: text, and whether it is a matched word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Piece {
    pub text: String,
    pub matched: bool,
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
            .take(MAX_PHRASE_WORDS)
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
pub fn search(db: &Reader, text: &str, case: Option<&str>, limit: usize) -> Result<Vec<Hit>> {
    let case_id = match case.map(str::trim).filter(|c| !c.is_empty()) {
        Some(key) => Some(case::resolve(db, key)?),
        None => None,
    };
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::rule(
            "query",
            "too_long",
            MAX_QUERY_CHARS.to_string(),
            format!("is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let Some(query) = to_match(text) else { return Ok(Vec::new()) };
    // The best hits are found by the index alone, and only they are joined to their cases: joined
    // first, a word in most of a million rows would look up a case for every one of them.
    db.all(
        "SELECT top.record_id, top.kind, top.case_id, c.slug, c.title, top.title, top.snippet
           FROM (SELECT record_id, kind, case_id, title,
                        snippet(search_index, -1, char(1), char(2), '…', 16) AS snippet,
                        bm25(search_index, 0.0, 0.0, 0.0, 5.0, 1.0) AS score
                   FROM search_index
                  WHERE search_index MATCH ?1 AND (?2 IS NULL OR case_id = ?2)
                  ORDER BY score
                  LIMIT ?3) AS top
           LEFT JOIN case_file c ON c.id = top.case_id
          ORDER BY top.score",
        params![query, case_id, limit.clamp(1, MAX_HITS) as i64],
        |r| {
            Ok(Hit {
                record_id: r.get(0)?,
                kind: r.get(1)?,
                case_id: r.get(2)?,
                case_slug: r.get(3)?,
                case_title: r.get(4)?,
                title: r.get(5)?,
                snippet: pieces(&r.get::<_, String>(6)?),
            })
        },
    )
}

/// Cuts a snippet at FTS5's match markers (U+0001 before a matched word, U+0002 after it) into pieces.
fn pieces(snippet: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for (i, part) in snippet.split('\u{1}').enumerate() {
        let (matched, rest) = match part.split_once('\u{2}') {
            Some((word, rest)) if i > 0 => (word, rest),
            _ => ("", part),
        };
        if !matched.is_empty() {
            out.push(Piece { text: matched.to_string(), matched: true });
        }
        if !rest.is_empty() {
            out.push(Piece { text: rest.replace('\u{2}', ""), matched: false });
        }
    }
    out
}
