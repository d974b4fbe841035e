//! The case summary as a Word document, in the structure of the HTML report, made with docx-rs: real
//! styles (Title, Heading 1–3, a table style, Hyperlink) that a paralegal can restyle in Word or
//! LibreOffice, a table of contents field, the case title in the running header and page numbers in
//! the footer. Dates are shown in words with the recorded form beneath them. Sources are cited as in
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

use super::report::{self, Block, Cite, Inline, Report, Row, Table as Grid};
use super::words::*;
use super::ReportOptions;
use crate::date::Lang;
use crate::error::Result;
use crate::markdown::{html_to_text, to_safe_html};
use crate::store::Reader;

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
            .header(Header::new().add_paragraph(styled("Meta", title)))
            .footer(Footer::new().add_paragraph(
                Paragraph::new().style("Meta").align(AlignmentType::Center).add_page_num(PageNum::new()),
            ));
        Doc { docx, bookmark: 1 }
    }

    fn add(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
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

/// A paragraph of `text` in `style`.
fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new().style(style).add_run(Run::new().add_text(text))
}

/// Markdown the user wrote as paragraphs of plain text (its markup read, not shown), each begun by
/// `start` (table cells use their style).
fn markdown_paragraphs(md: &str, start: fn() -> Paragraph) -> Vec<Paragraph> {
    let text = html_to_text(&to_safe_html(md));
    text.split("\n\n")
        .map(str::trim_end)
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut paragraph = start();
            for (i, line) in p.lines().enumerate() {
                if i > 0 {
                    paragraph = paragraph.add_run(line_break());
                }
                paragraph = paragraph.add_run(Run::new().add_text(line));
            }
            paragraph
        })
        .collect()
}

/// The case as a Word document: summary, cast of characters, chronology, agreements, allegations
/// with their status history and responses, correspondence with deadlines, and the evidence index.
pub fn docx(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<Vec<u8>> {
    render(&report::read(db, case, lang, options)?, generated_on)
}

/// The report as a Word document.
fn render(report: &Report, generated_on: &str) -> Result<Vec<u8>> {
    let mut d = Doc::new(&report.title);
    d.add(styled("Meta", report.kind));
    d.add(styled("Title", &report.title));
    let meta: Vec<String> = report.meta.iter().map(|(label, value)| format!("{label}: {value}")).collect();
    d.add(styled("Meta", &meta.join(" · ")));
    d.add(styled("Meta", &format!("{} {generated_on} — Dossier", report.generated_on)));
    d.add(styled("Heading1", report.contents));
    d.docx = std::mem::take(&mut d.docx)
        .add_table_of_contents(TableOfContents::new().heading_styles_range(1, 2).auto().dirty());
    for section in &report.sections {
        // Each section starts a new page, as it does in print.
        d.add(styled("Heading1", section.title).page_break_before(true));
        d.blocks(&section.blocks);
    }
    package::finish(d.docx, &report.title)
}

impl Doc {
    fn blocks(&mut self, list: &[Block]) {
        for block in list {
            match block {
                Block::Note(note) => self.add(styled("Meta", note)),
                Block::Heading(level, inlines) => self.add(styled(&format!("Heading{}", level + 1), &plain(inlines))),
                // "Label: value", the label bold.
                Block::Fields(fields) => fields.iter().for_each(|f| {
                    let label = Run::new().add_text(format!("{}: ", f.label)).bold();
                    self.add(runs(Paragraph::new().add_run(label), &f.value))
                }),
                Block::Table(t) => self.table(t),
                Block::Group { blocks, .. } => self.blocks(blocks),
                Block::Para(_) | Block::Aside(_) | Block::Markdown(..) | Block::List(_) => {
                    paragraphs(block, Paragraph::new).into_iter().for_each(|p| self.add(p))
                }
            }
        }
    }

    /// A table of the report, its columns in their shares of the text width and its header row
    /// repeated on each page (see [`package::finish`]).
    fn table(&mut self, t: &Grid) {
        // docx-rs numbers paragraphs in the order they are made, and the goldens pin those numbers:
        // the cells' paragraphs are made first, then the header's, then those of empty cells.
        let body: Vec<Vec<Vec<Paragraph>>> = t.rows.iter().map(|row| self.row(row)).collect();
        let total: usize = t.columns.iter().map(|c| c.share).sum();
        let widths: Vec<usize> = t.columns.iter().map(|c| TEXT_WIDTH * c.share / total).collect();
        let mut rows = vec![header_row(t, &widths)];
        for cells in body {
            let cells = cells.into_iter().zip(&widths).map(|(paragraphs, w)| table_cell(paragraphs, *w));
            rows.push(TableRow::new(cells.collect()).cant_split());
        }
        let table = Table::new(rows)
            .style("DossierTable")
            .set_grid(widths)
            .layout(TableLayoutType::Fixed)
            .width(TEXT_WIDTH, WidthType::Dxa);
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.add(Paragraph::new());
    }

    /// A row's cells as paragraphs of table text. A row with an id is what links point at: its first
    /// cell is a bookmark, in bold, so the evidence index serves as the document's endnotes.
    fn row(&mut self, row: &Row) -> Vec<Vec<Paragraph>> {
        let mut cells: Vec<Vec<Paragraph>> =
            row.cells.iter().map(|c| c.blocks.iter().flat_map(|b| paragraphs(b, table_text)).collect()).collect();
        if let (Some(name), Some(first)) = (&row.id, row.cells.first()) {
            let id = self.bookmark;
            self.bookmark += 1;
            let text: String = first
                .blocks
                .iter()
                .filter_map(|b| if let Block::Para(p) = b { Some(plain(p)) } else { None })
                .collect();
            let bold = Run::new().add_text(text).bold();
            cells[0] = vec![table_text().add_bookmark_start(id, name).add_run(bold).add_bookmark_end(id)];
        }
        cells
    }
}

/// A table's header row: the column names in bold on a shaded ground.
fn header_row(t: &Grid, widths: &[usize]) -> TableRow {
    let cells = t.columns.iter().zip(widths).map(|(c, w)| {
        let name = table_text().add_run(Run::new().add_text(&c.header).bold());
        TableCell::new().width(*w, WidthType::Dxa).shading(Shading::new().fill("E8ECF2")).add_paragraph(name)
    });
    TableRow::new(cells.collect()).cant_split()
}

/// A table cell `width` wide holding `paragraphs`, or an empty one, since Word wants a paragraph in
/// every cell.
fn table_cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    let cell = TableCell::new().width(width, WidthType::Dxa);
    if paragraphs.is_empty() {
        return cell.add_paragraph(table_text());
    }
    paragraphs.into_iter().fold(cell, TableCell::add_paragraph)
}

fn table_text() -> Paragraph {
    Paragraph::new().style("TableText")
}

/// The paragraphs of a block of text (a paragraph, an aside, user Markdown, a list), each begun by
/// `start`: a section's in the default style, a table cell's in its own.
fn paragraphs(block: &Block, start: fn() -> Paragraph) -> Vec<Paragraph> {
    match block {
        Block::Para(inlines) | Block::Aside(inlines) => vec![runs(start(), inlines)],
        Block::Markdown(text, _) => markdown_paragraphs(text, start),
        Block::List(items) => items.iter().map(|i| runs(start(), i)).collect(),
        _ => Vec::new(),
    }
}

/// Inlines added to a paragraph: plain text, dates in words with the recorded form beneath, kinds as
/// a small label on a line of their own, citations and web addresses as links.
fn runs(mut p: Paragraph, inlines: &[Inline]) -> Paragraph {
    // Pieces of plain text side by side make one run, as one piece of text would.
    let mut text: Option<String> = None;
    for (i, inline) in inlines.iter().enumerate() {
        if let Some(t) = as_text(inline) {
            text.get_or_insert_with(String::new).push_str(&t);
            continue;
        }
        if let Some(t) = text.take() {
            p = p.add_run(Run::new().add_text(t));
        }
        p = match inline {
            Inline::Date { words, recorded } => p
                .add_run(Run::new().add_text(words))
                .add_run(line_break())
                .add_run(Run::new().add_text(recorded).style("Recorded")),
            Inline::Kind(k) => {
                let p = if i > 0 { p.add_run(line_break()) } else { p };
                let p = p.add_run(Run::new().add_text(capitalise(k)).style("Recorded"));
                if i + 1 < inlines.len() {
                    p.add_run(line_break())
                } else {
                    p
                }
            }
            Inline::Strong(t) => p.add_run(Run::new().add_text(t).bold()),
            Inline::Code(t) => p.add_run(Run::new().add_text(t).size(14)),
            Inline::Sources(cites) => sources(p, cites),
            Inline::Web(url) => p.add_hyperlink(link(url.trim(), HyperlinkType::External, url.trim())),
            _ => p,
        };
    }
    match text {
        Some(t) => p.add_run(Run::new().add_text(t)),
        None => p,
    }
}

/// An inline Word shows as plain text, as that text: a cross-reference is its text alone, since
/// Word has bookmarks for the evidence index only.
fn as_text(inline: &Inline) -> Option<String> {
    match inline {
        Inline::Text(t) | Inline::Fixed(t) => Some(t.clone()),
        Inline::CrossRef { text, .. } => Some(text.clone()),
        Inline::Quote { exact, page, caveat } => Some(format!(" — “{exact}”{}", quote_tail(*page, caveat))),
        _ => None,
    }
}

/// The plain text of inlines, as a heading shows them.
fn plain(inlines: &[Inline]) -> String {
    inlines.iter().filter_map(as_text).collect()
}

/// The evidence a record cites, each number a link to its entry in the evidence index.
fn sources(mut p: Paragraph, cites: &[Cite]) -> Paragraph {
    for (i, c) in cites.iter().enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_text(", "));
        }
        p = p.add_hyperlink(link(&format!("evidence-{}", c.n), HyperlinkType::Anchor, &c.name));
        if !c.pins.is_empty() {
            p = p.add_run(Run::new().add_text(c.pinpoints()));
        }
    }
    p
}

/// A link showing `text`, to `target`: a web address, or a bookmark of the document.
fn link(target: &str, kind: HyperlinkType, text: &str) -> Hyperlink {
    Hyperlink::new(target, kind).add_run(Run::new().add_text(text).style("Hyperlink"))
}

/// A line break inside a paragraph.
fn line_break() -> Run {
    Run::new().add_break(BreakType::TextWrapping)
}
