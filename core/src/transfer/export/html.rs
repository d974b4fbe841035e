//! The HTML report: the [`Report`] laid out as one self-contained page, every piece of user text
//! escaped and every piece of user Markdown through ammonia.

use std::fmt::Write as _;

use super::report::{Block, Cite, Field, Inline, Layout, Look, Reading, Row, Table};
use super::sink::Sink;
use super::ReportOptions;
use crate::date::Lang;
use crate::error::Result;
use crate::markdown::{escape_html as esc, to_safe_html};
use crate::store::Reader;
use crate::transfer::progress::Watch;
use crate::vocabulary::ReportSection;

/// The report's print-ready style sheet, embedded so the report is one file to send.
const CSS: &str = include_str!("report.css");

/// The report fetches nothing when opened: no script, no remote image, no outside style.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The case as one self-contained HTML file to send or print: embedded print CSS, a table of
/// contents, cast of characters, chronology, agreements, allegations with their status history and
/// responses, correspondence with deadlines, and the evidence index. `generated_on` is shown as given
/// (e.g. "2024-05-02"), so the caller decides the date and the output stays reproducible.
pub fn html(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<String> {
    let report = Reading::open(db, case, lang, options)?;
    let mut sink = Sink::memory();
    lay_out(&report, generated_on, &mut sink)?;
    Ok(sink.into_string())
}

/// The report as HTML, written to `out` as it is built, `watch` told of each unit.
pub(super) fn write(
    report: &Reading<'_>,
    generated_on: &str,
    out: &mut dyn std::io::Write,
    watch: &dyn Watch,
) -> Result<()> {
    let mut sink = Sink::new(out, watch, report.units());
    lay_out(report, generated_on, &mut sink)?;
    sink.finish()
}

/// The start of an HTML page of Dossier's, up to its title: shared by the report and the published
/// site, which differ in what they load and allow (`csp`).
pub(super) fn page_start(out: &mut String, lang: Lang, csp: &str, title: &str, what: &str) {
    put!(out, "<!DOCTYPE html>");
    put!(out, "<html lang=\"{}\">", lang.as_str());
    put!(out, "<head>");
    put!(out, "<meta charset=\"utf-8\">");
    put!(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">");
    put!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    put!(out, "<meta name=\"generator\" content=\"Dossier\">");
    put!(out, "<title>{} — {what}</title>", esc(title));
}

/// The top of a page's body: what it is, above the case's title.
pub(super) fn masthead(out: &mut String, what: &str, title: &str) {
    put!(out, "<body>");
    put!(out, "<header>");
    put!(out, "<p class=\"meta\">{what}</p>");
    put!(out, "<h1>{}</h1>", esc(title));
}

fn lay_out(report: &Reading<'_>, generated_on: &str, out: &mut Sink) -> Result<()> {
    let front = &report.front;
    let mut head = String::with_capacity(1024);
    page_start(&mut head, front.lang, CSP, &front.title, front.kind);
    put!(head, "<style>{CSS}</style>");
    put!(head, "</head>");
    masthead(&mut head, front.kind, &front.title);
    out.push_str(&head);
    let meta: Vec<String> = front.meta.iter().map(|(label, value)| format!("{label}: {}", esc(value))).collect();
    put!(out, "<p class=\"meta\">{}</p>", meta.join(" · "));
    put!(out, "<p class=\"generated\">{} {} — Dossier</p>", front.generated_on, esc(generated_on));
    put!(out, "</header>");
    put!(out, "<nav id=\"contents\">");
    put!(out, "<h2>{}</h2>", front.contents);
    put!(out, "<ol>");
    for (id, title) in &front.sections {
        put!(out, "<li><a href=\"#{}\">{title}</a></li>", id.as_str());
    }
    put!(out, "</ol>");
    put!(out, "</nav>");
    let mut laying = Laying { out, in_section: false };
    report.lay_out(&mut laying)?;
    if laying.in_section {
        put!(out, "</section>");
    }
    let title = esc(&front.title);
    put!(
        out,
        "<footer><p class=\"generated\">{title} — {} {} — Dossier</p></footer>",
        front.generated_on,
        esc(generated_on)
    );
    put!(out, "</body>");
    put!(out, "</html>");
    Ok(())
}

/// The HTML writer, as [`Reading::lay_out`] hands it the pieces: each section an element of its
/// own, closed when the next begins.
struct Laying<'s, 'a> {
    out: &'s mut Sink<'a>,
    in_section: bool,
}

impl Layout for Laying<'_, '_> {
    fn section(&mut self, id: ReportSection, title: &'static str) {
        if std::mem::replace(&mut self.in_section, true) {
            put!(self.out, "</section>");
        }
        put!(self.out, "<section id=\"{}\">", id.as_str());
        put!(self.out, "<h2>{title}</h2>");
    }

    fn block(&mut self, block: &Block) {
        blocks(self.out, std::slice::from_ref(block));
    }

    fn table_start(&mut self, table: &Table) {
        table_start(self.out, table);
    }

    fn row(&mut self, _: &Table, r: &Row) {
        row(self.out, r);
    }

    fn table_end(&mut self, _: &Table) {
        table_end(self.out);
    }

    fn tick(&mut self) -> Result<()> {
        self.out.tick()
    }
}

/// Blocks as HTML.
fn blocks(out: &mut Sink, list: &[Block]) {
    for block in list {
        match block {
            Block::Para(inlines) => put!(out, "<p>{}</p>", line(inlines)),
            Block::Note(note) => put!(out, "<p class=\"intro\">{}</p>", esc(note)),
            Block::Heading(level, inlines) => {
                let h = level + 2;
                put!(out, "<h{h}>{}</h{h}>", line(inlines));
            }
            Block::Fields(fields) => self::fields(out, fields),
            Block::Table(t) => {
                table_start(out, t);
                for r in &t.rows {
                    row(out, r);
                }
                table_end(out);
            }
            Block::Group { id, class, blocks: inner } => {
                put!(out, "<article{}{}>", attr("id", id.as_deref()), attr("class", class.as_deref()));
                blocks(out, inner);
                put!(out, "</article>");
            }
            b => put!(out, "{}", piece(b)),
        }
    }
}

/// A block that also sits inside a table cell: user Markdown, an aside, a list.
fn piece(block: &Block) -> String {
    match block {
        Block::Markdown(text, Look::Own | Look::Cell) => to_safe_html(text),
        Block::Markdown(text, Look::Body) => format!("<div class=\"body\">{}</div>", to_safe_html(text)),
        Block::Markdown(text, Look::Aside) => format!("<div class=\"desc\">{}</div>", to_safe_html(text)),
        Block::Aside(inlines) => format!("<div class=\"desc\">{}</div>", line(inlines)),
        Block::List(items) => {
            let items: Vec<String> = items.iter().map(|i| format!("<li>{}</li>", line(i))).collect();
            format!("<ul>{}</ul>", items.concat())
        }
        Block::Para(inlines) => line(inlines),
        _ => String::new(),
    }
}

fn fields(out: &mut Sink, fields: &[Field]) {
    put!(out, "<dl>");
    for f in fields {
        put!(out, "<dt>{}</dt><dd>{}</dd>", esc(&f.label), line(&f.value));
    }
    put!(out, "</dl>");
}

/// A table begins: its header.
fn table_start(out: &mut Sink, t: &Table) {
    put!(out, "<table{}>", attr("class", t.class));
    let headers: String = t.columns.iter().map(|c| format!("<th>{}</th>", esc(&c.header))).collect();
    put!(out, "<thead><tr>{headers}</tr></thead>");
    put!(out, "<tbody>");
}

fn row(out: &mut Sink, row: &Row) {
    let cells: String =
        row.cells.iter().map(|c| format!("<td{}>{}</td>", attr("class", c.class), cell_content(&c.blocks))).collect();
    put!(out, "<tr{}>{cells}</tr>", attr("id", row.id.as_deref()));
}

fn table_end(out: &mut Sink) {
    put!(out, "</tbody>");
    put!(out, "</table>");
}

/// A cell's blocks one after the other, its lines of text broken apart.
fn cell_content(list: &[Block]) -> String {
    let mut out = String::new();
    let mut after_line = false;
    for block in list {
        let is_line = matches!(block, Block::Para(_));
        if is_line && after_line {
            out.push_str("<br>");
        }
        out.push_str(&piece(block));
        after_line = is_line;
    }
    out
}

/// Inlines as HTML, each piece of text escaped.
fn line(inlines: &[Inline]) -> String {
    inlines.iter().map(inline).collect()
}

fn inline(inline: &Inline) -> String {
    match inline {
        Inline::Text(t) | Inline::Fixed(t) => esc(t),
        Inline::Date { words, recorded } => {
            format!("{}<br><code class=\"recorded\">{}</code>", esc(words), esc(recorded))
        }
        Inline::Sources(cites) => sources(cites),
        Inline::CrossRef { href, text } => format!("<a href=\"{}\">{}</a>", esc(href), esc(text)),
        Inline::Web(url) => format!("<a href=\"{}\">{}</a>", esc(url), esc(url)),
        Inline::Strong(t) => format!("<strong>{}</strong>", esc(t)),
        Inline::Kind(t) => format!("<span class=\"kind\">{}</span>", esc(t)),
        Inline::Code(t) => format!("<span class=\"hash\">{}</span>", esc(t)),
        Inline::Quote { exact, page, caveat } => {
            let page = page.map(|p| format!(" <span class=\"page\">(p. {p})</span>")).unwrap_or_default();
            let caveat = match *caveat {
                "" => String::new(),
                caveat => format!(" <span class=\"caveat\">— {caveat}</span>"),
            };
            format!("<blockquote class=\"quote\">“{}”{page}{caveat}</blockquote>", esc(exact))
        }
    }
}

/// Evidence citations as links into the evidence index.
fn sources(cites: &[Cite]) -> String {
    let links =
        cites.iter().map(|c| format!("<a href=\"#evidence-{}\">{}</a>{}", c.n, esc(&c.name), esc(&c.pinpoints())));
    links.collect::<Vec<_>>().join(", ")
}

/// ` name="value"`, or nothing when there is no value. The values are the report's own (the ids and
/// classes it makes), never user text, so they are not escaped.
fn attr(name: &str, value: Option<&str>) -> String {
    value.map(|v| format!(" {name}=\"{v}\"")).unwrap_or_default()
}
