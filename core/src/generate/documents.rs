//! Small, valid documents made from nothing, for tests and synthetic cases: a PDF with a text layer
//! (one page per string, Helvetica), a PDF holding only a picture of a page (a scan: no text layer, so
//! only OCR reads it), and scanned pages each under a line of stamped text, as courts file them.
//! Nothing is committed; only the scans need a program (Poppler's `pdftoppm`, to draw the text they
//! show).

use crate::error::{Error, Result};
use crate::pdfout::{assemble, stream, text as pdf_text};

/// A PDF whose page N shows `pages[N]` as lines of text (at most about 50 lines of 80 characters
/// each). Characters WinAnsi lacks are written as `?`.
pub fn text_pdf(pages: &[&str]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1: catalog, 2: page tree, 3: font; then per page: the page, its content.
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).into_bytes());
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
    for (i, text) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut content = b"BT /F1 14 Tf 18 TL 60 780 Td\n".to_vec();
        for line in text.lines() {
            content.push(b'(');
            content.extend(pdf_text(line));
            content.extend_from_slice(b") Tj T*\n");
        }
        content.extend_from_slice(b"ET");
        objects.push(stream("", &content));
    }
    assemble(&objects)
}

/// A PDF of one page holding only a grey picture (`width` × `height` pixels, one byte each, rows top
/// to bottom) scaled to an A4 page: what a scanner makes.
pub fn image_pdf(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
    image_pages(width, height, pixels, 1)
}

/// A PDF of `count` pages, each drawing the same grey picture (stored once, as the review's hostile
/// PDFs share one content stream): many scanned pages in a small file.
pub fn image_pages(width: u32, height: u32, pixels: &[u8], count: usize) -> Vec<u8> {
    stamped_image_pages(width, height, pixels, &vec![""; count])
}

/// A PDF of a page per stamp, each drawing the same grey picture with its stamp written over the top
/// margin as a line of text (Helvetica 9), or nothing over it when the stamp is empty.
fn stamped_image_pages(width: u32, height: u32, pixels: &[u8], stamps: &[&str]) -> Vec<u8> {
    // 1: catalog, 2: page tree, 3: the drawing, 4: the picture, 5: the font; then the pages, then the
    // drawings of the stamped pages.
    let count = stamps.len();
    let kids: Vec<String> = (0..count).map(|i| format!("{} 0 R", 6 + i)).collect();
    let drawing = "q 595 0 0 842 0 0 cm /Im1 Do Q";
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {count} >>", kids.join(" ")).into_bytes(),
        stream("", drawing.as_bytes()),
        stream(
            &format!("/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8"),
            pixels,
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let mut stamped = Vec::new();
    for stamp in stamps {
        let contents = if stamp.is_empty() {
            3
        } else {
            let mut content = format!("{drawing} BT /F1 9 Tf 36 826 Td (").into_bytes();
            content.extend(pdf_text(stamp));
            content.extend_from_slice(b") Tj ET");
            stamped.push(stream("", &content));
            5 + count + stamped.len()
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> \
                 /Font << /F1 5 0 R >> >> /Contents {contents} 0 R >>"
            )
            .into_bytes(),
        );
    }
    objects.extend(stamped);
    assemble(&objects)
}

/// A scan of `text`: the page [`text_pdf`] makes, drawn in grey at 150 dpi by `pdftoppm`, put in a
/// PDF of its own as a picture.
pub fn scanned_pdf(text: &str) -> Result<Vec<u8>> {
    scanned_pages(text, 1)
}

/// A scan of `count` pages, each the page [`scanned_pdf`] makes of `text`.
pub fn scanned_pages(text: &str, count: usize) -> Result<Vec<u8>> {
    let (width, height, pixels) = drawn(text)?;
    Ok(image_pages(width, height, &pixels, count))
}

/// A scan of `text` as a court files it: a page per stamp, each the page [`scanned_pdf`] makes of
/// `text` with its stamp written over it as one line of text ("Case 1:23-cv-01234 Document 12 Filed
/// 01/02/23 Page 3 of 25"), so each page has a text layer of that line only.
pub fn stamped_scan(text: &str, stamps: &[&str]) -> Result<Vec<u8>> {
    let (width, height, pixels) = drawn(text)?;
    Ok(stamped_image_pages(width, height, &pixels, stamps))
}

/// The page [`text_pdf`] makes of `text`, drawn in grey at 150 dpi by `pdftoppm`: its width, height
/// and pixels.
fn drawn(text: &str) -> Result<(u32, u32, Vec<u8>)> {
    let pdf = text_pdf(&[text]);
    let open = || Ok(Box::new(std::io::Cursor::new(pdf.clone())) as Box<dyn std::io::Read + Send>);
    let mut page = None;
    crate::extract::raster::draw(&open, 150, 1, &mut |_, picture| {
        page = Some(picture);
        Ok(())
    })?;
    let page = page.ok_or_else(|| Error::internal("pdftoppm drew no page"))?;
    Ok((page.width, page.height, page.pixels))
}
