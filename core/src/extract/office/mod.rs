//! Word (DOCX) and OpenDocument (ODT) text: a zip archive whose main part is XML. The archive is read
//! from memory (its size bounded by the caller), only the main part is inflated, and no more than
//! [`MAX_XML`] bytes of it: a part that inflates further (a zip bomb) is refused. An archive whose
//! central directory is damaged (cut short, as LibreOffice and Word still open it) has its main part
//! read from its local header (`local_headers`).
//!
//! A page ends where the file says one did: an explicit page break, or where the word processor last
//! laid out a new page (`w:lastRenderedPageBreak`, `text:soft-page-break`). A file that never says is
//! one page.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use crate::error::Result;

mod local_headers;

/// Most bytes of XML read from the main part of a document.
const MAX_XML: usize = 64 << 20;

/// The two formats, by the main part they keep their text in and the names of its elements.
#[derive(Clone, Copy)]
pub(super) enum Office {
    Docx,
    Odt,
}

impl Office {
    fn part(self) -> &'static str {
        match self {
            Office::Docx => "word/document.xml",
            Office::Odt => "content.xml",
        }
    }
}

/// The pages of the document in `bytes`.
pub(super) fn pages(format: Office, bytes: &[u8]) -> Result<Vec<String>> {
    let xml = main_part(format.part(), bytes)?;
    walk(format, &xml).map_err(|e| super::unreadable(None, &format!("{} is not well-formed XML ({e})", format.part())))
}

/// The XML of the archive's `part`, found through the archive's central directory, or by its local
/// header when the directory is damaged.
fn main_part(part: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let unreadable = |why: String| super::unreadable(None, &why);
    let xml = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(mut archive) => {
            let mut entry = archive.by_name(part).map_err(|_| unreadable(format!("it has no {part}")))?;
            let mut xml = Vec::new();
            entry
                .by_ref()
                .take(MAX_XML as u64 + 1)
                .read_to_end(&mut xml)
                .map_err(|e| unreadable(format!("{part} is damaged ({e})")))?;
            xml
        }
        Err(directory) => local_headers::part(bytes, part, MAX_XML).map_err(|d| unreadable(d.why(part, &directory)))?,
    };
    if xml.len() > MAX_XML {
        return Err(unreadable(format!("{part} inflates to more than {} MiB", MAX_XML >> 20)));
    }
    Ok(xml)
}

/// Walks the XML once, collecting text into pages. Text is collected inside a Word `w:t`, or inside
/// an OpenDocument paragraph or heading at any depth (a footnote's paragraphs sit inside the paragraph
/// that cites it); comments (`office:annotation`) are left out.
fn walk(format: Office, xml: &[u8]) -> std::result::Result<Vec<String>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut pages = vec![String::new()];
    // Word: inside a `w:t`. OpenDocument: how many paragraphs are open, and comments.
    let mut in_run_text = false;
    let mut paragraphs = 0usize;
    let mut comments = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf)?;
        let collecting = match format {
            Office::Docx => in_run_text,
            Office::Odt => paragraphs > 0 && comments == 0,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                match (format, name.as_ref()) {
                    (Office::Docx, b"w:t") => in_run_text = !empty,
                    (Office::Docx, b"w:tab") | (Office::Odt, b"text:tab") => push(&mut pages, "\t"),
                    (Office::Docx, b"w:lastRenderedPageBreak") | (Office::Odt, b"text:soft-page-break") => {
                        new_page(&mut pages)
                    }
                    // `w:val="0"` (or "false") turns the property off.
                    (Office::Docx, b"w:pageBreakBefore") => {
                        let off = e
                            .attributes()
                            .flatten()
                            .any(|a| a.key.as_ref() == b"w:val" && matches!(&*a.value, b"0" | b"false" | b"off"));
                        if !off {
                            new_page(&mut pages)
                        }
                    }
                    (Office::Docx, b"w:br") => {
                        let page =
                            e.attributes().flatten().any(|a| a.key.as_ref() == b"w:type" && &*a.value == b"page");
                        if page {
                            new_page(&mut pages)
                        } else {
                            push(&mut pages, "\n")
                        }
                    }
                    (Office::Odt, b"text:s") if collecting => push(&mut pages, " "),
                    (Office::Odt, b"text:line-break") if collecting => push(&mut pages, "\n"),
                    (Office::Odt, b"text:p" | b"text:h") if empty => push(&mut pages, "\n"),
                    (Office::Odt, b"text:p" | b"text:h") => paragraphs += 1,
                    (Office::Odt, b"office:annotation") if !empty => comments += 1,
                    _ => {}
                }
            }
            Event::End(e) => match (format, e.name().as_ref()) {
                (Office::Docx, b"w:t") => in_run_text = false,
                (Office::Docx, b"w:p") => push(&mut pages, "\n"),
                (Office::Odt, b"text:p" | b"text:h") => {
                    paragraphs = paragraphs.saturating_sub(1);
                    if comments == 0 {
                        push(&mut pages, "\n");
                    }
                }
                (Office::Odt, b"office:annotation") => comments = comments.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if collecting => push(&mut pages, &t.decode()?),
            Event::GeneralRef(r) if collecting => {
                if let Some(c) = r.resolve_char_ref()? {
                    push(&mut pages, c.encode_utf8(&mut [0; 4]));
                } else if let Some(text) = quick_xml::escape::resolve_predefined_entity(&r.decode()?) {
                    push(&mut pages, text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // A break at the very end leaves an empty last page: it is not a page of text.
    while pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

fn push(pages: &mut [String], text: &str) {
    if let Some(page) = pages.last_mut() {
        page.push_str(text);
    }
}

fn new_page(pages: &mut Vec<String>) {
    // A break before any text (or two in a row) makes no empty page.
    if pages.last().is_some_and(|p| !p.trim().is_empty()) {
        pages.push(String::new());
    }
}
