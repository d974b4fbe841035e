//! Redaction (issue 25, item 1, boxes on PDFs): what lies under a box is gone from the copy — from its
//! text layer and its drawing, checked with Poppler's `pdftotext` and by searching every stream of
//! the file once qpdf has decompressed them — the copy is still searchable for the other words, the
//! original's file is unchanged, and the boxes are kept for the redaction log.

use std::path::Path;

use dossier_core::generate::documents::{scanned_pdf, text_pdf};
use dossier_core::record::evidence::redact::{self, BoxInput, RedactInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::store::Store;
use dossier_core::vocabulary::RedactionReason;
use sha2::{Digest, Sha256};

use crate::common::*;

/// The box of `phrase` on page 1 of the PDF at `path`, as a reviewer finds it with `pdftotext -bbox`.
fn box_of(path: &Path, phrase: &str) -> BoxInput {
    let xhtml = tool("pdftotext", &["-bbox", &path.to_string_lossy(), "-"]);
    let words: Vec<&str> = phrase.split(' ').collect();
    let mut found = Vec::new();
    for line in xhtml.lines().filter(|l| l.contains("<word")) {
        let text = line.split('>').nth(1).and_then(|t| t.split('<').next()).unwrap_or("");
        if words.contains(&text) {
            let n = |key: &str| -> f64 {
                line.split(&format!("{key}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .and_then(|v| v.parse().ok())
                    .expect("a coordinate")
            };
            found.push((n("xMin"), n("yMin"), n("xMax"), n("yMax")));
        }
    }
    assert_eq!(found.len(), words.len(), "{phrase} in {xhtml}");
    let x0 = found.iter().map(|f| f.0).fold(f64::MAX, f64::min);
    let y0 = found.iter().map(|f| f.1).fold(f64::MAX, f64::min);
    let x1 = found.iter().map(|f| f.2).fold(f64::MIN, f64::max);
    let y1 = found.iter().map(|f| f.3).fold(f64::MIN, f64::max);
    BoxInput { page: 1, x: x0 - 1.0, y: y0 - 1.0, width: x1 - x0 + 2.0, height: y1 - y0 + 2.0, ..Default::default() }
}

fn added(s: &mut Store, dir: &Path, name: &str, bytes: &[u8]) -> (evidence::Evidence, std::path::PathBuf) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    let e =
        evidence::add_file(s, &FileInput { case: "c".into(), path: path.clone(), ..Default::default() }).expect("add");
    (e, path)
}

/// Every stream of the PDF at `path`, decompressed by qpdf, as text.
fn decompressed(path: &Path, dir: &Path) -> String {
    let out = dir.join("qdf.pdf");
    tool("qpdf", &["--qdf", "--object-streams=disable", &path.to_string_lossy(), &out.to_string_lossy()]);
    String::from_utf8_lossy(&std::fs::read(out).expect("qdf")).into_owned()
}

#[test]
fn a_name_redacted_from_a_text_pdf_is_gone_and_the_rest_still_found() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let pdf = text_pdf(&["Settlement offered by Jane Roe to Acme.\nThe quarry tariff rose by twelve percent."]);
    let (original, path) = added(&mut fx.store, fx.dir.path(), "offer.pdf", &pdf);
    let before = std::fs::read(stored_file(&fx.store, original.sha256.as_deref().expect("a file"))).expect("blob");

    let input =
        RedactInput { evidence: original.id.clone(), boxes: vec![box_of(&path, "Jane Roe")], lang: "en".into() };
    let copy = redact::redact(&mut fx.store, &input).expect("redact");
    assert_eq!(copy.title, "offer.pdf (redacted)");
    let copy_path = stored_file(&fx.store, copy.sha256.as_deref().expect("a file"));

    let text = tool("pdftotext", &[&copy_path.to_string_lossy(), "-"]);
    assert!(!text.contains("Jane") && !text.contains("Roe"), "{text}");
    for kept in ["Settlement", "Acme.", "quarry", "twelve", "Redacted – personal data"] {
        assert!(text.contains(kept), "{kept} in {text}");
    }
    tool("qpdf", &["--check", &copy_path.to_string_lossy()]);
    let streams = decompressed(&copy_path, fx.dir.path());
    assert!(!streams.contains("Jane") && !streams.contains("Roe"), "no stream of the copy holds the name");
    assert!(!streams.contains("/Annots") && !streams.contains("/Metadata") && !streams.contains("/Outlines"));

    assert_eq!(std::fs::read(stored_file(&fx.store, original.sha256.as_deref().expect("file"))).expect("blob"), before);
    assert_eq!(
        format!("{:x}", Sha256::digest(&before)),
        original.sha256.clone().expect("sha"),
        "the original is unchanged"
    );
    let kept = redact::of(fx.store.reader(), &copy.id).expect("read").expect("a redaction");
    assert_eq!((kept.original_id.as_str(), kept.boxes.len()), (original.id.as_str(), 1));
    assert_eq!(kept.boxes[0].reason, RedactionReason::PersonalData);
    let refused = evidence::delete(&mut fx.store, &original.id).expect_err("the original has a copy");
    assert!(refused.to_string().contains("redaction"), "{refused}");
}

#[test]
fn a_scanned_page_is_redacted_in_its_picture_and_read_again_by_ocr() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let scan = scanned_pdf("NOTICE OF BREACH\nThe licensee owes Zanzibarite fees.").expect("a scan");
    let (original, _) = added(&mut fx.store, fx.dir.path(), "scan.pdf", &scan);
    // The scan's second line, drawn from the text page at 60 pt from the left and 780 pt from the
    // bottom, 18 pt a line, in 14 pt type: its words from x 60 and y 80 (from the top) downwards.
    let line = BoxInput {
        page: 1,
        x: 55.0,
        y: 78.0,
        width: 400.0,
        height: 22.0,
        reason: "third_party".into(),
        ..Default::default()
    };
    let input = RedactInput { evidence: original.id.clone(), boxes: vec![line], lang: "fr".into() };
    let copy = redact::redact(&mut fx.store, &input).expect("redact");
    assert_eq!(copy.title, "scan.pdf (occulté)");
    let copy_path = stored_file(&fx.store, copy.sha256.as_deref().expect("a file"));
    let text = tool("pdftotext", &[&copy_path.to_string_lossy(), "-"]);
    assert!(!text.contains("Zanzibarite") && !text.contains("licensee"), "{text}");
    assert!(text.contains("NOTICE") && text.contains("Occulté – tiers"), "{text}");
}

#[test]
fn bad_boxes_and_other_files_are_refused_naming_the_problem() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let (pdf, _) = added(&mut fx.store, fx.dir.path(), "one.pdf", &text_pdf(&["One page."]));
    let (txt, _) = added(&mut fx.store, fx.dir.path(), "note.txt", b"not a pdf");
    let before = log_len(&fx.store);
    let refuse = |s: &mut Store, evidence: &str, boxes: Vec<BoxInput>| {
        redact::redact(s, &RedactInput { evidence: evidence.into(), boxes, lang: String::new() })
            .expect_err("refused")
            .to_string()
    };
    let b = |page: u32, width: f64, reason: &str| BoxInput {
        page,
        x: 10.0,
        y: 10.0,
        width,
        height: 10.0,
        reason: reason.into(),
        ..Default::default()
    };
    assert!(refuse(&mut fx.store, &txt.id, vec![b(1, 10.0, "")]).contains("cannot be redacted"));
    assert!(refuse(&mut fx.store, &pdf.id, vec![]).contains("boxes"));
    assert!(refuse(&mut fx.store, &pdf.id, vec![b(2, 10.0, "")]).contains("page 2 is past the end"));
    assert!(refuse(&mut fx.store, &pdf.id, vec![b(1, -5.0, "")]).contains("width and height above 0"));
    assert!(refuse(&mut fx.store, &pdf.id, vec![b(1, 10.0, "gossip")]).contains("gossip"));
    assert!(refuse(&mut fx.store, &pdf.id, vec![b(1, 10.0, "other")]).contains("says which"));
    assert_eq!(log_len(&fx.store), before, "nothing written");
}

#[test]
fn a_bundle_keeps_a_copy_with_its_original_and_boxes() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let (original, path) = added(&mut fx.store, fx.dir.path(), "offer.pdf", &text_pdf(&["Offer by Jane Roe today"]));
    let input =
        RedactInput { evidence: original.id.clone(), boxes: vec![box_of(&path, "Jane Roe")], lang: "en".into() };
    let copy = redact::redact(&mut fx.store, &input).expect("redact");
    let folder = fx.dir.path().join("bundle");
    std::fs::create_dir_all(&folder).expect("folder");
    let json = folder.join("c.json");
    dossier_core::transfer::bundle::export_with_files_to(
        &fx.store,
        "c",
        &json,
        dossier_core::transfer::bundle::Contents::ALL,
    )
    .expect("export");
    let mut other = fresh();
    let request = dossier_core::transfer::ImportRequest { path: json, ..Default::default() };
    dossier_core::transfer::import(&mut other.store, &request).expect("import");
    let kept = redact::of(other.store.reader(), &copy.id).expect("read").expect("still a redacted copy");
    assert_eq!(kept, redact::of(fx.store.reader(), &copy.id).expect("read").expect("the redaction"));
    assert_eq!(kept.original_id, original.id);
}

#[test]
fn the_redaction_log_lists_each_box_with_its_document_reason_and_maker() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let (original, path) = added(&mut fx.store, fx.dir.path(), "offer.pdf", &text_pdf(&["Offer by Jane Roe today"]));
    let mut boxed = box_of(&path, "Jane Roe");
    boxed.reason = "third_party".into();
    let input = RedactInput { evidence: original.id.clone(), boxes: vec![boxed], lang: "en".into() };
    redact::redact(&mut fx.store, &input).expect("redact");
    let log = dossier_core::transfer::export::redaction_log(
        fx.store.reader(),
        "c",
        dossier_core::date::Lang::Fr,
        "2026-12-07",
    )
    .expect("log");
    let csv = String::from_utf8(log.csv().expect("csv")).expect("utf-8");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Copie occultée,Document,Page,Bates,Motif,Note,Par,Date");
    assert!(lines[1].starts_with("offer.pdf (redacted),offer.pdf,1,,tiers,,"), "{csv}");
    assert!(lines[1].contains("(uid"), "who made it, as the change log names them: {csv}");
    assert!(!csv.contains("Jane"), "the log names no redacted word");
}
