//! PDF and images. A PDF's text layer is read by Poppler's `pdftotext`, page by page (it ends each page
//! with a form feed). A page taken for a scan is rendered by Poppler's `pdftoppm` (its longer side
//! [`RENDER`] pixels, whatever size the page claims) and read by Tesseract, in English and French; the
//! longer of its two readings is kept. Pictures go to Tesseract as they are.
//!
//! **Which pages are scans.** A scanned page rarely arrives bare: a court's filing system stamps a
//! line of text over every page of a scanned filing ("Case 1:23-cv-01234 Document 12 Filed 01/02/23
//! Page 3 of 25"), a fax machine its header, a review platform its Bates number. So a page is not
//! judged by how many characters its text layer has alone, but by what covers it (`cover`):
//! - a page whose text layer shows almost nothing (fewer than [`SCANNED_BELOW`] visible characters)
//!   is a scan, measured or not: there is nothing to lose in reading it;
//! - a page with plenty of text ([`MEASURED_BELOW`] visible characters or more) is text, and is not
//!   measured either: a document of such pages costs one run of `pdftotext`, as it always did;
//! - a page in between is a scan when pictures cover at least [`PICTURES_COVER`] of it and the boxes
//!   of its words at most [`WORDS_COVER`]: a picture of a page under a line or two of stamped text.
//!   A short page of text (a title, a signature, a letter under its letterhead's logo) has no picture
//!   under most of it; a scan someone already read by OCR has its words over the page.
//!
//! The pages in between are measured as scans are rendered, a run of consecutive pages at a time (or
//! all from the first to the last when they are scattered); pages that cannot be measured are taken
//! for text, as they were before, and the reading says so.
//!
//! Both are separate programs run through `process`: a hostile or enormous file can only make one of
//! them fail or run out of its time or memory, never the app. The OCR of one file stays within its
//! [`Budget`] of pages and seconds, so its time is bounded too.

use std::io::Read;
use std::time::{Duration, Instant};

use super::process::{self, Program};
use super::{Budget, Open, Progress, MAX_PAGES, MAX_TEXT};
use crate::error::{Error, Result};
use cover::Cover;

mod cover;
pub mod raster;

/// A page with fewer visible characters than this in its text layer is a scan, whatever covers it.
const SCANNED_BELOW: usize = 16;
/// A page with at least this many visible characters is text, and is not measured: in type of an
/// ordinary size a thousand characters cover a tenth of a page, twice [`WORDS_COVER`].
const MEASURED_BELOW: usize = 1_000;
/// A page in between is a scan when pictures cover at least this share of it…
const PICTURES_COVER: f64 = 0.5;
/// …and the boxes of its words at most this share: a court's stamped line covers under 1% of a page,
/// a title page about 3%, a page of prose 10 to 20%.
const WORDS_COVER: f64 = 0.05;
/// The longer side of a page rendered for OCR, in pixels (about 200 dpi for A4).
const RENDER: u32 = 2400;
/// Seconds for the text layer of a whole file, and for recognizing one page.
const TEXT_SECONDS: u64 = 120;
const OCR_SECONDS: u64 = 90;
/// Most runs of `pdftoppm` for one file (and of each program measuring its pages); past that, one run
/// renders (or measures) from the first page to the last.
const MAX_RUNS: usize = 8;
/// Tesseract's languages.
const LANGUAGES: &str = "eng+fra";

/// How the pages of a PDF were read.
pub(super) struct PdfText {
    pub pages: Vec<String>,
    /// How many pages' text came from OCR.
    pub recognized: usize,
    /// What could not be read, when some scanned pages kept only their text layer (OCR failed on
    /// them, or the file's OCR budget was spent before them).
    pub problem: Option<String>,
}

/// The pages of the PDF `open` reads, scans recognized within `budget`.
pub(super) fn pages(open: &Open<'_>, budget: Budget, progress: &mut Progress<'_>) -> Result<PdfText> {
    let mut pages = text_layer(open)?;
    let (scanned, unmeasured) = scans(open, &pages);
    if scanned.is_empty() {
        return Ok(PdfText { pages, recognized: 0, problem: unmeasured });
    }
    let mut is_scan = vec![false; pages.len()];
    scanned.iter().for_each(|&i| is_scan[i] = true);
    let mut ocr = Ocr::new(budget, scanned.len());
    if let Some(problem) = unmeasured {
        ocr.note(problem);
    }
    for (first, last) in spans(&scanned) {
        if ocr.spent() {
            ocr.stopped = true;
            break;
        }
        let rendered = process::run(&render(first, last, ocr.seconds_left()), open()?, |out| {
            ocr.recognize_span(out, &mut pages[first..=last], &is_scan[first..=last], first, progress)
        });
        match rendered {
            Ok(()) => {}
            // The budget ran out inside the span: the pages read so far are kept.
            Err(Error::Cancelled) if ocr.stopped => break,
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(e) => ocr.note(format!("pages {}–{} could not be rendered: {e}", first + 1, last + 1)),
        }
    }
    let problem = match (ocr.stopped.then(|| ocr.stopped_note()), ocr.problem) {
        (Some(stopped), Some(other)) => Some(format!("{stopped}; {other}")),
        (stopped, other) => stopped.or(other),
    };
    Ok(PdfText { pages, recognized: ocr.recognized, problem })
}

/// The pages (from 0) taken for scans, by the rules of the module's doc; when pages between could not
/// be measured, why (they are then taken for text, as their text layer has some).
fn scans(open: &Open<'_>, pages: &[String]) -> (Vec<usize>, Option<String>) {
    let counts: Vec<usize> = pages.iter().map(|p| visible(p)).collect();
    let mut scans: Vec<usize> = (0..pages.len()).filter(|&i| counts[i] < SCANNED_BELOW).collect();
    let between: Vec<usize> =
        (0..pages.len()).filter(|&i| (SCANNED_BELOW..MEASURED_BELOW).contains(&counts[i])).collect();
    let scan = |c: &Cover| c.pictures >= PICTURES_COVER && c.words <= WORDS_COVER;
    let mut problem = None;
    for (first, last) in spans(&between) {
        match cover::measure(open, first, last) {
            Ok(covers) => scans.extend(
                (first..=last).filter(|i| between.binary_search(i).is_ok() && covers.get(i - first).is_some_and(scan)),
            ),
            Err(e) => {
                problem.get_or_insert(format!("pages {}–{} could not be measured: {e}", first + 1, last + 1));
            }
        }
    }
    scans.sort_unstable();
    (scans, problem)
}

/// The text layer of every page (at most [`MAX_PAGES`]), through `pdftotext`.
fn text_layer(open: &Open<'_>) -> Result<Vec<String>> {
    let layer = Program {
        name: "pdftotext",
        args: ["-enc", "UTF-8", "-l", &MAX_PAGES.to_string(), "-", "-"].map(String::from).to_vec(),
        seconds: TEXT_SECONDS,
    };
    let text = process::run(&layer, open()?, |out| process::read_capped(out, MAX_TEXT, "the text layer"))?;
    let text = String::from_utf8_lossy(&text);
    // Every page ends with a form feed, the last one included.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    pages.pop();
    Ok(pages)
}

/// The first and last page of each run of `pdftoppm` (or of the programs measuring pages). Consecutive
/// scanned pages are rendered by one run, which streams them one by one. A document whose scanned pages
/// are scattered is rendered in one run from the first to the last (the pages between are skipped), so
/// the file is not sent again for every run.
fn spans(scanned: &[usize]) -> Vec<(usize, usize)> {
    let spans: Vec<(usize, usize)> = runs(scanned).iter().map(|r| (r[0], r[r.len() - 1])).collect();
    if spans.len() > MAX_RUNS {
        return vec![(scanned[0], scanned[scanned.len() - 1])];
    }
    spans
}

/// `pdftoppm` rendering pages `first` to `last` (from 0), given at most `seconds` beyond the time to
/// read the file, and never more than [`OCR_SECONDS`] a page.
fn render(first: usize, last: usize, seconds: u64) -> Program<'static> {
    Program {
        name: "pdftoppm",
        args: [
            "-gray",
            "-scale-to",
            &RENDER.to_string(),
            "-f",
            &(first + 1).to_string(),
            "-l",
            &(last + 1).to_string(),
            "-",
        ]
        .map(String::from)
        .to_vec(),
        seconds: TEXT_SECONDS + seconds.min(OCR_SECONDS * (last - first + 1) as u64),
    }
}

/// The OCR of one file as it goes: what it read, and what it spent of its budget.
struct Ocr {
    budget: Budget,
    started: Instant,
    /// Scanned pages in the file, and those OCR was run on.
    scanned: usize,
    done: usize,
    recognized: usize,
    /// The first problem met.
    problem: Option<String>,
    /// Whether the budget stopped it before the last scanned page.
    stopped: bool,
}

impl Ocr {
    fn new(budget: Budget, scanned: usize) -> Ocr {
        Ocr { budget, started: Instant::now(), scanned, done: 0, recognized: 0, problem: None, stopped: false }
    }

    fn spent(&self) -> bool {
        self.done >= self.budget.pages || self.started.elapsed() >= Duration::from_secs(self.budget.seconds)
    }

    fn seconds_left(&self) -> u64 {
        self.budget.seconds.saturating_sub(self.started.elapsed().as_secs())
    }

    /// What the reading says when the budget stopped it ("OCR stopped after 200 pages, …").
    fn stopped_note(&self) -> String {
        let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let seconds = self.budget.seconds;
        let time = if seconds.is_multiple_of(60) { plural(seconds / 60, "minute") } else { plural(seconds, "second") };
        format!(
            "OCR stopped after {}, the budget of one file ({} or {time}); the {} other scanned pages keep only \
             their text layer",
            plural(self.done as u64, "page"),
            plural(self.budget.pages as u64, "page"),
            self.scanned - self.done,
        )
    }

    fn note(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// Recognizes the scanned pages among `pages` (the file's from index `first`; `is_scan` says which)
    /// as `pdftoppm` streams them. Stops with `Cancelled` when told to or when the budget is spent
    /// (then `stopped`).
    fn recognize_span(
        &mut self,
        out: &mut impl Read,
        pages: &mut [String],
        is_scan: &[bool],
        first: usize,
        progress: &mut Progress<'_>,
    ) -> Result<()> {
        // What a progress bar counts up to: the scanned pages, or the budget when it is smaller.
        let total = self.scanned.min(self.budget.pages);
        for (offset, (page, &scan)) in pages.iter_mut().zip(is_scan).enumerate() {
            if self.spent() {
                self.stopped = true;
                return Err(Error::Cancelled);
            }
            let image = read_pnm(out)?;
            if !scan {
                continue;
            }
            // A page OCR cannot read keeps its text layer, and the reading says so; a short page of
            // real text (a cover, a signature) is kept as it is when OCR reads less.
            match recognize(image, self.seconds_left()) {
                Ok(read) if visible(&read) > visible(page) => {
                    *page = read;
                    self.recognized += 1;
                }
                Ok(_) => {}
                Err(Error::Cancelled) => return Err(Error::Cancelled),
                // Stopped because the budget's last seconds ran out on this page: the budget says so.
                Err(_) if self.spent() => {
                    self.stopped = true;
                    return Err(Error::Cancelled);
                }
                Err(e) => self.note(format!("page {} could not be recognized: {e}", first + offset + 1)),
            }
            self.done += 1;
            if !progress(self.done, total) {
                return Err(Error::Cancelled);
            }
        }
        Ok(())
    }
}

/// The text of one picture (PNG, JPEG, TIFF, …) or rendered page, given at most `seconds` (and never
/// more than [`OCR_SECONDS`]).
pub(super) fn recognize(image: Box<dyn Read + Send>, seconds: u64) -> Result<String> {
    let ocr = Program {
        name: "tesseract",
        args: ["stdin", "stdout", "-l", LANGUAGES].map(String::from).to_vec(),
        seconds: seconds.clamp(1, OCR_SECONDS),
    };
    let text = process::run(&ocr, image, |out| process::read_capped(out, MAX_TEXT, "the recognized text"))?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}

/// Characters that show: letters, and digits and symbols too (a page of figures is text, not a
/// scan; counting letters only sent a 2,000-page PDF of digits to OCR, finding M6).
fn visible(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace() && !c.is_control()).count()
}

/// Runs of consecutive page indexes.
fn runs(pages: &[usize]) -> Vec<&[usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=pages.len() {
        if i == pages.len() || pages[i] != pages[i - 1] + 1 {
            out.push(&pages[start..i]);
            start = i;
        }
    }
    out
}

/// Reads one grey page as `pdftoppm -gray` streams them, refusing one larger than it was asked to
/// render, as the PGM image Tesseract reads.
fn read_pnm(from: &mut impl Read) -> Result<Box<dyn Read + Send>> {
    let picture = raster::read_gray(from, u64::from(RENDER) + 1)?;
    Ok(Box::new(std::io::Cursor::new(picture.pgm())))
}
