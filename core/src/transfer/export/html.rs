//! The HTML report.

use std::fmt::Write as _;

use super::words::*;
use super::{group_sources, is_web_url, CaseSnapshot, ReportOptions};
use crate::date::Lang;
use crate::error::Result;
use crate::markdown::to_safe_html;
use crate::store::Reader;
use crate::vocabulary::{DeadlineState, EntryKind, ReportSection};

/// Escapes text for HTML (see `markdown::escape_html`).
fn esc(text: &str) -> String {
    crate::markdown::escape_html(text)
}

/// A stored date for HTML: words, with the recorded form beneath.
fn html_date(date: &str, lang: Lang) -> String {
    format!("{}<br><code class=\"recorded\">{}</code>", esc(&date_in_words(lang, date)), esc(date))
}

/// Evidence citations of a record as links into the evidence index.
fn html_sources(r: &CaseSnapshot, record_id: &str) -> String {
    group_sources(r.sources.get(record_id).map(Vec::as_slice).unwrap_or_default())
        .into_iter()
        .map(|(n, pins)| {
            let pins = if pins.is_empty() { String::new() } else { format!(" ({})", esc(&pins.join("; "))) };
            format!("<a href=\"#evidence-{n}\">{}</a>{pins}", r.cite(n))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report's print-ready style sheet, embedded so the report is one file to send.
const CSS: &str = include_str!("report.css");

/// The sections of the report, in order: (anchor, title).
fn html_sections(l: &Labels) -> [(&'static str, &'static str, ReportSection); 7] {
    [
        ("summary", l.summary, ReportSection::Summary),
        ("parties", l.parties, ReportSection::Parties),
        ("chronology", l.chronology, ReportSection::Chronology),
        ("agreements", l.agreements, ReportSection::Agreements),
        ("allegations", l.allegations, ReportSection::Allegations),
        ("correspondence", l.correspondence, ReportSection::Correspondence),
        ("evidence", l.evidence, ReportSection::Evidence),
    ]
}

/// The case as one self-contained HTML file to send or print: embedded print CSS, a table of
/// contents, cast of characters, chronology, agreements, allegations with their status history and
/// responses, correspondence with deadlines, and the evidence index. `generated_on` is shown as given
/// (e.g. "2024-05-02"), so the caller decides the date and the output stays reproducible.
pub fn html(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<String> {
    render(db, case, lang, generated_on, options, "")
}

/// The report with `more_css` after its own style sheet (the PDF adds its page furniture).
pub(super) fn render(
    db: &Reader,
    case: &str,
    lang: Lang,
    generated_on: &str,
    options: &ReportOptions,
    more_css: &str,
) -> Result<String> {
    let r = CaseSnapshot::read(db, case, options, lang)?;
    let l = labels(lang);
    let mut out = String::with_capacity(64 * 1024);
    let sections = html_sections(l);

    put!(out, "<!DOCTYPE html>");
    put!(out, "<html lang=\"{}\">", lang.as_str());
    put!(out, "<head>");
    put!(out, "<meta charset=\"utf-8\">");
    // The report fetches nothing when opened: no script, no remote image, no outside style.
    put!(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    put!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    put!(out, "<meta name=\"generator\" content=\"Dossier\">");
    put!(out, "<title>{} — {}</title>", esc(&r.case.title), l.report);
    put!(out, "<style>{CSS}{more_css}</style>");
    put!(out, "</head>");
    put!(out, "<body>");
    put!(out, "<header>");
    put!(out, "<p class=\"meta\">{}</p>", l.report);
    put!(out, "<h1>{}</h1>", esc(&r.case.title));
    let mut meta = format!("{}: {}", l.status, esc(r.case.status.word(lang)));
    if !r.case.tags.is_empty() {
        let _ = write!(meta, " · {}: {}", l.tags, esc(&r.case.tags.join(", ")));
    }
    put!(out, "<p class=\"meta\">{meta}</p>");
    put!(out, "<p class=\"generated\">{} {} — Dossier</p>", l.generated_on, esc(generated_on));
    put!(out, "</header>");

    put!(out, "<nav id=\"contents\">");
    put!(out, "<h2>{}</h2>", l.contents);
    put!(out, "<ol>");
    for (id, title) in sections.iter().filter(|(_, _, s)| r.shows(*s)).map(|(id, title, _)| (id, title)) {
        put!(out, "<li><a href=\"#{id}\">{title}</a></li>");
    }
    put!(out, "</ol>");
    put!(out, "</nav>");

    if r.shows(ReportSection::Summary) {
        // Summary.
        put!(out, "<section id=\"summary\">");
        put!(out, "<h2>{}</h2>", l.summary);
        if r.case.summary.trim().is_empty() {
            put!(out, "<p>{}</p>", l.none);
        } else {
            put!(out, "{}", to_safe_html(&r.case.summary));
        }
        put!(out, "</section>");
    }

    if r.shows(ReportSection::Parties) {
        // Cast of characters.
        put!(out, "<section id=\"parties\">");
        put!(out, "<h2>{}</h2>", l.parties);
        if r.cast.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        } else {
            put!(out, "<table>");
            put!(
                out,
                "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
                l.name,
                l.kind,
                l.roles,
                l.affiliations,
                l.aliases
            );
            put!(out, "<tbody>");
            for (p, roles) in &r.cast {
                put!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&p.name),
                    esc(p.kind.word(lang)),
                    esc(&roles_text(roles, lang)),
                    esc(&affiliations_text(p)),
                    esc(&p.aliases.join(", ")),
                );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
            for (p, _) in r.cast.iter().filter(|(p, _)| !p.description.trim().is_empty()) {
                put!(out, "<h3>{}</h3>", esc(&p.name));
                put!(out, "<div class=\"desc\">{}</div>", to_safe_html(&p.description));
            }
        }
        put!(out, "</section>");
    }

    if r.shows(ReportSection::Chronology) {
        // Chronology.
        put!(out, "<section id=\"chronology\">");
        put!(out, "<h2>{}</h2>", l.chronology);
        put!(out, "<p class=\"intro\">{}</p>", esc(l.dates_note));
        if r.entries.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        } else {
            put!(out, "<table class=\"chronology\">");
            put!(
                out,
                "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
                l.date,
                l.what,
                l.who,
                l.attribution,
                l.sources
            );
            put!(out, "<tbody>");
            for e in &r.entries {
                let mut what =
                    format!("<span class=\"kind\">{}</span>{}", esc(e.kind.word(lang)), esc(&entry_what(e, lang)));
                if e.kind == EntryKind::Event {
                    if let Some(d) = r.descriptions.get(&e.record_id) {
                        let _ = write!(what, "<div class=\"desc\">{}</div>", to_safe_html(d));
                    }
                }
                put!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    html_date(&e.date, lang),
                    what,
                    esc(&e.parties.join(", ")),
                    esc(&attributions_text(&e.attribution, lang)),
                    html_sources(&r, &e.record_id),
                );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
        }
        put!(out, "</section>");
    }

    if r.shows(ReportSection::Agreements) {
        // Agreements.
        put!(out, "<section id=\"agreements\">");
        put!(out, "<h2>{}</h2>", l.agreements);
        if r.agreements.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        }
        for a in &r.agreements {
            put!(out, "<article>");
            put!(out, "<h3>{}</h3>", esc(&a.title));
            put!(out, "<dl>");
            if !a.kind.is_empty() {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.kind, esc(&a.kind));
            }
            if !a.parties.is_empty() {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.signatories, esc(&names(&a.parties)));
            }
            if let Some(d) = &a.effective {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.effective, html_date(d, lang));
            }
            if let Some(d) = &a.terminated {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.terminated, html_date(d, lang));
            }
            let sources = html_sources(&r, &a.id);
            if !sources.is_empty() {
                put!(out, "<dt>{}</dt><dd>{sources}</dd>", l.sources);
            }
            put!(out, "</dl>");
            if !a.terms.trim().is_empty() {
                put!(out, "<h4>{}</h4>", l.terms);
                put!(out, "<div class=\"body\">{}</div>", to_safe_html(&a.terms));
            }
            if !a.clauses.is_empty() {
                put!(out, "<table>");
                put!(out, "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>", l.reference, l.text, l.sources);
                put!(out, "<tbody>");
                for c in &a.clauses {
                    put!(
                        out,
                        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&c.reference),
                        to_safe_html(&c.text),
                        html_sources(&r, &c.id)
                    );
                }
                put!(out, "</tbody>");
                put!(out, "</table>");
            }
            put!(out, "</article>");
        }
        put!(out, "</section>");
    }

    if r.shows(ReportSection::Allegations) {
        // Allegations.
        put!(out, "<section id=\"allegations\">");
        put!(out, "<h2>{}</h2>", l.allegations);
        put!(out, "<p class=\"intro\">{}</p>", esc(l.attribution_note));
        if r.allegations.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        }
        for (i, a) in r.allegations.iter().enumerate() {
            put!(out, "<article>");
            put!(out, "<h3>A{}. {}</h3>", i + 1, esc(&a.summary));
            put!(out, "<dl>");
            put!(out, "<dt>{}</dt><dd><strong>{}</strong></dd>", l.current_status, esc(a.status.word(lang)));
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.made_by, esc(&a.made_by.name));
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.against, esc(&a.against.name));
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.raised_on, html_date(&a.date, lang));
            if let Some(raised) = &a.raised_in {
                put!(out, "<dt>{}</dt><dd>{} ({})</dd>", l.raised_in, esc(&raised.title), esc(raised.kind.word(lang)));
            }
            if let Some(ag) = a.agreement_id.as_deref().and_then(|id| r.agreements.iter().find(|x| x.id == id)) {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.agreement, esc(&ag.title));
            }
            if !a.clauses.is_empty() {
                let refs: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.clauses, esc(&refs.join(", ")));
            }
            if !a.attributions.is_empty() {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.attribution, esc(&attributions_text(&a.attributions, lang)));
            }
            let sources = html_sources(&r, &a.id);
            if !sources.is_empty() {
                put!(out, "<dt>{}</dt><dd>{sources}</dd>", l.sources);
            }
            put!(out, "</dl>");
            if !a.detail.trim().is_empty() {
                put!(out, "<div class=\"body\">{}</div>", to_safe_html(&a.detail));
            }
            put!(out, "<h4>{}</h4>", l.history);
            put!(out, "<table>");
            put!(out, "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>", l.date, l.status, l.note);
            put!(out, "<tbody>");
            for h in &a.history {
                put!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    html_date(&h.date, lang),
                    esc(h.status.word(lang)),
                    to_safe_html(&h.note)
                );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
            put!(out, "<h4>{}</h4>", l.responses);
            if a.responses.is_empty() {
                put!(out, "<p>{}</p>", l.no_response);
            } else {
                put!(out, "<table>");
                put!(
                    out,
                    "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
                    l.date,
                    l.who,
                    l.stance,
                    l.text,
                    l.sources
                );
                put!(out, "<tbody>");
                for resp in a.responses.iter().filter_map(|id| r.responses.get(id)) {
                    let mut text = to_safe_html(&resp.text);
                    if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
                        let _ = write!(text, "<div class=\"desc\">{}: {}</div>", l.in_letter, esc(subject));
                    }
                    if !resp.attributions.is_empty() {
                        let _ = write!(
                            text,
                            "<div class=\"desc\">{}</div>",
                            esc(&attributions_text(&resp.attributions, lang))
                        );
                    }
                    put!(
                        out,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        html_date(&resp.date, lang),
                        esc(&resp.by.name),
                        esc(resp.stance.word(lang)),
                        text,
                        html_sources(&r, &resp.id),
                    );
                }
                put!(out, "</tbody>");
                put!(out, "</table>");
            }
            put!(out, "</article>");
        }
        put!(out, "</section>");
    }

    if r.shows(ReportSection::Correspondence) {
        // Correspondence.
        put!(out, "<section id=\"correspondence\">");
        put!(out, "<h2>{}</h2>", l.correspondence);
        put!(out, "<h3>{}</h3>", l.deadlines);
        if r.deadlines.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        } else {
            put!(out, "<table>");
            put!(
                out,
                "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
                l.deadline,
                l.subject,
                l.from,
                l.state
            );
            put!(out, "<tbody>");
            for d in &r.deadlines {
                let n = letter_number(&r, &d.letter_id);
                let subject = match n {
                    Some(n) => format!("<a href=\"#letter-{n}\">{}</a>", esc(&d.subject)),
                    None => esc(&d.subject),
                };
                let state = d.state.word(lang);
                let class = if d.state == DeadlineState::Overdue { " class=\"state-overdue\"" } else { "" };
                put!(
                    out,
                    "<tr><td>{}</td><td>{subject}</td><td>{}</td><td{class}>{state}</td></tr>",
                    html_date(&d.deadline, lang),
                    esc(&d.sender)
                );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
        }
        put!(out, "<h3>{}</h3>", l.letters);
        if r.threads.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        }
        for (i, t) in r.threads.iter().enumerate() {
            let lt = &t.letter;
            put!(out, "<article id=\"letter-{}\" class=\"depth-{}\">", i + 1, t.depth.min(3));
            put!(out, "<h4>{} — {}</h4>", esc(&date_in_words(lang, &lt.date)), esc(&lt.subject));
            put!(out, "<dl>");
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.date, html_date(&lt.date, lang));
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.channel, esc(lt.channel.word(lang)));
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.from, esc(&sender_text(lt)));
            if !lt.to.is_empty() {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.to, esc(&names(&lt.to)));
            }
            if !lt.cc.is_empty() {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.cc, esc(&names(&lt.cc)));
            }
            if let Some(d) = &lt.deadline {
                put!(out, "<dt>{}</dt><dd>{}</dd>", l.deadline, html_date(d, lang));
            }
            if let Some(parent) = lt.in_reply_to.as_deref() {
                if let (Some(n), Some(subject)) = (letter_number(&r, parent), r.letter_subject(parent)) {
                    put!(out, "<dt>{}</dt><dd><a href=\"#letter-{n}\">{}</a></dd>", l.in_reply_to, esc(subject));
                }
            }
            let sources = html_sources(&r, &lt.id);
            if !sources.is_empty() {
                put!(out, "<dt>{}</dt><dd>{sources}</dd>", l.sources);
            }
            put!(out, "</dl>");
            if !lt.body.trim().is_empty() {
                put!(out, "<div class=\"body\">{}</div>", to_safe_html(&lt.body));
            }
            put!(out, "</article>");
        }
        put!(out, "</section>");
    }

    if r.shows(ReportSection::Evidence) {
        // Evidence index.
        put!(out, "<section id=\"evidence\">");
        put!(out, "<h2>{}</h2>", l.evidence);
        put!(out, "<p class=\"intro\">{}</p>", esc(l.evidence_note));
        if r.evidence.is_empty() {
            put!(out, "<p>{}</p>", l.none);
        } else {
            put!(out, "<table>");
            put!(
                out,
                "<thead><tr><th>#</th><th>{}</th><th>{} / {}</th><th>{}</th><th>{}</th></tr></thead>",
                l.title,
                l.sha256,
                l.size,
                l.sources,
                l.supports
            );
            put!(out, "<tbody>");
            for (i, e) in r.evidence.iter().enumerate() {
                let mut title = format!("{}<span class=\"kind\">{}", esc(&e.title), esc(e.kind.word(lang)));
                if let Some(t) = &e.media_type {
                    let _ = write!(title, " · {}", esc(t));
                }
                title.push_str("</span>");
                if !e.note.trim().is_empty() {
                    let _ = write!(title, "<div class=\"desc\">{}</div>", to_safe_html(&e.note));
                }
                let mut digest = String::new();
                if let Some(sha) = &e.sha256 {
                    let _ = write!(digest, "<span class=\"hash\">{}</span>", esc(sha));
                }
                if let Some(size) = e.size {
                    let _ = write!(digest, "<br>{} {}", thousands(size, lang), l.bytes);
                }
                let mut origin: Vec<String> = Vec::new();
                if let Some(name) = &e.original_name {
                    origin.push(format!("{}: {}", l.original_name, esc(name)));
                }
                if let Some(url) = &e.url {
                    if is_web_url(url) {
                        origin.push(format!("<a href=\"{0}\">{0}</a>", esc(url)));
                    } else {
                        origin.push(esc(url));
                    }
                }
                if let Some(p) = &e.publisher {
                    origin.push(format!("{}: {}", l.publisher, esc(p)));
                }
                if let Some(d) = &e.date {
                    origin.push(html_date(d, lang));
                }
                let supports = if e.links.is_empty() {
                    esc(l.none)
                } else {
                    let items: Vec<String> = e
                        .links
                        .iter()
                        .map(|link| {
                            let mut item = format!(
                                "{} <span class=\"kind\">{}</span>",
                                esc(&link.record_title),
                                esc(link.record_kind.word(lang))
                            );
                            if !link.pinpoint.is_empty() {
                                let _ = write!(item, " — <strong>{}</strong>", esc(&link.pinpoint));
                            }
                            if !link.note.trim().is_empty() {
                                let _ = write!(item, " — {}", esc(&link.note));
                            }
                            // The passage cited, with its page, and whether it is known to be word for word.
                            if let Some(q) = &link.quote {
                                let page = q
                                    .page
                                    .map(|p| format!(" <span class=\"page\">(p. {p})</span>"))
                                    .unwrap_or_default();
                                let caveat = match quote_caveat(q, lang) {
                                    "" => String::new(),
                                    c => format!(" <span class=\"caveat\">— {c}</span>"),
                                };
                                let _ = write!(
                                    item,
                                    "<blockquote class=\"quote\">“{}”{page}{caveat}</blockquote>",
                                    esc(&q.exact)
                                );
                            }
                            format!("<li>{item}</li>")
                        })
                        .collect();
                    format!("<ul>{}</ul>", items.concat())
                };
                put!(
                out,
                "<tr id=\"evidence-{n}\"><td>{}</td><td>{title}</td><td>{digest}</td><td>{}</td><td>{supports}</td></tr>",
                r.cite(i + 1),
                origin.join("<br>"),
                n = i + 1,
            );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
        }
        put!(out, "</section>");
    }

    put!(
        out,
        "<footer><p class=\"generated\">{} — {} {} — Dossier</p></footer>",
        esc(&r.case.title),
        l.generated_on,
        esc(generated_on)
    );
    put!(out, "</body>");
    put!(out, "</html>");
    Ok(out)
}

/// The 1-based position of a letter in the correspondence log (its `#letter-N` anchor).
fn letter_number(r: &CaseSnapshot, id: &str) -> Option<usize> {
    r.threads.iter().position(|t| t.letter.id == id).map(|i| i + 1)
}
