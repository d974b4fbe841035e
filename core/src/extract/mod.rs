//! The text of evidence files, page by page: plain text, Markdown and CSV as they are; HTML and
//! e-mail reduced to their text; a web archive's page (`archive`); Word and OpenDocument documents from their XML (`office`); PDF from
//! its text layer, and scanned pages and pictures by OCR (`pdf`, through Poppler and Tesseract run as
//! bounded programs, `process`).
//!
//! Reading a file here never touches the database: the store keeps what was read
//! (`store::text`), outside the time it takes to read it.

mod office;
mod pdf;
mod process;

use std::io::Read;

use crate::error::{Error, Result};
use crate::vocabulary::TextMethod;

pub use pdf::raster;
pub use process::{command, PASSPHRASE_VARIABLES};

/// Most pages kept of one file.
pub const MAX_PAGES: usize = 2_000;
/// Most bytes of text kept of one file.
pub const MAX_TEXT: usize = 32 << 20;
/// Longest text, HTML or e-mail file read whole (a longer one is read up to this).
const MAX_PLAIN: u64 = 4 << 20;
/// Largest Word or OpenDocument file read (it is read into memory to be unzipped).
const MAX_OFFICE: u64 = 64 << 20;

/// The error of a file that could not be read, saying why; `value` names what failed (a program).
fn unreadable(value: Option<String>, why: &str) -> Error {
    Error::rule("file", "unreadable", value, format!("the file could not be read: {why}"))
}

/// How much OCR one file may cost: pages recognized, and seconds spent rendering and recognizing
/// them. Past either, the reading stops and keeps what it read: the file is done, its other scanned
/// pages keep their text layer, and the reading says where OCR stopped. Without it one hostile
/// attachment of 2,000 scanned pages kept a core busy for hours (finding M6).
///
/// The seconds are counted on the clock while OCR runs, not as CPU time: each program runs on one
/// thread, so the two are close, and a busy machine only makes the budget stricter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub pages: usize,
    pub seconds: u64,
}

impl Budget {
    /// 200 pages or 10 minutes, what a long real scan needs (about 3 s a page here).
    pub const DEFAULT: Budget = Budget { pages: 200, seconds: 600 };

    /// The budget set by `DOSSIER_OCR_PAGES` and `DOSSIER_OCR_SECONDS` where they hold a number
    /// (tests and scripts lower it; someone with long scans may raise it), else [`Budget::DEFAULT`].
    pub fn from_env() -> Budget {
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
        Budget {
            pages: number("DOSSIER_OCR_PAGES").map_or(Budget::DEFAULT.pages, |n| n as usize),
            seconds: number("DOSSIER_OCR_SECONDS").unwrap_or(Budget::DEFAULT.seconds),
        }
    }
}

/// Opens the file afresh (a PDF is read once for its text layer and again for its scanned pages).
pub type Open<'a> = dyn Fn() -> Result<Box<dyn Read + Send>> + 'a;
/// Told `(done, total)` pages as OCR goes; answering `false` stops the reading (`Error::Cancelled`).
pub type Progress<'a> = dyn FnMut(usize, usize) -> bool + 'a;

/// How a kind of file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Html,
    Mail,
    Pdf,
    Picture,
    Docx,
    Odt,
    /// A web archive (WARC or MHTML): the text of the page it holds (`archive`).
    Archive,
}

impl Kind {
    /// How a file of this media type is read, or `None` when it holds no text Dossier can read.
    pub fn of(media_type: &str) -> Option<Kind> {
        Some(match media_type {
            "text/plain" | "text/markdown" | "text/csv" => Kind::Plain,
            "text/html" | "application/xhtml+xml" => Kind::Html,
            "message/rfc822" => Kind::Mail,
            "application/pdf" => Kind::Pdf,
            "image/png" | "image/jpeg" | "image/tiff" | "image/bmp" | "image/gif" | "image/webp" => Kind::Picture,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Kind::Docx,
            "application/vnd.oasis.opendocument.text" => Kind::Odt,
            "application/warc" | "multipart/related" => Kind::Archive,
            _ => return None,
        })
    }

    /// Whether reading it may take long (other programs, OCR, unzipping): then it is read after the
    /// file is stored, in the background, rather than before the write that adds it.
    pub fn in_background(self) -> bool {
        !matches!(self, Kind::Plain | Kind::Html | Kind::Mail | Kind::Archive)
    }

    /// Whether its pages are the file's own pages (a PDF's, a document's page breaks), worth naming
    /// in a search hit or a citation; a text file or an e-mail is one page of no number.
    pub fn paged(self) -> bool {
        matches!(self, Kind::Pdf | Kind::Docx | Kind::Odt)
    }
}

/// What was read of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages {
    pub method: TextMethod,
    /// The text of each page, in order (page 1 first); an empty page is an empty string.
    pub pages: Vec<String>,
    /// What could not be read though the rest was (scanned pages OCR failed on), in English.
    pub problem: Option<String>,
}

/// Reads the text of a file of `kind`, its OCR within [`Budget::from_env`].
pub fn read(kind: Kind, open: &Open<'_>, progress: &mut Progress<'_>) -> Result<Pages> {
    read_within(kind, open, Budget::from_env(), progress)
}

/// Reads the text of a file of `kind`, its OCR within `budget`.
pub fn read_within(kind: Kind, open: &Open<'_>, budget: Budget, progress: &mut Progress<'_>) -> Result<Pages> {
    let mut problem = None;
    let (method, pages) = match kind {
        Kind::Plain | Kind::Html | Kind::Mail => (TextMethod::Plain, vec![plain(kind, open()?)?]),
        Kind::Pdf => {
            let read = pdf::pages(open, budget, progress)?;
            let method = match read.recognized {
                0 => TextMethod::Pdf,
                n if n == read.pages.len() => TextMethod::Ocr,
                _ => TextMethod::PdfOcr,
            };
            problem = read.problem;
            (method, read.pages)
        }
        Kind::Picture => {
            let text = pdf::recognize(open()?, budget.seconds)?;
            progress(1, 1);
            (TextMethod::Ocr, vec![text])
        }
        Kind::Archive => {
            let bytes = process::read_capped(&mut open()?, crate::archive::MAX_ARCHIVE, "the web archive")?;
            let page = crate::archive::read(&bytes)?;
            problem = page.problem.clone();
            (TextMethod::Plain, vec![page.text()])
        }
        Kind::Docx | Kind::Odt => {
            let bytes = process::read_capped(&mut open()?, MAX_OFFICE as usize, "the document")?;
            let format = if kind == Kind::Docx { office::Office::Docx } else { office::Office::Odt };
            let method = if kind == Kind::Docx { TextMethod::Docx } else { TextMethod::Odt };
            (method, office::pages(format, &bytes)?)
        }
    };
    Ok(Pages { method, pages: bounded(pages), problem })
}

/// Cuts what was read to [`MAX_PAGES`] pages and [`MAX_TEXT`] bytes in all.
fn bounded(mut pages: Vec<String>) -> Vec<String> {
    pages.truncate(MAX_PAGES);
    let mut left = MAX_TEXT;
    for page in &mut pages {
        let mut cut = page.len().min(left);
        while !page.is_char_boundary(cut) {
            cut -= 1;
        }
        page.truncate(cut);
        left -= cut;
    }
    pages
}

/// The text of a text, HTML or e-mail file (its first [`MAX_PLAIN`] bytes).
fn plain(kind: Kind, reader: Box<dyn Read + Send>) -> Result<String> {
    let mut bytes = Vec::new();
    reader.take(MAX_PLAIN).read_to_end(&mut bytes).map_err(|e| Error::internal(format!("reading a file: {e}")))?;
    Ok(match kind {
        Kind::Html => crate::markdown::html_to_text(&String::from_utf8_lossy(&bytes)),
        Kind::Mail => match mail_parser::MessageParser::default().parse(&bytes) {
            Some(m) => format!("{} {}", m.subject().unwrap_or(""), m.body_text(0).unwrap_or_default()),
            None => String::new(),
        },
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    })
}
