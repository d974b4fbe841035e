//! The Markdown summary.

use std::fmt::Write as _;

use super::words::*;
use super::{CaseSnapshot, ReportOptions};
use crate::date::Lang;
use crate::error::Result;
use crate::store::Reader;
use crate::vocabulary::{EntryKind, ReportSection};

/// Escapes user text placed inside Markdown structure (a heading, a list item, a table cell): the
/// characters Markdown could read as syntax are backslash-escaped and line breaks become spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last_space = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        last_space = c == ' ';
    }
    out.trim().to_string()
}

/// User Markdown with its raw HTML made text: `<` written `&lt;`, which a Markdown reader shows as `<`
/// but never takes for a tag, so a `<script>` or an `onerror=` in a record stays words in any renderer
/// the file is opened with, sanitizing or not. Its images and its relative or protocol-relative links
/// are made text first ([`crate::markdown::inert_links`]), as the HTML report drops them: a Markdown
/// viewer would fetch the image, or resolve the link against wherever the file is opened.
fn user_markdown(markdown: &str) -> String {
    crate::markdown::inert_links(markdown.trim()).replace('<', "&lt;")
}

/// User Markdown kept as written (its raw HTML as text), inside a blockquote so that it cannot break
/// the report around it.
fn md_quote(out: &mut String, markdown: &str) {
    let text = user_markdown(markdown);
    if text.is_empty() {
        return;
    }
    for l in text.lines() {
        if l.trim().is_empty() {
            put!(out, ">");
        } else {
            put!(out, "> {l}");
        }
    }
    put!(out);
}

/// A stored date for Markdown: words and the recorded form.
fn md_date(date: &str, lang: Lang) -> String {
    format!("{} (`{}`)", md(&date_in_words(lang, date)), date.replace('`', ""))
}

/// The case as a Markdown document: title, status, summary, parties by role, chronology, agreements,
/// allegations with their status history and responses, correspondence and the evidence index.
pub fn markdown(db: &Reader, case: &str, lang: Lang, options: &ReportOptions) -> Result<String> {
    let r = CaseSnapshot::read(db, case, options, lang)?;
    let l = labels(lang);
    let mut out = String::new();

    put!(out, "# {}", md(&r.case.title));
    put!(out);
    let mut meta = format!("**{}:** {}", l.status, md(r.case.status.word(lang)));
    if !r.case.tags.is_empty() {
        let _ = write!(meta, " · **{}:** {}", l.tags, md(&r.case.tags.join(", ")));
    }
    put!(out, "{meta}");
    put!(out);

    if r.shows(ReportSection::Summary) {
        put!(out, "## {}", l.summary);
        put!(out);
        if r.case.summary.trim().is_empty() {
            put!(out, "{}", l.none);
        } else {
            put!(out, "{}", user_markdown(&r.case.summary));
        }
        put!(out);
    }

    if r.shows(ReportSection::Parties) {
        put!(out, "## {}", l.parties);
        put!(out);
        if r.roles.is_empty() {
            put!(out, "{}", l.none);
        }
        for role in &r.roles {
            let mut item = format!(
                "- **{}:** {} ({})",
                md(&capitalise(role.role.word(lang))),
                md(&role.name),
                md(role.kind.word(lang))
            );
            if let Some(b) = &role.on_behalf_of {
                let _ = write!(item, ", {} {}", l.on_behalf_of, md(b));
            }
            if let Some((p, _)) = r.cast.iter().find(|(p, _)| p.id == role.party_id) {
                if !p.affiliations.is_empty() {
                    let _ = write!(item, " — {}", md(&affiliations_text(p)));
                }
            }
            put!(out, "{item}");
        }
        put!(out);
    }

    if r.shows(ReportSection::Chronology) {
        put!(out, "## {}", l.chronology);
        put!(out);
        put!(out, "_{}_", md(l.dates_note));
        put!(out);
        if r.entries.is_empty() {
            put!(out, "{}", l.none);
        } else {
            put!(out, "| {} | {} | {} | {} | {} | {} |", l.date, l.kind, l.what, l.who, l.attribution, l.sources);
            put!(out, "|---|---|---|---|---|---|");
            for e in &r.entries {
                let mut what = md(&entry_what(e, lang));
                if e.kind == EntryKind::Event {
                    if let Some(d) = r.descriptions.get(&e.record_id) {
                        let _ = write!(what, " — {}", md(d));
                    }
                }
                put!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    md_date(&e.date, lang),
                    md(e.kind.word(lang)),
                    what,
                    md(&e.parties.join(", ")),
                    md(&attributions_text(&e.attribution, lang)),
                    md(&r.sources_text(&e.record_id)),
                );
            }
        }
        put!(out);
    }

    if r.shows(ReportSection::Agreements) {
        put!(out, "## {}", l.agreements);
        put!(out);
        if r.agreements.is_empty() {
            put!(out, "{}", l.none);
            put!(out);
        }
        for a in &r.agreements {
            put!(out, "### {}", md(&a.title));
            put!(out);
            if !a.kind.is_empty() {
                put!(out, "- **{}:** {}", l.kind, md(&a.kind));
            }
            if !a.parties.is_empty() {
                put!(out, "- **{}:** {}", l.signatories, md(&names(&a.parties)));
            }
            if let Some(d) = &a.effective {
                put!(out, "- **{}:** {}", l.effective, md_date(d, lang));
            }
            if let Some(d) = &a.terminated {
                put!(out, "- **{}:** {}", l.terminated, md_date(d, lang));
            }
            let sources = r.sources_text(&a.id);
            if !sources.is_empty() {
                put!(out, "- **{}:** {}", l.sources, md(&sources));
            }
            put!(out);
            if !a.terms.trim().is_empty() {
                put!(out, "**{}:**", l.terms);
                put!(out);
                md_quote(&mut out, &a.terms);
            }
            for c in &a.clauses {
                put!(out, "**{} {}**", l.reference, md(&c.reference));
                put!(out);
                md_quote(&mut out, &c.text);
            }
        }
    }

    if r.shows(ReportSection::Allegations) {
        put!(out, "## {}", l.allegations);
        put!(out);
        put!(out, "_{}_", md(l.attribution_note));
        put!(out);
        if r.allegations.is_empty() {
            put!(out, "{}", l.none);
            put!(out);
        }
        for (i, a) in r.allegations.iter().enumerate() {
            put!(out, "### A{}. {}", i + 1, md(&a.summary));
            put!(out);
            put!(out, "- **{}:** {}", l.current_status, md(a.status.word(lang)));
            put!(out, "- **{}:** {} — **{}:** {}", l.made_by, md(&a.made_by.name), l.against, md(&a.against.name));
            put!(out, "- **{}:** {}", l.raised_on, md_date(&a.date, lang));
            if let Some(raised) = &a.raised_in {
                put!(out, "- **{}:** {} ({})", l.raised_in, md(&raised.title), md(raised.kind.word(lang)));
            }
            if let Some(ag) = a.agreement_id.as_deref().and_then(|id| r.agreements.iter().find(|x| x.id == id)) {
                put!(out, "- **{}:** {}", l.agreement, md(&ag.title));
            }
            if !a.clauses.is_empty() {
                let refs: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
                put!(out, "- **{}:** {}", l.clauses, md(&refs.join(", ")));
            }
            if !a.attributions.is_empty() {
                put!(out, "- **{}:** {}", l.attribution, md(&attributions_text(&a.attributions, lang)));
            }
            let sources = r.sources_text(&a.id);
            if !sources.is_empty() {
                put!(out, "- **{}:** {}", l.sources, md(&sources));
            }
            put!(out, "- **{}:**", l.history);
            for h in &a.history {
                let mut item = format!("  - {} — {}", md_date(&h.date, lang), md(h.status.word(lang)));
                if !h.note.trim().is_empty() {
                    let _ = write!(item, ": {}", md(&h.note));
                }
                put!(out, "{item}");
            }
            put!(out, "- **{}:**", l.responses);
            if a.responses.is_empty() {
                put!(out, "  - {}", l.no_response);
            }
            for resp in a.responses.iter().filter_map(|id| r.responses.get(id)) {
                let mut item = format!(
                    "  - {} — {}: {}",
                    md_date(&resp.date, lang),
                    md(&resp.by.name),
                    md(resp.stance.word(lang))
                );
                if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
                    let _ = write!(item, " ({} {})", l.in_letter.to_lowercase(), md(subject));
                }
                if !resp.text.trim().is_empty() {
                    let _ = write!(item, " — {}", md(&resp.text));
                }
                if !resp.attributions.is_empty() {
                    let _ = write!(item, " [{}]", md(&attributions_text(&resp.attributions, lang)));
                }
                let sources = r.sources_text(&resp.id);
                if !sources.is_empty() {
                    let _ = write!(item, " — {}: {}", l.sources, md(&sources));
                }
                put!(out, "{item}");
            }
            put!(out);
            if !a.detail.trim().is_empty() {
                md_quote(&mut out, &a.detail);
            }
        }
    }

    if r.shows(ReportSection::Correspondence) {
        put!(out, "## {}", l.correspondence);
        put!(out);
        put!(out, "### {}", l.deadlines);
        put!(out);
        if r.deadlines.is_empty() {
            put!(out, "{}", l.none);
        } else {
            put!(out, "| {} | {} | {} | {} |", l.deadline, l.subject, l.from, l.state);
            put!(out, "|---|---|---|---|");
            for d in &r.deadlines {
                put!(
                    out,
                    "| {} | {} | {} | {} |",
                    md_date(&d.deadline, lang),
                    md(&d.subject),
                    md(&d.sender),
                    d.state.word(lang)
                );
            }
        }
        put!(out);
        put!(out, "### {}", l.letters);
        put!(out);
        if r.threads.is_empty() {
            put!(out, "{}", l.none);
            put!(out);
        }
        for t in &r.threads {
            let lt = &t.letter;
            let arrow = if t.depth > 0 { format!("{} ", "↳".repeat(t.depth as usize)) } else { String::new() };
            put!(out, "#### {arrow}{} — {}", md(&date_in_words(lang, &lt.date)), md(&lt.subject));
            put!(out);
            put!(out, "- **{}:** {} (`{}`)", l.date, md(&date_in_words(lang, &lt.date)), lt.date.replace('`', ""));
            put!(out, "- **{}:** {}", l.channel, md(lt.channel.word(lang)));
            put!(out, "- **{}:** {}", l.from, md(&sender_text(lt)));
            if !lt.to.is_empty() {
                put!(out, "- **{}:** {}", l.to, md(&names(&lt.to)));
            }
            if !lt.cc.is_empty() {
                put!(out, "- **{}:** {}", l.cc, md(&names(&lt.cc)));
            }
            if let Some(d) = &lt.deadline {
                put!(out, "- **{}:** {}", l.deadline, md_date(d, lang));
            }
            if let Some(subject) = lt.in_reply_to.as_deref().and_then(|id| r.letter_subject(id)) {
                put!(out, "- **{}:** {}", l.in_reply_to, md(subject));
            }
            let sources = r.sources_text(&lt.id);
            if !sources.is_empty() {
                put!(out, "- **{}:** {}", l.sources, md(&sources));
            }
            put!(out);
            md_quote(&mut out, &lt.body);
        }
    }

    if r.shows(ReportSection::Evidence) {
        put!(out, "## {}", l.evidence);
        put!(out);
        put!(out, "_{}_", md(l.evidence_note));
        put!(out);
        if r.evidence.is_empty() {
            put!(out, "{}", l.none);
            put!(out);
        }
        for (i, e) in r.evidence.iter().enumerate() {
            put!(out, "### {}. {}", r.cite(i + 1), md(&e.title));
            put!(out);
            let mut kind = md(e.kind.word(lang));
            if let Some(t) = &e.media_type {
                let _ = write!(kind, " ({})", md(t));
            }
            put!(out, "- **{}:** {}", l.kind, kind);
            if let Some(name) = &e.original_name {
                put!(out, "- **{}:** {}", l.original_name, md(name));
            }
            if let Some(sha) = &e.sha256 {
                put!(out, "- **{}:** `{}`", l.sha256, sha.replace('`', ""));
            }
            if let Some(size) = e.size {
                put!(out, "- **{}:** {} {}", l.size, thousands(size, lang), l.bytes);
            }
            if let Some(url) = &e.url {
                put!(out, "- **{}:** <{}>", l.url, url.replace(['<', '>', ' ', '\n', '\r'], ""));
            }
            if let Some(p) = &e.publisher {
                put!(out, "- **{}:** {}", l.publisher, md(p));
            }
            if let Some(d) = &e.date {
                put!(out, "- **{}:** {}", l.date, md_date(d, lang));
            }
            put!(out, "- **{}:**", l.supports);
            if e.links.is_empty() {
                put!(out, "  - {}", l.none);
            }
            for link in &e.links {
                let mut item = format!("  - {} ({})", md(&link.record_title), md(link.record_kind.word(lang)));
                if !link.pinpoint.is_empty() {
                    let _ = write!(item, " — {}", md(&link.pinpoint));
                }
                if !link.note.trim().is_empty() {
                    let _ = write!(item, " — {}", md(&link.note));
                }
                put!(out, "{item}");
                if let Some(q) = &link.quote {
                    put!(out, "    > “{}”{}", md(&q.exact), quote_after(q, lang));
                }
            }
            put!(out);
            md_quote(&mut out, &e.note);
        }
    }

    Ok(out.trim_end().to_string() + "\n")
}
