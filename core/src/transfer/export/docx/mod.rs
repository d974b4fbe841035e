//! The case summary as a Word document, in the structure of the HTML report: real styles (Title,
//! Heading 1–3, a table style, Hyperlink) that a paralegal can restyle in Word or LibreOffice, a
//! table of contents field, the case title in the running header and page numbers in the footer;
//! each table's header row repeated on every page it spans; the case's title as the document's
//! title property. Dates are shown in words with the recorded form beneath them. Sources are cited
//! as in the report: "E1 (¶ 5)" links to the evidence index, where each piece has its bookmark, so
//! the index serves as the document's endnotes.
//!
//! The WordprocessingML is written here, element by element, straight into the zip entry of the main
//! part as the report is walked ([`package`] writes the other parts and the zip): a report of any
//! size is written with little more memory than the report itself. A library that builds the whole
//! document in memory first (docx-rs did) needed some 70 KiB per item of the case: 1.5 GB for 20,000.

mod package;
mod survey;

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use super::report::{Block, Cell, Cite, Column, Inline, Layout, Reading, Row, Table as Grid};
use super::sink::Sink;
use super::words::*;
use super::ReportOptions;
use crate::date::Lang;
use crate::error::Result;
use crate::markdown::{html_to_text, to_safe_html};
use crate::store::Reader;
use crate::transfer::progress::{Ticker, Watch};
use crate::vocabulary::ReportSection;
use survey::Survey;

/// Page size (A4) and margins, in twentieths of a point.
const PAGE: (u32, u32) = (11_906, 16_838);
const MARGIN: u32 = 1_418;
/// What lies between the margins: the tables' width.
const TEXT_WIDTH: u32 = PAGE.0 - 2 * MARGIN;

/// The case as a Word document: summary, cast of characters, chronology, agreements, allegations
/// with their status history and responses, correspondence with deadlines, and the evidence index.
pub fn docx(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<Vec<u8>> {
    let report = Reading::open(db, case, lang, options)?;
    let mut out = Vec::new();
    write(&report, generated_on, &mut out, &crate::transfer::progress::unwatched)?;
    Ok(out)
}

/// The report as a Word document, written to `out` as it is built, `watch` told of each unit twice
/// over: Word lists the headings before the body, so the report is read once for them (and for how
/// large its main part can grow), then again to write it.
pub(super) fn write(
    report: &Reading<'_>,
    generated_on: &str,
    out: &mut dyn std::io::Write,
    watch: &dyn Watch,
) -> Result<()> {
    let units = report.units();
    let survey = Survey::of(report, &mut Ticker::new(watch, 2 * units))?;
    package::write(&report.front.title, survey.bound, out, |main| {
        let mut sink = Sink::new(main, watch, 2 * units).resuming(units);
        let links = Body::new(&mut sink).document(report, &survey.listed, generated_on)?;
        sink.finish()?;
        Ok(links)
    })
}

/// A listing (a privilege log) as a Word document in the report's styles: what it is, its title and
/// lines of particulars, then its table, whose header row repeats on every page.
pub(super) fn listing(listing: &super::listing::Listing, out: &mut dyn std::io::Write) -> Result<()> {
    let grid = Grid {
        class: None,
        lists: false,
        columns: listing
            .columns
            .iter()
            .map(|(header, share)| Column { header: header.to_string(), share: *share })
            .collect(),
        rows: Vec::new(),
    };
    let text: usize = listing.rows.iter().flatten().map(String::len).sum();
    // Escaping at most sextuples a character; each row and cell adds its markup.
    let bound = (6 * text + 600 * listing.rows.len() * listing.columns.len().max(1) + 64 * 1024) as u64;
    package::write(&listing.title, bound, out, |main| {
        let watch = crate::transfer::progress::unwatched;
        let mut sink = Sink::new(main, &watch, 1);
        let mut body = Body::new(&mut sink);
        body.out.push_str(package::DOCUMENT_START);
        body.styled("Meta", listing.kind);
        body.styled("Title", &listing.title);
        for line in &listing.meta {
            body.styled("Meta", line);
        }
        let widths = body.table_start(&grid);
        for cells in &listing.rows {
            let cells = cells
                .iter()
                .map(|text| Cell { blocks: vec![Block::Para(vec![Inline::Text(text.clone())])], class: None })
                .collect();
            body.row(&Row { id: None, cells }, &widths);
        }
        body.table_end();
        body.out.push_str(&package::document_end());
        let links = body.links;
        sink.finish()?;
        Ok(links)
    })
}

/// The Word writer, as [`Reading::lay_out`] hands it the pieces, with the open table's column widths.
struct Laying<'b, 's, 'a> {
    body: &'b mut Body<'s, 'a>,
    widths: Vec<u32>,
}

impl Layout for Laying<'_, '_, '_> {
    /// Each section starts a new page, as it does in print.
    fn section(&mut self, _: ReportSection, title: &'static str) {
        self.body.open(Some("Heading1"), true);
        self.body.listed_heading(title);
        self.body.close();
    }

    fn block(&mut self, block: &Block) {
        self.body.blocks(std::slice::from_ref(block));
    }

    fn table_start(&mut self, table: &Grid) {
        self.widths = self.body.table_start(table);
    }

    fn row(&mut self, _: &Grid, row: &Row) {
        self.body.row(row, &self.widths);
    }

    fn table_end(&mut self, _: &Grid) {
        self.body.table_end();
    }

    fn tick(&mut self) -> Result<()> {
        self.body.out.tick()
    }
}

/// The web addresses the document links to, each once, in the order first met: the n-th is the
/// relationship `rIdLink{n}` of the main part.
#[derive(Default)]
pub(super) struct Links {
    ids: HashMap<String, usize>,
    order: Vec<String>,
}

impl Links {
    fn id(&mut self, url: &str) -> usize {
        if let Some(&n) = self.ids.get(url) {
            return n;
        }
        self.order.push(url.to_string());
        self.ids.insert(url.to_string(), self.order.len());
        self.order.len()
    }

    pub(super) fn urls(&self) -> impl Iterator<Item = (usize, &str)> {
        self.order.iter().enumerate().map(|(i, url)| (i + 1, url.as_str()))
    }
}

/// How a run of text looks, beyond its paragraph's style.
#[derive(Clone, Copy, Default)]
struct Look {
    style: Option<&'static str>,
    bold: bool,
    /// In half points.
    size: Option<u32>,
}

const PLAIN: Look = Look { style: None, bold: false, size: None };
const BOLD: Look = Look { style: None, bold: true, size: None };
const RECORDED: Look = Look { style: Some("Recorded"), bold: false, size: None };

/// The main part being written.
struct Body<'s, 'a> {
    out: &'s mut Sink<'a>,
    /// The next bookmark's id (Word numbers them).
    bookmark: usize,
    /// How many headings the table of contents lists were written: the next one's bookmark is
    /// `_Toc{n + 1}`.
    listed: usize,
    links: Links,
}

impl<'s, 'a> Body<'s, 'a> {
    fn new(out: &'s mut Sink<'a>) -> Body<'s, 'a> {
        Body { out, bookmark: 1, listed: 0, links: Links::default() }
    }

    /// The whole main part: the front matter, the table of contents (the headings `listed`), each
    /// section on a new page; each piece a unit of the report's progress.
    fn document(mut self, report: &Reading<'_>, listed: &[(u8, String)], generated_on: &str) -> Result<Links> {
        let front = &report.front;
        self.out.push_str(package::DOCUMENT_START);
        self.styled("Meta", front.kind);
        self.styled("Title", &front.title);
        let meta: Vec<String> = front.meta.iter().map(|(label, value)| format!("{label}: {value}")).collect();
        self.styled("Meta", &meta.join(" · "));
        self.styled("Meta", &format!("{} {generated_on} — Dossier", front.generated_on));
        self.styled("TOCHeading", front.contents);
        self.contents(listed);
        report.lay_out(&mut Laying { body: &mut self, widths: Vec::new() })?;
        self.out.push_str(&package::document_end());
        Ok(self.links)
    }

    /// The table of contents: a field Word fills in (it is marked to be brought up to date on
    /// opening), shown until then as the list of headings, each a link, without page numbers.
    fn contents(&mut self, listed: &[(u8, String)]) {
        let tab = format!("<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{TEXT_WIDTH}\"/></w:tabs>");
        put_raw(self.out, "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/>");
        put_raw(self.out, "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>\n");
        for (i, (level, text)) in listed.iter().enumerate() {
            let _ = write!(self.out, "<w:p><w:pPr><w:pStyle w:val=\"TOC{level}\"/>{tab}</w:pPr>");
            if i == 0 {
                field_start(self.out, " TOC \\o \"1-2\" \\h \\z \\u ", true);
            }
            let _ = write!(self.out, "<w:hyperlink w:anchor=\"_Toc{}\" w:history=\"1\">", i + 1);
            self.run(text, PLAIN);
            put_raw(self.out, "<w:r><w:tab/></w:r>");
            field_start(self.out, &format!(" PAGEREF _Toc{} \\h ", i + 1), false);
            put_raw(self.out, "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:hyperlink></w:p>\n");
        }
        put_raw(self.out, "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:sdtContent></w:sdt>\n");
    }

    /// Blocks of a section, a group or a cell.
    fn blocks(&mut self, list: &[Block]) {
        for block in list {
            match block {
                Block::Note(note) => self.styled("Meta", note),
                Block::Heading(level, inlines) => {
                    self.open(Some(&format!("Heading{}", level + 1)), false);
                    if is_listed(*level) {
                        self.listed_heading(&plain(inlines));
                    } else {
                        self.run(&plain(inlines), PLAIN);
                    }
                    self.close();
                }
                // "Label: value", the label bold.
                Block::Fields(fields) => {
                    for f in fields {
                        self.open(None, false);
                        self.run(&format!("{}: ", f.label), BOLD);
                        self.runs(&f.value);
                        self.close();
                    }
                }
                Block::Table(t) => {
                    let widths = self.table_start(t);
                    for row in &t.rows {
                        self.row(row, &widths);
                    }
                    self.table_end();
                }
                Block::Group { blocks, .. } => self.blocks(blocks),
                Block::Para(_) | Block::Aside(_) | Block::Markdown(..) | Block::List(_) => {
                    self.paragraphs(block, None);
                }
            }
        }
    }

    /// A table of the report begins: its columns in their shares of the text width (given back) and
    /// its header row, repeated on each page.
    fn table_start(&mut self, t: &Grid) -> Vec<u32> {
        let total: usize = t.columns.iter().map(|c| c.share).sum::<usize>().max(1);
        let widths: Vec<u32> = t.columns.iter().map(|c| (TEXT_WIDTH as usize * c.share / total) as u32).collect();
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"DossierTable\"/><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
        );
        for w in &widths {
            let _ = write!(self.out, "<w:gridCol w:w=\"{w}\"/>");
        }
        put_raw(self.out, "</w:tblGrid>\n<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (c, w) in t.columns.iter().zip(&widths) {
            // The column names in bold on a shaded ground.
            let _ = write!(
                self.out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8ECF2\"/></w:tcPr>"
            );
            self.open(Some("TableText"), false);
            self.run(&c.header, BOLD);
            self.close();
            put_raw(self.out, "</w:tc>");
        }
        put_raw(self.out, "</w:tr>\n");
        widths
    }

    /// A table ends, with a paragraph after it, as Word puts one: two tables never run together.
    fn table_end(&mut self) {
        put_raw(self.out, "</w:tbl>\n<w:p/>\n");
    }

    /// A row's cells as paragraphs of table text (an empty cell holds an empty one, since Word wants
    /// a paragraph in every cell). A row with an id is what links point at: its first cell is a
    /// bookmark, in bold, so the evidence index serves as the document's endnotes.
    fn row(&mut self, row: &Row, widths: &[u32]) {
        put_raw(self.out, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, (cell, w)) in row.cells.iter().zip(widths).enumerate() {
            let _ = write!(self.out, "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>");
            match &row.id {
                Some(name) if i == 0 => {
                    let text: String = cell
                        .blocks
                        .iter()
                        .filter_map(|b| if let Block::Para(p) = b { Some(plain(p)) } else { None })
                        .collect();
                    self.open(Some("TableText"), false);
                    let id = self.next_bookmark();
                    put_raw(self.out, &bookmark_start(id, name));
                    self.run(&text, BOLD);
                    let _ = write!(self.out, "<w:bookmarkEnd w:id=\"{id}\"/>");
                    self.close();
                }
                _ => {
                    let written: usize = cell.blocks.iter().map(|b| self.paragraphs(b, Some("TableText"))).sum();
                    if written == 0 {
                        put_raw(self.out, "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p>");
                    }
                }
            }
            put_raw(self.out, "</w:tc>");
        }
        put_raw(self.out, "</w:tr>\n");
    }

    /// The paragraphs of a block of text (a paragraph, an aside, user Markdown, a list) in `style`
    /// (a section's in the default one, a table cell's in its own); how many.
    fn paragraphs(&mut self, block: &Block, style: Option<&str>) -> usize {
        match block {
            Block::Para(inlines) | Block::Aside(inlines) => {
                self.open(style, false);
                self.runs(inlines);
                self.close();
                1
            }
            Block::Markdown(text, _) => self.markdown(text, style),
            Block::List(items) => {
                for item in items {
                    self.open(style, false);
                    self.runs(item);
                    self.close();
                }
                items.len()
            }
            _ => 0,
        }
    }

    /// Markdown the user wrote as paragraphs of plain text (its markup read, not shown); how many.
    fn markdown(&mut self, md: &str, style: Option<&str>) -> usize {
        let text = html_to_text(&to_safe_html(md));
        let mut count = 0;
        for p in text.split("\n\n").map(str::trim_end).filter(|p| !p.trim().is_empty()) {
            self.open(style, false);
            for (i, line) in p.lines().enumerate() {
                if i > 0 {
                    line_break(self.out);
                }
                self.run(line, PLAIN);
            }
            self.close();
            count += 1;
        }
        count
    }

    /// Inlines in the open paragraph: plain text, dates in words with the recorded form beneath,
    /// kinds as a small label on a line of their own, citations and web addresses as links.
    fn runs(&mut self, inlines: &[Inline]) {
        // Pieces of plain text side by side make one run, as one piece of text would.
        let mut text: Option<String> = None;
        for (i, inline) in inlines.iter().enumerate() {
            if let Some(t) = as_text(inline) {
                text.get_or_insert_with(String::new).push_str(&t);
                continue;
            }
            if let Some(t) = text.take() {
                self.run(&t, PLAIN);
            }
            match inline {
                Inline::Date { words, recorded } => {
                    self.run(words, PLAIN);
                    line_break(self.out);
                    self.run(recorded, RECORDED);
                }
                Inline::Kind(k) => {
                    if i > 0 {
                        line_break(self.out);
                    }
                    self.run(&capitalise(k), RECORDED);
                    if i + 1 < inlines.len() {
                        line_break(self.out);
                    }
                }
                Inline::Strong(t) => self.run(t, BOLD),
                Inline::Code(t) => self.run(t, Look { size: Some(14), ..PLAIN }),
                Inline::Sources(cites) => self.sources(cites),
                Inline::Web(url) => {
                    let id = self.links.id(url.trim());
                    let _ = write!(self.out, "<w:hyperlink r:id=\"rIdLink{id}\" w:history=\"1\">");
                    self.run(url.trim(), Look { style: Some("Hyperlink"), ..PLAIN });
                    put_raw(self.out, "</w:hyperlink>");
                }
                _ => {}
            }
        }
        if let Some(t) = text {
            self.run(&t, PLAIN);
        }
    }

    /// The evidence a record cites, each number a link to its entry in the evidence index.
    fn sources(&mut self, cites: &[Cite]) {
        for (i, c) in cites.iter().enumerate() {
            if i > 0 {
                self.run(", ", PLAIN);
            }
            let _ = write!(self.out, "<w:hyperlink w:anchor=\"evidence-{}\" w:history=\"1\">", c.n);
            self.run(&c.name, Look { style: Some("Hyperlink"), ..PLAIN });
            put_raw(self.out, "</w:hyperlink>");
            if !c.pins.is_empty() {
                self.run(&c.pinpoints(), PLAIN);
            }
        }
    }

    /// A paragraph of `text` in `style`.
    fn styled(&mut self, style: &str, text: &str) {
        self.open(Some(style), false);
        self.run(text, PLAIN);
        self.close();
    }

    /// Opens a paragraph in `style`, on a new page when `page_break`.
    fn open(&mut self, style: Option<&str>, page_break: bool) {
        match (style, page_break) {
            (None, false) => put_raw(self.out, "<w:p>"),
            (None, true) => put_raw(self.out, "<w:p><w:pPr><w:pageBreakBefore/></w:pPr>"),
            (Some(s), false) => {
                let _ = write!(self.out, "<w:p><w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>");
            }
            (Some(s), true) => {
                let _ = write!(self.out, "<w:p><w:pPr><w:pStyle w:val=\"{s}\"/><w:pageBreakBefore/></w:pPr>");
            }
        }
    }

    fn close(&mut self) {
        put_raw(self.out, "</w:p>\n");
    }

    /// A heading the table of contents lists, inside the bookmark its entry links to.
    fn listed_heading(&mut self, text: &str) {
        self.listed += 1;
        let id = self.next_bookmark();
        put_raw(self.out, &bookmark_start(id, &format!("_Toc{}", self.listed)));
        self.run(text, PLAIN);
        let _ = write!(self.out, "<w:bookmarkEnd w:id=\"{id}\"/>");
    }

    fn next_bookmark(&mut self) -> usize {
        self.bookmark += 1;
        self.bookmark - 1
    }

    /// A run of `text` looking so.
    fn run(&mut self, text: &str, look: Look) {
        put_raw(self.out, "<w:r>");
        if look.style.is_some() || look.bold || look.size.is_some() {
            put_raw(self.out, "<w:rPr>");
            if let Some(style) = look.style {
                let _ = write!(self.out, "<w:rStyle w:val=\"{style}\"/>");
            }
            if look.bold {
                put_raw(self.out, "<w:b/><w:bCs/>");
            }
            if let Some(size) = look.size {
                let _ = write!(self.out, "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
            }
            put_raw(self.out, "</w:rPr>");
        }
        put_raw(self.out, "<w:t xml:space=\"preserve\">");
        escape(self.out, text);
        put_raw(self.out, "</w:t></w:r>");
    }
}

/// Whether a heading of `level` inside a section is listed in the table of contents (with the
/// sections' titles: Word's headings 1 and 2).
fn is_listed(level: u8) -> bool {
    level <= 1
}

/// Markup of the writer's own, written as it is.
fn put_raw(out: &mut impl fmt::Write, xml: &str) {
    let _ = out.write_str(xml);
}

fn bookmark_start(id: usize, name: &str) -> String {
    let mut xml = format!("<w:bookmarkStart w:id=\"{id}\" w:name=\"");
    escape(&mut xml, name);
    xml.push_str("\"/>");
    xml
}

/// The start of a field (its instruction, then where its result begins), which a run ending it
/// closes; a `dirty` one is brought up to date by Word when the document is opened.
fn field_start(out: &mut impl fmt::Write, instruction: &str, dirty: bool) {
    let dirty = if dirty { " w:dirty=\"true\"" } else { "" };
    let _ =
        write!(out, "<w:r><w:fldChar w:fldCharType=\"begin\"{dirty}/></w:r><w:r><w:instrText xml:space=\"preserve\">");
    escape(out, instruction);
    put_raw(out, "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
}

/// A line break inside a paragraph.
fn line_break(out: &mut impl fmt::Write) {
    put_raw(out, "<w:r><w:br/></w:r>");
}

/// `text` as XML character data or an attribute's value: `&`, `<`, `>` and `"` escaped, and the
/// characters XML 1.0 cannot hold at all (the C0 controls but tab and line ends, U+FFFE, U+FFFF)
/// left out, as Word and LibreOffice refuse a document holding one. quick-xml's escaping, made for
/// text that is already valid XML, would keep them, so this small function does both in one pass.
pub(super) fn escape(out: &mut impl fmt::Write, text: &str) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\t' | '\n' | '\r' => continue,
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => "",
            _ => continue,
        };
        let _ = out.write_str(&text[start..i]);
        let _ = out.write_str(replacement);
        start = i + c.len_utf8();
    }
    let _ = out.write_str(&text[start..]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_is_left_out() {
        let mut out = String::new();
        escape(&mut out, "a & b <c> \"d\" 'e'\u{1}\u{b}\tf\u{FFFF}\ng\u{1F600}");
        assert_eq!(out, "a &amp; b &lt;c&gt; &quot;d&quot; 'e'\tf\ng\u{1F600}");
    }

    #[test]
    fn each_address_is_one_relationship() {
        let mut links = Links::default();
        assert_eq!([links.id("https://a"), links.id("https://b"), links.id("https://a")], [1, 2, 1]);
        assert_eq!(links.urls().collect::<Vec<_>>(), [(1, "https://a"), (2, "https://b")]);
    }
}
