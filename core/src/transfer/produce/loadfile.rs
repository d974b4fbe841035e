//! The load files review platforms read a production with: a Concordance `.dat` (a row of fields per
//! document, with Concordance's own delimiters) and an Opticon `.opt` (a line per page, naming the
//! file the page is in and where each document begins).

/// Concordance's field separator (¶, code 20), text qualifier (þ, code 254) and the stand-in for a
/// line break inside a field (®, code 174).
const SEPARATOR: char = '\u{14}';
const QUOTE: char = 'þ';
const NEWLINE: char = '®';

/// The `.dat` columns, in order.
pub const DAT_FIELDS: [&str; 12] = [
    "BEGBATES",
    "ENDBATES",
    "PAGECOUNT",
    "TITLE",
    "DATE",
    "FILENAME",
    "DISPOSITION",
    "PRIVILEGE",
    "SHA256",
    "NATIVEPATH",
    "TEXTPATH",
    "DOSSIERID",
];

/// A document of the volume as the load files list it.
pub struct Row {
    /// Each page's Bates number, in order.
    pub pages: Vec<String>,
    pub values: [String; 12],
    /// The PDF the pages are in, from the volume's folder (`IMAGES\ACME000001.pdf`).
    pub image_path: String,
}

/// The `.dat`: UTF-8 with a byte-order mark, a header row, CRLF line ends.
pub fn dat(rows: &[Row]) -> Vec<u8> {
    let mut out = "\u{feff}".to_string();
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let cells: Vec<String> = cells.map(|c| format!("{QUOTE}{}{QUOTE}", field(c))).collect();
        format!("{}\r\n", cells.join(&SEPARATOR.to_string()))
    };
    out.push_str(&line(&mut DAT_FIELDS.iter().copied()));
    for row in rows {
        out.push_str(&line(&mut row.values.iter().map(String::as_str)));
    }
    out.into_bytes()
}

/// A value as a `.dat` field holds it: its line breaks as ®, and the delimiters it cannot hold gone.
fn field(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c != SEPARATOR && *c != QUOTE)
        .map(|c| if c == '\n' || c == '\r' { NEWLINE } else { c })
        .collect()
}

/// The `.opt`: `PAGE,VOLUME,PATH,Y (first page of a document),,,PAGES (on the first page)`, CRLF.
pub fn opt(volume: &str, rows: &[Row]) -> Vec<u8> {
    let mut out = String::new();
    for row in rows {
        for (i, page) in row.pages.iter().enumerate() {
            let (start, count) = if i == 0 { ("Y", row.pages.len().to_string()) } else { ("", String::new()) };
            out.push_str(&format!("{page},{volume},{},{start},,,{count}\r\n", row.image_path));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_delimiters_out() {
        assert_eq!(field("a\u{14}b þ c\r\nd"), "ab  c®d");
    }
}
