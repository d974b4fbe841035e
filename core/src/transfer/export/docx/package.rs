//! What docx-rs does not write, added to the parts it built before they are zipped: each table's
//! first row marked as a header row (repeated on every page the table spans), and the title property.

use std::io::Cursor;

use docx_rs::Docx;

use crate::error::{Error, Result};
use crate::markdown::escape_html;

/// Builds the package, adds what docx-rs does not write (each table's first row repeated on every
/// page it spans; the document's title property), and zips it.
pub(super) fn finish(docx: Docx, title: &str) -> Result<Vec<u8>> {
    let mut xml = docx.build();
    xml.document = repeat_header_rows(&xml.document);
    xml.doc_props.core = with_title(&xml.doc_props.core, title);
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| Error::internal(format!("Word document: {e}")))?;
    Ok(out.into_inner())
}

/// Marks the first row of every table as a header row (`w:tblHeader`), which Word and LibreOffice
/// repeat at the top of each page the table continues on.
fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(text.len() + 1024);
    let mut rest: &str = &text;
    while let Some(at) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(at);
        out.push_str(before);
        match table.find("<w:trPr>") {
            Some(row) => {
                let end = row + "<w:trPr>".len();
                out.push_str(&table[..end]);
                out.push_str("<w:tblHeader />");
                rest = &table[end..];
            }
            None => {
                out.push_str(table);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The core properties with the document's title (`dc:title`), which docx-rs cannot set.
fn with_title(core: &[u8], title: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(core);
    let element = format!("<dc:title>{}</dc:title>", escape_html(title));
    match text.rfind("</cp:coreProperties>") {
        Some(at) if !text.contains("<dc:title>") => format!("{}{element}{}", &text[..at], &text[at..]).into_bytes(),
        _ => core.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_row_of_each_table_repeats() {
        let doc = "<w:body><w:tbl><w:tr><w:trPr></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr></w:tbl><w:tbl><w:tr><w:trPr></w:trPr></w:tr></w:tbl></w:body>";
        let out = String::from_utf8(repeat_header_rows(doc.as_bytes())).unwrap();
        assert_eq!(out.matches("<w:tblHeader />").count(), 2);
        assert!(out.starts_with("<w:body><w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr></w:trPr>"));
    }

    #[test]
    fn the_title_is_escaped_into_the_core_properties() {
        let core = b"<cp:coreProperties><dc:creator>x</dc:creator></cp:coreProperties>";
        let out = String::from_utf8(with_title(core, "A & B <c>")).unwrap();
        assert!(out.ends_with("<dc:title>A &amp; B &lt;c&gt;</dc:title></cp:coreProperties>"), "{out}");
    }
}
