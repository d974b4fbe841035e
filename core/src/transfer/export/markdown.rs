//! The Markdown summary: the [`Report`] laid out as Markdown, user text escaped where it sits inside
//! the structure and user Markdown quoted.

use std::fmt::Write as _;

use super::report::{cites_text, Block, Field, Inline, Layout, Look, Reading, Row, Table};
use super::sink::Sink;
use super::words::*;
use super::ReportOptions;
use crate::date::Lang;
use crate::error::Result;
use crate::store::Reader;
use crate::transfer::progress::Watch;
use crate::vocabulary::ReportSection;

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
fn md_quote(out: &mut Sink, markdown: &str) {
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

/// The case as a Markdown document: title, status, summary, cast of characters, chronology,
/// agreements, allegations with their status history and responses, correspondence and the evidence
/// index.
pub fn markdown(db: &Reader, case: &str, lang: Lang, options: &ReportOptions) -> Result<String> {
    let report = Reading::open(db, case, lang, options)?;
    let mut sink = Sink::memory().trimming_end();
    lay_out(&report, &mut sink)?;
    Ok(sink.into_string())
}

/// The report as Markdown, written to `out` as it is built, `watch` told of each unit.
pub(super) fn write(report: &Reading<'_>, out: &mut dyn std::io::Write, watch: &dyn Watch) -> Result<()> {
    let mut sink = Sink::new(out, watch, report.units()).trimming_end();
    lay_out(report, &mut sink)?;
    sink.finish()
}

/// The report as Markdown, each piece as it comes, each a unit of the report's progress. Every block
/// ends with a blank line ("\n" in a `put!`), which Markdown needs between blocks; the sink ends the
/// whole with one line end.
fn lay_out(report: &Reading<'_>, out: &mut Sink) -> Result<()> {
    let front = &report.front;
    put!(out, "# {}\n", md(&front.title));
    let meta: Vec<String> = front.meta.iter().map(|(label, value)| format!("**{label}:** {}", md(value))).collect();
    put!(out, "{}\n", meta.join(" · "));
    report.lay_out(&mut Laying(out))
}

/// The Markdown writer, as [`Reading::lay_out`] hands it the pieces.
struct Laying<'s, 'a>(&'s mut Sink<'a>);

impl Layout for Laying<'_, '_> {
    fn section(&mut self, _: ReportSection, title: &'static str) {
        put!(self.0, "## {title}\n");
    }

    fn block(&mut self, block: &Block) {
        blocks(self.0, std::slice::from_ref(block));
    }

    fn table_start(&mut self, table: &Table) {
        table_start(self.0, table);
    }

    fn row(&mut self, table: &Table, r: &Row) {
        row(self.0, table, r);
    }

    fn table_end(&mut self, table: &Table) {
        table_end(self.0, table);
    }

    fn tick(&mut self) -> Result<()> {
        self.0.tick()
    }
}

/// Blocks as Markdown.
fn blocks(out: &mut Sink, list: &[Block]) {
    for block in list {
        match block {
            Block::Para(inlines) | Block::Aside(inlines) => put!(out, "{}\n", line(inlines)),
            Block::Note(note) => put!(out, "_{}_\n", md(note)),
            Block::Heading(level, inlines) => put!(out, "{} {}\n", "#".repeat(usize::from(*level) + 2), line(inlines)),
            Block::Fields(fields) => self::fields(out, fields),
            Block::Table(t) => {
                table_start(out, t);
                for r in &t.rows {
                    row(out, t, r);
                }
                table_end(out, t);
            }
            Block::Markdown(text, Look::Own) => put!(out, "{}\n", user_markdown(text)),
            Block::Markdown(text, _) => md_quote(out, text),
            Block::List(items) => {
                for item in items {
                    put!(out, "- {}", line(item));
                }
                put!(out);
            }
            Block::Group { blocks: inner, .. } => blocks(out, inner),
        }
    }
}

/// Fields as a list, "- **Label:** value".
fn fields(out: &mut Sink, fields: &[Field]) {
    for f in fields {
        let value = line(&f.value);
        if value.is_empty() {
            put!(out, "- **{}:**", md(&f.label));
        } else {
            put!(out, "- **{}:** {value}", md(&f.label));
        }
    }
    put!(out);
}

/// A table begins: its header, unless its cells hold lists, which a pipe table's one-line cells
/// cannot; such a table is set out as entries (see [`row`]).
fn table_start(out: &mut Sink, t: &Table) {
    if !t.lists {
        let headers: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
        put!(out, "| {} |", headers.join(" | "));
        put!(out, "|{}", "---|".repeat(t.columns.len()));
    }
}

/// A row of the table `t`: a line of the pipe table, or, when the cells hold lists, an entry headed
/// by its first cell and the first line of its second (a number and a title), the other cells as
/// fields with a list's items under them, then the rest of the second cell (a description).
fn row(out: &mut Sink, t: &Table, row: &Row) {
    if !t.lists {
        let cells: Vec<String> = row.cells.iter().map(|c| cell(&c.blocks)).collect();
        put!(out, "| {} |", cells.join(" | "));
        return;
    }
    let (number, named) = (&row.cells[0].blocks, &row.cells[1].blocks);
    let (title, rest) = named.split_at(named.len().min(1));
    put!(out, "### {}. {}\n", cell(number), cell(title));
    for (column, c) in t.columns.iter().zip(&row.cells).skip(2) {
        let value = cell(&c.blocks);
        let items = c.blocks.iter().flat_map(|b| if let Block::List(items) = b { items.as_slice() } else { &[] });
        let items: Vec<&Vec<Inline>> = items.collect();
        if value.is_empty() && items.is_empty() {
            continue;
        }
        put!(out, "{}", format!("- **{}:** {value}", md(&column.header)).trim_end());
        for item in items {
            put!(out, "  - {}", line(item));
        }
    }
    put!(out);
    blocks(out, rest);
}

/// A table ends: a pipe table with a blank line.
fn table_end(out: &mut Sink, t: &Table) {
    if !t.lists {
        put!(out);
    }
}

/// A cell's blocks on one line, set apart by dashes, since a pipe table's cell cannot break a line
/// (its lists are left to [`entries`]): user Markdown in it is escaped and folded as other user
/// text is.
fn cell(list: &[Block]) -> String {
    let lines = list.iter().map(|block| match block {
        Block::Para(inlines) | Block::Aside(inlines) => line(inlines),
        Block::Markdown(text, _) => md(text),
        _ => String::new(),
    });
    lines.filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" — ")
}

/// Inline text as Markdown: user text escaped, the report's own words as they are.
fn line(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        let piece = match inline {
            Inline::Text(t) => md(t),
            // A kind, which the documents set in small type on a line of its own, leads the text
            // it labels or follows it in brackets.
            Inline::Kind(t) if out.is_empty() => format!("_{}_ · ", md(t)),
            Inline::Kind(t) => format!(" ({})", md(t)),
            Inline::Fixed(t) => t.clone(),
            Inline::Date { words, recorded } => format!("{} (`{}`)", md(words), recorded.replace('`', "")),
            Inline::Sources(cites) => md(&cites_text(cites)),
            Inline::CrossRef { text, .. } => md(text),
            Inline::Web(url) => format!("<{}>", url.replace(['<', '>', ' ', '\n', '\r'], "")),
            Inline::Strong(t) => format!("**{}**", md(t)),
            Inline::Code(t) => format!("`{}`", t.replace('`', "")),
            Inline::Quote { exact, page, caveat } => format!("\n    > “{}”{}", md(exact), quote_tail(*page, caveat)),
        };
        out.push_str(&piece);
    }
    out
}
