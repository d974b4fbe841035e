//! A font for text no one sees: the words of a redacted copy's text layer, drawn in render mode 3
//! over the page's picture so the copy can be searched, selected and copied. Any character is
//! written (a CID font numbering the characters the text uses, `Identity-H`, a `ToUnicode` map back
//! to them), where the standard fonts' WinAnsi held only Western European letters and turned a
//! Russian or Chinese word into question marks. Every glyph is half an em wide, so a word is
//! stretched (`Tz`) to exactly its box and readers split words where the page's gaps are. No font
//! program is embedded: nothing is drawn.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Most distinct characters one text layer numbers (CID 0 is left for none).
const MAX_CHARS: usize = 65_534;

/// The characters of a text layer, each with its number in the font.
pub struct Invisible {
    cids: BTreeMap<char, u16>,
}

impl Invisible {
    /// The font for `texts`: each distinct character numbered from 1 in the order of the code
    /// points; past [`MAX_CHARS`] characters the rest are written as CID 0, which stands for none.
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Invisible {
        let mut chars: Vec<char> = texts.flat_map(str::chars).collect();
        chars.sort_unstable();
        chars.dedup();
        chars.truncate(MAX_CHARS);
        Invisible { cids: chars.into_iter().zip(1u16..).collect() }
    }

    /// `text` as a hexadecimal string of its characters' numbers, to show with `Tj`.
    pub fn show(&self, text: &str) -> Vec<u8> {
        let mut out = String::from("<");
        for c in text.chars() {
            let _ = write!(out, "{:04X}", self.cids.get(&c).copied().unwrap_or(0));
        }
        out.push('>');
        out.into_bytes()
    }

    /// The font's dictionary, its `ToUnicode` map the object numbered `to_unicode`.
    pub fn font(&self, to_unicode: usize) -> Vec<u8> {
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /DossierInvisible /Encoding /Identity-H \
             /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DossierInvisible \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 \
             /CIDToGIDMap /Identity /FontDescriptor << /Type /FontDescriptor /FontName /DossierInvisible \
             /Flags 4 /FontBBox [0 -200 500 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 \
             /StemV 80 >> >>] /ToUnicode {to_unicode} 0 R >>"
        )
        .into_bytes()
    }

    /// The `ToUnicode` map's stream object: each number to its character (in UTF-16).
    pub fn to_unicode(&self) -> Vec<u8> {
        super::stream("", &self.cmap())
    }

    /// The `ToUnicode` map itself, the content of its stream.
    pub fn cmap(&self) -> Vec<u8> {
        let mut map = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let pairs: Vec<(&char, &u16)> = self.cids.iter().collect();
        // A map's blocks hold at most 100 entries each.
        for block in pairs.chunks(100) {
            let _ = writeln!(map, "{} beginbfchar", block.len());
            for (c, cid) in block {
                let mut units = [0u16; 2];
                let utf16: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
                let _ = writeln!(map, "<{cid:04X}> <{utf16}>");
            }
            map.push_str("endbfchar\n");
        }
        map.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        map.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_numbered_and_mapped_back_in_utf16() {
        let font = Invisible::new(["Жанна", "Roe 😀"].into_iter());
        // Numbered in code point order: " " 1, R 2, e 3, o 4, Ж 5, а 6, н 7, 😀 8.
        assert_eq!(font.show("Roe"), b"<000200040003>".to_vec());
        let map = String::from_utf8(font.to_unicode()).expect("ascii");
        assert!(map.contains("<0002> <0052>") && map.contains("<0005> <0416>"), "{map}");
        assert!(map.contains("<0008> <D83DDE00>"), "a character past the BMP is a surrogate pair: {map}");
    }
}
