//! Word forms for search: the stems of a text's words in English and in French (Snowball, through
//! `rust-stemmers`), so "rate limits" is found by "rate limit" and "redevance" by "redevances".
//!
//! A record's language is not known (a case mixes both), so every word is stemmed both ways. The
//! stems go in their own column of the search index (`store::derived`), and a query word matches
//! either its exact form or one of its stems (`view::search`).

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Words shorter than this are not stemmed ("a", "de", "le" carry no useful form).
const MIN_WORD: usize = 3;
/// Longest word stemmed; longer "words" (hashes, encoded data) are left out of the stems.
const MAX_WORD: usize = 40;

fn stemmers() -> &'static [Stemmer; 2] {
    static STEMMERS: OnceLock<[Stemmer; 2]> = OnceLock::new();
    STEMMERS.get_or_init(|| [Stemmer::create(Algorithm::English), Stemmer::create(Algorithm::French)])
}

/// The distinct stems of one word, in English then French (one when both agree); none for a word
/// too short or too long to stem, or made of digits.
pub fn of_word(word: &str) -> Vec<String> {
    let n = word.chars().count();
    if !(MIN_WORD..=MAX_WORD).contains(&n) || word.chars().all(|c| c.is_numeric()) {
        return Vec::new();
    }
    let lower = word.to_lowercase();
    let mut out: Vec<String> = Vec::with_capacity(2);
    for stemmer in stemmers() {
        let stem = stemmer.stem(&lower).into_owned();
        if !stem.is_empty() && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// Every distinct stem of the words of `text`, space-separated, in a stable order. Words are split
/// as the index splits them: at every character that is not a letter or a digit.
pub fn of_text(text: &str) -> String {
    // Each distinct word is stemmed once: a long text repeats most of its words.
    let words: HashSet<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut stems = BTreeSet::new();
    for word in words {
        stems.extend(of_word(word));
    }
    stems.into_iter().collect::<Vec<_>>().join(" ")
}
