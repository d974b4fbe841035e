//! The Word document's package: a zip of WordprocessingML parts. The main part is written by the
//! caller straight into its zip entry; the others are small and written here whole: the content
//! types, the relationships (the main part's last, once its web links are known), the styles, the
//! settings, the running header and footer, and the title property.
//!
//! The zip is written as a stream (each entry's sizes and checksum after its data, in a data
//! descriptor, as Java's zip streams and so Apache POI write them, which Word and LibreOffice read),
//! so the same writer serves a file, a pipe and memory, and nothing is sought back to.

use std::cell::Cell;
use std::fmt::Write as _;
use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{escape, Links, MARGIN, PAGE};
use crate::error::{Error, Result};

/// Namespaces of WordprocessingML and of relationships.
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A main part that may be larger than this is written in the zip64 form, which a zip entry past
/// 4 GiB needs; smaller ones keep the form every reader knows (some read zip64 badly).
const ZIP64_FROM: u64 = 3 << 30;

/// The start of the main part, up to the body's first paragraph.
pub(super) const DOCUMENT_START: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>\n"
);

/// The end of the main part: the page (A4, its margins, the header and footer), then the closing tags.
pub(super) fn document_end() -> String {
    let (width, height) = PAGE;
    format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"{width}\" w:h=\"{height}\"/><w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n"
    )
}

/// Writes the package of the report titled `title` to `out`, the main part by `main` (which returns
/// the web addresses it links to, and takes at most `bound` bytes). On any failure, nothing more is
/// written to `out`: the zip is not finished.
pub(super) fn write(
    title: &str,
    bound: u64,
    out: &mut dyn Write,
    main: impl FnOnce(&mut dyn Write) -> Result<Links>,
) -> Result<()> {
    let open = Cell::new(true);
    let mut zip = ZipWriter::new_stream(Gate { out, open: &open });
    match parts(&mut zip, title, bound, main) {
        Ok(()) => zip.finish().map(|_| ()).map_err(zipped),
        Err(e) => {
            // The zip, dropped, would finish the archive around what it holds: its writes go nowhere.
            open.set(false);
            drop(zip);
            Err(e)
        }
    }
}

fn parts<W: Write + std::io::Seek>(
    zip: &mut ZipWriter<W>,
    title: &str,
    bound: u64,
    main: impl FnOnce(&mut dyn Write) -> Result<Links>,
) -> Result<()> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let whole = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELATIONSHIPS.to_string()),
        ("docProps/core.xml", core_properties(title)),
        ("docProps/app.xml", APP_PROPERTIES.to_string()),
        ("word/styles.xml", STYLES.to_string()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/header1.xml", header(title)),
        ("word/footer1.xml", FOOTER.to_string()),
    ];
    for (name, xml) in whole {
        zip.start_file(name, options).map_err(zipped)?;
        zip.write_all(xml.as_bytes()).map_err(super::super::sink::written)?;
    }
    let large = bound > ZIP64_FROM;
    zip.start_file("word/document.xml", options.large_file(large)).map_err(zipped)?;
    let links = main(zip)?;
    zip.start_file("word/_rels/document.xml.rels", options).map_err(zipped)?;
    zip.write_all(main_relationships(&links).as_bytes()).map_err(super::super::sink::written)?;
    Ok(())
}

/// The writer under the zip: the destination, until the package is given up.
struct Gate<'o> {
    out: &'o mut dyn Write,
    open: &'o Cell<bool>,
}

impl Write for Gate<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.open.get() {
            self.out.write(buf)
        } else {
            Ok(buf.len())
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.open.get() {
            self.out.flush()
        } else {
            Ok(())
        }
    }
}

fn zipped(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(e) => super::super::sink::written(e),
        e => Error::internal(format!("Word document: {e}")),
    }
}

const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>",
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    "</Types>\n"
);

const PACKAGE_RELATIONSHIPS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>\n"
);

const APP_PROPERTIES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
    "<Application>Dossier</Application></Properties>\n"
);

/// The document's properties: its title, the case's.
fn core_properties(title: &str) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>");
    escape(&mut xml, title);
    xml.push_str("</dc:title></cp:coreProperties>\n");
    xml
}

/// The main part's relationships: its styles, settings, header and footer, and each web address it
/// links to.
fn main_relationships(links: &Links) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (id, kind, target) in [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdHeader", "header", "header1.xml"),
        ("rIdFooter", "footer", "footer1.xml"),
    ] {
        let _ = write!(xml, "<Relationship Id=\"{id}\" Type=\"{R}/{kind}\" Target=\"{target}\"/>");
    }
    for (n, url) in links.urls() {
        let _ = write!(xml, "<Relationship Id=\"rIdLink{n}\" Type=\"{R}/hyperlink\" Target=\"");
        escape(&mut xml, url);
        xml.push_str("\" TargetMode=\"External\"/>");
    }
    xml.push_str("</Relationships>\n");
    xml
}

/// The running header: the case's title.
fn header(title: &str) -> String {
    let mut xml = format!("{XML_DECLARATION}<w:hdr xmlns:w=\"{W}\"><w:p><w:pPr><w:pStyle w:val=\"Meta\"/></w:pPr><w:r><w:t xml:space=\"preserve\">");
    escape(&mut xml, title);
    xml.push_str("</w:t></w:r></w:p></w:hdr>\n");
    xml
}

/// The footer: "page / pages", centred, as the PDF has it.
const FOOTER: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p><w:pPr><w:pStyle w:val=\"Meta\"/><w:jc w:val=\"center\"/></w:pPr>",
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
    "<w:r><w:t xml:space=\"preserve\"> / </w:t></w:r>",
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
    "</w:p></w:ftr>\n"
);

/// Word opens the document in its own current mode, not as a Word 2007 document.
const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"709\"/>",
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
    "</w:settings>\n"
);

/// The styles, named as Word names its own (so "heading 1" is Word's Heading 1, with its place in
/// the outline), each a paralegal can change once for the whole document: the text (Liberation
/// Serif, 10.5 pt), the title, three levels of heading, the table of contents, the small grey
/// "Meta" lines, table text, the recorded form of dates, links, and the tables' borders.
const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Liberation Serif\" w:hAnsi=\"Liberation Serif\" w:cs=\"Liberation Serif\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>",
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:rPr><w:b/><w:bCs/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"160\" w:after=\"60\"/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"23\"/><w:szCs w:val=\"23\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/><w:basedOn w:val=\"Heading1\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:outlineLvl w:val=\"9\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"TOC1\"><w:name w:val=\"toc 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"60\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"TOC2\"><w:name w:val=\"toc 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"40\"/><w:ind w:left=\"220\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Meta\"><w:name w:val=\"Meta\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:rPr><w:color w:val=\"5B6473\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/></w:style>",
    "<w:style w:type=\"character\" w:styleId=\"Recorded\"><w:name w:val=\"Recorded Date\"/><w:basedOn w:val=\"DefaultParagraphFont\"/><w:rPr><w:color w:val=\"5B6473\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>",
    "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:basedOn w:val=\"DefaultParagraphFont\"/><w:rPr><w:color w:val=\"2457A6\"/><w:u w:val=\"single\"/></w:rPr></w:style>",
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    "<w:style w:type=\"table\" w:styleId=\"DossierTable\"><w:name w:val=\"Dossier Table\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>",
    "<w:top w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/><w:left w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>",
    "<w:bottom w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/><w:right w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>",
    "<w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/><w:insideV w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>",
    "</w:tblBorders></w:tblPr></w:style>",
    "</w:styles>\n"
);
