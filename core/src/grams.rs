//! Words inside unsegmented text, for search: Chinese and Japanese write no space between words, so
//! the index's tokenizer takes "株式会社が訴訟を提起した" as one word, and "訴訟" would never be found
//! in it. Each run of Chinese, Japanese or Korean characters is cut into overlapping pairs
//! ("株式 式会 会社 …"), which go in a column of their own (`store::derived`), and a query's run is cut
//! the same way and looked for as a phrase there (`view::search`): a word is found wherever its
//! characters stand together, whatever its length.
//!
//! Pairs rather than FTS5's `trigram` tokenizer: most Chinese and Japanese words are two characters,
//! which trigrams cannot find (ARCHITECTURE.md has the measurements). Each run also ends with its last
//! character alone, so that one character is found at the end of a run too.

use unicode_script::{Script, UnicodeScript};

/// Whether `c` is written without spaces between words: Han, kana, Hangul (Korean spaces words but
/// glues particles to them), and the marks those scripts share with others (the long-vowel mark "ー").
pub fn is_cjk(c: char) -> bool {
    const SCRIPTS: [Script; 5] = [Script::Han, Script::Hiragana, Script::Katakana, Script::Hangul, Script::Bopomofo];
    // Most text is Latin: asked of every character indexed, the answer for ASCII is known.
    if c.is_ascii() || !c.is_alphanumeric() {
        return false;
    }
    let extension = c.script_extension();
    SCRIPTS.iter().any(|&s| extension.contains_script(s))
}

/// Whether `text` holds any character [`is_cjk`].
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

/// The tokens of the words of `text` that hold Chinese, Japanese or Korean characters, for the index:
/// each run of such characters as its pairs then its last character, the other characters of those
/// words as they are ("Twitter社が" gives `twitter 社が が`). Empty when the text has none.
pub fn of_text(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| has_cjk(w)) {
        for (run, cjk) in runs(word) {
            if !cjk {
                out.push(run.to_string());
                continue;
            }
            let chars: Vec<char> = run.chars().collect();
            out.extend(chars.windows(2).map(|pair| pair.iter().collect::<String>()));
            out.push(chars[chars.len() - 1].to_string());
        }
    }
    out.join(" ")
}

/// How a query's words are looked for in the pairs: the tokens of a phrase, and whether its last
/// token is a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub tokens: Vec<String>,
    pub prefix: bool,
}

/// The phrase that finds `words` (a query's word, or the words of a quoted phrase) in the pairs, or
/// `None` when they hold no Chinese, Japanese or Korean character. A run of the query is found inside
/// a run of the text: its pairs, with its last character alone only when more follows (the text's run
/// must end there too); a single character at the end is a prefix, found at the start of a pair.
pub fn of_words(words: &[String], prefix: bool) -> Option<Phrase> {
    if !words.iter().any(|w| has_cjk(w)) {
        return None;
    }
    let runs: Vec<(&str, bool)> = words.iter().flat_map(|w| runs(w)).collect();
    let mut tokens = Vec::new();
    let mut last_prefix = prefix;
    for (i, &(run, cjk)) in runs.iter().enumerate() {
        let last = i + 1 == runs.len();
        let chars: Vec<char> = run.chars().collect();
        if !cjk || chars.len() == 1 {
            tokens.push(run.to_string());
            last_prefix |= last && cjk;
            continue;
        }
        tokens.extend(chars.windows(2).map(|pair| pair.iter().collect::<String>()));
        if !last {
            tokens.push(chars[chars.len() - 1].to_string());
        }
    }
    Some(Phrase { tokens, prefix: last_prefix })
}

/// A word cut where it passes between Chinese, Japanese or Korean characters and others.
fn runs(word: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current = None;
    for (at, c) in word.char_indices() {
        let cjk = is_cjk(c);
        match current {
            Some(was) if was != cjk => {
                out.push((&word[start..at], was));
                start = at;
            }
            _ => {}
        }
        current = Some(cjk);
    }
    if let Some(cjk) = current {
        out.push((&word[start..], cjk));
    }
    out
}
