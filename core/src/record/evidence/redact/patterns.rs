//! The named patterns a redaction can look for: e-mail addresses, phone numbers, IBANs, French social
//! security numbers (NIR) and US social security numbers. Each is a regular expression over a page's
//! words joined by spaces, then a check of what it matched (an IBAN's mod-97, a NIR's key, an SSN's
//! area, group and serial), so a reference number that only looks like one is left alone.

use std::sync::OnceLock;

use regex::Regex;

use crate::error::{Error, Result};

/// The patterns' names, as a user writes them.
pub const NAMES: &[&str] = &["email", "phone", "iban", "nir", "ssn"];

/// A named pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Email,
    Phone,
    Iban,
    Nir,
    Ssn,
}

impl Pattern {
    /// The pattern named `name` (any case), or an error listing those there are.
    pub fn named(name: &str) -> Result<Pattern> {
        Ok(match name.trim().to_lowercase().as_str() {
            "email" | "e-mail" => Pattern::Email,
            "phone" => Pattern::Phone,
            "iban" => Pattern::Iban,
            "nir" => Pattern::Nir,
            "ssn" => Pattern::Ssn,
            _ => {
                return Err(Error::rule(
                    "pattern",
                    "unknown_pattern",
                    name.to_string(),
                    format!("'{name}' is not a pattern: the patterns are {}", NAMES.join(", ")),
                ))
            }
        })
    }

    fn regex(self) -> &'static Regex {
        static ALL: OnceLock<[Regex; 5]> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            let r = |s: &str| Regex::new(s).unwrap_or_else(|e| unreachable!("a pattern of Dossier's own: {e}"));
            [
                r(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}"),
                r(concat!(
                    r"\+\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?\(?\d{1,4}\)?(?:[ .\-]?\d{2,4}){2,5}",
                    r"|0[1-9](?:[ .\-]?\d{2}){4}",
                    r"|\(\d{3}\)[ .\-]?\d{3}[ .\-]?\d{4}",
                    r"|\d{3}[.\-]\d{3}[.\-]\d{4}"
                )),
                r(r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}"),
                r(r"[1-478]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[ABab])\s?\d{3}\s?\d{3}\s?\d{2}"),
                r(r"\d{3}[\- ]\d{2}[\- ]\d{4}"),
            ]
        });
        &all[self as usize]
    }

    /// The byte ranges of `text` this pattern finds, each checked.
    pub fn find(self, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = self.regex().find_at(text, from) {
            from = m.end().max(m.start() + 1);
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            // A match inside a longer run of digits or letters is part of something else.
            let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '@');
            if self != Pattern::Email && (glued(before) || after.is_some_and(|c| c.is_ascii_digit())) {
                continue;
            }
            if let Some(range) = self.checked(text, m.start(), m.end()) {
                from = from.max(range.end);
                out.push(range);
            }
        }
        out
    }

    /// The part of `text[start..end]` the pattern's own check accepts, if any.
    fn checked(self, text: &str, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
        let found = &text[start..end];
        match self {
            Pattern::Email => Some(start..end),
            Pattern::Phone => {
                let n = digits(found);
                ((found.starts_with('+') && (8..=15).contains(&n)) || n == 10).then_some(start..end)
            }
            // The expression takes every letter and digit that follows; the IBAN is the longest
            // prefix, ending after a letter or digit, whose mod-97 checks.
            Pattern::Iban => {
                // An IBAN does not end inside a run of digits or of letters.
                let chars: Vec<(usize, char)> = found.char_indices().collect();
                let ends: Vec<usize> = chars
                    .iter()
                    .enumerate()
                    .filter(|(k, (_, c))| {
                        let next = chars.get(k + 1).map(|n| n.1);
                        c.is_ascii_alphanumeric()
                            && !next
                                .is_some_and(|n| n.is_ascii_digit() == c.is_ascii_digit() && n.is_ascii_alphanumeric())
                    })
                    .map(|(_, (i, _))| i + 1)
                    .collect();
                ends.into_iter().rev().find(|&e| iban_checks(&found[..e])).map(|e| start..start + e)
            }
            Pattern::Nir => nir_checks(found).then_some(start..end),
            Pattern::Ssn => ssn_checks(found).then_some(start..end),
        }
    }
}

/// Whether `text` (spaces allowed) is an IBAN: 15 to 34 letters and digits whose mod-97 is 1.
pub fn iban_checks(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if !(15..=34).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut rest: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36).unwrap_or(0);
        rest = if value >= 10 { (rest * 100 + value) % 97 } else { (rest * 10 + value) % 97 };
    }
    rest == 1
}

/// Whether `text` is a NIR: 13 digits (Corsica's departments 2A and 2B counted as 19 and 18) and a
/// key that is 97 less their remainder by 97.
pub fn nir_checks(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if compact.len() != 15 {
        return false;
    }
    let (number, key) = compact.split_at(13);
    let number = number.replacen("2A", "19", 1).replacen("2B", "18", 1);
    let (Ok(number), Ok(key)) = (number.parse::<u64>(), key.parse::<u64>()) else { return false };
    let month = (number / 100_000_000) % 100;
    // Months 20 to 42 and 50 to 99 stand for a birth month that was not known.
    let month_known = (1..=12).contains(&month) || (20..=42).contains(&month) || (50..=99).contains(&month);
    month_known && key == 97 - number % 97
}

/// Whether `text` is a US social security number: its area neither 000, 666 nor 900 to 999, its
/// group not 00, its serial not 0000.
pub fn ssn_checks(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 9 {
        return false;
    }
    let (area, group, serial) = (&digits[..3], &digits[3..5], &digits[5..]);
    area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(p: Pattern, text: &str) -> Vec<&str> {
        p.find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn each_pattern_finds_what_checks_and_leaves_the_rest() {
        assert_eq!(found(Pattern::Email, "Write to jane.roe@acme.co.uk today."), ["jane.roe@acme.co.uk"]);
        assert_eq!(
            found(Pattern::Phone, "Call +33 6 12 34 56 78, 01 23 45 67 89 or (555) 555-5555; ref 12 34."),
            ["+33 6 12 34 56 78", "01 23 45 67 89", "(555) 555-5555"]
        );
        assert_eq!(
            found(Pattern::Iban, "Pay FR76 3000 6000 0112 3456 7890 189 TODAY, not FR76 3000 6000 0112 3456 7890 188."),
            ["FR76 3000 6000 0112 3456 7890 189"]
        );
        assert_eq!(found(Pattern::Iban, "GB82 WEST 1234 5698 7654 32"), ["GB82 WEST 1234 5698 7654 32"]);
        assert_eq!(
            found(Pattern::Nir, "NIR 1 85 05 78 006 084 91 ok, 1 85 05 78 006 084 36 no"),
            ["1 85 05 78 006 084 91"]
        );
        // Corsica: 2A counts as 19, 2B as 18.
        assert!(nir_checks("2 69 05 2A 123 456 88") && nir_checks("269052b12345618"));
        assert!(!nir_checks("2 69 05 2A 123 456 18") && !nir_checks("2 69 13 2A 123 456 22"));
        assert_eq!(
            found(Pattern::Ssn, "SSN 078-05-1120; not 666-05-1120, 900-12-3456, 123-00-4567 or 123-45-0000"),
            ["078-05-1120"]
        );
    }

    #[test]
    fn an_unknown_pattern_is_refused_naming_the_known_ones() {
        let e = Pattern::named("passport").expect_err("unknown").to_string();
        assert!(e.contains("'passport' is not a pattern") && e.contains("email, phone, iban, nir, ssn"), "{e}");
    }
}
