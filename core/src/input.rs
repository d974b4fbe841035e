//! Checks shared by every record's raw input (the first stage of two-stage input): required text,
//! lengths, and closed vocabularies. Each failure names the field and the value.

use crate::date::FuzzyDate;
use crate::error::{Error, Result};

/// Longest single-line value (titles, names, subjects) accepted.
pub const MAX_LINE: usize = 1_000;
/// Longest Markdown body accepted (1 MiB of text).
pub const MAX_TEXT: usize = 1 << 20;

/// A required one-line value, trimmed.
pub fn required(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    line(field, v)
}

/// An optional one-line value, trimmed (empty stays empty).
pub fn line(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > MAX_LINE {
        return Err(Error::invalid(field, format!("is longer than {MAX_LINE} characters")));
    }
    if v.contains(['\n', '\r']) {
        return Err(Error::invalid(field, format!("'{}' must be on one line", shorten(v))));
    }
    Ok(v.to_string())
}

/// A multi-line text (Markdown), kept as typed apart from trailing whitespace.
pub fn text(field: &str, value: &str) -> Result<String> {
    if value.len() > MAX_TEXT {
        return Err(Error::invalid(field, format!("is larger than {} KiB", MAX_TEXT / 1024)));
    }
    Ok(value.trim_end().to_string())
}

/// A value that must be one of `allowed`; accepts spaces or dashes for underscores and any case.
pub fn one_of(field: &str, value: &str, allowed: &[&'static str]) -> Result<&'static str> {
    let norm = value.trim().to_lowercase().replace([' ', '-'], "_");
    allowed
        .iter()
        .copied()
        .find(|a| *a == norm)
        .ok_or_else(|| Error::invalid(field, format!("'{}' is not one of: {}", shorten(value), allowed.join(", "))))
}

/// Cleans a list of tags or aliases: trimmed, empty ones dropped, duplicates removed, order kept.
pub fn list(field: &str, values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let v = line(field, v)?;
        if !v.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&v)) {
            out.push(v);
        }
    }
    Ok(out)
}

/// A value quoted back to the user, cut to a readable length.
pub fn shorten(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

/// A date the user typed into `field`, parsed once here (the only place input text becomes a date).
pub fn date(field: &str, text: &str) -> Result<FuzzyDate> {
    FuzzyDate::parse(text).map_err(|source| Error::Date { field: field.to_string(), source })
}

/// An optional date: empty text means "no date".
pub fn opt_date(field: &str, text: &str) -> Result<Option<FuzzyDate>> {
    match text.trim() {
        "" => Ok(None),
        t => date(field, t).map(Some),
    }
}
