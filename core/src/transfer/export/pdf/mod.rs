//! The case summary as a print-ready PDF, typeset by Dossier itself from the [`Report`] value: the
//! sections of the HTML and Word reports, a table of contents with the page each section starts on
//! (each entry a link), a bookmark per section, the case title as a running header from the second
//! page, "page / pages" at the foot of each, every citation a link to its evidence, every font embedded
//! and subset with its Unicode map (the text copies and searches as it reads).
//!
//! Why a typesetter of our own: the report is a handful of block kinds (paragraphs, fields, tables,
//! quoted Markdown), so setting them is a few hundred lines over three well-kept crates — rustybuzz
//! shapes, `unicode-linebreak` says where a line may end, krilla writes the PDF — and it runs in the
//! process, in memory that does not grow with the case beyond the report itself. On a 20,000-item
//! case WeasyPrint (the HTML report as CSS paged media, what this replaced) gave up after 300 s at
//! about 6 GB, and Typst (embedded through its Python binding, one document) took 25 s and 8.1 GB;
//! ARCHITECTURE.md has the figures. The layout runs twice: once to count the pages and find where each
//! section and record lands, once to draw, so "page / pages", the contents' page numbers and the links
//! are right from a single stream of pages.
//!
//! Nothing in the report is fetched or run: text is drawn as text, user Markdown is read through the
//! sanitizer into plain paragraphs (as the Word report does), links go only to the report's own
//! anchors and to http(s) addresses.

mod flow;
mod text;

use std::collections::HashMap;

use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::Document;

use self::flow::{Boxed, Op, Pager, Setter, LEADING};
use self::text::{lines, one_line, Link, Span, Style};
use super::report::{self, Block, Report};
use super::ReportOptions;
use crate::date::Lang;
use crate::error::{Error, Result};
use crate::pdfout::fonts::{Face, Fonts};
use crate::store::Reader;
use crate::transfer::progress::{unwatched, Ticker, Watch};

/// A4, in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
/// The margins of the HTML report's print style: 20 mm above, 18 mm at the sides, 22 mm below.
const TOP: f32 = 56.7;
const SIDE: f32 = 51.0;
const FOOT: f32 = 62.4;
/// The height of the text on a page.
pub(super) const BODY_HEIGHT: f32 = PAGE_HEIGHT - TOP - FOOT;
const WIDTH: f32 = PAGE_WIDTH - 2.0 * SIDE;

/// The case as a PDF, in the structure and with the options of the HTML report.
pub fn pdf(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<Vec<u8>> {
    pdf_watched(db, case, lang, generated_on, options, &unwatched)
}

/// [`pdf`], telling `watch` how far it is (blocks and table rows set, twice over) and stopping when it
/// answers `false`.
pub fn pdf_watched(
    db: &Reader,
    case: &str,
    lang: Lang,
    generated_on: &str,
    options: &ReportOptions,
    watch: &dyn Watch,
) -> Result<Vec<u8>> {
    typeset(&report::read(db, case, lang, options)?, generated_on, watch)
}

/// Where each anchor (a section, a record, a piece of evidence) landed: page index and height.
type Anchors = HashMap<String, (usize, f32)>;

/// The report as PDF bytes.
pub(crate) fn typeset(report: &Report, generated_on: &str, watch: &dyn Watch) -> Result<Vec<u8>> {
    let mut fonts = Fonts::system()?;
    let mut ticker = Ticker::new(watch, 2 * units(report));
    let mut tick = || ticker.advance(1);

    // First pass: count the pages and find the anchors.
    let mut anchors = Anchors::new();
    let pages = {
        let mut drop_page = |_: usize, _: Vec<Op>| {};
        let mut mark = |id: &str, page: usize, y: f32| {
            anchors.insert(id.to_string(), (page, y));
        };
        let mut pager = Pager::new(TOP, PAGE_HEIGHT - FOOT, SIDE, &mut drop_page, &mut mark);
        lay_out(report, generated_on, &mut fonts, &Anchors::new(), &mut pager, &mut tick)?;
        pager.finish()
    };

    // Second pass: draw, now that the page count and the anchors are known.
    let mut document = Document::new();
    let furniture = Furniture::new(&mut fonts, &report.front.title, pages);
    {
        let mut draw = |page: usize, mut ops: Vec<Op>| {
            ops.extend(furniture.ops(page));
            draw_page(&mut document, &ops, &anchors, pages);
        };
        let mut ignore = |_: &str, _: usize, _: f32| {};
        let mut pager = Pager::new(TOP, PAGE_HEIGHT - FOOT, SIDE, &mut draw, &mut ignore);
        lay_out(report, generated_on, &mut fonts, &anchors, &mut pager, &mut tick)?;
        pager.finish();
    }
    ticker.finish()?;
    let mut outline = Outline::new();
    for s in &report.sections {
        if let Some(&(page, y)) = anchors.get(s.id.as_str()) {
            outline.push_child(OutlineNode::new(s.title.to_string(), destination(page, y)));
        }
    }
    document.set_outline(outline);
    document.set_metadata(
        Metadata::new()
            .title(format!("{} — {}", report.front.title, report.front.kind))
            .language(report.front.lang.as_str().to_string())
            .creator("Dossier".to_string()),
    );
    document.finish().map_err(|e| Error::internal(format!("writing the PDF: {e:?}")))
}

/// How many steps one layout takes, as `lay_out` ticks: one per section, per block, and per box of a
/// table (a row, and the space before and after it; a row taller than a page makes more, which the
/// count then passes).
fn units(report: &Report) -> u64 {
    let block = |b: &Block| match b {
        Block::Table(t) => t.rows.len() as u64 + 2,
        _ => 1,
    };
    report.sections.iter().map(|s| 1 + s.blocks.iter().map(block).sum::<u64>()).sum::<u64>().max(1)
}

/// Sets the whole report on `pager`: the title page with the contents, then each section from a new
/// page. `anchors` gives the contents' page numbers (empty on the first pass, which only counts).
fn lay_out(
    report: &Report,
    generated_on: &str,
    fonts: &mut Fonts,
    anchors: &Anchors,
    pager: &mut Pager<'_>,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<()> {
    let sans = |size: f32| Style::new(Face::SANS, size);
    let mut set = Setter { fonts };
    let put = |set: &mut Setter<'_>, spans: Vec<Span>, gap: f32, pager: &mut Pager<'_>| {
        for (i, line) in lines(set.fonts, &spans, WIDTH).into_iter().enumerate() {
            let gap = if i == 0 { gap } else { 0.0 };
            let height = gap + line.size * LEADING;
            pager.place(Boxed { height, ops: vec![Op::Text { x: 0.0, y: gap, line }], ..Default::default() });
        }
    };
    put(&mut set, vec![Span::new(report.front.kind, &sans(10.0).grey(0x44))], 0.0, pager);
    put(&mut set, vec![Span::new(report.front.title.as_str(), &Style::new(Face::SANS.bold(), 20.0))], 2.0, pager);
    let meta: Vec<String> = report.front.meta.iter().map(|(label, value)| format!("{label}: {value}")).collect();
    put(&mut set, vec![Span::new(meta.join(" · "), &sans(10.0).grey(0x44))], 2.0, pager);
    let generated = format!("{} {generated_on} — Dossier", report.front.generated_on);
    put(&mut set, vec![Span::new(generated.as_str(), &sans(10.0).grey(0x44))], 0.0, pager);
    section_title(&mut set, report.front.contents, pager);
    for (i, s) in report.sections.iter().enumerate() {
        let page = anchors.get(s.id.as_str()).map_or(0, |(p, _)| p + 1);
        pager.place(contents_line(&mut set, &format!("{}. {}", i + 1, s.title), page, s.id.as_str()));
    }
    for s in &report.sections {
        pager.new_page();
        pager.anchor(s.id.as_str());
        section_title(&mut set, s.title, pager);
        tick()?;
        for block in &s.blocks {
            // A table is placed row by row as it is set, so a long chronology is never held whole.
            if let Block::Table(t) = block {
                let mut stopped = Ok(());
                set.table(t, WIDTH, &mut |b| {
                    pager.place(b);
                    stopped = tick();
                    stopped.is_ok()
                });
                stopped?;
            } else {
                for b in set.block(block, WIDTH) {
                    pager.place(b);
                }
                tick()?;
            }
        }
    }
    let last = format!("{} — {} {generated_on} — Dossier", report.front.title, report.front.generated_on);
    put(&mut set, vec![Span::new(last.as_str(), &sans(9.0).grey(0x66))], 24.0, pager);
    Ok(())
}

/// A section's title, with a rule under it, kept with what follows.
fn section_title(set: &mut Setter<'_>, title: &str, pager: &mut Pager<'_>) {
    // Space above, dropped at the top of a page.
    pager.place(Boxed { height: 14.0, keep: true, ..Default::default() });
    let style = Style::new(Face::SANS.bold(), 15.0);
    let lines = lines(set.fonts, &[Span::new(title, &style)], WIDTH);
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let height = line.size * LEADING;
        let mut ops = vec![Op::Text { x: 0.0, y: 0.0, line }];
        let mut total = height;
        if i + 1 == count {
            ops.push(Op::Rule { x1: 0.0, y1: height + 1.0, x2: WIDTH, y2: height + 1.0, width: 0.8, grey: 0x99 });
            total += 8.0;
        }
        pager.place(Boxed { height: total, ops, keep: true, ..Default::default() });
    }
}

/// A line of the contents: the section, dot leaders, and the page it starts on, all a link to it.
fn contents_line(set: &mut Setter<'_>, title: &str, page: usize, id: &str) -> Boxed {
    let style = Style::new(Face::SANS, 11.0).link(Link::To(id.to_string()));
    let left = one_line(set.fonts, title, &style, WIDTH * 0.8);
    let right = one_line(set.fonts, &page.to_string(), &style, WIDTH);
    let dot = one_line(set.fonts, " .", &style, WIDTH);
    let room = WIDTH - left.width - right.width - 8.0;
    let dots = if dot.width > 0.0 { (room / dot.width).floor().max(0.0) as usize } else { 0 };
    let leader = one_line(set.fonts, &" .".repeat(dots), &style.clone().grey(0x88), WIDTH);
    let height = left.size * LEADING + 2.0;
    let ops = vec![
        Op::Text { x: WIDTH - right.width - leader.width - 4.0, y: 0.0, line: leader },
        Op::Text { x: WIDTH - right.width, y: 0.0, line: right },
        Op::Text { x: 0.0, y: 0.0, line: left },
    ];
    Boxed { height, ops, ..Default::default() }
}

/// What every page carries besides its text: the case's title above (from the second page) and
/// "page / pages" below.
struct Furniture {
    title: text::Line,
    /// The footer's characters, each shaped once.
    digits: HashMap<char, text::Line>,
    pages: usize,
}

impl Furniture {
    fn new(fonts: &mut Fonts, title: &str, pages: usize) -> Furniture {
        let style = Style::new(Face::SANS, 8.0).grey(0x55);
        let title = one_line(fonts, title, &style, WIDTH);
        let digits = "0123456789/ ".chars().map(|c| (c, one_line(fonts, &c.to_string(), &style, WIDTH))).collect();
        Furniture { title, digits, pages }
    }

    fn ops(&self, page: usize) -> Vec<Op> {
        let mut ops = Vec::new();
        if page > 0 {
            ops.push(Op::Text { x: SIDE, y: TOP - 28.0, line: self.title.clone() });
        }
        let label = format!("{} / {}", page + 1, self.pages);
        let mut footer = text::Line::default();
        for c in label.chars() {
            let Some(glyph) = self.digits.get(&c) else { continue };
            for p in &glyph.pieces {
                let mut p = p.clone();
                p.x = footer.width;
                footer.width += p.width();
                footer.size = footer.size.max(p.style.size);
                footer.pieces.push(p);
            }
        }
        let x = (PAGE_WIDTH - footer.width) / 2.0;
        ops.push(Op::Text { x, y: PAGE_HEIGHT - FOOT + 24.0, line: footer });
        ops
    }
}

fn destination(page: usize, y: f32) -> XyzDestination {
    XyzDestination::new(page, Point::from_xy(0.0, (y - 12.0).max(0.0)))
}

fn grey(level: u8) -> rgb::Color {
    rgb::Color::new(level, level, level)
}

/// Draws one page's `ops` into `document`, with its links.
fn draw_page(document: &mut Document, ops: &[Op], anchors: &Anchors, pages: usize) {
    let Some(settings) = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT) else { return };
    let mut page = document.start_page_with(settings);
    let mut links = Vec::new();
    let mut surface = page.surface();
    for op in ops {
        match op {
            Op::Text { x, y, line } => {
                let x = x + line.shift;
                let baseline = y + line.size * ((LEADING - 1.0) / 2.0 + 0.8);
                for p in &line.pieces {
                    let glyphs = p.shaped.krilla_glyphs();
                    surface.set_fill(Some(Fill {
                        paint: grey(p.style.grey).into(),
                        opacity: NormalizedF32::ONE,
                        rule: Default::default(),
                    }));
                    surface.draw_glyphs(
                        Point::from_xy(x + p.x, baseline),
                        &glyphs,
                        p.shaped.font.clone(),
                        &p.shaped.text,
                        p.style.size,
                        false,
                    );
                    if let (Some(link), Some(rect)) =
                        (&p.style.link, Rect::from_xywh(x + p.x, *y, p.width(), line.size * LEADING))
                    {
                        links.push((rect, link.clone()));
                    }
                }
            }
            Op::Rule { x1, y1, x2, y2, width, grey: level } => {
                let mut path = PathBuilder::new();
                path.move_to(*x1, *y1);
                path.line_to(*x2, *y2);
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: grey(*level).into(),
                        width: *width,
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Op::Fill { x, y, w, h, grey: level } => {
                let mut path = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                    path.push_rect(rect);
                }
                if let Some(path) = path.finish() {
                    surface.set_fill(Some(Fill {
                        paint: grey(*level).into(),
                        opacity: NormalizedF32::ONE,
                        rule: Default::default(),
                    }));
                    surface.draw_path(&path);
                }
            }
        }
    }
    surface.finish();
    for (rect, link) in links {
        let target = match link.as_ref() {
            Link::To(id) => match anchors.get(id) {
                Some(&(page, y)) if page < pages => Target::Destination(destination(page, y).into()),
                _ => continue,
            },
            Link::Web(url) => Target::Action(LinkAction::new(url.clone()).into()),
        };
        page.add_annotation(Annotation::new_link(LinkAnnotation::new(rect, target), None));
    }
    page.finish();
}
