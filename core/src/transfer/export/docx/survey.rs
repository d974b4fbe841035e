//! What the Word writer reads of a report before writing it: the headings its table of contents
//! lists (which come before the body) and how large its main part can grow (which decides the zip's
//! form before the part is written).

use super::{is_listed, plain};
use crate::error::Result;
use crate::transfer::export::report::{Block, Inline, Layout, Reading, Row, Table};
use crate::transfer::progress::Ticker;
use crate::vocabulary::ReportSection;

/// What Word needs before the body: the headings the table of contents lists, each with its level
/// (1: a section), and more bytes than the main part can take.
pub(super) struct Survey {
    pub(super) listed: Vec<(u8, String)>,
    pub(super) bound: u64,
}

impl Survey {
    /// The survey of `report`, one unit of `ticker` per unit of the report.
    pub(super) fn of(report: &Reading<'_>, ticker: &mut Ticker<'_>) -> Result<Survey> {
        let mut surveying = Surveying { survey: Survey { listed: Vec::new(), bound: 4096 * 64 }, ticker };
        report.lay_out(&mut surveying)?;
        Ok(surveying.survey)
    }
}

/// The survey as [`Reading::lay_out`] hands it the pieces.
struct Surveying<'t, 'w> {
    survey: Survey,
    ticker: &'t mut Ticker<'w>,
}

impl Layout for Surveying<'_, '_> {
    fn section(&mut self, _: ReportSection, title: &'static str) {
        self.survey.listed.push((1, title.to_string()));
        self.survey.bound += 2 * text_bound(title);
    }

    fn block(&mut self, block: &Block) {
        headings(std::slice::from_ref(block), &mut self.survey.listed);
        self.survey.bound += 2 * blocks_bound(std::slice::from_ref(block)) + 4096;
    }

    fn table_start(&mut self, _: &Table) {
        self.survey.bound += 4096;
    }

    fn row(&mut self, _: &Table, row: &Row) {
        self.survey.bound += 2 * row.cells.iter().map(|c| blocks_bound(&c.blocks)).sum::<u64>() + 4096;
    }

    fn table_end(&mut self, _: &Table) {}

    fn tick(&mut self) -> Result<()> {
        self.ticker.advance(1)
    }
}

/// The headings among `blocks` the table of contents lists, each with its level.
fn headings(blocks: &[Block], out: &mut Vec<(u8, String)>) {
    for b in blocks {
        match b {
            Block::Heading(level, inlines) if is_listed(*level) => out.push((level + 1, plain(inlines))),
            Block::Group { blocks, .. } => headings(blocks, out),
            _ => {}
        }
    }
}

/// More bytes than `s` takes in the main part: grown six times (as escaped `"` is), and 64 bytes of
/// markup for each of its lines (a line break and a run). A unit of the report (a table row and its
/// cells, a paragraph) adds 4 KiB of markup of its own (see [`Survey::of`]).
fn text_bound(s: &str) -> u64 {
    6 * s.len() as u64 + 64 * (1 + s.matches('\n').count() as u64)
}

fn inlines_bound(list: &[Inline]) -> u64 {
    list.iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Fixed(t) | Inline::Web(t) | Inline::Strong(t) | Inline::Kind(t) => text_bound(t),
            Inline::Code(t) => text_bound(t),
            Inline::Date { words, recorded } => text_bound(words) + text_bound(recorded),
            Inline::CrossRef { text: t, .. } => text_bound(t),
            Inline::Quote { exact, caveat, .. } => text_bound(exact) + text_bound(caveat) + 64,
            Inline::Sources(cites) => cites.iter().map(|c| text_bound(&c.text()) + 256).sum(),
        })
        .sum()
}

fn blocks_bound(list: &[Block]) -> u64 {
    list.iter()
        .map(|b| match b {
            Block::Para(i) | Block::Aside(i) | Block::Heading(_, i) => inlines_bound(i),
            Block::Note(n) => text_bound(n),
            Block::Fields(fields) => fields.iter().map(|f| text_bound(&f.label) + inlines_bound(&f.value)).sum(),
            Block::Table(t) => t.rows.iter().flat_map(|r| &r.cells).map(|c| blocks_bound(&c.blocks) + 4096).sum(),
            Block::Markdown(md, _) => text_bound(md),
            Block::List(items) => items.iter().map(|i| inlines_bound(i)).sum(),
            Block::Group { blocks, .. } => blocks_bound(blocks) + 4096 * blocks.len() as u64,
        })
        .sum()
}
