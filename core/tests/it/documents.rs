//! Documents as they arrive: a PDF with a text layer, a Word file, an OpenDocument file and a scan are
//! each read page by page and found by a word unique to them; broken and hostile files keep their
//! evidence and say why they could not be read; a cited passage keeps its page and words.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::generate::documents::{scanned_pdf, stamped_scan, text_pdf};
use dossier_core::record::event::EventInput;
use dossier_core::record::evidence::{self, Evidence, EvidenceInput, FileInput, LinkInput, QuoteInput};
use dossier_core::store::text;
use dossier_core::transfer::{bundle, export, export::ReportOptions};
use dossier_core::view::search::search;
use dossier_core::vocabulary::{TextMethod, TextState};
use dossier_core::{Error, Store};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write a fixture");
    path
}

/// Adds a file as the CLI does: stored, then read (waiting for it).
fn add_and_read(store: &mut Store, path: &Path) -> Evidence {
    let e = evidence::add_file(store, &FileInput { case: "c".into(), path: path.to_path_buf(), ..Default::default() })
        .expect("add the file");
    assert_eq!(e.text.as_ref().map(|t| t.state), Some(TextState::Pending), "a document is read after it is stored");
    evidence::read_text(store, &e.id, &mut |_, _| true).expect("read its text")
}

fn found_on(store: &Store, word: &str, id: &str) -> Option<Option<i64>> {
    search(store.reader(), word, None, 50).expect("search").into_iter().find(|h| h.record_id == id).map(|h| h.page)
}

/// A Word file of two pages (an explicit page break between them), as a word processor writes one.
fn docx(first: &str, second: &str) -> Vec<u8> {
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{w}\"><w:body>\
         <w:p><w:r><w:t>{first}</w:t></w:r></w:p>\
         <w:p><w:r><w:br w:type=\"page\"/><w:t>{second}</w:t></w:r></w:p></w:body></w:document>"
    );
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" \
        ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    zip_of(&[("[Content_Types].xml", types.as_bytes()), ("word/document.xml", document.as_bytes())])
}

/// A zip archive of `(name, content)` entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(*name, options).expect("start an entry");
        zip.write_all(content).expect("write an entry");
    }
    zip.finish().expect("finish the zip").into_inner()
}

#[test]
fn a_text_pdf_is_read_page_by_page_and_found_with_its_page() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path =
        write(fx.dir.path(), "letter.pdf", &text_pdf(&["Dear Sir,", "We demand an audit.\nQuixotical terms apply."]));
    let e = add_and_read(&mut fx.store, &path);
    let t = e.text.expect("text state");
    assert_eq!((t.state, t.method, t.pages, t.paged), (TextState::Done, Some(TextMethod::Pdf), 2, true));
    assert_eq!(found_on(&fx.store, "quixotical", &e.id), Some(Some(2)), "the hit names page 2");
    let page = evidence::text(fx.store.reader(), &e.id, Some(2)).expect("page 2");
    assert!(page[0].text.contains("We demand an audit."), "{page:?}");
    let err = evidence::text(fx.store.reader(), &e.id, Some(3)).expect_err("there is no page 3");
    assert!(err.to_string().contains("page 3 is not among the 2 pages"), "{err}");
}

#[test]
fn a_scanned_pdf_is_read_by_ocr() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path = write(
        fx.dir.path(),
        "scan.pdf",
        &scanned_pdf("NOTICE OF BREACH\nThe licensee owes Zanzibarite fees.").expect("a scan"),
    );
    assert!(
        !Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext")
            .stdout
            .iter()
            .any(u8::is_ascii_alphabetic),
        "the fixture has no text layer"
    );
    let mut told = Vec::new();
    let e =
        evidence::add_file(&mut fx.store, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add");
    let e = evidence::read_text(&mut fx.store, &e.id, &mut |done, total| {
        told.push((done, total));
        true
    })
    .expect("read");
    assert_eq!(e.text.as_ref().map(|t| (t.state, t.method)), Some((TextState::Done, Some(TextMethod::Ocr))));
    assert_eq!(told.last(), Some(&(1, 1)), "OCR tells its progress page by page");
    assert!(found_on(&fx.store, "zanzibarite", &e.id).is_some(), "the recognized word is found");
}

/// The text layer of a PDF file, as Poppler reads it.
fn text_layer(path: &Path) -> String {
    String::from_utf8_lossy(&Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext").stdout).into()
}

#[test]
fn scans_under_a_stamped_line_are_read_by_ocr() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let stamps = [
        "Case 1:23-cv-01234 Document 12 Filed 01/02/23 Page 1 of 2",
        "Case 1:23-cv-01234 Document 12 Filed 01/02/23 Page 2 of 2",
    ];
    let scan = stamped_scan("NOTICE OF BREACH\nThe licensee owes Zanzibarite fees.", &stamps).expect("a scan");
    let path = write(fx.dir.path(), "filing.pdf", &scan);
    let layer = text_layer(&path);
    assert!(
        layer.contains("Filed 01/02/23 Page 2 of 2") && !layer.contains("licensee"),
        "each page's text layer is its stamp alone: {layer:?}"
    );
    let e =
        evidence::add_file(&mut fx.store, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add");
    let mut told = Vec::new();
    let e = evidence::read_text(&mut fx.store, &e.id, &mut |done, total| {
        told.push((done, total));
        true
    })
    .expect("read");
    let t = e.text.expect("text state");
    assert_eq!((t.state, t.method, t.pages), (TextState::Done, Some(TextMethod::Ocr), 2), "{}", t.error);
    assert_eq!(told, [(1, 2), (2, 2)], "both pages are read by OCR");
    let page = evidence::text(fx.store.reader(), &e.id, Some(2)).expect("page 2");
    assert!(page[0].text.contains("Zanzibarite"), "{page:?}");
    assert!(found_on(&fx.store, "zanzibarite", &e.id).is_some(), "the scanned word is found");
}

#[test]
fn a_short_page_of_text_is_not_taken_for_a_scan() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    // Measured (a few words), but no picture under them.
    let pdf = text_pdf(&["Case 1:23-cv-01234 Document 12 Filed 01/02/23", "We demand an audit of the data."]);
    let path = write(fx.dir.path(), "short.pdf", &pdf);
    let e =
        evidence::add_file(&mut fx.store, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add");
    let e = evidence::read_text(&mut fx.store, &e.id, &mut |_, _| panic!("no page is sent to OCR")).expect("read");
    let t = e.text.expect("text state");
    assert_eq!((t.state, t.method, t.pages, t.error.as_str()), (TextState::Done, Some(TextMethod::Pdf), 2, ""));
}

#[test]
fn word_and_opendocument_files_are_read() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let word = add_and_read(
        &mut fx.store,
        &write(fx.dir.path(), "contract.docx", &docx("Clause one.", "Clause two: Plumbiferous.")),
    );
    let t = word.text.expect("text");
    assert_eq!((t.state, t.method, t.pages), (TextState::Done, Some(TextMethod::Docx), 2), "{}", t.error);
    assert_eq!(found_on(&fx.store, "plumbiferous", &word.id), Some(Some(2)));

    let content = br#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h>Memo</text:h><text:p>Ship the <text:span>Glockenspielish</text:span> R&amp;D files<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>As agreed.</text:p></text:note-body></text:note> before Friday.<office:annotation><text:p>Internal remark.</text:p></office:annotation></text:p></office:text></office:body></office:document-content>"#;
    let odt = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content)]);
    let memo = add_and_read(&mut fx.store, &write(fx.dir.path(), "memo.odt", &odt));
    assert_eq!(memo.text.as_ref().map(|t| t.method), Some(Some(TextMethod::Odt)));
    let page = evidence::text(fx.store.reader(), &memo.id, None).expect("text");
    let text = &page[0].text;
    assert!(text.contains("Ship the Glockenspielish R&D files1"), "{page:?}");
    assert!(
        text.contains("As agreed.") && text.contains("before Friday."),
        "a footnote does not end its paragraph: {text:?}"
    );
    assert!(!text.contains("Internal remark"), "comments are left out: {text:?}");
    assert!(found_on(&fx.store, "glockenspielish", &memo.id).is_some());
}

/// An OpenDocument text as LibreOffice writes it: each part's sizes and checksum in a data descriptor
/// after its data (the archive written as a stream), not in its local header.
fn odt(text: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text><text:p>{text}</text:p>\
         </office:text></office:body></office:document-content>"
    );
    let mut zip = zip::ZipWriter::new_stream(Vec::new());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).expect("mimetype");
    zip.write_all(b"application/vnd.oasis.opendocument.text").expect("mimetype");
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, xml) in [("content.xml", content.as_str()), ("styles.xml", "<office:document-styles/>")] {
        zip.start_file(name, deflated).expect("a part");
        zip.write_all(xml.as_bytes()).expect("a part");
    }
    zip.finish().expect("finish the zip").into_inner()
}

/// Where `name`'s local header starts in `zip`.
fn local_header(zip: &[u8], name: &str) -> usize {
    (0..zip.len())
        .find(|&at| zip[at..].starts_with(b"PK\x03\x04") && zip[at + 30..].starts_with(name.as_bytes()))
        .expect("a local header")
}

/// `zip` cut in the middle of its central directory: the directory's end and its last entries are
/// gone, as in a download cut short.
fn without_directory_end(zip: &[u8]) -> Vec<u8> {
    let directory = (0..zip.len()).find(|&at| zip[at..].starts_with(b"PK\x01\x02")).expect("a central directory");
    let cut = zip[..directory + (zip.len() - directory) / 2].to_vec();
    assert!(zip::ZipArchive::new(std::io::Cursor::new(&cut)).is_err(), "the zip crate refuses the archive cut");
    cut
}

#[test]
fn word_and_opendocument_files_cut_in_their_directory_are_read() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let word = without_directory_end(&docx("Clause one.", "Clause two: Plumbiferous."));
    let lo = odt("Ship the Glockenspielish files.");
    let flags = local_header(&lo, "content.xml") + 6;
    assert_eq!(lo[flags] & 8, 8, "the sizes of content.xml follow its data, as LibreOffice writes them");
    // Nothing but Dossier reads them: no Python, no LibreOffice.
    for (name, bytes, method, word) in [
        ("cut.docx", word, TextMethod::Docx, "plumbiferous"),
        ("cut.odt", without_directory_end(&lo), TextMethod::Odt, "glockenspielish"),
    ] {
        let e = add_and_read(&mut fx.store, &write(fx.dir.path(), name, &bytes));
        let t = e.text.expect("text state");
        assert_eq!((t.state, t.method, t.error.as_str()), (TextState::Done, Some(method), ""), "{name}");
        assert!(found_on(&fx.store, word, &e.id).is_some(), "{name}: its words are found");
    }
}

#[test]
fn a_zip_broken_past_its_directory_says_why_in_one_line() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let word = docx("Clause one.", "Clause two: Plumbiferous.");
    let inside = local_header(&word, "word/document.xml") + 30 + "word/document.xml".len() + 40;
    let lo = odt("Ship the Glockenspielish files.");
    let inside_lo = local_header(&lo, "content.xml") + 30 + "content.xml".len() + 40;
    let bomb = without_directory_end(&zip_of(&[("word/document.xml", &vec![b' '; 80 << 20])]));
    for (name, bytes, why) in [
        (
            "cut.docx",
            word[..inside].to_vec(),
            "the file could not be read: its zip archive is cut short inside word/document.xml",
        ),
        (
            "cut.odt",
            lo[..inside_lo].to_vec(),
            "the file could not be read: its zip archive is cut short inside content.xml",
        ),
        ("bomb.docx", bomb, "word/document.xml inflates to more than 64 MiB"),
        ("noise.docx", b"PK\x05\x06 not a zip at all".to_vec(), "the file could not be read: not a zip archive ("),
    ] {
        let e = add_and_read(&mut fx.store, &write(fx.dir.path(), name, &bytes));
        let t = e.text.expect("text state");
        assert_eq!(t.state, TextState::Failed, "{name}");
        assert!(t.error.contains(why) && !t.error.contains('\n'), "{name}: {:?}", t.error);
    }
}

#[test]
fn a_file_that_cannot_be_read_keeps_its_evidence_and_says_why() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    // Not a PDF at all; a zip bomb (its text inflates past the limit); a picture claiming to be huge.
    let bomb = zip_of(&[("word/document.xml", &vec![b' '; 80 << 20])]);
    let mut huge_png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    huge_png.extend_from_slice(&[0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8, 0, 0, 0, 0]);
    for (name, bytes, why) in [
        ("broken.pdf", b"%PDF-1.4 this is not a PDF".to_vec(), "pdftotext"),
        ("bomb.docx", bomb, "inflates to more than 64 MiB"),
        ("huge.png", huge_png, "tesseract"),
    ] {
        let e = add_and_read(&mut fx.store, &write(fx.dir.path(), name, &bytes));
        let t = e.text.expect("text state");
        assert_eq!(t.state, TextState::Failed, "{name}");
        assert!(t.error.contains(why), "{name}: {}", t.error);
        evidence::get(fx.store.reader(), &e.id).expect("the evidence is kept");
    }
    fx.store.verify_change_log().expect("reading text leaves the log as it was");
}

#[test]
fn a_reading_can_be_stopped_and_the_file_stays_waiting() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path = write(fx.dir.path(), "scan.pdf", &scanned_pdf("Stopped").expect("a scan"));
    let e =
        evidence::add_file(&mut fx.store, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add");
    let err = evidence::read_text(&mut fx.store, &e.id, &mut |_, _| false).expect_err("stopped");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(evidence::waiting(fx.store.reader()).expect("waiting"), vec![e.id.clone()]);
    let job = evidence::reading(&fx.store, &e.id).expect("a job");
    assert!(job.is_readable());
    assert_eq!(text::pending(fx.store.reader()).expect("pending").len(), 1);
}

#[test]
fn a_cited_passage_keeps_its_page_and_words_through_a_bundle() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let ev = add_and_read(
        &mut fx.store,
        &write(fx.dir.path(), "letter.pdf", &text_pdf(&["One.", "We demand an audit of the data."])),
    );
    let claim = event(&mut fx.store, "c", "Twitter demands an audit", "2023-04");
    let quote = QuoteInput {
        page: Some(2),
        exact: "demand an\n audit".into(),
        prefix: "We ".into(),
        suffix: " of the data.".into(),
    };
    let link = evidence::link(
        &mut fx.store,
        &LinkInput {
            evidence: ev.id.clone(),
            record: claim.id.clone(),
            quote: Some(quote.clone()),
            ..Default::default()
        },
    )
    .expect("cite the passage");
    assert_eq!(link.pinpoint, "p. 2, “demand an audit”", "the pinpoint is made from the page and the words");
    let kept = link.quote.expect("the quote");
    assert_eq!((kept.page, kept.exact.as_str(), kept.prefix.as_str()), (Some(2), "demand an audit", "We"));

    let too_far = QuoteInput { page: Some(9), ..quote };
    let err = evidence::link(
        &mut fx.store,
        &LinkInput { evidence: ev.id.clone(), record: claim.id.clone(), quote: Some(too_far), ..Default::default() },
    )
    .expect_err("page 9 does not exist");
    assert!(err.to_string().contains("page 9 is not among the 2 pages"), "{err}");

    // Words quoted from a hostile page are text in the report, never markup. (A web page's text is
    // not read, so its quote is kept unchecked: a PDF's would have to hold the words.)
    let page = web_page(&mut fx.store);
    let hostile =
        QuoteInput { page: Some(2), exact: "<script>alert(1)</script> of the data".into(), ..Default::default() };
    evidence::link(
        &mut fx.store,
        &LinkInput { evidence: page, record: claim.id.clone(), quote: Some(hostile), ..Default::default() },
    )
    .expect("cite markup");
    let json = bundle::export_json(fx.store.reader(), "c", bundle::Contents::ALL).expect("export");
    assert!(json.contains("\"exact\": \"demand an audit\""), "the bundle carries the quote");
    let html = export::html(fx.store.reader(), "c", Lang::En, "2026-11-29", &ReportOptions::default()).expect("html");
    assert!(
        html.contains("<blockquote class=\"quote\">“demand an audit” <span class=\"page\">(p. 2)</span></blockquote>"),
        "the report quotes the passage with its page"
    );
    assert!(html.contains("“&lt;script&gt;alert(1)&lt;/script&gt; of the data”") && !html.contains("<script>"));
    let report = dossier_core::care::check::check(&fx.store, None).expect("check");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn the_viewer_is_given_pdfs_and_pictures_only_as_what_they_are() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let add = |store: &mut Store, path: PathBuf| {
        evidence::add_file(store, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add").id
    };
    let pdf = text_pdf(&["Shown."]);
    let good = add(&mut fx.store, write(fx.dir.path(), "good.pdf", &pdf));
    let (media, bytes) = evidence::for_viewer(&fx.store, &good).expect("a PDF is shown");
    assert_eq!((media.as_str(), bytes), ("application/pdf", pdf));
    let posing = add(&mut fx.store, write(fx.dir.path(), "posing.pdf", b"<html><script>alert(1)</script></html>"));
    let err = evidence::for_viewer(&fx.store, &posing).expect_err("HTML named .pdf");
    assert!(err.to_string().contains("its content is not the application/pdf its name says"), "{err}");
    let page = add(&mut fx.store, write(fx.dir.path(), "page.html", b"<p>hi</p>"));
    let err = evidence::for_viewer(&fx.store, &page).expect_err("HTML is shown by its text");
    assert!(err.to_string().contains("text/html files are shown by their text"), "{err}");
}

#[test]
fn two_passages_of_a_page_are_two_citations_and_a_note_keeps_the_quote() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let text = "The fee is due under clause four today. The fee is due under clause four tomorrow.";
    let ev = add_and_read(&mut fx.store, &write(fx.dir.path(), "memo.pdf", &text_pdf(&[text])));
    let claim = event(&mut fx.store, "c", "Fee unpaid", "2023");
    let cite = |store: &mut Store, exact: &str, note: &str| {
        let quote = QuoteInput { page: Some(1), exact: exact.into(), ..Default::default() };
        let input = LinkInput {
            evidence: ev.id.clone(),
            record: claim.id.clone(),
            note: note.into(),
            quote: Some(quote),
            ..Default::default()
        };
        evidence::link(store, &input).expect("cite")
    };
    let first = cite(&mut fx.store, "The fee is due under clause four today.", "");
    let second = cite(&mut fx.store, "The fee is due under clause four tomorrow.", "");
    assert_eq!(first.pinpoint, "p. 1, “The fee is due under clause…”");
    assert_eq!(second.pinpoint, "p. 1, “The fee is due under clause…” (2)", "same first words, a pinpoint of its own");
    let same = cite(&mut fx.store, "The fee is due under clause four today.", "again");
    assert_eq!(same.pinpoint, first.pinpoint, "the same passage again is the same citation");
    let long = QuoteInput { exact: "x".repeat(1_500), ..Default::default() };
    let page = web_page(&mut fx.store);
    let input = LinkInput { evidence: page, record: claim.id.clone(), quote: Some(long), ..Default::default() };
    let unspaced = evidence::link(&mut fx.store, &input).expect("cite");
    assert!(unspaced.pinpoint.chars().count() < 80, "a pinpoint stays a short line: {}", unspaced.pinpoint);
    // A note given again without the quote keeps the quote.
    let note = LinkInput {
        evidence: ev.id.clone(),
        record: claim.id.clone(),
        pinpoint: first.pinpoint.clone(),
        note: "changed".into(),
        ..Default::default()
    };
    let kept = evidence::link(&mut fx.store, &note).expect("note");
    let links = evidence::get(fx.store.reader(), &ev.id).expect("evidence").links;
    let again = links.iter().find(|l| l.pinpoint == kept.pinpoint).expect("the link");
    assert_eq!(
        (again.note.as_str(), again.quote.as_ref().map(|q| q.exact.as_str())),
        ("changed", Some("The fee is due under clause four today."))
    );
    assert_eq!(links.len(), 2);
}

/// A web page as evidence of case "c": its text is not read, so any words may be quoted from it.
fn web_page(store: &mut Store) -> String {
    let input = EvidenceInput {
        case: "c".into(),
        kind: "url".into(),
        title: "A web page".into(),
        url: "https://example.org/page".into(),
        ..Default::default()
    };
    evidence::create(store, &input).expect("a web page").id
}

#[test]
fn a_long_document_does_not_crowd_other_records_out_of_search() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let pages: Vec<&str> = (0..300).map(|_| "The audit of the data, again.").collect();
    add_and_read(&mut fx.store, &write(fx.dir.path(), "long.pdf", &text_pdf(&pages)));
    // The events say it once in a long description: each ranks below any short page that says it.
    let minutes = format!("Minutes. {} The audit was discussed.", "The parties met and talked at length. ".repeat(40));
    let events: Vec<String> = (0..5)
        .map(|i| {
            let input = EventInput {
                case: "c".into(),
                title: format!("Meeting {i}"),
                description: minutes.clone(),
                date: "2023".into(),
                ..Default::default()
            };
            event_with(&mut fx.store, input).id
        })
        .collect();
    let hits = search(fx.store.reader(), "audit", None, 20).expect("search");
    for id in &events {
        assert!(hits.iter().any(|h| &h.record_id == id), "every record with the word is found: {}", hits.len());
    }
    assert_eq!(hits.len(), 6, "one hit per record");
}
