//! Whether a quote is the document's own words. A quote is printed by the reports as the exact words
//! on its page, so when the text of that page is known it must be there; when it is not known (the
//! document waits to be read, could not be read, holds no text, or the evidence is a URL or a
//! publication) the quote is kept and says it was not checked.
//!
//! The comparison forgives only what a document's text layer and a person's typing disagree on without
//! changing a word: runs of white space and line breaks, typographic ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ),
//! soft hyphens, curly and straight quotation marks, and a word hyphenated at the end of a line. Case
//! and every other character must match.
//!
//! The result is computed when the quote is read, not stored: a document read after the quote was
//! made (OCR finishing in the background) then checks it, and no stored row or change-log image
//! changes shape.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Result;
use crate::store::text;
use crate::store::Reader;
use crate::vocabulary::TextState;

/// How a quote stands against the text of its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QuoteCheck {
    /// The words are on the quote's page (anywhere in the document, for a quote without a page).
    Found,
    /// The text is known and the words are not in it: a quote made before quotes were checked, or one
    /// imported from a bundle.
    NotFound,
    /// The document's text is not known, so the words could not be compared with it.
    Unchecked,
}

/// The pages of one document's text, each folded once, read as quotes ask for them.
pub(super) struct Document<'a> {
    db: &'a Reader,
    sha256: Option<String>,
    /// Whether the text was read (`None` until asked).
    read: Option<bool>,
    pages: HashMap<Option<i64>, Option<[String; 2]>>,
}

impl<'a> Document<'a> {
    /// The document of a piece of evidence: its file's SHA-256, or `None` for a URL or a publication.
    pub(super) fn new(db: &'a Reader, sha256: Option<&str>) -> Document<'a> {
        Document { db, sha256: sha256.map(str::to_string), read: None, pages: HashMap::new() }
    }

    /// Where `exact` stands against page `page` (the whole text when `None`).
    pub(super) fn check(&mut self, page: Option<i64>, exact: &str) -> Result<QuoteCheck> {
        let Some(sha) = self.sha256.clone() else { return Ok(QuoteCheck::Unchecked) };
        if self.read.is_none() {
            let state = text::state(self.db, &sha)?;
            self.read = Some(state.is_some_and(|s| s.state == TextState::Done));
        }
        if self.read != Some(true) {
            return Ok(QuoteCheck::Unchecked);
        }
        if !self.pages.contains_key(&page) {
            let pages = text::pages(self.db, &sha, page)?;
            // A page read without text (a scan OCR could not read) is not known either.
            let folded = if pages.iter().all(|p| p.text.trim().is_empty()) {
                None
            } else {
                let whole = pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
                Some([fold(&whole, true), fold(&whole, false)])
            };
            self.pages.insert(page, folded);
        }
        Ok(match self.pages.get(&page).and_then(Option::as_ref) {
            None => QuoteCheck::Unchecked,
            Some(haystacks) if contains(haystacks, exact) => QuoteCheck::Found,
            Some(_) => QuoteCheck::NotFound,
        })
    }
}

/// Whether the quote is in the folded text, with a line-end hyphen read both as a word cut in two and
/// as a hyphen of the word ("safety-critical" broken after its hyphen).
fn contains(haystacks: &[String; 2], exact: &str) -> bool {
    let (joined, kept) = (fold(exact, true), fold(exact, false));
    (!joined.is_empty() && haystacks[0].contains(&joined)) || (!kept.is_empty() && haystacks[1].contains(&kept))
}

/// Text as it is compared: ligatures spelled out, soft hyphens dropped, quotation marks straight,
/// white space one space; a hyphen at a line's end between two letters is dropped with the break when
/// `join` (the word was cut in two), else kept with the break dropped. A quote has lost its line
/// breaks, so there "falsi- fied" (a letter, a hyphen, a space, a lower-case letter) reads the same way.
fn fold(text: &str, join: bool) -> String {
    let one_line = !text.contains('\n');
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{AD}' => {}
            'ﬀ' => chars.extend(['f', 'f']),
            'ﬁ' => chars.extend(['f', 'i']),
            'ﬂ' => chars.extend(['f', 'l']),
            'ﬃ' => chars.extend(['f', 'f', 'i']),
            'ﬄ' => chars.extend(['f', 'f', 'l']),
            'ﬅ' | 'ﬆ' => chars.extend(['s', 't']),
            '‘' | '’' | '‚' | '‛' | 'ʼ' => chars.push('\''),
            '“' | '”' | '„' | '‟' => chars.push('"'),
            c => chars.push(c),
        }
    }
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if !out.is_empty() && i < chars.len() {
                out.push(' ');
            }
            continue;
        }
        if c == '-' && i > 0 && chars[i - 1].is_alphabetic() {
            let mut j = i + 1;
            let mut newline = false;
            while j < chars.len() && chars[j].is_whitespace() {
                newline |= chars[j] == '\n';
                j += 1;
            }
            // A quote (one line) reads its "- " like a line end; a page only a break with a new line.
            let gap = j > i + 1;
            let line_end = newline || (gap && one_line);
            if gap && line_end && j < chars.len() && chars[j].is_lowercase() {
                if !join {
                    out.push('-');
                }
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_ligatures_and_soft_hyphens_do_not_count() {
        let page = "The licensee  ﬁnally\nbreached the of\u{AD}ﬁce’s rules.";
        let folded = [fold(page, true), fold(page, false)];
        assert!(contains(&folded, "licensee finally breached the office's rules"));
        assert!(!contains(&folded, "licensee finally agreed"));
        assert!(!contains(&folded, "LICENSEE finally"));
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_reads_whole_or_hyphenated() {
        let page = "Acme falsi-\nfied the safety-\ncritical tests.";
        let folded = [fold(page, true), fold(page, false)];
        assert!(contains(&folded, "Acme falsified the"));
        assert!(contains(&folded, "falsi- fied"));
        assert!(contains(&folded, "the safety-critical tests"));
        assert!(!contains(&folded, "Acme falsi fied"));
    }
}
