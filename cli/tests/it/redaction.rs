//! Issue 25's reviewer's checks of a redaction, as a user makes one (`dossier redact ID --find NAME`)
//! and as a reviewer checks it: for a text PDF, a scanned PDF, a PDF with a form field, annotations,
//! metadata, an outline and an earlier incremental save, and a Word document, the name is gone from
//! `pdftotext` of the copy and from every stream of the file once qpdf has decompressed them, the
//! Free Law Project's x-ray finds no bad redaction, the words not redacted are still found (by
//! pdftotext and by Dossier's search), and the original's SHA-256 is unchanged. Also: patterns
//! (an IBAN, an e-mail address) are found and redacted, and `--dry-run` writes nothing.

use std::path::Path;
use std::process::Command;

use crate::common::Db;

/// Runs `program` and returns its standard output; fails the test naming the program otherwise.
fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (scripts/setup.sh installs it): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Python of the PDF checkers' virtual environment (x-ray, PyMuPDF), which `scripts/setup.sh`
/// installs and `scripts/test` names.
fn python() -> String {
    std::env::var("DOSSIER_PDF_PYTHON").unwrap_or_else(|_| {
        panic!(
            "DOSSIER_PDF_PYTHON is not set: run the tests through scripts/test, or run scripts/setup.sh and export \
             DOSSIER_PDF_PYTHON=~/.cache/dossier/pdf-checkers/bin/python"
        )
    })
}

fn sha256(path: &str) -> String {
    tool("sha256sum", &[path]).split_whitespace().next().expect("a digest").to_string()
}

/// x-ray's report of the PDF named by the first argument, as JSON: `{}` when it finds no bad
/// redaction (its `inspect` is a coroutine since 0.4).
const XRAY: &str = "import sys, json, asyncio, xray; print(json.dumps(asyncio.run(xray.inspect(sys.argv[1]))))";

/// A case and the file at `path` added to it; the evidence's id.
fn added(db: &Db, path: &Path) -> String {
    db.ok(&["case", "add", "--slug", "acme", "--title", "Acme v Widget"]);
    db.ok(&["evidence", "add-file", "acme", path.to_str().expect("path")]).trim().to_string()
}

/// Redacts `name` from the evidence `original` with `--find`, then makes every check a reviewer
/// makes: `name`'s words are gone, `kept` is still found, the original is unchanged.
fn redacted_and_reviewed(db: &Db, original: &str, name: &str, kept: &str) -> String {
    let original_path = db.ok(&["evidence", "path", original]).trim().to_string();
    let recorded = db.json(&["evidence", "show", original])["sha256"].as_str().expect("a digest").to_string();
    assert_eq!(sha256(&original_path), recorded);
    let out = db.ok(&["redact", original, "--find", name]);
    let copy = out.lines().last().expect("the copy's id").trim().to_string();
    let path = db.ok(&["evidence", "path", &copy]).trim().to_string();

    let text = tool("pdftotext", &[&path, "-"]);
    for word in name.split(' ') {
        assert!(!text.to_lowercase().contains(&word.to_lowercase()), "pdftotext of the copy holds {word}: {text}");
    }
    assert!(text.contains(kept), "pdftotext of the copy lacks {kept}: {text}");
    assert!(text.contains("Redacted – personal data"), "{text}");

    let qdf = db.dir().join(format!("{copy}.qdf.pdf"));
    tool("qpdf", &["--qdf", "--object-streams=disable", &path, qdf.to_str().expect("path")]);
    let bytes = std::fs::read(&qdf).expect("the decompressed copy");
    for word in name.split(' ') {
        let utf16: Vec<u8> = word.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for needle in [word.as_bytes(), word.to_lowercase().as_bytes(), &utf16] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "a stream of the copy holds {word}");
        }
    }

    let xray = tool(&python(), &["-c", XRAY, &path]);
    assert_eq!(xray.trim(), "{}", "x-ray finds bad redactions in the copy");

    let hits = db.json(&["search", kept, "--case", "acme"]);
    let found = hits.as_array().expect("hits").iter().any(|h| h["record_id"] == copy.as_str());
    assert!(found, "Dossier's search finds the copy by '{kept}': {hits}");

    assert_eq!(sha256(&original_path), recorded, "the original's file is unchanged");
    copy
}

#[test]
fn a_name_found_in_a_text_pdf_is_redacted_for_the_reviewer() {
    let db = Db::new();
    let pdf = db.dir().join("offer.pdf");
    let text = "Settlement offered by Jane Roe to Acme.\nThe quarry tariff rose; jane roe signed.";
    std::fs::write(&pdf, dossier_core::generate::documents::text_pdf(&[text])).expect("write");
    let original = added(&db, &pdf);
    redacted_and_reviewed(&db, &original, "Jane Roe", "quarry");
}

#[test]
fn a_name_found_in_a_scanned_pdf_is_redacted_for_the_reviewer() {
    let db = Db::new();
    let pdf = db.dir().join("scan.pdf");
    let scan = dossier_core::generate::documents::scanned_pdf("NOTICE OF BREACH\nThe licensee Zanzibarite owes fees.")
        .expect("a scan");
    std::fs::write(&pdf, scan).expect("write");
    let original = added(&db, &pdf);
    // Bounded: past the OCR budget's pages a search is refused, never left partial.
    let out = db.command(&["redact", &original, "--find", "Zanzibarite"]).env("DOSSIER_OCR_PAGES", "0").output();
    let stderr = String::from_utf8_lossy(&out.expect("run dossier").stderr).into_owned();
    assert!(stderr.contains("more than the 0 one search reads by OCR"), "{stderr}");
    redacted_and_reviewed(&db, &original, "Zanzibarite", "NOTICE");
}

/// A PDF made with PyMuPDF holding the name in its page's text, a text field's value and appearance,
/// a FreeText and a Text annotation, its /Info, its XMP, its outline; then saved again incrementally
/// with a change, so the name is in an earlier revision too.
const FORM_PDF: &str = r#"
import sys, fitz
path = sys.argv[1]
doc = fitz.open()
page = doc.new_page(width=595, height=842)
page.insert_text((60, 80), "Settlement offered by Jane Roe to Acme.", fontsize=14)
page.insert_text((60, 110), "The quarry tariff rose by twelve percent.", fontsize=14)
field = fitz.Widget()
field.field_type = fitz.PDF_WIDGET_TYPE_TEXT
field.field_name = "signatory"
field.field_value = "Jane Roe"
field.rect = fitz.Rect(60, 200, 300, 222)
page.add_widget(field)
page.add_freetext_annot(fitz.Rect(60, 300, 300, 330), "Call Jane Roe")
page.add_text_annot((400, 300), "Jane Roe agreed")
doc.set_metadata({"author": "Jane Roe", "title": "Offer to Jane Roe"})
doc.set_xml_metadata('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Roe</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')
doc.set_toc([[1, "Offer of Jane Roe", 1]])
doc.save(path)
doc.close()
doc = fitz.open(path)
doc[0].insert_text((60, 140), "Amended after review.", fontsize=14)
doc.set_metadata({"author": "Jane Roe", "title": "Offer, amended"})
doc.saveIncr()
"#;

#[test]
fn a_name_redacted_from_a_pdf_with_a_form_annotations_and_history_is_gone_from_all_of_them() {
    let db = Db::new();
    let pdf = db.dir().join("form.pdf");
    tool(&python(), &["-c", FORM_PDF, pdf.to_str().expect("path")]);
    // The fixture holds the name where the checks look: its fields, annotations, metadata and
    // outline, and two revisions.
    let qdf = db.dir().join("form.qdf.pdf");
    tool("qpdf", &["--qdf", "--object-streams=disable", pdf.to_str().expect("path"), qdf.to_str().expect("path")]);
    let original_text = String::from_utf8_lossy(&std::fs::read(&qdf).expect("qdf")).into_owned();
    for part in ["/AcroForm", "/FreeText", "/Text", "/Outlines", "/Metadata", "dc:creator"] {
        assert!(original_text.contains(part), "the fixture has {part}");
    }
    let raw = std::fs::read(&pdf).expect("the fixture");
    assert_eq!(raw.windows(5).filter(|w| w == b"%%EOF").count(), 2, "an incremental save");

    let original = added(&db, &pdf);
    redacted_and_reviewed(&db, &original, "Jane Roe", "quarry");
}

/// Guards the checker: x-ray does report a black box drawn over text that is still there, so its `{}`
/// above means something.
#[test]
fn x_ray_reports_a_box_that_only_covers_its_text() {
    let db = Db::new();
    let pdf = db.dir().join("covered.pdf");
    let covered = r#"
import sys, fitz
doc = fitz.open()
page = doc.new_page(width=595, height=842)
page.insert_text((60, 80), "Settlement offered by Jane Roe to Acme.", fontsize=14)
page.draw_rect(fitz.Rect(150, 66, 240, 84), color=(0, 0, 0), fill=(0, 0, 0))
doc.save(sys.argv[1])
"#;
    tool(&python(), &["-c", covered, pdf.to_str().expect("path")]);
    let report = tool(&python(), &["-c", XRAY, pdf.to_str().expect("path")]);
    assert!(report.contains("Jane") || report.contains("Roe"), "x-ray reports the covered name: {report}");
}

#[test]
fn a_name_redacted_from_a_word_document_is_gone_from_its_rendered_copy() {
    let db = Db::new();
    let md =
        db.file("offer.md", "Settlement offered by Jane Roe to Acme.\n\nThe quarry tariff rose by twelve percent.\n");
    let docx = db.dir().join("offer.docx");
    tool("pandoc", &[&md, "-o", docx.to_str().expect("path")]);
    let original = added(&db, &docx);
    let copy = redacted_and_reviewed(&db, &original, "Jane Roe", "quarry");
    let shown = db.json(&["evidence", "show", &copy]);
    assert_eq!(shown["media_type"], "application/pdf");
    assert!(shown["note"].as_str().expect("a note").contains("PDF of the document's text"), "{shown}");

    let txt = db.file("note.txt", "Jane Roe");
    let other = db.ok(&["evidence", "add-file", "acme", &txt]).trim().to_string();
    let (code, stderr) = db.err(&["redact", &other, "--find", "Jane"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot be redacted: only a PDF, a picture, a Word or OpenDocument text or an e-mail file is"),
        "{stderr}"
    );
}

#[test]
fn patterns_are_found_listed_by_a_dry_run_and_redacted() {
    let db = Db::new();
    let pdf = db.dir().join("bank.pdf");
    let text = "Pay to FR76 3000 6000 0112 3456 7890 189 before May.\nWrite to jane.roe@acme.example for the receipt.\nReference FR76 3000 6000 0112 3456 7890 188 is void.";
    std::fs::write(&pdf, dossier_core::generate::documents::text_pdf(&[text])).expect("write");
    let original = added(&db, &pdf);

    let before = db.writes();
    let listed = db.json(&["redact", &original, "--pattern", "iban", "--pattern", "email", "--dry-run"]);
    let hits = listed.as_array().expect("hits");
    let texts: Vec<&str> = hits.iter().map(|h| h["text"].as_str().expect("text")).collect();
    assert_eq!(texts, ["FR76 3000 6000 0112 3456 7890 189", "jane.roe@acme.example"], "{listed}");
    assert!(hits.iter().all(|h| h["page"] == 1 && h["width"].as_f64().is_some_and(|w| w > 0.0)));
    let said = db.ok(&["--lang", "fr", "redact", &original, "--pattern", "iban", "--dry-run"]);
    assert!(said.trim_end().ends_with("1 endroit(s) trouvé(s) ; rien n'a été écrit"), "{said}");
    assert_eq!(db.writes(), before, "a dry run writes nothing");

    let (code, stderr) = db.err(&["redact", &original, "--pattern", "ssn"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nothing was found for 'ssn'"), "{stderr}");
    let (_, stderr) = db.err(&["redact", &original, "--pattern", "passport"]);
    assert!(stderr.contains("'passport' is not a pattern"), "{stderr}");
    let (_, stderr) = db.err(&["redact", &original, "--find", " -- "]);
    assert!(stderr.contains("has no word to look for"), "{stderr}");
    assert_eq!(db.writes(), before, "nothing written");

    let (_, stderr) = db.err(&["redact", &original, "--pattern", "iban", "--reason", "other"]);
    assert!(stderr.contains("says which"), "{stderr}");
    assert_eq!(db.writes(), before, "nothing written");
    let out = db.ok(&["redact", &original, "--pattern", "iban", "--pattern", "email", "--reason", "third_party"]);
    let copy = out.lines().last().expect("the copy").trim().to_string();
    let path = db.ok(&["evidence", "path", &copy]).trim().to_string();
    let text = tool("pdftotext", &[&path, "-"]);
    // pdftotext joins the fixture's groups of digits into one word.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(!compact.contains("67890189") && !text.contains("jane.roe"), "{text}");
    assert!(compact.contains("FR7630006000011234567890188") && text.contains("receipt"), "the void one stays: {text}");
    assert!(text.contains("Redacted – third party"), "{text}");
}

#[test]
fn a_party_is_redacted_by_its_name_and_aliases() {
    let db = Db::new();
    let pdf = db.dir().join("memo.pdf");
    let text = "Memo from Jane Roe.\nJ. Roe wrote to jroe@acme.example about the quarry.";
    std::fs::write(&pdf, dossier_core::generate::documents::text_pdf(&[text])).expect("write");
    let original = added(&db, &pdf);
    db.ok(&[
        "party",
        "add",
        "--name",
        "Jane Roe",
        "--kind",
        "person",
        "--alias",
        "J. Roe",
        "--alias",
        "jroe@acme.example",
    ]);

    let listed = db.ok(&["redact", &original, "--party", "Jane Roe", "--dry-run"]);
    assert_eq!(listed.lines().filter(|l| l.starts_with("1:")).count(), 3, "{listed}");
    let out = db.ok(&["redact", &original, "--party", "Jane Roe"]);
    let copy = out.lines().last().expect("the copy").trim().to_string();
    let path = db.ok(&["evidence", "path", &copy]);
    let text = tool("pdftotext", &[path.trim(), "-"]);
    assert!(!text.contains("Roe") && !text.contains("jroe"), "{text}");
    assert!(text.contains("Memo from") && text.contains("quarry"), "{text}");
}
