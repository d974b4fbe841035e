//! Finding what to redact: the places of a word or phrase (in its forms), of a party's names and
//! aliases, or of a named pattern (`patterns`) on the pages of one document or of every document of
//! a case, each a box in points from the page's top left, as [`super::BoxInput`] takes it, for a
//! person to review before they are applied.
//!
//! A page is searched through its words and their boxes: its text layer's (`pdftotext -bbox`), or on
//! a scanned page what Tesseract reads on it. Words are compared after case folding with their
//! accents removed, and by their English and French stems (for a word in another script, by the
//! stems of the languages written in it, `stem::forms`), so "redevances" finds "Redevance". A
//! phrase is its words one after the other; a pattern is matched over the page's words joined by
//! spaces, so a phone number pdftotext cut into several words is found whole. A hit that runs over
//! two lines is a box on each.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};

use super::patterns::Pattern;
use super::{BoxInput, Source, SCANNED_BELOW};
use crate::error::{Error, Result};
use crate::extract::raster::{self, Page, Word};
use crate::record::{case, party};
use crate::stem;
use crate::store::Store;

/// Most hits one search returns: past it the search is refused, since applying part of them would
/// leave the rest in the copy.
pub const MAX_HITS: usize = super::MAX_BOXES;
/// Most queries one search takes.
const MAX_QUERIES: usize = 200;
/// How far a hit's box reaches past its words' boxes, in points: glyphs can stand a little outside
/// the box their font reports.
const PAD: f64 = 1.0;

/// What to look for: words or phrases, parties (by id, name or alias: each of their names and
/// aliases is looked for), named patterns (`email`, `phone`, `iban`, `nir`, `ssn`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindInput {
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub parties: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// One place a query was found: a box on a page of a document, in points from the page's top left.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "FoundHit"))]
pub struct Hit {
    pub evidence: String,
    /// The page, from 1.
    pub page: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// The words found, as the page has them.
    pub text: String,
    /// The query that found it: the words, the party's name or alias, or the pattern's name.
    pub query: String,
}

impl Hit {
    /// The hit as a box to redact for `reason` (personal data when empty).
    pub fn to_box(&self, reason: &str) -> BoxInput {
        BoxInput {
            page: self.page,
            x: self.x,
            y: self.y,
            width: self.width,
            height: self.height,
            reason: reason.to_string(),
            note: String::new(),
        }
    }
}

/// A query, ready to be matched.
enum Query {
    Words { label: String, tokens: Vec<Token> },
    Pattern { label: String, pattern: Pattern },
}

/// A word of a query or a page: its letters folded without accents, and its stems.
#[derive(Clone)]
struct Token {
    plain: String,
    forms: Vec<String>,
}

impl Token {
    fn matches(&self, other: &Token) -> bool {
        self.plain == other.plain || self.forms.iter().any(|f| other.forms.contains(f))
    }
}

/// The hits of `input` in the document of evidence `evidence` (a PDF, or a Word, OpenDocument or
/// e-mail file, searched as the PDF its text is laid out as).
pub fn find(store: &Store, evidence: &str, input: &FindInput) -> Result<Vec<Hit>> {
    let queries = compile(store, input)?;
    let original = super::get(store.reader(), evidence)?;
    let source = Source::of(store, &original)?;
    let mut hits = Vec::new();
    search(&source, &original, &queries, &mut hits)?;
    Ok(hits)
}

/// The hits of `input` in every document of the case `case` that can be redacted, document after
/// document in the order evidence is listed.
pub fn find_in_case(store: &Store, case: &str, input: &FindInput) -> Result<Vec<Hit>> {
    find_in_case_watched(store, case, input, &mut |_, _| true)
}

/// [`find_in_case`], telling `progress` how many of the documents are searched (before the first,
/// then after each); its `false` stops the search between two documents with the `cancelled` error.
pub fn find_in_case_watched(
    store: &Store,
    case: &str,
    input: &FindInput,
    progress: &mut crate::extract::Progress<'_>,
) -> Result<Vec<Hit>> {
    let queries = compile(store, input)?;
    let case_id = case::resolve(store.reader(), case)?;
    let ids: Vec<String> = store.reader().all(
        "SELECT id FROM evidence WHERE case_id = ?1 AND sha256 IS NOT NULL ORDER BY title COLLATE NOCASE, id",
        [&case_id],
        |r| r.get(0),
    )?;
    let mut documents = Vec::new();
    for id in ids {
        let e = super::get(store.reader(), &id)?;
        if Source::redactable(&e) {
            documents.push(e);
        }
    }
    let mut hits = Vec::new();
    for (done, e) in documents.iter().enumerate() {
        if !progress(done, documents.len()) {
            return Err(Error::Cancelled);
        }
        let source = Source::of(store, e)?;
        search(&source, e, &queries, &mut hits)?;
    }
    progress(documents.len(), documents.len());
    Ok(hits)
}

/// Refuses a search in which a query found nothing, naming it: applying it would leave in the copy
/// what the user believed redacted.
pub fn each_found(input: &FindInput, hits: &[Hit]) -> Result<()> {
    let labels = input.words.iter().chain(&input.parties).chain(&input.patterns);
    for (i, label) in labels.enumerate() {
        let party = (input.words.len()..input.words.len() + input.parties.len()).contains(&i);
        let found = hits.iter().any(|h| {
            if party {
                h.query.starts_with(&format!("{}:", label.trim()))
            } else {
                h.query == label.trim()
            }
        });
        if !found {
            return Err(Error::rule(
                "find",
                "nothing_found",
                label.clone(),
                format!("nothing was found for '{}': nothing was redacted", label.trim()),
            ));
        }
    }
    Ok(())
}

/// The queries of `input`, each checked: a query with no word, or an unknown pattern, is refused.
fn compile(store: &Store, input: &FindInput) -> Result<Vec<Query>> {
    let count = input.words.len() + input.parties.len() + input.patterns.len();
    if count == 0 {
        return Err(Error::required("query"));
    }
    if count > MAX_QUERIES {
        return Err(Error::rule("query", "too_many", count.to_string(), format!("more than {MAX_QUERIES} queries")));
    }
    let mut cache = HashMap::new();
    let mut out = Vec::new();
    for words in &input.words {
        out.push(words_query(words.trim().to_string(), words, &mut cache)?);
    }
    for key in &input.parties {
        let p = party::get(store.reader(), key)?;
        for name in std::iter::once(&p.name).chain(&p.aliases) {
            // A party's label carries the key it was asked by, so `each_found` knows the party.
            let label = format!("{}: {name}", key.trim());
            if let Ok(q) = words_query(label, name, &mut cache) {
                out.push(q);
            }
        }
    }
    for name in &input.patterns {
        out.push(Query::Pattern { label: name.trim().to_string(), pattern: Pattern::named(name)? });
    }
    Ok(out)
}

fn words_query(label: String, text: &str, cache: &mut HashMap<String, Token>) -> Result<Query> {
    let tokens: Vec<Token> = split(text).map(|w| token(w, cache)).collect();
    if tokens.is_empty() {
        return Err(Error::rule(
            "find",
            "empty_query",
            text.to_string(),
            format!("'{text}' has no word to look for: a query needs at least one letter or digit"),
        ));
    }
    Ok(Query::Words { label, tokens })
}

/// The words of a text, as the search index splits them: at every character that is not a letter
/// or a digit.
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A word folded, its accents removed, and its forms (remembered in `cache`).
fn token(word: &str, cache: &mut HashMap<String, Token>) -> Token {
    if let Some(t) = cache.get(word) {
        return t.clone();
    }
    let folded = stem::fold(word);
    let plain: String = folded.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect();
    let latin = word.chars().filter(|c| c.is_alphabetic()).all(|c| c.script() == Script::Latin);
    let mut forms = if latin { stem::of_word(&folded) } else { stem::forms(word) };
    for form in stem::of_word(&plain) {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    let t = Token { plain, forms };
    if cache.len() < 100_000 {
        cache.insert(word.to_string(), t.clone());
    }
    t
}

/// Adds the hits of `queries` in the document `source` (of evidence `e`) to `hits`.
fn search(source: &Source, e: &super::Evidence, queries: &[Query], hits: &mut Vec<Hit>) -> Result<()> {
    let (id, open) = (e.id.as_str(), source.opener());
    let pages = read_pages(&open, &e.title)?;
    let mut cache = HashMap::new();
    let mut seen = HashSet::new();
    for (i, page) in pages.iter().enumerate() {
        // The page's words joined by spaces, each word's place in the joined text, and its tokens.
        let mut joined = String::new();
        let mut places = Vec::with_capacity(page.words.len());
        let mut tokens: Vec<(usize, Token)> = Vec::new();
        for (w, word) in page.words.iter().enumerate() {
            if w > 0 {
                joined.push(' ');
            }
            places.push(joined.len()..joined.len() + word.text.len());
            joined.push_str(&word.text);
            tokens.extend(split(&word.text).map(|t| (w, token(t, &mut cache))));
        }
        for query in queries {
            let (label, found): (&str, Vec<std::ops::Range<usize>>) = match query {
                Query::Words { label, tokens: wanted } => {
                    let n = wanted.len();
                    let found = (0..tokens.len().saturating_sub(n - 1))
                        .filter(|&s| wanted.iter().zip(&tokens[s..s + n]).all(|(q, (_, t))| q.matches(t)))
                        .map(|s| places[tokens[s].0].start..places[tokens[s + n - 1].0].end)
                        .collect();
                    (label, found)
                }
                Query::Pattern { label, pattern } => (label, pattern.find(&joined)),
            };
            for range in found {
                for hit in boxes(page, &places, &joined, range) {
                    let hit = Hit { evidence: id.to_string(), page: i as u32 + 1, query: label.to_string(), ..hit };
                    // Two queries finding the same words give one box.
                    if seen.insert((hit.page, [hit.x, hit.y, hit.width, hit.height].map(f64::to_bits))) {
                        hits.push(hit);
                    }
                    if hits.len() > MAX_HITS {
                        return Err(Error::rule(
                            "find",
                            "too_many_hits",
                            MAX_HITS.to_string(),
                            format!("the search finds more than {MAX_HITS} places: narrow it"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The boxes of the words the range `range` of the joined text `joined` covers, one per line, each
/// with its part of the text (evidence, page and query left for the caller).
fn boxes(page: &Page, places: &[std::ops::Range<usize>], joined: &str, range: std::ops::Range<usize>) -> Vec<Hit> {
    let words: Vec<usize> =
        (0..places.len()).filter(|&w| places[w].start < range.end && places[w].end > range.start).collect();
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for w in words {
        let word = &page.words[w];
        let same_line = lines.last().and_then(|l| l.last()).is_some_and(|&p| {
            let prev = &page.words[p];
            let middle = (word.y0 + word.y1) / 2.0;
            middle > prev.y0 && middle < prev.y1 && word.x0 >= prev.x0
        });
        match lines.last_mut() {
            Some(line) if same_line => line.push(w),
            _ => lines.push(vec![w]),
        }
    }
    lines
        .into_iter()
        .map(|line| {
            let ws: Vec<&Word> = line.iter().map(|&w| &page.words[w]).collect();
            let x0 = ws.iter().map(|w| w.x0).fold(f64::MAX, f64::min) - PAD;
            let y0 = ws.iter().map(|w| w.y0).fold(f64::MAX, f64::min) - PAD;
            let x1 = ws.iter().map(|w| w.x1).fold(f64::MIN, f64::max) + PAD;
            let y1 = ws.iter().map(|w| w.y1).fold(f64::MIN, f64::max) + PAD;
            let (first, last) = (line[0], line[line.len() - 1]);
            let text = &joined[places[first].start.max(range.start)..places[last].end.min(range.end)];
            Hit {
                evidence: String::new(),
                page: 0,
                x: x0.max(0.0),
                y: y0.max(0.0),
                width: x1 - x0.max(0.0),
                height: y1 - y0.max(0.0),
                text: text.to_string(),
                query: String::new(),
            }
        })
        .collect()
}

/// The pages of the PDF `open` gives, with their words: a scanned page's read by Tesseract, within
/// the OCR budget's pages (`Budget::from_env`). A file with more scanned pages is refused rather than
/// searched in part: a page not searched would keep what the user believes found.
fn read_pages(open: &crate::extract::Open<'_>, title: &str) -> Result<Vec<Page>> {
    let mut pages = raster::layout(open)?;
    let scanned: Vec<usize> = (0..pages.len()).filter(|&i| super::visible(&pages[i]) < SCANNED_BELOW).collect();
    let budget = crate::extract::Budget::from_env().pages;
    if scanned.len() > budget {
        return Err(Error::rule(
            "find",
            "too_many_scanned_pages",
            title.to_string(),
            format!(
                "'{title}' has {} scanned pages, more than the {budget} one search reads by OCR: redact it with \
                 boxes, or raise DOSSIER_OCR_PAGES",
                scanned.len()
            ),
        ));
    }
    if let Some(&last) = scanned.last() {
        raster::draw(open, super::DPI, last + 1, &mut |i, picture| {
            if scanned.contains(&i) {
                pages[i].words = raster::recognize_words(&picture, super::DPI)?;
            }
            Ok(())
        })?;
    }
    Ok(pages)
}
