//! Productions (issue 25, item 3): a volume of 20 documents — one privileged, one redacted, a Word
//! file and an e-mail among them — read back as the receiving side would: every page's Bates number
//! by reading the page's text, the `.dat` and `.opt` load files by parsing them, the privilege log;
//! and a second volume continuing the numbers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dossier_core::generate::documents::text_pdf;
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::redact::{self, BoxInput, RedactInput};
use dossier_core::record::evidence::{self, Evidence, FileInput, LinkInput};
use dossier_core::record::privilege::{self, PrivilegeInput};
use dossier_core::record::production;
use dossier_core::store::Store;
use dossier_core::transfer::produce::{self, ProduceInput, Selection};
use dossier_core::transfer::progress::unwatched;
use dossier_core::vocabulary::ProductionDisposition;

use crate::common::*;

fn add(s: &mut Store, dir: &Path, name: &str, bytes: &[u8], date: &str) -> Evidence {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    evidence::add_file(s, &FileInput { case: "c".into(), path, date: date.into(), ..Default::default() }).expect("add")
}

/// A Word document made by pandoc from `text`.
fn docx(dir: &Path, text: &str) -> Vec<u8> {
    let (md, out) = (dir.join("w.md"), dir.join("w.docx"));
    std::fs::write(&md, text).expect("write");
    tool("pandoc", &[&md.to_string_lossy(), "-o", &out.to_string_lossy()]);
    std::fs::read(out).expect("docx")
}

/// Each page's text of the PDF at `path`, by Poppler.
fn page_texts(path: &Path) -> Vec<String> {
    let text = tool("pdftotext", &["-layout", &path.to_string_lossy(), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(String::from).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The `.dat` as rows of field → value, as a review platform reads it: þ-quoted fields separated by
/// the character 20, a header row first.
fn read_dat(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("dat");
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let split = |l: &str| -> Vec<String> {
        l.split('\u{14}')
            .map(|f| f.strip_prefix('þ').and_then(|f| f.strip_suffix('þ')).expect("þ-quoted").to_string())
            .collect()
    };
    let header = split(lines.next().expect("a header"));
    lines.map(|l| header.iter().cloned().zip(split(l)).collect()).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

fn volume(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir).expect("out").map(|e| e.expect("entry").path()).find(|p| p.is_dir()).expect("a volume")
}

#[test]
fn a_volume_of_twenty_documents_is_numbered_without_gaps_and_its_load_files_read_back() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let dir = fx.dir.path().to_path_buf();
    let mut docs = Vec::new();
    for i in 1..=16 {
        let pages: Vec<String> =
            (1..=1 + i % 3).map(|p| format!("Exhibit {i} page {p}\nThe quarry tariff, item {i}.")).collect();
        let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
        docs.push(add(&mut fx.store, &dir, &format!("doc{i:02}.pdf"), &text_pdf(&pages), &format!("2023-03-{i:02}")));
    }
    let advice =
        add(&mut fx.store, &dir, "advice.pdf", &text_pdf(&["Counsel advises settling at forty"]), "2023-04-01");
    privilege::set(
        &mut fx.store,
        &advice.id,
        Some(&PrivilegeInput { basis: "legal_advice".into(), description: "Advice on the licence fee".into() }),
    )
    .expect("privileged");
    let offer_pdf = text_pdf(&["Offer made by Jane Roe to Acme.\nThe quarry fee stands."]);
    let offer = add(&mut fx.store, &dir, "offer.pdf", &offer_pdf, "2023-04-02");
    let boxed = BoxInput { page: 1, x: 140.0, y: 48.0, width: 80.0, height: 20.0, ..Default::default() };
    let copy = redact::redact(
        &mut fx.store,
        &RedactInput { evidence: offer.id.clone(), boxes: vec![boxed], lang: "en".into() },
    )
    .expect("redact");
    let word = add(&mut fx.store, &dir, "memo.docx", &docx(&dir, "A memo on the quarry."), "2023-04-03");
    let mail = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: Fee\r\nDate: Tue, 4 Apr 2023 10:00:00 +0000\r\n\r\nThe fee is due.\r\n";
    let mail = add(&mut fx.store, &dir, "fee.eml", mail, "2023-04-04");

    let out = dir.join("out");
    let input = ProduceInput {
        case: "c".into(),
        prefix: "ACME".into(),
        endorsement: "CONFIDENTIAL".into(),
        lang: "en".into(),
        ..Default::default()
    };
    let made = produce::produce(&mut fx.store, &input, &out, &unwatched).expect("produce");
    let p = &made.production;
    assert_eq!((p.volume.as_str(), p.first_number, p.documents.len()), ("VOL001", 1, 20));
    let folder = volume(&out);
    assert_eq!(folder.file_name().and_then(|n| n.to_str()), Some("VOL001"));

    // Every page of every image file shows its own number, and the numbers run from 1 without a gap.
    let rows = read_dat(&folder.join("DATA/VOL001.dat"));
    assert_eq!(rows.len(), 20);
    let mut seen = Vec::new();
    for row in &rows {
        let pdf = folder.join(format!("IMAGES/{}.pdf", row["BEGBATES"]));
        tool("qpdf", &["--check", &pdf.to_string_lossy()]);
        let pages = page_texts(&pdf);
        assert_eq!(pages.len().to_string(), row["PAGECOUNT"], "{}", row["BEGBATES"]);
        for text in pages {
            // A slip sheet also names its own number in its text.
            let mut numbers: Vec<&str> = text.split_whitespace().filter(|w| w.starts_with("ACME0")).collect();
            numbers.dedup();
            assert_eq!(numbers.len(), 1, "one Bates number on the page: {text}");
            assert!(text.contains("CONFIDENTIAL"), "{text}");
            seen.push(numbers[0].to_string());
        }
        assert_eq!(seen.last(), Some(&row["ENDBATES"]));
    }
    let expected: Vec<String> = (1..=seen.len() as u64).map(|n| format!("ACME{n:06}")).collect();
    assert_eq!(seen, expected);
    assert_eq!(p.last_number, seen.len() as u64);

    // The .opt: a line per page, a document break on each first page with the document's page count.
    let opt = std::fs::read_to_string(folder.join("DATA/VOL001.opt")).expect("opt");
    let lines: Vec<Vec<&str>> = opt.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
    assert_eq!(lines.len(), seen.len());
    let breaks: Vec<(&str, &str)> = lines.iter().filter(|l| l[3] == "Y").map(|l| (l[0], l[6])).collect();
    let from_dat: Vec<(&str, &str)> = rows.iter().map(|r| (r["BEGBATES"].as_str(), r["PAGECOUNT"].as_str())).collect();
    assert_eq!(breaks, from_dat);
    assert!(lines.iter().all(|l| l[1] == "VOL001" && l[2].starts_with("IMAGES\\")));

    // The privileged advice is withheld behind a slip sheet and named in the privilege log.
    let withheld = rows.iter().find(|r| r["DOSSIERID"] == advice.id).expect("the advice's row");
    assert_eq!(withheld["DISPOSITION"], "withheld");
    let slip = page_texts(&folder.join(format!("IMAGES/{}.pdf", withheld["BEGBATES"]))).join("");
    assert!(slip.contains("WITHHELD") && slip.contains("Advice on the licence fee"), "{slip}");
    assert!(!slip.contains("forty"));
    let log = std::fs::read_to_string(folder.join("VOL001 privilege log.csv")).expect("privilege log");
    assert!(log.contains(&withheld["BEGBATES"]) && log.contains("Advice on the licence fee"), "{log}");
    assert!(!std::fs::read_dir(folder.join("TEXT"))
        .expect("text")
        .any(|e| { std::fs::read_to_string(e.expect("entry").path()).unwrap_or_default().contains("forty") }));

    // The redacted copy goes in place of the offer, without the name.
    let redacted = rows.iter().find(|r| r["DOSSIERID"] == offer.id).expect("the offer's row");
    assert_eq!(redacted["DISPOSITION"], "redacted");
    assert_eq!(redacted["SHA256"], copy.sha256.clone().expect("a file"));
    let text = page_texts(&folder.join(format!("IMAGES/{}.pdf", redacted["BEGBATES"]))).join("");
    assert!(!text.contains("Jane") && text.contains("quarry"), "{text}");
    let log = dossier_core::transfer::export::redaction_log(
        fx.store.reader(),
        "c",
        dossier_core::date::Lang::En,
        "2026-12-07",
    )
    .expect("redaction log");
    let log = String::from_utf8(log.csv().expect("csv")).expect("utf-8");
    assert!(log.contains(&format!("offer.pdf (redacted),offer.pdf,1,{},", redacted["BEGBATES"])), "{log}");

    // The Word file and the e-mail go as natives behind a slip sheet.
    for (e, ext) in [(&word, "docx"), (&mail, "eml")] {
        let row = rows.iter().find(|r| r["DOSSIERID"] == e.id).expect("a row");
        assert_eq!((row["DISPOSITION"].as_str(), row["PAGECOUNT"].as_str()), ("native", "1"));
        assert_eq!(row["NATIVEPATH"], format!("NATIVES\\{}.{ext}", row["BEGBATES"]));
        let native = std::fs::read(folder.join(format!("NATIVES/{}.{ext}", row["BEGBATES"]))).expect("native");
        assert_eq!(sha256_hex(&native), e.sha256.clone().expect("a file"));
    }
    let index = std::fs::read_to_string(folder.join("VOL001 index.csv")).expect("index");
    assert_eq!(index.lines().count(), 21, "{index}");
    tool("pandoc", &[&folder.join("VOL001 index.docx").to_string_lossy(), "-t", "plain"]);

    // A second volume, of what supports a tagged event, continues the numbers.
    let hearing = event::create(
        &mut fx.store,
        &EventInput {
            case: "c".into(),
            title: "Hearing".into(),
            date: "2023-05-01".into(),
            tags: vec!["hearing".into()],
            ..Default::default()
        },
    )
    .expect("event");
    for e in [&docs[0], &offer] {
        evidence::link(
            &mut fx.store,
            &LinkInput { evidence: e.id.clone(), record: hearing.id.clone(), ..Default::default() },
        )
        .expect("link");
    }
    let second = ProduceInput { selection: Selection { tag: "Hearing".into(), ..Default::default() }, ..input };
    let again = produce::produce(&mut fx.store, &second, &out, &unwatched).expect("second volume");
    let q = &again.production;
    assert_eq!((q.volume.as_str(), q.first_number, q.documents.len()), ("VOL002", p.last_number + 1, 2));
    let first_page = page_texts(&out.join("VOL002/IMAGES").join(format!("ACME{:06}.pdf", q.first_number))).join("");
    assert!(first_page.contains(&format!("ACME{:06}", q.first_number)), "{first_page}");

    // Each document keeps where it went; a produced document cannot be deleted.
    let history = production::history(fx.store.reader(), &offer.id).expect("history");
    let volumes: Vec<(&str, ProductionDisposition)> =
        history.iter().map(|h| (h.volume.as_str(), h.disposition)).collect();
    assert_eq!(volumes, [("VOL001", ProductionDisposition::Redacted), ("VOL002", ProductionDisposition::Redacted)]);
    let refused = evidence::delete(&mut fx.store, &docs[1].id).expect_err("a produced document stays");
    says(&refused, &["VOL001", "erase"]);
}

#[test]
fn a_production_refuses_a_bad_prefix_an_empty_choice_and_an_existing_volume_folder() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let dir = fx.dir.path().to_path_buf();
    let out = dir.join("out");
    let input = |prefix: &str| ProduceInput { case: "c".into(), prefix: prefix.into(), ..Default::default() };
    says(
        &produce::produce(&mut fx.store, &input("ACME"), &out, &unwatched).expect_err("no document"),
        &["no document"],
    );
    add(&mut fx.store, &dir, "a.pdf", &text_pdf(&["A"]), "2023");
    says(&produce::produce(&mut fx.store, &input("AC ME/.."), &out, &unwatched).expect_err("bad prefix"), &["prefix"]);
    std::fs::create_dir_all(out.join("VOL001")).expect("mkdir");
    says(
        &produce::produce(&mut fx.store, &input("ACME"), &out, &unwatched).expect_err("exists"),
        &["VOL001", "already exists"],
    );
    assert!(production::list(
        fx.store.reader(),
        &dossier_core::record::case::resolve(fx.store.reader(), "c").expect("case")
    )
    .expect("list")
    .is_empty());
    let broken = add(&mut fx.store, &dir, "broken.pdf", b"%PDF-1.7\nnot a pdf at all", "2023");
    std::fs::remove_dir_all(out.join("VOL001")).expect("rmdir");
    let only =
        ProduceInput { selection: Selection { evidence: vec![broken.id], ..Default::default() }, ..input("ACME") };
    says(
        &produce::produce(&mut fx.store, &only, &out, &unwatched).expect_err("broken"),
        &["broken.pdf", "cannot be read"],
    );
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0, "no half volume is left");

    // Stopped halfway, a production leaves no folder and no record, and its numbers are free.
    add(&mut fx.store, &dir, "b.pdf", &text_pdf(&["B"]), "2024");
    let all = ProduceInput { selection: Selection::default(), ..input("ACME") };
    let stop = |done: u64, _: u64| done < 1;
    let stopped = produce::produce(&mut fx.store, &all, &out, &stop).expect_err("stopped");
    assert_eq!(stopped.code(), dossier_core::error::ErrorCode::Cancelled);
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0);
    let case_id = dossier_core::record::case::resolve(fx.store.reader(), "c").expect("case");
    assert_eq!(production::next_number(fx.store.reader(), &case_id, "ACME").expect("next"), 1);
}
