//! Guards issue 25's CLI contract for productions and hearing bundles: `dossier produce SLUG --prefix
//! P --out DIR [--tag T|--search Q|--from D --to D] [--endorse TEXT]` (the volume's folder printed
//! last) and `dossier bundle-pdf SLUG -o F [--sections …]` (the bundle's path printed last).

use crate::common::Db;

fn tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program).args(args).output().expect(program);
    assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
use dossier_core::generate::documents::text_pdf;

fn add_pdf(db: &Db, name: &str, text: &str, date: &str) -> String {
    let pdf = db.dir().join(name);
    std::fs::write(&pdf, text_pdf(&[text])).expect("write");
    db.ok(&["evidence", "add-file", "acme", pdf.to_str().expect("path"), "--date", date]).trim().to_string()
}

#[test]
fn produce_numbers_a_volume_and_the_next_one_continues() {
    let db = Db::new();
    db.ok(&["case", "add", "--slug", "acme", "--title", "Acme v Widget"]);
    let first = add_pdf(&db, "a.pdf", "The quarry tariff rose.", "2023-03-01");
    add_pdf(&db, "b.pdf", "The licence fee is due.", "2023-06-01");
    let out = db.dir().join("prod");
    let said = db.ok(&["produce", "acme", "--prefix", "ACME", "--out", out.to_str().expect("path"), "--to", "2023-04"]);
    let folder = said.trim().lines().last().expect("the folder");
    assert_eq!(std::path::Path::new(folder), out.join("VOL001"), "{said}");
    assert!(said.contains("ACME000001 to ACME000001, 1 page, 1 document"), "{said}");
    let dat = std::fs::read_to_string(out.join("VOL001/DATA/VOL001.dat")).expect("dat");
    assert!(dat.contains(&first), "{dat}");

    let said = db.ok(&[
        "produce",
        "acme",
        "--prefix",
        "ACME",
        "--out",
        out.to_str().expect("path"),
        "--search",
        "licence",
        "--endorse",
        "CONFIDENTIAL",
    ]);
    assert!(said.contains("volume VOL002: ACME000002 to ACME000002"), "{said}");
    let text = tool("pdftotext", &[out.join("VOL002/IMAGES/ACME000002.pdf").to_str().expect("path"), "-"]);
    assert!(text.contains("ACME000002") && text.contains("CONFIDENTIAL") && text.contains("licence"), "{text}");

    let (code, stderr) =
        db.err(&["produce", "acme", "--prefix", "ACME", "--out", out.to_str().expect("path"), "--tag", "none"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (2, 1), "{stderr}");
    assert!(stderr.contains("no document of the case is chosen"), "{stderr}");
    // The volumes are in the record as Dossier wrote them.
    db.ok(&["check"]);
}

#[test]
fn bundle_pdf_writes_the_sections_in_order() {
    let db = Db::new();
    db.ok(&["case", "add", "--slug", "acme", "--title", "Acme v Widget"]);
    let a = add_pdf(&db, "a.pdf", "Claim form", "2023-03-01");
    let b = add_pdf(&db, "b.pdf", "Letter before action", "2023-02-01");
    let path = db.dir().join("bundle.pdf");
    let sections = [format!("Statements of case={a}"), format!("Correspondence={b}")];
    let said =
        db.ok(&["bundle-pdf", "acme", "-o", path.to_str().expect("path"), "--sections", &sections[0], &sections[1]]);
    assert!(said.contains("3 pages, 2 sections, 2 documents"), "{said}");
    assert_eq!(said.trim().lines().last(), path.to_str());
    let pages = tool("pdftotext", &["-layout", path.to_str().expect("path"), "-"]);
    let pages: Vec<&str> = pages.split('\u{c}').collect();
    assert!(pages[0].contains("A Statements of case") && pages[0].contains("B Correspondence"), "{}", pages[0]);
    assert!(pages[1].contains("Claim form") && pages[2].contains("Letter before action"));

    let (code, stderr) =
        db.err(&["bundle-pdf", "acme", "-o", path.to_str().expect("path"), "--sections", "no equals sign"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (2, 1), "{stderr}");
    assert!(stderr.contains("TITLE=ID"), "{stderr}");
}
