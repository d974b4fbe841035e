//! How the CLI prints: JSON (the records' serialized views, for scripts and tests) or text for a
//! person, with dates shown as recorded and in words in the chosen language.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use dossier_core::date::{FuzzyDate, Lang};
use dossier_core::record::case::Case;
use dossier_core::record::party::Party;
use dossier_core::record::role::CaseRole;
use dossier_core::transfer::TransferReport;
use dossier_core::view::calendar;
use dossier_core::view::search::Hit;
use dossier_core::view::timeline::Entry;
use dossier_core::{Error, Result};

pub struct Out {
    json: bool,
    lang: Lang,
}

/// Prints like `println!`, and ends the program quietly when the reader went away
/// (`dossier timeline … | head`) instead of panicking on the broken pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        write_out(format_args!($($arg)*), true)
    };
}

/// Like [`say!`], without the line end.
macro_rules! say_part {
    ($($arg:tt)*) => {
        write_out(format_args!($($arg)*), false)
    };
}

fn write_out(text: std::fmt::Arguments<'_>, end_line: bool) {
    let text = text.to_string();
    let text = visible(&text);
    let mut out = std::io::stdout().lock();
    let written = if end_line { writeln!(out, "{text}") } else { write!(out, "{text}") };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("dossier: stdout: {e}");
        }
        std::process::exit(if e.kind() == std::io::ErrorKind::BrokenPipe { 0 } else { 1 });
    }
}

/// `text` with every control character but line ends and tabs written as `\u{1b}`: a value stored
/// before such characters were refused, or read from a file, never reaches the terminal as an escape
/// sequence.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| if c.is_control() && c != '\n' && c != '\t' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect::<String>()
        .into()
}

/// Asks `question` at a terminal and goes on only when `word` is typed. Without a terminal it refuses
/// with `without` (which names `--yes`); a different answer refuses with `refused`.
pub fn confirm_by_typing(question: &str, word: &str, without: &str, refused: &str) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Error::rule("yes", "confirmation_needed", None, without));
    }
    eprint!("{question} Type {word}: ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(|e| Error::io("terminal", e))?;
    if answer.trim() != word {
        return Err(Error::rule("yes", "not_confirmed", None, refused));
    }
    Ok(())
}

fn print_json(value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::internal(format!("cannot print JSON: {e}")))?;
    say!("{text}");
    Ok(())
}

impl Out {
    pub fn new(json: bool, lang: &str) -> Result<Out> {
        let lang = Lang::parse(lang)
            .ok_or_else(|| Error::rule("lang", "not_one_of", lang.to_string(), format!("'{lang}' is not en or fr")))?;
        Ok(Out { json, lang })
    }

    /// Text and how it was understood, for `dossier date`.
    pub fn date(&self, text: &str) -> Result<()> {
        let d = calendar::describe_in(text, self.lang)?;
        if self.json {
            return print_json(&d);
        }
        let bound = |b: Option<i64>| {
            b.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_else(|| "unbounded".into())
        };
        say!("{}", d.date);
        say!("  en: {}", d.en);
        say!("  fr: {}", d.fr);
        say!("  precision: {}, qualifier: {}", d.precision, d.qualifier);
        say!("  from {} to {} (exclusive)", bound(d.lo), bound(d.hi));
        Ok(())
    }

    /// A date typed in an option, as the record will keep it: a numeric date only the language reads
    /// (`--lang fr`: 05/06/2023 is 5 June) becomes what it was read as; any other text is passed on as
    /// typed, for the core to read or refuse.
    pub fn typed(&self, text: String) -> String {
        match calendar::describe_in(&text, self.lang) {
            Ok(d) if d.by_language => d.date,
            _ => text,
        }
    }

    /// [`Out::typed`] for an option that may be absent.
    pub fn typed_opt(&self, text: Option<String>) -> Option<String> {
        text.map(|t| self.typed(t))
    }

    /// A stored date in words; a date that does not parse is shown as stored.
    pub fn date_label(&self, recorded: &str) -> String {
        FuzzyDate::parse(recorded).map(|d| d.display(self.lang)).unwrap_or_else(|_| recorded.to_string())
    }

    /// `value` as JSON, or `lines` as text.
    pub fn either(&self, value: &impl Serialize, lines: &[String]) -> Result<()> {
        if self.json {
            return print_json(value);
        }
        for line in lines {
            say!("{line}");
        }
        Ok(())
    }

    /// The language of the text output (`--lang`).
    pub fn language(&self) -> Lang {
        self.lang
    }

    /// Whether the output is JSON (`--json`).
    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn message(&self, text: &str) -> Result<()> {
        if self.json {
            print_json(&serde_json::json!({ "message": text }))
        } else {
            say!("{text}");
            Ok(())
        }
    }

    /// A new record: its id (or slug) alone on a line in text mode, the whole record in JSON.
    pub fn created(&self, key: &str, record: &impl Serialize) -> Result<()> {
        if self.json {
            print_json(record)
        } else {
            say!("{key}");
            Ok(())
        }
    }

    pub fn updated(&self, key: &str, record: &impl Serialize) -> Result<()> {
        self.created(key, record)
    }

    pub fn deleted(&self, key: &str) -> Result<()> {
        self.message(&format!("deleted {key}"))
    }

    pub fn loaded(&self, loaded: &[String], all: &[String], db: &Path) -> Result<()> {
        if self.json {
            return print_json(&serde_json::json!({ "loaded": loaded, "demo_cases": all, "database": db }));
        }
        if loaded.is_empty() {
            say!("demo cases already present in {}: {}", db.display(), all.join(", "));
        } else {
            say!("loaded demo cases into {}: {}", db.display(), loaded.join(", "));
        }
        Ok(())
    }

    /// Any record, as JSON or as indented "field: value" lines.
    pub fn show(&self, record: &impl Serialize) -> Result<()> {
        let value = serde_json::to_value(record).map_err(|e| Error::internal(format!("cannot print JSON: {e}")))?;
        if self.json {
            return print_json(&value);
        }
        let mut out = String::new();
        self.render(&value, 0, &mut out);
        say_part!("{out}");
        Ok(())
    }

    fn render(&self, value: &Value, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::Null => {}
                        Value::Array(a) if a.is_empty() => {}
                        Value::String(s) if s.is_empty() => {}
                        Value::Object(_) | Value::Array(_) => {
                            out.push_str(&format!("{pad}{k}:\n"));
                            self.render(v, depth + 1, out);
                        }
                        Value::String(s) if is_date_field(k) => {
                            let label = self.date_label(s);
                            if label == *s {
                                out.push_str(&format!("{pad}{k}: {s}\n"));
                            } else {
                                out.push_str(&format!("{pad}{k}: {s} ({label})\n"));
                            }
                        }
                        Value::String(s) if s.contains('\n') => {
                            out.push_str(&format!("{pad}{k}:\n"));
                            for line in s.lines() {
                                out.push_str(&format!("{pad}  | {line}\n"));
                            }
                        }
                        other => out.push_str(&format!("{pad}{k}: {}\n", scalar(other))),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(_) | Value::Array(_) => {
                            out.push_str(&format!("{pad}-\n"));
                            self.render(item, depth + 1, out);
                        }
                        other => out.push_str(&format!("{pad}- {}\n", scalar(other))),
                    }
                }
            }
            other => out.push_str(&format!("{pad}{}\n", scalar(other))),
        }
    }

    /// A list of records: JSON array, or one line each prefixed by its id.
    pub fn list<T: Serialize>(&self, items: &[T], line: impl Fn(&T) -> String) -> Result<()> {
        if self.json {
            return print_json(&items);
        }
        for item in items {
            let id =
                serde_json::to_value(item).ok().and_then(|v| v["id"].as_str().map(String::from)).unwrap_or_default();
            say!("{id}  {}", line(item));
        }
        Ok(())
    }

    pub fn cases(&self, cases: &[Case]) -> Result<()> {
        self.list(cases, |c| format!("{:<28} {:<14} {}", c.slug, c.status.word(self.lang), c.title))
    }

    pub fn case(&self, case: &Case, roles: &[CaseRole]) -> Result<()> {
        if self.json {
            return print_json(&serde_json::json!({ "case": case, "parties": roles }));
        }
        self.show(case)?;
        say!("parties:");
        self.roles_text(roles);
        Ok(())
    }

    pub fn parties(&self, parties: &[Party]) -> Result<()> {
        self.list(parties, |p| {
            let aliases =
                if p.aliases.is_empty() { String::new() } else { format!(" (also {})", p.aliases.join(", ")) };
            format!("{:<12} {}{aliases}", p.kind.word(self.lang), p.name)
        })
    }

    pub fn roles(&self, roles: &[CaseRole]) -> Result<()> {
        if self.json {
            return print_json(&roles);
        }
        self.roles_text(roles);
        Ok(())
    }

    fn roles_text(&self, roles: &[CaseRole]) {
        for r in roles {
            let behalf = r.on_behalf_of.as_deref().map(|b| format!(" for {b}")).unwrap_or_default();
            say!("  {:<12} {}{behalf}  ({})", r.role.word(self.lang), r.name, r.party_id);
        }
    }

    pub fn timeline(&self, case: &Case, entries: &[Entry], next: Option<&str>) -> Result<()> {
        if self.json {
            return print_json(&entries);
        }
        let w = |s: String| -> Result<()> {
            say!("{s}");
            Ok(())
        };
        w(format!("{} — {} ({})", case.slug, case.title, case.status.word(self.lang)))?;
        w(String::new())?;
        for e in entries {
            let date = if self.lang == Lang::Fr { &e.date_fr } else { &e.date_en };
            let status = e.status.map(|s| format!(" → {}", s.word(self.lang))).unwrap_or_default();
            w(format!("{:<16} {:<34} {:<14} {}{status}", e.date, date, e.kind.word(self.lang), e.title))?;
            let mut about = Vec::new();
            if !e.parties.is_empty() {
                about.push(e.parties.join(", "));
            }
            about.extend(e.attribution.iter().map(|a| a.describe(self.lang)));
            if e.evidence_count > 0 {
                about.push(evidence_count(e.evidence_count, self.lang));
            }
            if !about.is_empty() {
                w(format!("{:<66} {}", "", about.join(" · ")))?;
            }
        }
        if let Some(next) = next {
            w(format!("\nmore: --after '{next}'"))?;
        }
        Ok(())
    }
}

impl Out {
    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    pub fn transferred(&self, report: &TransferReport) -> Result<()> {
        if self.json {
            return print_json(report);
        }
        say!("{} {} ({}): {}", report.format, report.path, report.case_slug, report.count);
        for m in &report.messages {
            say!("  {m}");
        }
        Ok(())
    }

    /// Search hits grouped by case, then kind; matched words shown between [ and ].
    pub fn hits(&self, hits: &[Hit]) -> Result<()> {
        if self.json {
            return print_json(&hits);
        }
        if hits.is_empty() {
            say!("no match");
            return Ok(());
        }
        let mut groups: Vec<(Option<&str>, &str, Vec<&Hit>)> = Vec::new();
        for h in hits {
            let key = (h.case_title.as_deref(), h.kind.word(self.lang));
            match groups.iter_mut().find(|g| (g.0, g.1) == key) {
                Some(g) => g.2.push(h),
                None => groups.push((key.0, key.1, vec![h])),
            }
        }
        for (case, kind, items) in groups {
            say!("{} — {kind}", case.unwrap_or("(all cases)"));
            for h in items {
                let snippet: String = h
                    .snippet
                    .iter()
                    .map(|p| if p.matched { format!("[{}]", p.text) } else { p.text.clone() })
                    .collect();
                let page = h.page.map(|p| format!("  (p. {p})")).unwrap_or_default();
                say!(
                    "  {}  {}{page}\n      {}",
                    h.record_id,
                    h.title,
                    snippet.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
        }
        Ok(())
    }
}

fn is_date_field(key: &str) -> bool {
    matches!(key, "date" | "deadline" | "effective" | "terminated")
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// "1 piece of evidence", "2 pièces".
fn evidence_count(n: i64, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 piece of evidence".to_string(),
        (Lang::En, n) => format!("{n} pieces of evidence"),
        (Lang::Fr, 0 | 1) => format!("{n} pièce"),
        (Lang::Fr, n) => format!("{n} pièces"),
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    /// Guards the security review's finding 7: an escape sequence stored before control characters
    /// were refused is printed as text, never sent to the terminal.
    #[test]
    fn control_characters_are_printed_as_text() {
        assert_eq!(visible("hi\x1b]0;PWNED\x07 ok\tthen\n"), "hi\\u{1b}]0;PWNED\\u{7} ok\tthen\n");
        assert_eq!(visible("plain é"), "plain é");
    }
}
