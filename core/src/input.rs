//! Checks shared by every record's raw input (the first stage of two-stage input): required text,
//! lengths, closed vocabularies and dates. Each failure names the field and the value, with a key a
//! front end can word in the user's language.

use crate::date::deadline::{Calendar, Period, Rule};
use crate::date::{DayMonth, FuzzyDate};
use crate::error::{Error, Result};
use crate::vocabulary::{Spelling, Vocabulary};

/// Longest single-line value (titles, names, subjects) accepted.
pub const MAX_LINE: usize = 1_000;
/// Longest Markdown body accepted (1 MiB of text).
pub const MAX_TEXT: usize = 1 << 20;

/// A required one-line value, trimmed.
pub fn required(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::required(field));
    }
    line(field, v)
}

/// An optional one-line value, trimmed (empty stays empty).
pub fn line(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > MAX_LINE {
        return Err(Error::rule(
            field,
            "too_long",
            MAX_LINE.to_string(),
            format!("is longer than {MAX_LINE} characters"),
        ));
    }
    if v.contains(['\n', '\r']) {
        return Err(Error::rule(field, "not_one_line", shorten(v), format!("'{}' must be on one line", shorten(v))));
    }
    refuse_controls(field, v, &['\t'])?;
    Ok(v.to_string())
}

/// Refuses control characters (C0, DEL and C1) other than `allowed`: stored, they would reach a
/// terminal as escape sequences (a changed title, a cleared screen, hidden text) or a file as garbage.
fn refuse_controls(field: &str, value: &str, allowed: &[char]) -> Result<()> {
    match value.chars().find(|c| c.is_control() && !allowed.contains(c)) {
        None => Ok(()),
        Some(c) => {
            let code = format!("U+{:04X}", c as u32);
            Err(Error::rule(field, "control_character", code.clone(), format!("holds the control character {code}")))
        }
    }
}

/// A name a person gives (a party's name or alias): a required one-line value without format
/// characters. These are refused rather than removed: the person typing sees the error and what it
/// names, where a silent removal would store something other than what they typed; a name pasted from
/// a web page is the usual way one gets in (a soft hyphen, a zero-width space).
pub fn name(field: &str, value: &str) -> Result<String> {
    let v = required(field, value)?;
    refuse_format(field, &v)?;
    Ok(v)
}

/// A list of names (a party's aliases), cleaned like [`list`], each without format characters.
pub fn names(field: &str, values: &[String]) -> Result<Vec<String>> {
    let out = list(field, values)?;
    for v in &out {
        refuse_format(field, v)?;
    }
    Ok(out)
}

/// Refuses format characters (Unicode category Cf): invisible, they make a name that looks like
/// another's while comparing different ([`crate::lookalike`]).
fn refuse_format(field: &str, value: &str) -> Result<()> {
    match value.chars().find(|c| crate::lookalike::is_format(*c)) {
        None => Ok(()),
        Some(c) => {
            let code = format!("U+{:04X}", c as u32);
            Err(Error::rule(
                field,
                "format_character",
                code.clone(),
                format!(
                    "'{}' holds the invisible format character {code}",
                    shorten(&crate::lookalike::without_format(value))
                ),
            ))
        }
    }
}

/// `text` without its control characters (C0, DEL and C1) other than tab and line ends: for text read
/// from files made elsewhere (e-mail headers and bodies), where refusing would refuse the whole file.
pub fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// A multi-line text (Markdown), kept as typed apart from trailing whitespace.
pub fn text(field: &str, value: &str) -> Result<String> {
    if value.len() > MAX_TEXT {
        let kib = MAX_TEXT / 1024;
        return Err(Error::rule(field, "too_large", kib.to_string(), format!("is larger than {kib} KiB")));
    }
    refuse_controls(field, value, &['\t', '\n', '\r'])?;
    Ok(value.trim_end().to_string())
}

/// A value of the closed vocabulary `V`, read with `spelling`.
pub fn one_of<V: Vocabulary>(field: &str, value: &str, spelling: Spelling) -> Result<V> {
    V::parse(value, spelling).ok_or_else(|| {
        Error::rule(
            field,
            "not_one_of",
            shorten(value),
            format!("'{}' is not one of: {}", shorten(value), V::names().join(", ")),
        )
    })
}

/// Like [`one_of`], with `default` for a value a person left empty (a program must write one).
pub fn one_of_or<V: Vocabulary>(field: &str, value: &str, spelling: Spelling, default: V) -> Result<V> {
    if spelling == Spelling::Lenient && value.trim().is_empty() {
        Ok(default)
    } else {
        one_of(field, value, spelling)
    }
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

/// A date the user typed into `field`, parsed once here (the only place input text becomes a date).
pub fn date(field: &str, text: &str) -> Result<FuzzyDate> {
    date_as(field, text, DayMonth::Either)
}

/// [`date`] with numeric dates read in `order` (a CSV file's, decided once for the whole file).
pub fn date_as(field: &str, text: &str, order: DayMonth) -> Result<FuzzyDate> {
    FuzzyDate::parse_as(text, order).map_err(|source| Error::Date { field: field.to_string(), source })
}

/// An optional date: empty text means "no date".
pub fn opt_date(field: &str, text: &str) -> Result<Option<FuzzyDate>> {
    match text.trim() {
        "" => Ok(None),
        t => date(field, t).map(Some),
    }
}

/// A deadline's period as typed into `field`: `15d`, `10bd`, `2w`, `1m` (or the French `15j`, `10jo`,
/// `2s`).
pub fn period(field: &str, text: &str) -> Result<Period> {
    Period::parse(text).ok_or_else(|| {
        Error::rule(
            field,
            "bad_period",
            shorten(text.trim()),
            format!(
                "period '{}' is not one Dossier counts: write 15d (days), 10bd (business days), 2w (weeks) or 1m (months), up to ten years",
                shorten(text.trim())
            ),
        )
    })
}

/// The courts' calendar named in `field`: `fr`, `ew` or `us`.
pub fn calendar(field: &str, code: &str) -> Result<Calendar> {
    match code.trim() {
        "" => Err(Error::required(field)),
        code => Calendar::parse(code).ok_or_else(|| {
            Error::rule(field, "not_one_of", shorten(code), format!("'{}' is not one of: fr, ew, us", shorten(code)))
        }),
    }
}

/// A deadline rule from its typed parts, each `(field, value)`: the period, the calendar, whether it
/// counts back, and whether FRCP 6(d)'s three days for service by mail are added, which only the US
/// federal calendar has, and only to a period counted forward.
pub fn rule(period: (&str, &str), calendar: (&str, &str), before: bool, mail: (&str, bool)) -> Result<Rule> {
    let rule = Rule {
        period: self::period(period.0, period.1)?,
        calendar: self::calendar(calendar.0, calendar.1)?,
        before,
        mail: mail.1,
    };
    if rule.mail && (rule.calendar != Calendar::Us || before) {
        return Err(Error::rule(
            mail.0,
            "mail_us_only",
            calendar.1.trim().to_string(),
            "the three days for service by mail (FRCP 6(d)) are added only in the US federal calendar (us), to a period counted forward",
        ));
    }
    Ok(rule)
}

/// The deadline `rule` gives from `trigger`, refused for an open-ended trigger ("before 7 June"),
/// which no deadline can be counted from.
pub fn deadline_from(field: &str, trigger: &FuzzyDate, rule: &Rule) -> Result<FuzzyDate> {
    crate::date::deadline::from_date(trigger, rule).ok_or_else(|| {
        Error::rule(
            field,
            "open_trigger",
            trigger.canonical(),
            format!(
                "'{trigger}' is open-ended: a deadline is counted from a date or a period, not from before or after one"
            ),
        )
    })
}

/// An http(s) address, or `None` for an empty value.
pub fn web_url(field: &str, value: &str) -> Result<Option<String>> {
    let url = line(field, value)?;
    let lower = url.to_ascii_lowercase();
    if url.is_empty() {
        Ok(None)
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(Some(url))
    } else {
        Err(Error::rule(field, "not_web_url", shorten(&url), format!("'{}' is not an http(s) address", shorten(&url))))
    }
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
