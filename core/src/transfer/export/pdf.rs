//! The case summary as a print-ready PDF: the HTML report, with page furniture added
//! (`report-pdf.css`: running header with the case title, "page / pages", a table of contents with
//! page numbers), typeset by WeasyPrint, a CSS paged-media engine run as a separate program.
//!
//! Why WeasyPrint: the PDF is the HTML report, so the two never say different things and there is
//! one report structure to keep; it typesets paged media properly (table header rows repeated across
//! pages, rows kept whole, page counters, leaders) and embeds a subset of every font it uses; it is a
//! Debian package (no download at run time) and costs the Rust build nothing, where embedding a
//! typesetter such as Typst would add some 280 crates. It runs as a child process with no network
//! use (the report references nothing outside itself), fed on stdin, bounded in time.

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::ReportOptions;
use crate::date::Lang;
use crate::error::{Error, Result};
use crate::store::Reader;

/// The page furniture the PDF adds to the report's own style sheet.
const PDF_CSS: &str = include_str!("report-pdf.css");

/// The typesetter, a Debian package the set-up installs.
pub const TYPESETTER: &str = "weasyprint";

/// Longest a PDF may take to typeset; a case of thousands of entries takes seconds.
const TIME_LIMIT: Duration = Duration::from_secs(300);

/// The case as a PDF, in the structure and with the options of the HTML report.
pub fn pdf(db: &Reader, case: &str, lang: Lang, generated_on: &str, options: &ReportOptions) -> Result<Vec<u8>> {
    let html = super::html::render(&super::report::read(db, case, lang, options)?, generated_on, PDF_CSS);
    typeset(&html)
}

/// Runs WeasyPrint on `html` (stdin) and returns the PDF (stdout).
fn typeset(html: &str) -> Result<Vec<u8>> {
    let mut child = crate::extract::command(TYPESETTER)
        .args(["--encoding", "utf-8", "--media-type", "print", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(format!("{TYPESETTER} (the PDF typesetter: install the package weasyprint)"), e))?;
    let mut stdin = child.stdin.take().ok_or_else(|| Error::internal("no stdin for the typesetter"))?;
    let mut stdout = child.stdout.take().ok_or_else(|| Error::internal("no stdout from the typesetter"))?;
    let mut stderr = child.stderr.take().ok_or_else(|| Error::internal("no stderr from the typesetter"))?;
    let input = html.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let reader = std::thread::spawn(move || {
        let mut pdf = Vec::new();
        stdout.read_to_end(&mut pdf).map(|_| pdf)
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| Error::io(TYPESETTER, e))? {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::internal(format!("{TYPESETTER} took longer than {} s", TIME_LIMIT.as_secs())));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let pdf =
        reader.join().map_err(|_| Error::internal("reading the PDF failed"))?.map_err(|e| Error::io(TYPESETTER, e))?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() || !pdf.starts_with(b"%PDF") {
        let last = errors.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(Error::internal(format!("{TYPESETTER} failed ({status}): {last}")));
    }
    Ok(pdf)
}
