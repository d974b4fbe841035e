//! The few pieces of a PDF file Dossier writes by hand: numbered objects, streams, the
//! cross-reference table, and strings in the WinAnsi encoding of PDF's standard fonts. The test
//! documents of `generate` and the redacted copies of `record::evidence::redact` are made of them:
//! small files whose every byte Dossier chose. `fonts` finds and shapes the system's faces for the
//! PDFs Dossier typesets with krilla (the PDF report of `transfer::export::pdf`, and `document`: a
//! document's text laid out on pages, which is how a Word, OpenDocument or e-mail file is redacted);
//! `Invisible` is the font of a redacted copy's text layer, for words in any script.

mod document;
pub mod fonts;
mod invisible;

pub use document::text_document;
pub use invisible::Invisible;

/// A stream object: `dictionary`'s entries with the content's length, then the content.
pub fn stream(dictionary: &str, content: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dictionary} /Length {} >>\nstream\n", content.len()).into_bytes();
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream");
    out
}

/// The file of `objects` (numbered from 1, the first the catalog) with its cross-reference table
/// and trailer.
pub fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).into_bytes(),
    );
    out
}

/// Text as the bytes of a PDF string in WinAnsi (Latin-1, with the typographic quotes, dashes and
/// the euro sign where Windows puts them), `(`, `)` and `\` escaped; what it cannot hold is `?`.
pub fn text(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        let byte = match c {
            '€' => 0x80,
            '‚' => 0x82,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'Œ' => 0x8C,
            'œ' => 0x9C,
            c if (' '..='~').contains(&c) || ('\u{A0}'..='\u{FF}').contains(&c) => c as u8,
            _ => b'?',
        };
        if matches!(byte, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_winansi_with_its_delimiters_escaped() {
        assert_eq!(text("Occulté – (données) \\ €"), b"Occult\xE9 \x96 \\(donn\xE9es\\) \\\\ \x80".to_vec());
        assert_eq!(text("日本"), b"??".to_vec());
    }
}
