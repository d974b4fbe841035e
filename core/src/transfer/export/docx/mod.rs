//! The case summary as a Word document, in the structure of the HTML report, made with docx-rs: real
//! styles (Title, Heading 1–3, a table style, Hyperlink) that a paralegal can restyle in Word or
//! LibreOffice, a table of contents field, the case title in the running header and page numbers in
//! the footer. Dates are shown in words with the recorded form beside them. Sources are cited as in
//! the report: "E1 (¶ 5)" links to the evidence index, where each piece has its bookmark, so the
//! index serves as the document's endnotes.
//!
//! docx-rs writes no way to repeat a table's header row on each page nor the document's title
//! property; both are added to the parts it built, before they are zipped ([`package`]).

mod package;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, Hyperlink, HyperlinkType, PageNum, Paragraph, Run, RunFonts,
    Shading, Style, StyleType, Table, TableBorders, TableCell, TableLayoutType, TableOfContents, TableRow, WidthType,
};

use super::words::*;
use super::{group_sources, CaseSnapshot, ReportOptions};
use crate::date::Lang;
use crate::error::Result;
use crate::markdown::{html_to_text, to_safe_html};
use crate::store::Reader;
use crate::vocabulary::ReportSection;

/// Text width of an A4 page with docx-rs's default margins, in twentieths of a point.
const TEXT_WIDTH: usize = 9_000;

/// A Word document under construction.
struct Doc {
    docx: Docx,
    /// The next bookmark id (Word numbers them).
    bookmark: usize,
}

impl Doc {
    fn new(title: &str) -> Doc {
        let docx = Docx::new()
            .page_size(11_906, 16_838)
            .default_fonts(RunFonts::new().ascii("Liberation Serif").hi_ansi("Liberation Serif"))
            .default_size(21)
            .add_style(
                Style::new("Title", StyleType::Paragraph)
                    .name("Title")
                    .based_on("Normal")
                    .next("Normal")
                    .size(44)
                    .bold(),
            )
            .add_style(heading(1, 32))
            .add_style(heading(2, 26))
            .add_style(heading(3, 23))
            .add_style(
                Style::new("Meta", StyleType::Paragraph).name("Meta").based_on("Normal").size(18).color("5B6473"),
            )
            .add_style(Style::new("TableText", StyleType::Paragraph).name("Table Text").based_on("Normal").size(18))
            .add_style(Style::new("Recorded", StyleType::Character).name("Recorded Date").size(16).color("5B6473"))
            .add_style(
                Style::new("Hyperlink", StyleType::Character).name("Hyperlink").color("2457A6").underline("single"),
            )
            .add_style(
                Style::new("DossierTable", StyleType::Table).name("Dossier Table").set_borders(TableBorders::new()),
            )
            .header(Header::new().add_paragraph(Paragraph::new().style("Meta").add_run(Run::new().add_text(title))))
            .footer(Footer::new().add_paragraph(
                Paragraph::new().style("Meta").align(AlignmentType::Center).add_page_num(PageNum::new()),
            ));
        Doc { docx, bookmark: 1 }
    }

    fn add(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn heading(&mut self, level: usize, text: &str) {
        self.add(Paragraph::new().style(&format!("Heading{level}")).add_run(Run::new().add_text(text)));
    }

    /// A heading that starts a new page, as each section of the report does in print.
    fn section(&mut self, text: &str) {
        self.add(Paragraph::new().style("Heading1").page_break_before(true).add_run(Run::new().add_text(text)));
    }

    fn text(&mut self, text: &str) {
        self.add(Paragraph::new().add_run(Run::new().add_text(text)));
    }

    fn meta(&mut self, text: &str) {
        self.add(Paragraph::new().style("Meta").add_run(Run::new().add_text(text)));
    }

    /// Markdown the user wrote, as paragraphs of plain text (its markup read, not shown).
    fn markdown(&mut self, md: &str) {
        for p in markdown_paragraphs(md, None) {
            self.add(p);
        }
    }

    /// "Label: value" as one paragraph, the label bold.
    fn field(&mut self, label: &str, value: &str) {
        self.add(
            Paragraph::new()
                .add_run(Run::new().add_text(format!("{label}: ")).bold())
                .add_run(Run::new().add_text(value)),
        );
    }

    /// A table with a header row (repeated on each page, see [`finish`]) and columns of the given
    /// shares of the text width.
    fn table(&mut self, headers: &[&str], shares: &[usize], rows: Vec<Vec<Vec<Paragraph>>>) {
        let total: usize = shares.iter().sum();
        let widths: Vec<usize> = shares.iter().map(|s| TEXT_WIDTH * s / total).collect();
        let header = TableRow::new(
            headers
                .iter()
                .zip(&widths)
                .map(|(h, w)| {
                    TableCell::new()
                        .width(*w, WidthType::Dxa)
                        .shading(Shading::new().fill("E8ECF2"))
                        .add_paragraph(Paragraph::new().style("TableText").add_run(Run::new().add_text(*h).bold()))
                })
                .collect(),
        )
        .cant_split();
        let mut table_rows = vec![header];
        for row in rows {
            let cells = row
                .into_iter()
                .zip(&widths)
                .map(|(paragraphs, w)| {
                    let mut cell = TableCell::new().width(*w, WidthType::Dxa);
                    if paragraphs.is_empty() {
                        cell = cell.add_paragraph(Paragraph::new().style("TableText"));
                    }
                    for p in paragraphs {
                        cell = cell.add_paragraph(p);
                    }
                    cell
                })
                .collect();
            table_rows.push(TableRow::new(cells).cant_split());
        }
        let table = Table::new(table_rows)
            .style("DossierTable")
            .set_grid(widths)
            .layout(TableLayoutType::Fixed)
            .width(TEXT_WIDTH, WidthType::Dxa);
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.add(Paragraph::new());
    }
}

fn heading(level: usize, size: usize) -> Style {
    Style::new(format!("Heading{level}"), StyleType::Paragraph)
        .name(format!("heading {level}"))
        .based_on("Normal")
        .next("Normal")
        .outline_lvl(level - 1)
        .bold()
        .size(size)
}

/// A paragraph of table text.
fn table_text(text: &str) -> Paragraph {
    Paragraph::new().style("TableText").add_run(Run::new().add_text(text))
}

/// A cell's one paragraph of text.
fn cell(text: &str) -> Vec<Paragraph> {
    vec![table_text(text)]
}

/// A date in a cell: in words, the recorded form beneath.
fn date_cell(date: &str, lang: Lang) -> Vec<Paragraph> {
    vec![Paragraph::new()
        .style("TableText")
        .add_run(Run::new().add_text(date_in_words(lang, date)))
        .add_run(Run::new().add_break(BreakType::TextWrapping))
        .add_run(Run::new().add_text(date).style("Recorded"))]
}

/// Markdown as paragraphs of plain text; `style` for each (table cells use theirs).
fn markdown_paragraphs(md: &str, style: Option<&str>) -> Vec<Paragraph> {
    let text = html_to_text(&to_safe_html(md));
    text.split("\n\n")
        .map(str::trim_end)
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut paragraph = Paragraph::new();
            if let Some(s) = style {
                paragraph = paragraph.style(s);
            }
            for (i, line) in p.lines().enumerate() {
                if i > 0 {
                    paragraph = paragraph.add_run(Run::new().add_break(BreakType::TextWrapping));
                }
                paragraph = paragraph.add_run(Run::new().add_text(line));
            }
            paragraph
        })
        .collect()
}

/// The evidence a record cites, each number a link to its entry in the evidence index.
fn sources_cell(r: &CaseSnapshot, record_id: &str) -> Vec<Paragraph> {
    let groups = group_sources(r.sources.get(record_id).map(Vec::as_slice).unwrap_or_default());
    if groups.is_empty() {
        return Vec::new();
    }
    let mut p = Paragraph::new().style("TableText");
    for (i, (n, pins)) in groups.into_iter().enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_text(", "));
        }
        p = p.add_hyperlink(
            Hyperlink::new(format!("evidence-{n}"), HyperlinkType::Anchor)
                .add_run(Run::new().add_text(r.cite(n)).style("Hyperlink")),
        );
        if !pins.is_empty() {
            p = p.add_run(Run::new().add_text(format!(" ({})", pins.join("; "))));
        }
    }
    vec![p]
}

/// The case as a Word document: summary, cast of characters, chronology, agreements, allegations
/// with their status history and responses, correspondence with deadlines, and the evidence index.
pub fn docx(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<Vec<u8>> {
    let r = CaseSnapshot::read(db, case, options, lang)?;
    let l = labels(lang);
    let mut d = Doc::new(&r.case.title);

    d.meta(l.report);
    d.add(Paragraph::new().style("Title").add_run(Run::new().add_text(&r.case.title)));
    let mut meta = format!("{}: {}", l.status, r.case.status.word(lang));
    if !r.case.tags.is_empty() {
        meta.push_str(&format!(" · {}: {}", l.tags, r.case.tags.join(", ")));
    }
    d.meta(&meta);
    d.meta(&format!("{} {} — Dossier", l.generated_on, generated_on));
    d.heading(1, l.contents);
    d.docx = std::mem::take(&mut d.docx)
        .add_table_of_contents(TableOfContents::new().heading_styles_range(1, 2).auto().dirty());

    if r.shows(ReportSection::Summary) {
        d.section(l.summary);
        if r.case.summary.trim().is_empty() {
            d.text(l.none);
        } else {
            d.markdown(&r.case.summary);
        }
    }

    if r.shows(ReportSection::Parties) {
        d.section(l.parties);
        if r.cast.is_empty() {
            d.text(l.none);
        } else {
            let rows = r
                .cast
                .iter()
                .map(|(p, roles)| {
                    vec![
                        cell(&p.name),
                        cell(p.kind.word(lang)),
                        cell(&roles_text(roles, lang)),
                        cell(&affiliations_text(p)),
                        cell(&p.aliases.join(", ")),
                    ]
                })
                .collect();
            d.table(&[l.name, l.kind, l.roles, l.affiliations, l.aliases], &[3, 2, 3, 3, 2], rows);
            for (p, _) in r.cast.iter().filter(|(p, _)| !p.description.trim().is_empty()) {
                d.heading(3, &p.name);
                d.markdown(&p.description);
            }
        }
    }

    if r.shows(ReportSection::Chronology) {
        d.section(l.chronology);
        d.meta(l.dates_note);
        if r.entries.is_empty() {
            d.text(l.none);
        } else {
            let rows = r
                .entries
                .iter()
                .map(|e| {
                    let mut what = vec![Paragraph::new()
                        .style("TableText")
                        .add_run(Run::new().add_text(capitalise(e.kind.word(lang))).style("Recorded"))
                        .add_run(Run::new().add_break(BreakType::TextWrapping))
                        .add_run(Run::new().add_text(entry_what(e, lang)))];
                    if let Some(desc) = r.descriptions.get(&e.record_id) {
                        what.extend(markdown_paragraphs(desc, Some("TableText")));
                    }
                    vec![
                        date_cell(&e.date, lang),
                        what,
                        cell(&e.parties.join(", ")),
                        cell(&attributions_text(&e.attribution, lang)),
                        sources_cell(&r, &e.record_id),
                    ]
                })
                .collect();
            d.table(&[l.date, l.what, l.who, l.attribution, l.sources], &[3, 6, 3, 4, 2], rows);
        }
    }

    if r.shows(ReportSection::Agreements) {
        d.section(l.agreements);
        if r.agreements.is_empty() {
            d.text(l.none);
        }
        for a in &r.agreements {
            d.heading(2, &a.title);
            if !a.kind.is_empty() {
                d.field(l.kind, &a.kind);
            }
            if !a.parties.is_empty() {
                d.field(l.signatories, &names(&a.parties));
            }
            if let Some(date) = &a.effective {
                d.field(l.effective, &format!("{} ({date})", date_in_words(lang, date)));
            }
            if let Some(date) = &a.terminated {
                d.field(l.terminated, &format!("{} ({date})", date_in_words(lang, date)));
            }
            if !a.terms.trim().is_empty() {
                d.heading(3, l.terms);
                d.markdown(&a.terms);
            }
            if !a.clauses.is_empty() {
                let rows = a
                    .clauses
                    .iter()
                    .map(|c| {
                        vec![
                            cell(&c.reference),
                            markdown_paragraphs(&c.text, Some("TableText")),
                            sources_cell(&r, &c.id),
                        ]
                    })
                    .collect();
                d.table(&[l.reference, l.text, l.sources], &[2, 8, 2], rows);
            }
        }
    }

    if r.shows(ReportSection::Allegations) {
        d.section(l.allegations);
        d.meta(l.attribution_note);
        if r.allegations.is_empty() {
            d.text(l.none);
        }
        for (i, a) in r.allegations.iter().enumerate() {
            d.heading(2, &format!("A{}. {}", i + 1, a.summary));
            d.field(l.current_status, a.status.word(lang));
            d.field(l.made_by, &a.made_by.name);
            d.field(l.against, &a.against.name);
            d.field(l.raised_on, &format!("{} ({})", date_in_words(lang, &a.date), a.date));
            if let Some(raised) = &a.raised_in {
                d.field(l.raised_in, &format!("{} ({})", raised.title, raised.kind.word(lang)));
            }
            if !a.clauses.is_empty() {
                let refs: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
                d.field(l.clauses, &refs.join(", "));
            }
            if !a.attributions.is_empty() {
                d.field(l.attribution, &attributions_text(&a.attributions, lang));
            }
            if !a.detail.trim().is_empty() {
                d.markdown(&a.detail);
            }
            d.heading(3, l.history);
            let rows = a
                .history
                .iter()
                .map(|h| {
                    vec![
                        date_cell(&h.date, lang),
                        cell(h.status.word(lang)),
                        markdown_paragraphs(&h.note, Some("TableText")),
                    ]
                })
                .collect();
            d.table(&[l.date, l.status, l.note], &[3, 3, 6], rows);
            d.heading(3, l.responses);
            if a.responses.is_empty() {
                d.text(l.no_response);
            } else {
                let rows = a
                    .responses
                    .iter()
                    .filter_map(|id| r.responses.get(id))
                    .map(|resp| {
                        let mut text = markdown_paragraphs(&resp.text, Some("TableText"));
                        if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
                            text.extend(cell(&format!("{}: {subject}", l.in_letter)));
                        }
                        vec![
                            date_cell(&resp.date, lang),
                            cell(&resp.by.name),
                            cell(resp.stance.word(lang)),
                            text,
                            sources_cell(&r, &resp.id),
                        ]
                    })
                    .collect();
                d.table(&[l.date, l.who, l.stance, l.text, l.sources], &[3, 3, 2, 6, 2], rows);
            }
        }
    }

    if r.shows(ReportSection::Correspondence) {
        d.section(l.correspondence);
        d.heading(2, l.deadlines);
        if r.deadlines.is_empty() {
            d.text(l.none);
        } else {
            let rows = r
                .deadlines
                .iter()
                .map(|dl| {
                    vec![date_cell(&dl.deadline, lang), cell(&dl.subject), cell(&dl.sender), cell(dl.state.word(lang))]
                })
                .collect();
            d.table(&[l.deadline, l.subject, l.from, l.state], &[3, 6, 3, 2], rows);
        }
        d.heading(2, l.letters);
        if r.threads.is_empty() {
            d.text(l.none);
        }
        for t in &r.threads {
            let lt = &t.letter;
            d.heading(3, &format!("{} — {}", date_in_words(lang, &lt.date), lt.subject));
            d.field(l.date, &lt.date);
            d.field(l.channel, lt.channel.word(lang));
            d.field(l.from, &sender_text(lt));
            if !lt.to.is_empty() {
                d.field(l.to, &names(&lt.to));
            }
            if !lt.cc.is_empty() {
                d.field(l.cc, &names(&lt.cc));
            }
            if let Some(deadline) = &lt.deadline {
                d.field(l.deadline, &format!("{} ({deadline})", date_in_words(lang, deadline)));
            }
            if let Some(subject) = lt.in_reply_to.as_deref().and_then(|p| r.letter_subject(p)) {
                d.field(l.in_reply_to, subject);
            }
            let sources = r.sources_text(&lt.id);
            if !sources.is_empty() {
                d.field(l.sources, &sources);
            }
            if !lt.body.trim().is_empty() {
                d.markdown(&lt.body);
            }
        }
    }

    if r.shows(ReportSection::Evidence) {
        d.section(l.evidence);
        d.meta(l.evidence_note);
        if r.evidence.is_empty() {
            d.text(l.none);
        } else {
            let mut rows = Vec::new();
            for (i, e) in r.evidence.iter().enumerate() {
                let n = i + 1;
                let id = d.bookmark;
                d.bookmark += 1;
                let number = vec![Paragraph::new()
                    .style("TableText")
                    .add_bookmark_start(id, format!("evidence-{n}"))
                    .add_run(Run::new().add_text(r.cite(n)).bold())
                    .add_bookmark_end(id)];
                let mut title = cell(&e.title);
                let mut kind = e.kind.word(lang).to_string();
                if let Some(t) = &e.media_type {
                    kind.push_str(&format!(" · {t}"));
                }
                title.extend(cell(&kind));
                if !e.note.trim().is_empty() {
                    title.extend(markdown_paragraphs(&e.note, Some("TableText")));
                }
                let mut digest = Vec::new();
                if let Some(sha) = &e.sha256 {
                    digest.push(Paragraph::new().style("TableText").add_run(Run::new().add_text(sha).size(14)));
                }
                if let Some(size) = e.size {
                    digest.extend(cell(&format!("{} {}", thousands(size, lang), l.bytes)));
                }
                let mut origin = Vec::new();
                if let Some(name) = &e.original_name {
                    origin.extend(cell(&format!("{}: {name}", l.original_name)));
                }
                if let Some(url) = &e.url {
                    origin.push(if super::is_web_url(url) {
                        Paragraph::new().style("TableText").add_hyperlink(
                            Hyperlink::new(url.trim(), HyperlinkType::External)
                                .add_run(Run::new().add_text(url.trim()).style("Hyperlink")),
                        )
                    } else {
                        table_text(url)
                    });
                }
                if let Some(p) = &e.publisher {
                    origin.extend(cell(&format!("{}: {p}", l.publisher)));
                }
                if let Some(date) = &e.date {
                    origin.extend(date_cell(date, lang));
                }
                let supports: Vec<Paragraph> = if e.links.is_empty() {
                    cell(l.none)
                } else {
                    e.links
                        .iter()
                        .map(|link| {
                            let mut text = format!("{} ({})", link.record_title, link.record_kind.word(lang));
                            if !link.pinpoint.is_empty() {
                                text.push_str(&format!(" — {}", link.pinpoint));
                            }
                            if !link.note.trim().is_empty() {
                                text.push_str(&format!(" — {}", link.note));
                            }
                            if let Some(q) = &link.quote {
                                text.push_str(&format!(
                                    " — “{}”{}",
                                    q.exact,
                                    quote_tail(q.page, quote_caveat(q, lang))
                                ));
                            }
                            table_text(&text)
                        })
                        .collect()
                };
                rows.push(vec![number, title, digest, origin, supports]);
            }
            d.table(
                &["#", l.title, &format!("{} / {}", l.sha256, l.size), l.sources, l.supports],
                &[1, 4, 4, 4, 4],
                rows,
            );
        }
    }

    package::finish(d.docx, &r.case.title)
}
