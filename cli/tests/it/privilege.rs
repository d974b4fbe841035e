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
