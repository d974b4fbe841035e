//! Finding what to redact (issue 25, item 1): a word in its forms, with any case and accents; a phrase,
//! a box per line when it runs over two; a party's names and aliases; across a case's documents; and
//! bad queries refused naming the problem. Each hit's box is checked against where pdftotext puts
//! the words, as a reviewer would.

use std::path::Path;

use dossier_core::generate::documents::text_pdf;
use dossier_core::record::evidence::redact::{self, FindInput, Hit, RedactInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::store::Store;

use crate::common::*;

fn added(s: &mut Store, dir: &Path, name: &str, bytes: &[u8]) -> evidence::Evidence {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    evidence::add_file(s, &FileInput { case: "c".into(), path, ..Default::default() }).expect("add")
}

fn words(list: &[&str]) -> FindInput {
    FindInput { words: list.iter().map(|w| w.to_string()).collect(), ..Default::default() }
}

fn texts(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.text.as_str()).collect()
}

#[test]
fn a_word_is_found_in_its_forms_with_any_case_and_accents() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let text = "Les redevances dues par Hélène Dupont.\nLa REDEVANCE annuelle, payée par HELENE.\nThe tariffs rose; the tariff fell.";
    let e = added(&mut fx.store, fx.dir.path(), "fees.pdf", &text_pdf(&[text]));

    let hits = redact::find(&fx.store, &e.id, &words(&["redevance"])).expect("find");
    assert_eq!(texts(&hits), ["redevances", "REDEVANCE"]);
    let hits = redact::find(&fx.store, &e.id, &words(&["hélène"])).expect("find");
    assert_eq!(texts(&hits), ["Hélène", "HELENE."]);
    let hits = redact::find(&fx.store, &e.id, &words(&["tariff"])).expect("find");
    assert_eq!(texts(&hits), ["tariffs", "tariff"]);
    assert!(hits.iter().all(|h| h.evidence == e.id && h.page == 1 && h.query == "tariff"));

    // The hit's box holds the word's box as pdftotext gives it, and stays on its line (14 pt type,
    // 18 pt apart): the third line's words stand about 86 to 100 pt from the top.
    let tariffs = &hits[0];
    assert!(tariffs.y > 80.0 && tariffs.y + tariffs.height < 104.0, "{tariffs:?}");
    assert!(tariffs.x > 55.0 && tariffs.width > 30.0 && tariffs.width < 80.0, "{tariffs:?}");
}

#[test]
fn a_phrase_over_two_lines_is_a_box_on_each_and_redacting_it_removes_both() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let text = "The offer was signed by Jane\nRoe on Monday; Jane Roe agreed.\nJane alone and Roe alone stay.";
    let e = added(&mut fx.store, fx.dir.path(), "offer.pdf", &text_pdf(&[text]));
    let hits = redact::find(&fx.store, &e.id, &words(&["jane roe"])).expect("find");
    assert_eq!(texts(&hits), ["Jane", "Roe", "Jane Roe"]);
    assert!(hits[1].y > hits[0].y + 10.0, "the phrase's second line has a box of its own");

    let boxes = hits.iter().map(|h| h.to_box("")).collect();
    let copy = redact::redact(&mut fx.store, &RedactInput { evidence: e.id.clone(), boxes, lang: "en".into() })
        .expect("redact");
    let path = stored_file(&fx.store, copy.sha256.as_deref().expect("a file"));
    let read = tool("pdftotext", &[&path.to_string_lossy(), "-"]);
    assert!(!read.contains("Jane Roe") && !read.contains("by Jane") && !read.contains("Roe on"), "{read}");
    assert!(read.contains("Jane alone") && read.contains("Roe alone"), "a lone word is no phrase: {read}");
}

#[test]
fn a_party_is_found_by_its_name_and_every_alias_across_the_case() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let input = PartyInput {
        name: "Jane Roe".into(),
        kind: "person".into(),
        aliases: vec!["J. Roe".into(), "jroe@acme.example".into()],
        ..Default::default()
    };
    let p = party::create(&mut fx.store, &input).expect("party");
    let one = added(&mut fx.store, fx.dir.path(), "one.pdf", &text_pdf(&["Jane Roe wrote to Acme."]));
    let two = added(&mut fx.store, fx.dir.path(), "two.pdf", &text_pdf(&["Reply to J. Roe at jroe@acme.example"]));
    added(&mut fx.store, fx.dir.path(), "three.pdf", &text_pdf(&["Nothing about her here."]));

    let query = FindInput { parties: vec![p.id.clone()], ..Default::default() };
    let hits = redact::find_in_case(&fx.store, "c", &query).expect("find");
    let found: Vec<(&str, &str)> = hits.iter().map(|h| (h.evidence.as_str(), h.text.as_str())).collect();
    assert_eq!(
        found,
        [(one.id.as_str(), "Jane Roe"), (two.id.as_str(), "J. Roe"), (two.id.as_str(), "jroe@acme.example")]
    );
    redact::each_found(&query, &hits).expect("the party was found");
}

#[test]
fn bad_queries_are_refused_naming_the_problem() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let e = added(&mut fx.store, fx.dir.path(), "one.pdf", &text_pdf(&["One page about quarries."]));
    let refused = |input: FindInput| redact::find(&fx.store, &e.id, &input).expect_err("refused").to_string();
    assert!(refused(FindInput::default()).contains("query"));
    assert!(refused(words(&["  -- "])).contains("'  -- ' has no word to look for"));
    let unknown = refused(FindInput { patterns: vec!["passport".into()], ..Default::default() });
    assert!(unknown.contains("'passport' is not a pattern: the patterns are email, phone, iban, nir, ssn"));

    let query = words(&["quarry", "zebra"]);
    let hits = redact::find(&fx.store, &e.id, &query).expect("find");
    assert_eq!(texts(&hits), ["quarries."]);
    let nothing = redact::each_found(&query, &hits).expect_err("zebra is nowhere").to_string();
    assert!(nothing.contains("nothing was found for 'zebra'"), "{nothing}");

    // Bounded: a search finding more places than a redaction takes is refused, not cut.
    let line = "ab ".repeat(25);
    let page = vec![line.as_str(); 40].join("\n");
    let many = added(&mut fx.store, fx.dir.path(), "many.pdf", &text_pdf(&[page.as_str(); 11]));
    let error = match redact::find(&fx.store, &many.id, &words(&["ab"])) {
        Ok(hits) => panic!("{} hits, not refused", hits.len()),
        Err(e) => e.to_string(),
    };
    assert!(error.contains(&format!("more than {} places", redact::MAX_HITS)), "{error}");
}

#[test]
fn an_open_document_in_cyrillic_is_redacted_as_a_pdf_of_its_text_and_keeps_its_script() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let md = fx.dir.path().join("contract.md");
    std::fs::write(&md, "Договор подписал Иван Петров.\n\nЦена выросла на двенадцать процентов.\n").expect("write");
    let odt = fx.dir.path().join("contract.odt");
    tool("pandoc", &[&md.to_string_lossy(), "-o", &odt.to_string_lossy()]);
    let e = evidence::add_file(&mut fx.store, &FileInput { case: "c".into(), path: odt, ..Default::default() })
        .expect("add");

    // "цены" is another form of "цена": the Russian stems of Cyrillic words.
    let hits = redact::find(&fx.store, &e.id, &words(&["иван петров", "цены"])).expect("find");
    assert_eq!(texts(&hits), ["Иван Петров.", "Цена"]);
    let boxes = hits.iter().map(|h| h.to_box("")).collect();
    let copy = redact::redact(&mut fx.store, &RedactInput { evidence: e.id.clone(), boxes, lang: "fr".into() })
        .expect("redact");
    assert_eq!((copy.title.as_str(), copy.media_type.as_deref()), ("contract.odt (occulté)", Some("application/pdf")));
    assert!(copy.note.contains("PDF du texte du document"), "{}", copy.note);
    let path = stored_file(&fx.store, copy.sha256.as_deref().expect("a file"));
    let read = tool("pdftotext", &[&path.to_string_lossy(), "-"]);
    assert!(!read.contains("Петров") && !read.contains("Иван") && !read.contains("Цена"), "{read}");
    assert!(
        read.contains("Договор подписал") && read.contains("двенадцать"),
        "the other words, in their script: {read}"
    );
}

#[test]
fn an_email_is_redacted_as_a_pdf_of_its_subject_and_body() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let mail = "From: Acme <legal@acme.example>\r\nTo: Widget <ops@widget.example>\r\nSubject: Quarry fees\r\n\
                Date: Mon, 6 Mar 2023 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
                Please call Jane Roe on +33 6 12 34 56 78 about the quarry fees.\r\n";
    let e = added(&mut fx.store, fx.dir.path(), "fees.eml", mail.as_bytes());
    let query = FindInput { words: vec!["Jane Roe".into()], patterns: vec!["phone".into()], ..Default::default() };
    let hits = redact::find(&fx.store, &e.id, &query).expect("find");
    assert_eq!(texts(&hits), ["Jane Roe", "+33 6 12 34 56 78"]);
    let boxes = hits.iter().map(|h| h.to_box("")).collect();
    let copy = redact::redact(&mut fx.store, &RedactInput { evidence: e.id.clone(), boxes, lang: "en".into() })
        .expect("redact");
    let path = stored_file(&fx.store, copy.sha256.as_deref().expect("a file"));
    let read = tool("pdftotext", &[&path.to_string_lossy(), "-"]);
    assert!(!read.contains("Jane") && !read.contains("12 34"), "{read}");
    assert!(read.contains("Quarry fees") && read.contains("about the quarry"), "{read}");
}

#[test]
fn a_picture_is_redacted_as_a_pdf_of_itself_and_its_words_read_by_ocr() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    // A photographed page: the page of a text PDF drawn as a PNG, as a phone camera app would keep it.
    let pdf = fx.dir.path().join("page.pdf");
    std::fs::write(&pdf, text_pdf(&["Settlement offered by Marie Dupont to Acme.\nThe quarry tariff rose."]))
        .expect("write");
    let stem = fx.dir.path().join("photo");
    tool("pdftoppm", &["-r", "150", "-png", "-singlefile", &pdf.to_string_lossy(), &stem.to_string_lossy()]);
    let png = std::fs::read(stem.with_extension("png")).expect("png");
    let e = added(&mut fx.store, fx.dir.path(), "photo.png", &png);
    let original = stored_file(&fx.store, e.sha256.as_deref().expect("a file"));
    let before = std::fs::read(&original).expect("blob");

    let hits = redact::find(&fx.store, &e.id, &words(&["Marie Dupont"])).expect("find");
    assert_eq!(texts(&hits), ["Marie Dupont"]);
    let boxes = hits.iter().map(|h| h.to_box("")).collect();
    let copy = redact::redact(&mut fx.store, &RedactInput { evidence: e.id.clone(), boxes, lang: "fr".into() })
        .expect("redact");
    assert!(copy.note.contains("faite d'un PDF de l'image"), "{}", copy.note);
    let path = stored_file(&fx.store, copy.sha256.as_deref().expect("a file"));
    let read = tool("pdftotext", &[&path.to_string_lossy(), "-"]);
    assert!(!read.contains("Marie") && !read.contains("Dupont"), "{read}");
    assert!(read.contains("quarry") && read.contains("Occulté"), "{read}");
    assert_eq!(std::fs::read(&original).expect("blob"), before, "the picture is unchanged");
}

#[test]
fn a_search_of_the_case_tells_its_progress_and_stops_between_documents() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    for name in ["a.pdf", "b.pdf"] {
        added(&mut fx.store, fx.dir.path(), name, &text_pdf(&["Paid by Jane Roe."]));
    }
    let mut told = Vec::new();
    let hits = redact::find_in_case_watched(&fx.store, "c", &words(&["Roe"]), &mut |done, total| {
        told.push((done, total));
        true
    })
    .expect("find");
    assert_eq!((hits.len(), told), (2, vec![(0, 2), (1, 2), (2, 2)]));
    let stopped = redact::find_in_case_watched(&fx.store, "c", &words(&["Roe"]), &mut |done, _| done < 1);
    assert_eq!(stopped.expect_err("stopped").code(), dossier_core::error::ErrorCode::Cancelled);
}
