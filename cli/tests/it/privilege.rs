//! Guards issue 25's CLI contract for privilege: `dossier privilege ID --basis B [--description D]`
//! and `dossier export SLUG --format privilege-log [-o F]`, a CSV by default and Word for a `.docx`.

use crate::common::Db;

#[test]
fn a_privileged_letter_is_listed_in_the_privilege_log_as_csv_and_word() {
    let db = Db::new();
    db.ok(&["case", "add", "--slug", "acme", "--title", "Acme v Widget"]);
    for name in ["Acme", "Dewey LLP"] {
        db.ok(&["party", "add", "--name", name, "--kind", "organisation"]);
    }
    let added = db.ok(&[
        "letter",
        "add",
        "acme",
        "--from",
        "Dewey LLP",
        "--to",
        "Acme",
        "--date",
        "2023-03-14",
        "--subject",
        "Our view of the licence",
    ]);
    let id = added.trim().lines().last().expect("the letter's id").to_string();
    let said = db.ok(&["privilege", &id, "--basis", "legal-advice", "--description", "Advice on the licence"]);
    assert!(said.contains("legal advice privilege"), "{said}");

    let csv = db.ok(&["export", "acme", "--format", "privilege-log"]);
    let row = csv.lines().find(|l| l.starts_with(&id)).expect("the letter's row");
    assert!(row.contains("Dewey LLP,Acme,letter,legal advice privilege,Advice on the licence"), "{row}");
    assert!(!csv.contains("Our view of the licence"), "the subject is not in the log: {csv}");

    let word = db.dir().join("log.docx");
    db.ok(&["--lang", "fr", "export", "acme", "--format", "privilege-log", "-o", word.to_str().expect("path")]);
    let bytes = std::fs::read(&word).expect("the Word file");
    assert_eq!(&bytes[..2], b"PK", "a Word document is a zip");

    let (code, stderr) = db.err(&["privilege", &id, "--basis", "other"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (2, 1), "{stderr}");
    assert!(stderr.contains("description"), "{stderr}");
    db.ok(&["privilege", &id, "--clear"]);
    let csv = db.ok(&["export", "acme", "--format", "privilege-log"]);
    assert_eq!(csv.trim_start_matches('\u{feff}').trim().lines().count(), 1, "only the header: {csv}");
}

/// Guards issue 25's CLI contract for a box redaction: `dossier redact ID --box PAGE:x,y,w,h[:REASON]`
/// prints the redacted copy's id last; the copy's text lacks what was under the box.
#[test]
fn a_box_redacted_from_a_pdf_leaves_a_copy_without_its_words() {
    let db = Db::new();
    db.ok(&["case", "add", "--slug", "acme", "--title", "Acme v Widget"]);
    let pdf = db.dir().join("offer.pdf");
    let text = "Settlement offered by Jane Roe to Acme.\nThe quarry tariff rose.";
    std::fs::write(&pdf, dossier_core::generate::documents::text_pdf(&[text])).expect("write");
    let original = db.ok(&["evidence", "add-file", "acme", pdf.to_str().expect("path")]).trim().to_string();
    // The first line of `text_pdf` stands 60 pt from the left, its 14 pt type about 50 to 65 pt from
    // the top: the whole line under the box.
    let out = db.ok(&["--lang", "fr", "redact", &original, "--box", "1:55,45,400,24:personal_data"]);
    let copy = out.lines().last().expect("the copy's id").to_string();
    let shown = db.ok(&["evidence", "text", &copy]);
    assert!(!shown.contains("Jane") && shown.contains("quarry"), "{shown}");
    assert!(shown.contains("Occulté") && shown.contains("données personnelles"), "{shown}");
    let log = db.ok(&["export", "acme", "--format", "redaction-log"]);
    assert!(log.contains("offer.pdf (occulté),offer.pdf,1,,personal data"), "{log}");

    let (code, stderr) = db.err(&["redact", &original, "--box", "1:55,45"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (2, 1), "{stderr}");
    assert!(stderr.contains("PAGE:x,y,width,height"), "{stderr}");
}
