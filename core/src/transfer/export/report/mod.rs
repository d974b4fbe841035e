//! The report as data: what the Markdown, HTML and Word reports say, decided once by `build` and
//! laid out by each format's writer. A rule about what a report shows (which sections, which entries,
//! how evidence is numbered and cited) then lives in one place and is tested on this value rather
//! than by searching three outputs (pandoc and mdBook build a document the same way).
//!
//! The three formats say the same thing: nothing in the value is for one format only, so they cannot
//! drift apart. A writer decides only how a piece looks in its medium (Markdown, which sets a table's
//! cell on one line, sets the pieces of a cell side by side and a table whose cells hold lists as
//! one entry per row).

mod basis;
mod build;
mod evidence;

use basis::Basis;

use super::ReportOptions;
use crate::date::Lang;
use crate::error::Result;
use crate::store::Reader;
use crate::vocabulary::ReportSection;

/// The whole report of the case `case`, shaped by `options`, in `lang` (see [`Reading::gather`]).
pub fn read(db: &Reader, case: &str, lang: Lang, options: &ReportOptions) -> Result<Report> {
    Reading::open(db, case, lang, options)?.gather()
}

/// A report read a section at a time: its front matter, then [`Reading::each`] builds its pieces in
/// order, each section reading its records as it goes, so a writer lays out a report of any size
/// with only the piece at hand (and [`Basis`]) in memory.
pub struct Reading<'a> {
    db: &'a Reader,
    basis: Basis,
    pub front: Front,
}

impl<'a> Reading<'a> {
    pub fn open(db: &'a Reader, case: &str, lang: Lang, options: &ReportOptions) -> Result<Reading<'a>> {
        let basis = Basis::read(db, case, options, lang)?;
        let front = build::front(&basis, lang);
        Ok(Reading { db, basis, front })
    }

    /// Gives `f` the report's pieces in order; an error from `f` stops the reading with it.
    pub fn each(&self, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
        build::each(self.db, &self.basis, self.front.lang, f)
    }

    /// The whole report, its pieces gathered: for the PDF, which lays it out twice, and for tests.
    pub fn gather(&self) -> Result<Report> {
        let mut sections: Vec<Section> = Vec::new();
        let mut open: Option<Table> = None;
        self.each(&mut |piece| {
            match piece {
                Piece::Section(id, title) => sections.push(Section { id, title, blocks: Vec::new() }),
                Piece::Block(block) => sections.last_mut().expect("a section first").blocks.push(block),
                Piece::Open(table) => open = Some(table),
                Piece::Rows(rows) => open.as_mut().expect("an open table").rows.extend(rows),
                Piece::Close => {
                    let table = open.take().expect("an open table");
                    sections.last_mut().expect("a section first").blocks.push(Block::Table(table));
                }
            }
            Ok(())
        })?;
        Ok(Report { front: self.front.clone(), sections })
    }

    /// How many units a writer lays out, one after the other, and what an export's progress is
    /// counted in: each block at a section's top level (a whole table, a record's group), and the
    /// header and each row of a table given a page at a time.
    pub fn units(&self) -> u64 {
        build::units(&self.basis)
    }
}

/// What a writer does with each piece of a report, as [`Reading::lay_out`] hands them on.
pub(in crate::transfer::export) trait Layout {
    /// A section begins.
    fn section(&mut self, id: ReportSection, title: &'static str);
    /// A block at the section's top level.
    fn block(&mut self, block: &Block);
    /// A long table begins; its rows follow, then its end.
    fn table_start(&mut self, table: &Table);
    fn row(&mut self, table: &Table, row: &Row);
    fn table_end(&mut self, table: &Table);
    /// One unit laid out (see [`Reading::units`]); an error stops the laying out.
    fn tick(&mut self) -> Result<()>;
}

impl Reading<'_> {
    /// Hands every piece of the report to `writer`, in order, with a tick for each unit: a block, a
    /// long table's start and each of its rows.
    pub(in crate::transfer::export) fn lay_out(&self, writer: &mut dyn Layout) -> Result<()> {
        // The long table whose rows are coming, without them.
        let mut open: Option<Table> = None;
        self.each(&mut |piece| match piece {
            Piece::Section(id, title) => {
                writer.section(id, title);
                Ok(())
            }
            Piece::Block(block) => {
                writer.block(&block);
                writer.tick()
            }
            Piece::Open(table) => {
                writer.table_start(&table);
                open = Some(table);
                writer.tick()
            }
            Piece::Rows(rows) => {
                let table = open.as_ref().expect("an open table");
                for row in &rows {
                    writer.row(table, row);
                    writer.tick()?;
                }
                Ok(())
            }
            Piece::Close => {
                writer.table_end(&open.take().expect("an open table"));
                Ok(())
            }
        })
    }
}

/// A piece of the report, as [`Reading::each`] gives it.
#[derive(Debug)]
pub enum Piece {
    /// A section begins (the one before, if any, is over).
    Section(ReportSection, &'static str),
    /// A block at the section's top level.
    Block(Block),
    /// A long table begins: its rows follow, a page at a time, until `Close`.
    Open(Table),
    Rows(Vec<Row>),
    Close,
}

/// What a report says before its sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Front {
    /// The language its words are in (its dates too), which the HTML page declares.
    pub lang: Lang,
    pub title: String,
    /// What the document is ("Case summary"), shown above its title.
    pub kind: &'static str,
    /// The case's status and tags, each as (label, value).
    pub meta: Vec<(&'static str, String)>,
    /// The words around the table of contents and the generation date.
    pub contents: &'static str,
    pub generated_on: &'static str,
    /// The sections that follow, each with its title.
    pub sections: Vec<(ReportSection, &'static str)>,
}

/// The report of one case, whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub front: Front,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Which section: its stored form is also its anchor in the HTML report (`#chronology`).
    pub id: ReportSection,
    pub title: &'static str,
    pub blocks: Vec<Block>,
}

/// A piece of a section, as each format lays it out.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Para(Vec<Inline>),
    /// How to read the section (a paragraph of its own, set apart).
    Note(&'static str),
    /// A heading inside a section: level 1 just below the section's title, level 2 below that.
    Heading(u8, Vec<Inline>),
    /// Labelled values of one record.
    Fields(Vec<Field>),
    Table(Table),
    /// Markdown a person wrote, shown as it reads (never as markup of the report).
    Markdown(String, Look),
    /// A line in smaller type under what it adds to.
    Aside(Vec<Inline>),
    /// A list of short items.
    List(Vec<Vec<Inline>>),
    /// The blocks of one record, kept together (an `<article>` in HTML).
    Group {
        id: Option<String>,
        class: Option<String>,
        blocks: Vec<Block>,
    },
}

/// How a piece of user Markdown sits in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// The case's own summary: part of the document, as written.
    Own,
    /// A record's text (a letter's body, an agreement's terms): kept apart from the report around it.
    Body,
    /// A description under what it describes, in smaller type.
    Aside,
    /// Text in a table cell, as it is.
    Cell,
}

/// "Label: value".
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: String,
    pub value: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// A class the HTML report's style sheet knows the table by.
    pub class: Option<&'static str>,
    /// Whether a cell of it holds a list, which Markdown's one-line cells cannot.
    pub lists: bool,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Its share of the page's width, relative to the other columns'.
    pub share: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What links point at to reach this row (its first cell is the target).
    pub id: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub blocks: Vec<Block>,
    /// A class for the HTML report's style sheet (an overdue deadline's state).
    pub class: Option<&'static str>,
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text, escaped as each format needs; in Markdown also folded onto one line.
    Text(String),
    /// Words and punctuation of the report itself, between pieces of text, kept as they are.
    Fixed(String),
    /// A stored date, in words and in its recorded form, which every format shows together.
    Date {
        words: String,
        recorded: String,
    },
    /// The evidence a record cites, each with its pinpoints.
    Sources(Vec<Cite>),
    /// A link to another part of the report (`#letter-2`), shown as `text`.
    CrossRef {
        href: String,
        text: String,
    },
    /// An http(s) address, shown as it is.
    Web(String),
    Strong(String),
    /// What sort of record, as a small label.
    Kind(String),
    /// A digest, in a fixed-width or small type.
    Code(String),
    /// A passage a piece of evidence is cited for.
    Quote {
        exact: String,
        page: Option<i64>,
        caveat: &'static str,
    },
}

/// Evidence numbered `n`, called `name` ("E3", "Exhibit 3"), with the pinpoints cited.
#[derive(Debug, Clone, PartialEq)]
pub struct Cite {
    pub n: usize,
    pub name: String,
    pub pins: Vec<String>,
}

impl Cite {
    /// "E1 (¶ 2; ¶ 5)".
    pub fn text(&self) -> String {
        format!("{}{}", self.name, self.pinpoints())
    }

    /// The pinpoints as they follow the evidence's name, " (¶ 2; ¶ 5)", or "" when none is cited: one
    /// wording for the writers, which set the name apart as a link.
    pub fn pinpoints(&self) -> String {
        if self.pins.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.pins.join("; "))
        }
    }
}

/// Citations as one line of text: "E1 (¶ 2; ¶ 5), E3".
pub fn cites_text(cites: &[Cite]) -> String {
    cites.iter().map(Cite::text).collect::<Vec<_>>().join(", ")
}
