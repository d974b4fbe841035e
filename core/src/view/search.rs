//! Full-text search over every text of the record: case titles and summaries, party names and aliases,
//! agreements and clauses, letters, allegations, responses, events, evidence titles and notes, and the
//! text inside text, Markdown, HTML and e-mail evidence files.
//!
//! The index (`search_index`, SQLite FTS5, accent- and case-folding) is kept current by the write path
//! (`store::derived` reindexes the record each write changed); this module only reads it. User text reaches `MATCH` only through
//! [`to_match`], which turns anything typed into a valid query (quoted phrases, `word*` prefixes,
//! `-word` exclusions; everything else is a plain word), so no input can raise a syntax error.
//!
//! Word forms: a plain word also finds the words that share its stem in English or French, or in
//! the language detected for the text it is in (`stem`: "limit" finds "limits", "redevances" finds
//! "redevance", "иск" finds "иски"). Hits on the exact words come first; the other forms fill the rest
//! of the list. Phrases, prefixes and exclusions stay exact. A hit in an evidence file's text names its
//! page when the file has pages of its own (a PDF).
//!
//! Chinese, Japanese and Korean: a word holding such characters is looked for as a phrase of pairs of
//! characters in the `grams` column (`grams`), so it is found inside text that has no spaces; every
//! other word is also looked for there, which finds "Microsoft" inside "Twitter社がMicrosoftを提訴".
//! A hit whose words FTS5 cannot mark in its title or body (found through the pairs) gets a snippet
//! made by this module, the words marked where they stand.

use std::collections::HashSet;

use rusqlite::params;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::grams;
use crate::record::case;
use crate::stem;
use crate::store::Reader;
use crate::vocabulary::RecordKind;

/// Most hits returned for one query: the best-ranked ones.
pub const MAX_HITS: usize = 200;
/// Most index rows ranked for one query: the newest ones that match (see [`best_rows`]). Ranking
/// every row a common word is in took 384 ms over a million rows; ranking these takes about 15.
pub const CANDIDATES: usize = 5_000;
/// Largest number of words or phrases taken from one query; the rest is ignored.
const MAX_TERMS: usize = 32;
/// Largest number of words taken from one phrase; the rest of it is ignored (FTS5 spends memory per
/// word of a phrase: 60,000 words took 336 MB).
const MAX_PHRASE_WORDS: usize = 64;
/// Longest query accepted, in characters: longer is refused rather than cut where the user cannot see.
pub const MAX_QUERY_CHARS: usize = 1_000;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The page of the evidence file the words were found on, when the file has pages of its own.
    pub page: Option<i64>,
}

/// A piece of a snippet: text, and whether it is a matched word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Piece {
    pub text: String,
    pub matched: bool,
}

/// Turns what a user typed into an FTS5 query, or `None` when it holds no word to look for.
/// `"exact phrase"`, `word*` (prefix) and `-word` (exclude) are understood; quotes that do not close,
/// parentheses, `AND`/`OR`/`NEAR`, colons and other punctuation are taken as plain text.
pub fn to_match(text: &str) -> Option<String> {
    exact_match(&terms(text))
}

/// The FTS5 query of the words as typed.
fn exact_match(terms: &Terms) -> Option<String> {
    if terms.positives.is_empty() {
        return None;
    }
    // Each term carries its own column filter: groups need an explicit AND (FTS5 joins only phrases
    // by juxtaposition).
    let positives: Vec<&str> = terms.positives.iter().map(|t| t.fts.as_str()).collect();
    let mut query = format!("({})", positives.join(" AND "));
    for n in &terms.negatives {
        query.push_str(" NOT ");
        query.push_str(n);
    }
    Some(query)
}

/// A query's words and phrases, each as FTS5 text.
struct Terms {
    positives: Vec<Term>,
    negatives: Vec<String>,
}

struct Term {
    /// The term as FTS5 reads it, with the columns it is looked for in: a quoted phrase, maybe with
    /// `*`, in the words and the pairs, or its pairs alone when it holds Chinese, Japanese or Korean.
    fts: String,
    /// The forms of a plain word (not a phrase, not a prefix) in the `stems` column, which also find
    /// its other forms.
    stems: Vec<String>,
    /// Its words, for a snippet the view makes.
    words: Vec<String>,
}

/// The columns of the index that hold a record's words, and the FTS5 text of `words` looked for there.
fn in_words(words: &[String], prefix: bool) -> String {
    if let Some(phrase) = grams::of_words(words, prefix) {
        let tokens: Vec<&str> = phrase.tokens.iter().take(MAX_PHRASE_WORDS).map(String::as_str).collect();
        return format!("{{grams}} : \"{}\"{}", tokens.join(" "), if phrase.prefix { "*" } else { "" });
    }
    // Inside double quotes FTS5 reads everything as text; the words carry no quote of their own.
    format!("{{title body grams}} : \"{}\"{}", words.join(" "), if prefix { "*" } else { "" })
}

fn terms(text: &str) -> Terms {
    let mut positives: Vec<Term> = Vec::new();
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
        let term = format!("({})", in_words(&words, prefix));
        if negate {
            negatives.push(term)
        } else {
            // A word of Chinese, Japanese or Korean characters has no stems: its pairs find it.
            let stems = if prefix || phrase || words.len() > 1 || grams::has_cjk(&words[0]) {
                Vec::new()
            } else {
                stem::forms(&words[0])
            };
            positives.push(Term { fts: term, stems, words })
        }
    }
    Terms { positives, negatives }
}

/// The query that also finds other forms of the plain words (each word, or one of its stems in the
/// words or the `stems` column), or `None` when no word has other forms to look for.
fn loose_match(terms: &Terms) -> Option<String> {
    if terms.positives.iter().all(|t| t.stems.is_empty()) {
        return None;
    }
    let positives: Vec<String> = terms
        .positives
        .iter()
        .map(|t| match t.stems.as_slice() {
            [] => t.fts.clone(),
            stems => {
                let stems: Vec<String> = stems.iter().map(|s| format!("\"{s}\"")).collect();
                // A form that is also a word is not among the stems of the text that holds it
                // (`stem::of_text`): forms are looked for among the words too.
                format!("({} OR {{title body stems}} : ({}))", t.fts, stems.join(" OR "))
            }
        })
        .collect();
    let mut query = format!("({})", positives.join(" AND "));
    for n in &terms.negatives {
        query.push_str(&format!(" NOT {n}"));
    }
    Some(query)
}

/// The best hits for `text`, in one case or across all of them: the best-ranked among the
/// [`CANDIDATES`] newest index rows that match (all of them, when fewer match).
pub fn search(db: &Reader, text: &str, case: Option<&str>, limit: usize) -> Result<Vec<Hit>> {
    search_among(db, text, case, limit, CANDIDATES)
}

/// [`search`], ranking at most `candidates` rows.
fn search_among(db: &Reader, text: &str, case: Option<&str>, limit: usize, candidates: usize) -> Result<Vec<Hit>> {
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
    let terms = terms(text);
    let Some(query) = exact_match(&terms) else { return Ok(Vec::new()) };
    let limit = limit.clamp(1, MAX_HITS);
    let words: Vec<&str> = terms.positives.iter().flat_map(|t| t.words.iter().map(String::as_str)).collect();
    // The exact words first, found in the words of the record (not their stems).
    let mut hits = Vec::new();
    for (rowid, mut hit) in best_rows(db, &query, case_id.as_deref(), limit, candidates)? {
        if !hit.snippet.iter().any(|p| p.matched) {
            // Found through the pairs of characters, which FTS5 cannot mark in the words.
            let (title, body) = row_text(db, rowid)?;
            hit.snippet = snippet_of(&[&body, &title], |text| found_snippet(text, &words));
        }
        hits.push(hit);
    }
    if let Some(loose) = loose_match(&terms).filter(|_| hits.len() < limit) {
        let stems: HashSet<&str> = terms.positives.iter().flat_map(|t| t.stems.iter().map(String::as_str)).collect();
        for (rowid, mut hit) in best_rows(db, &loose, case_id.as_deref(), limit, candidates)? {
            if hits.iter().any(|h| h.record_id == hit.record_id) {
                continue;
            }
            // FTS5 marks only the words it matched as typed: the other forms are marked here, in the
            // body, or else in the title.
            let (title, body) = row_text(db, rowid)?;
            hit.snippet = snippet_of(&[&body, &title], |text| forms_snippet(text, &stems));
            if !hit.snippet.iter().any(|p| p.matched) {
                hit.snippet = snippet_of(&[&body, &title], |text| found_snippet(text, &words));
            }
            hits.push(hit);
            if hits.len() == limit {
                break;
            }
        }
    }
    Ok(hits)
}

/// The title and body of an index row.
fn row_text(db: &Reader, rowid: i64) -> Result<(String, String)> {
    db.one("SELECT title, body FROM search_index WHERE rowid = ?1", [rowid], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// The snippet `make` gives the first of `texts` in which it marks a word; the first text's when none.
fn snippet_of(texts: &[&str], make: impl Fn(&str) -> Vec<Piece>) -> Vec<Piece> {
    let mut first = None;
    for text in texts {
        let snippet = make(text);
        if snippet.iter().any(|p| p.matched) {
            return snippet;
        }
        first.get_or_insert(snippet);
    }
    first.unwrap_or_default()
}

/// The best `limit` records for an FTS5 query, each with the index row it was found in (its best: a
/// record may be found in its own row and in pages of its file).
///
/// Only the `candidates` newest rows that match are ranked: a row's number is given when its record
/// (or its file's page) is first indexed, so these are the most recently added. BM25 scores each row
/// it ranks, and a word in most of a million rows would have it score them all; finding the newest
/// rows costs almost nothing (FTS5 walks a word's rows in order), so "best" for a very common word
/// means the best-ranked of its newest 5,000 rows, and for any rarer one the best of all.
fn best_rows(
    db: &Reader,
    query: &str,
    case_id: Option<&str>,
    limit: usize,
    candidates: usize,
) -> Result<Vec<(i64, Hit)>> {
    let from: i64 = db
        .optional(
            "SELECT rowid FROM search_index WHERE search_index MATCH ?1 AND (?2 IS NULL OR case_id = ?2)
              ORDER BY rowid DESC LIMIT 1 OFFSET ?3",
            params![query, case_id, candidates.saturating_sub(1) as i64],
            |r| r.get(0),
        )?
        .unwrap_or(i64::MIN);
    // First the best rows, a few per record expected: cheap, since only they are ranked in full.
    let fetched = limit * 3;
    let rows = hit_rows(db, &rows_sql(BEST_ROWS), query, case_id, from, fetched)?;
    let mut seen = HashSet::new();
    let distinct: Vec<(i64, Hit)> = rows.iter().filter(|(_, h)| seen.insert(h.record_id.clone())).cloned().collect();
    if distinct.len() >= limit || rows.len() < fetched {
        return Ok(distinct.into_iter().take(limit).collect());
    }
    // The rows were crowded by a few records (a long document matching on many pages): each record's
    // best row is found first, then only those are given snippets.
    hit_rows(db, &rows_sql(BEST_PER_RECORD), query, case_id, from, limit)
}

/// The best rows of the index for a query, then those rows' hits.
const BEST_ROWS: &str = "SELECT rowid, record_id, kind, case_id, page, title,
        snippet(search_index, 5, char(1), char(2), '…', 16) AS snippet,
        snippet(search_index, 4, char(1), char(2), '…', 16) AS title_snippet,
        bm25(search_index, 0.0, 0.0, 0.0, 0.0, 5.0, 1.0, 0.5, 1.0) AS score
   FROM search_index
  WHERE search_index MATCH ?1 AND (?2 IS NULL OR case_id = ?2) AND rowid >= ?4
  ORDER BY score
  LIMIT ?3";

/// The best row of each record, the best records first.
const BEST_PER_RECORD: &str = "SELECT search_index.rowid AS rowid, record_id, kind, case_id, page, title,
        snippet(search_index, 5, char(1), char(2), '…', 16) AS snippet,
        snippet(search_index, 4, char(1), char(2), '…', 16) AS title_snippet, best.score AS score
   FROM (SELECT id, score
           FROM (SELECT id, score, row_number() OVER (PARTITION BY record ORDER BY score) AS n
                   FROM (SELECT rowid AS id, record_id AS record,
                                bm25(search_index, 0.0, 0.0, 0.0, 0.0, 5.0, 1.0, 0.5, 1.0) AS score
                           FROM search_index
                          WHERE search_index MATCH ?1 AND (?2 IS NULL OR case_id = ?2) AND rowid >= ?4))
          WHERE n = 1
          ORDER BY score
          LIMIT ?3) AS best
   JOIN search_index ON search_index.rowid = best.id
  WHERE search_index MATCH ?1";

/// The hits of the rows `top` selects: only they are joined to their cases (joined first, a word in
/// most of a million rows would look up a case for every one of them), and a page row gets its
/// record's title and, when the file has pages of its own, its page number.
fn rows_sql(top: &str) -> String {
    format!(
        "SELECT top.rowid, top.record_id, top.kind, top.case_id, c.slug, c.title,
                coalesce(CASE WHEN coalesce(top.page, 0) = 0 THEN top.title
                     ELSE (SELECT s.title FROM search_doc d JOIN search_index s ON s.rowid = d.doc
                            WHERE d.record_id = top.record_id AND d.page = 0) END, ''),
                top.snippet, top.title_snippet,
                CASE WHEN top.page > 0 AND (SELECT x.paged FROM evidence e JOIN file_extraction x ON x.sha256 = e.sha256
                                             WHERE e.id = top.record_id) THEN top.page END
           FROM ({top}) AS top
           LEFT JOIN case_file c ON c.id = top.case_id
          ORDER BY top.score"
    )
}

/// The hits of `sql` for `query`, ranking only the rows numbered `from` or more, `rows` at most.
fn hit_rows(
    db: &Reader,
    sql: &str,
    query: &str,
    case_id: Option<&str>,
    from: i64,
    rows: usize,
) -> Result<Vec<(i64, Hit)>> {
    db.all(sql, params![query, case_id, rows as i64, from], |r| {
        Ok((
            r.get(0)?,
            Hit {
                record_id: r.get(1)?,
                kind: r.get(2)?,
                case_id: r.get(3)?,
                case_slug: r.get(4)?,
                case_title: r.get(5)?,
                title: r.get(6)?,
                // The body's snippet when the words are in it, else the title's; unmarked when they
                // were found only through the pairs of characters.
                snippet: [pieces(&r.get::<_, String>(7)?), pieces(&r.get::<_, String>(8)?)]
                    .into_iter()
                    .find(|p| p.iter().any(|p| p.matched))
                    .unwrap_or_default(),
                page: r.get(9)?,
            },
        ))
    })
}

/// About 16 words of `text` around its first word sharing a stem with the query, those words marked.
fn forms_snippet(text: &str, stems: &HashSet<&str>) -> Vec<Piece> {
    const AROUND: usize = 8;
    let words: Vec<(usize, &str)> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let matches = |w: &str| stem::forms(w).iter().any(|s| stems.contains(s.as_str()));
    let first = words.iter().position(|(_, w)| matches(w)).unwrap_or(0);
    let from = first.saturating_sub(AROUND);
    let to = (first + AROUND).min(words.len());
    let mut out = Vec::new();
    let Some(&(start, _)) = words.get(from) else { return out };
    let end = words.get(to).map_or(text.len(), |&(at, _)| at);
    if from > 0 {
        out.push(Piece { text: "…".into(), matched: false });
    }
    let mut at = start;
    for &(offset, word) in &words[from..to] {
        if matches(word) {
            if offset > at {
                out.push(Piece { text: text[at..offset].to_string(), matched: false });
            }
            out.push(Piece { text: word.to_string(), matched: true });
            at = offset + word.len();
        }
    }
    if end > at {
        out.push(Piece { text: text[at..end].trim_end().to_string(), matched: false });
    }
    if to < words.len() {
        out.push(Piece { text: "…".into(), matched: false });
    }
    out
}

/// About 60 characters of `text` around the first place one of `words` stands in it, each place one
/// stands marked: the snippet of a hit found through pairs of characters, where a word is any run of
/// the text's characters (case ignored), not a word between spaces.
fn found_snippet(text: &str, words: &[&str]) -> Vec<Piece> {
    const BEFORE: usize = 20;
    const AFTER: usize = 40;
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let needles: Vec<Vec<char>> =
        words.iter().map(|w| w.chars().map(lower).collect::<Vec<char>>()).filter(|n| !n.is_empty()).collect();
    // The length in bytes of the longest word standing at byte `at`.
    let found_at = |at: usize| -> Option<usize> {
        needles
            .iter()
            .filter_map(|n| {
                let mut len = 0;
                let mut chars = text[at..].chars();
                for &want in n {
                    let c = chars.next().filter(|&c| lower(c) == want)?;
                    len += c.len_utf8();
                }
                Some(len)
            })
            .max()
    };
    // The first place a word stands, and where the snippet starts: BEFORE characters earlier.
    let mut recent = std::collections::VecDeque::with_capacity(BEFORE + 1);
    let mut cut = false;
    let mut first = None;
    for (at, _) in text.char_indices() {
        if recent.len() == BEFORE + 1 {
            recent.pop_front();
            cut = true;
        }
        recent.push_back(at);
        if found_at(at).is_some() {
            first = Some(at);
            break;
        }
    }
    let after = |from: usize| text[from..].char_indices().nth(AFTER).map_or(text.len(), |(o, _)| from + o);
    let Some(first) = first else {
        let end = after(0);
        return if end == 0 { Vec::new() } else { vec![Piece { text: text[..end].to_string(), matched: false }] };
    };
    let from = recent.front().copied().unwrap_or(first);
    let end = after(first);
    let mut out = Vec::new();
    if cut {
        out.push(Piece { text: "…".into(), matched: false });
    }
    let (mut at, mut plain) = (from, from);
    while at < end {
        match found_at(at) {
            Some(len) => {
                if at > plain {
                    out.push(Piece { text: text[plain..at].to_string(), matched: false });
                }
                out.push(Piece { text: text[at..at + len].to_string(), matched: true });
                at += len;
                plain = at;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if at > plain {
        out.push(Piece { text: text[plain..at].to_string(), matched: false });
    }
    if at < text.len() {
        out.push(Piece { text: "…".into(), matched: false });
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::case::CaseInput;
    use crate::record::event::{self, EventInput};
    use crate::store::Store;

    /// A case whose first event says "licence" five times and the six after it once each.
    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut s = Store::open(&dir.path().join("bound.sqlite")).expect("open");
        case::create(&mut s, &CaseInput { title: "Permits".into(), slug: "l".into(), ..Default::default() })
            .expect("case");
        let titles = ["licence licence licence licence licence", "one licence", "two licence", "three licence"];
        let more = ["four licence", "five licence", "six licence"];
        for title in titles.into_iter().chain(more) {
            let input = EventInput { case: "l".into(), title: title.into(), date: "2024".into(), ..Default::default() };
            event::create(&mut s, &input).expect("event");
        }
        (dir, s)
    }

    fn titles(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.title.as_str()).collect()
    }

    #[test]
    fn a_word_in_more_rows_than_are_ranked_is_ranked_among_its_newest_rows() {
        let (_dir, s) = store();
        let all = search_among(s.reader(), "licence", Some("l"), 50, 100).expect("search");
        assert_eq!(all.len(), 7);
        assert_eq!(all[0].title, "licence licence licence licence licence", "ranked over all: the densest first");
        let newest = search_among(s.reader(), "licence", Some("l"), 50, 3).expect("search");
        let mut found = titles(&newest);
        found.sort_unstable();
        assert_eq!(found, ["five licence", "four licence", "six licence"], "only the three newest are ranked");
        let phrase = search_among(s.reader(), "\"one licence\"", None, 50, 3).expect("search");
        assert_eq!(titles(&phrase), ["one licence"], "a rarer query is ranked over all its rows");
    }
}
