//! Where a report's writer puts what it lays out: text gathered a block at a time and sent on to the
//! destination once there is enough of it, so a report of any size is written with little of it in
//! memory; and each block or table row laid out tells the export's [`Watch`] how far it is, and may
//! stop it ([`Reading::units`](super::report::Reading::units) counts them beforehand).
//!
//! The Markdown, HTML and Word writers lay a report out into a `Sink` (the Word writer into the zip
//! entry of its main part) with `put!`, as into a `String`. A sink without a destination keeps all
//! of it, for the callers that want the report as a string.

use std::fmt;
use std::io::Write;

use crate::error::{Error, Result};
use crate::transfer::progress::{unwatched, Ticker, Watch};

/// How much text a sink gathers before sending it on.
const CHUNK: usize = 64 * 1024;

pub(super) struct Sink<'a> {
    out: Option<&'a mut dyn Write>,
    buf: String,
    ticker: Ticker<'a>,
    /// Markdown ends with one line end: white space at the end of what is gathered is held back
    /// until more text follows it, and dropped at the end.
    trims_end: bool,
}

impl<'a> Sink<'a> {
    /// A sink writing to `out` a report of `total` units, telling `watch`.
    pub(super) fn new(out: &'a mut dyn Write, watch: &'a dyn Watch, total: u64) -> Sink<'a> {
        Sink {
            out: Some(out),
            buf: String::with_capacity(CHUNK * 2),
            ticker: Ticker::new(watch, total),
            trims_end: false,
        }
    }

    /// A sink that keeps everything, for [`Sink::into_string`].
    pub(super) fn memory() -> Sink<'static> {
        Sink { out: None, buf: String::new(), ticker: Ticker::new(&unwatched, 0), trims_end: false }
    }

    /// The same sink, its progress already at `done` units (of a writer that read the report once
    /// before writing it).
    pub(super) fn resuming(mut self, done: u64) -> Sink<'a> {
        self.ticker.resume_at(done);
        self
    }

    /// The same sink, ending its text with exactly one line end (Markdown's).
    pub(super) fn trimming_end(self) -> Sink<'a> {
        Sink { trims_end: true, ..self }
    }

    pub(super) fn push(&mut self, c: char) {
        self.buf.push(c);
    }

    pub(super) fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
    }

    /// One unit of the report laid out: the watch hears of it (and may stop the export with
    /// `cancelled`), and the text goes on to the destination once enough is gathered.
    pub(super) fn tick(&mut self) -> Result<()> {
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        self.ticker.advance(1)
    }

    /// Sends what is gathered to the destination, but white space at the end when it trims it.
    fn send(&mut self) -> Result<()> {
        let Some(out) = self.out.as_mut() else { return Ok(()) };
        let end = if self.trims_end { self.buf.trim_end().len() } else { self.buf.len() };
        out.write_all(&self.buf.as_bytes()[..end]).map_err(written)?;
        self.buf.drain(..end);
        Ok(())
    }

    /// Sends the rest and tells the watch the report is done.
    pub(super) fn finish(mut self) -> Result<()> {
        self.end_text();
        self.send()?;
        self.ticker.finish()
    }

    /// Everything a memory sink was given.
    pub(super) fn into_string(mut self) -> String {
        self.end_text();
        self.buf
    }

    fn end_text(&mut self) {
        if self.trims_end {
            let len = self.buf.trim_end().len();
            self.buf.truncate(len);
            self.buf.push('\n');
            self.trims_end = false;
        }
    }
}

impl fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.buf.push_str(s);
        Ok(())
    }
}

/// A failure to write an export. The destination knows the file's name and says it instead
/// (`transfer::destination`); this one is seen only when writing to a stream of the caller's.
pub(super) fn written(e: std::io::Error) -> Error {
    Error::io("the export", e)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn text_is_sent_in_chunks_and_the_watch_hears_every_unit() {
        let calls = RefCell::new(Vec::new());
        let watch = |done: u64, total: u64| {
            calls.borrow_mut().push((done, total));
            true
        };
        let mut out = Vec::new();
        let mut sink = Sink::new(&mut out, &watch, 3);
        for n in 0..3 {
            let _ = write!(sink, "{}", "x".repeat(CHUNK - 1 + n));
            sink.tick().unwrap();
        }
        sink.finish().unwrap();
        assert_eq!(out.len(), 3 * CHUNK, "everything written once");
        assert_eq!(calls.into_inner(), [(1, 3), (2, 3), (3, 3)]);
    }

    #[test]
    fn a_trimming_sink_ends_with_one_line_end_whatever_the_chunks() {
        let mut out = Vec::new();
        let mut sink = Sink::new(&mut out, &unwatched, 2).trimming_end();
        sink.push_str(&"a".repeat(CHUNK));
        sink.push_str("\n\n  ");
        sink.tick().unwrap();
        sink.push_str("b\n\n\n");
        sink.tick().unwrap();
        sink.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("a\n\n  b\n") && text.len() == CHUNK + 6, "{:?}", &text[CHUNK - 2..]);
    }

    #[test]
    fn a_watch_that_answers_no_stops_the_writer() {
        let mut out = Vec::new();
        let stop = |done: u64, _: u64| done < 2;
        let mut sink = Sink::new(&mut out, &stop, 400);
        assert!(sink.tick().is_ok());
        assert!(matches!(sink.tick(), Err(Error::Cancelled)));
    }
}
