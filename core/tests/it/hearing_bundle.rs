//! The hearing bundle (issue 25, item 4), read back as a judge's clerk would check it: with pypdf
//! (its pages, the index's links, the bookmarks, the page labels) and Poppler (each page's text: its
//! printed number, and the words of a scanned page, found through OCR).

use std::path::Path;

use dossier_core::generate::documents::{scanned_pdf, text_pdf};
use dossier_core::record::evidence::{self, Evidence, FileInput};
use dossier_core::record::privilege::{self, PrivilegeInput};
use dossier_core::store::Store;
use dossier_core::transfer::produce::hearing::{self, HearingInput, SectionInput};
use dossier_core::transfer::progress::unwatched;
use serde_json::Value;

use crate::common::*;

fn add(s: &mut Store, dir: &Path, name: &str, bytes: &[u8]) -> Evidence {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    evidence::add_file(s, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add")
}

/// What pypdf reads of the PDF at `path`: its page count, each link's page and target page (from 0),
/// the bookmarks as a tree, and the page labels.
fn structure(path: &Path) -> Value {
    let python = std::env::var("DOSSIER_PDF_PYTHON")
        .expect("DOSSIER_PDF_PYTHON names the Python with pypdf (scripts/test sets it: see need_pdf_checkers)");
    let script = r#"
import sys, json
from pypdf import PdfReader
r = PdfReader(sys.argv[1])
number = {p.indirect_reference.idnum: i for i, p in enumerate(r.pages)}
links = []
for i, p in enumerate(r.pages):
    for a in p.get("/Annots") or []:
        a = a.get_object()
        if a.get("/Subtype") == "/Link" and "/Dest" in a:
            links.append([i, number[a["/Dest"][0].idnum]])
def walk(items):
    out = []
    for it in items:
        if isinstance(it, list):
            out[-1]["children"] = walk(it)
        else:
            out.append({"title": it.title, "page": r.get_destination_page_number(it), "children": []})
    return out
print(json.dumps({"pages": len(r.pages), "links": links, "outline": walk(r.outline), "labels": list(r.page_labels)}))
"#;
    let out = std::process::Command::new(python).args(["-c", script, &path.to_string_lossy()]).output().expect("pypdf");
    assert!(out.status.success(), "pypdf: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_bundle_of_three_sections_links_bookmarks_and_numbers_every_page() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let dir = fx.dir.path().to_path_buf();
    let mut docs = Vec::new();
    for k in 1..=9 {
        let pages: Vec<String> =
            (1..=1 + k % 3).map(|p| format!("Exhibit {k} page {p}\nThe quarry licence.")).collect();
        let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
        docs.push(add(&mut fx.store, &dir, &format!("exhibit{k}.pdf"), &text_pdf(&pages)));
    }
    docs.push(add(&mut fx.store, &dir, "scan.pdf", &scanned_pdf("Scanned tariff notice").expect("scan")));
    let advice = add(&mut fx.store, &dir, "advice.pdf", &text_pdf(&["Counsel advises settling"]));
    privilege::set(
        &mut fx.store,
        &advice.id,
        Some(&PrivilegeInput { basis: "work_product".into(), description: "Notes".into() }),
    )
    .expect("privileged");

    let ids = |range: std::ops::Range<usize>| docs[range].iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    let mut correspondence = ids(3..7);
    correspondence.push(advice.id.clone());
    let input = HearingInput {
        case: "c".into(),
        sections: vec![
            SectionInput { title: "Statements of case".into(), evidence: ids(0..3) },
            SectionInput { title: "Correspondence".into(), evidence: correspondence },
            SectionInput { title: "Documents".into(), evidence: ids(7..10) },
        ],
        lang: "en".into(),
    };
    let path = dir.join("bundle.pdf");
    let made = hearing::write(&fx.store, &input, &path, &unwatched).expect("bundle");
    assert_eq!(made.withheld, ["advice.pdf"]);
    tool("qpdf", &["--check", &path.to_string_lossy()]);

    let read = structure(&path);
    let texts: Vec<String> = {
        let all = tool("pdftotext", &["-layout", &path.to_string_lossy(), "-"]);
        all.split('\u{c}').map(String::from).collect()
    };
    // The pages: the index, then every document's pages; their sum is the count.
    let document_pages: u32 = made.sections.iter().flat_map(|s| &s.documents).map(|d| d.pages).sum();
    let first = made.sections[0].documents[0].first_page;
    assert_eq!(read["pages"].as_u64(), Some(u64::from(first - 1 + document_pages)));
    assert_eq!(made.pages as u64, read["pages"].as_u64().expect("pages"));
    assert_eq!(made.sections.iter().map(|s| s.documents.len()).sum::<usize>(), 10);

    // Every page shows its own number, from 1, at its foot; the labels say the same.
    for (i, text) in texts.iter().take(made.pages as usize).enumerate() {
        let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        assert_eq!(last, (i + 1).to_string(), "page {}: {text}", i + 1);
    }
    let labels: Vec<String> = (1..=made.pages).map(|n| n.to_string()).collect();
    assert_eq!(read["labels"], serde_json::json!(labels));

    // The index's links: per section its first document's page, then each document's; each lands on
    // the page where that document begins.
    let mut expected = Vec::new();
    for s in &made.sections {
        expected.push(s.documents[0].first_page - 1);
        expected.extend(s.documents.iter().map(|d| d.first_page - 1));
    }
    let links: Vec<u64> =
        read["links"].as_array().expect("links").iter().map(|l| l[1].as_u64().expect("page")).collect();
    assert_eq!(links, expected.iter().map(|p| u64::from(*p)).collect::<Vec<_>>());
    assert!(read["links"].as_array().expect("links").iter().all(|l| l[0].as_u64() < Some(u64::from(first - 1))));
    for d in made.sections.iter().flat_map(|s| &s.documents) {
        let page = &texts[(d.first_page - 1) as usize];
        let k = docs.iter().position(|e| e.id == d.evidence_id).expect("a document") + 1;
        let marker = if k == 10 { "tariff".to_string() } else { format!("Exhibit {k} page 1") };
        assert!(page.contains(&marker), "{} begins on page {}: {page}", d.title, d.first_page);
    }

    // One bookmark per section, one per document under it, each opening its first page.
    let outline = read["outline"].as_array().expect("outline");
    assert_eq!(outline.len(), 3);
    for (s, mark) in made.sections.iter().zip(outline) {
        assert_eq!(mark["title"], format!("{}  {}", s.tab, s.title));
        let children = mark["children"].as_array().expect("children");
        assert_eq!(children.len(), s.documents.len());
        for (d, child) in s.documents.iter().zip(children) {
            assert_eq!(child["page"].as_u64(), Some(u64::from(d.first_page - 1)));
        }
    }

    // The scan is searchable in the bundle: OCR's words lie over its page.
    let scan = made.sections[2].documents.iter().find(|d| d.evidence_id == docs[9].id).expect("the scan");
    let text = &texts[(scan.first_page - 1) as usize];
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(words.contains(&"Scanned") && words.contains(&"tariff"), "each word apart: {text}");
    // The privileged advice is nowhere in it.
    assert!(!texts.iter().any(|t| t.contains("settling")));
}

#[test]
fn a_bundle_refuses_an_empty_section_and_a_document_of_another_case() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    case(&mut fx.store, "other");
    let dir = fx.dir.path().to_path_buf();
    let a = add(&mut fx.store, &dir, "a.pdf", &text_pdf(&["A"]));
    let path = dir.join("b.pdf");
    let with = |sections: Vec<SectionInput>| HearingInput { case: "other".into(), sections, lang: "fr".into() };
    let empty = SectionInput { title: "Vide".into(), evidence: vec![] };
    says(
        &hearing::write(&fx.store, &with(vec![empty]), &path, &unwatched).expect_err("empty"),
        &["Vide", "no document"],
    );
    let elsewhere = SectionInput { title: "Pièces".into(), evidence: vec![a.id.clone()] };
    says(&hearing::write(&fx.store, &with(vec![elsewhere]), &path, &unwatched).expect_err("other case"), &[&a.id]);
    assert!(!path.exists());

    // In French, with every document of the case by default: a Word file shown by its text.
    let (md, docx) = (dir.join("m.md"), dir.join("memo.docx"));
    std::fs::write(&md, "Mémoire sur la redevance de la carrière.").expect("write");
    tool("pandoc", &[&md.to_string_lossy(), "-o", &docx.to_string_lossy()]);
    let memo = add(&mut fx.store, &dir, "memo.docx", &std::fs::read(&docx).expect("docx"));
    evidence::read_text(&mut fx.store, &memo.id, &mut |_, _| true).expect("read");
    let fr = HearingInput { case: "c".into(), sections: vec![], lang: "fr".into() };
    let made = hearing::write(&fx.store, &fr, &path, &unwatched).expect("bundle");
    assert_eq!((made.pages, made.sections[0].title.as_str()), (3, "Pièces"));
    let index = tool("pdftotext", &["-f", "1", "-l", "1", &path.to_string_lossy(), "-"]);
    assert!(index.contains("Dossier de plaidoirie") && index.contains("A1") && index.contains("A2"), "{index}");
    let memo_page = made.sections[0].documents.iter().find(|d| d.evidence_id == memo.id).expect("the memo").first_page;
    let page = memo_page.to_string();
    let text = tool("pdftotext", &["-f", &page, "-l", &page, &path.to_string_lossy(), "-"]);
    assert!(text.contains("redevance de la carrière") && text.contains("mis en page par Dossier"), "{text}");
}
