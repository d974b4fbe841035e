//! Handing documents over from the app (issue 25, item 6): a production made through Produce…, its
//! numbering previewed before it is made and continued by the next volume, its load files written and
//! each document's panel saying where it went; and a hearing bundle of two sections put in order with
//! the move buttons and by dragging, read back with Poppler. Both dialogs fit the window at 1024×768
//! and 1280×800, in English and French. The folder and file the native dialogs would give are set in
//! their read-only fields, as the other tests do (`DOSSIER_ALLOWED_DIRS` admits the test's folder).
//! Screenshots `produce-dialog-<lang>.png`, `bundle-dialog-<lang>.png` (at 1024×768, and at 1280×800
//! as `…-1280-<lang>.png`) and `production-history-fr.png`.

use std::path::Path;

use dossier_core::generate::documents::text_pdf;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::record::privilege::{self, PrivilegeInput};
use dossier_core::Store;

use crate::driver::*;
use crate::window::{check, resize};

/// A case of four PDFs, in date order: a claim form of two pages, a defence, a letter, and counsel's
/// advice, which is privileged. Each page says enough to be read as text, not taken for a scan.
fn case_with_documents(db: &Path, files: &Path) {
    let mut store = Store::open(db).expect("a new database");
    let input = CaseInput { title: "Acme v. Bolt".into(), slug: "acme".into(), ..Default::default() };
    case::create(&mut store, &input).expect("the case");
    let documents: [(&str, &str, &[&str]); 4] = [
        (
            "Claim form",
            "2023-01-10",
            &["Claim form page 1, where Acme sets out its claim.", "Claim form page 2, where Acme asks for damages."],
        ),
        ("Defence", "2023-02-10", &["Defence of Bolt, which denies every claim of Acme."]),
        ("Letter of 3 March", "2023-03-03", &["Letter from Acme to Bolt about the quarry."]),
        ("Counsel advice", "2023-03-05", &["Counsel advises settling with Acme for less."]),
    ];
    for (title, date, pages) in documents {
        let path = files.join(format!("{title}.pdf"));
        std::fs::write(&path, text_pdf(pages)).expect("write");
        let input =
            FileInput { case: "acme".into(), path, title: title.into(), date: date.into(), ..Default::default() };
        let added = evidence::add_file(&mut store, &input).expect("the evidence");
        if title == "Counsel advice" {
            let basis = PrivilegeInput { basis: "legal_advice".into(), description: "Advice on settling".into() };
            privilege::set(&mut store, &added.id, Some(&basis)).expect("privileged");
        }
    }
}

/// Each page's text of a PDF, by Poppler.
fn pages_of(pdf: &Path) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", &pdf.to_string_lossy(), "-"])
        .output()
        .expect("pdftotext");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<String> = String::from_utf8_lossy(&out.stdout).split('\u{c}').map(String::from).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

async fn start(home: &Path) -> App {
    let db = home.join("produce.sqlite");
    case_with_documents(&db, home);
    let app = App::start_with(home, &[("DOSSIER_DB", db.to_str().expect("a UTF-8 path"))]).await;
    app.set_lang("en").await;
    app.click("[data-testid=case-acme]").await;
    app
}

/// Opens a dialog from the case's actions in the case list.
async fn open(app: &App, item: &str, dialog: &str) {
    app.click(&format!("[data-testid={item}]")).await;
    app.wait_css(&format!("[data-testid={dialog}]")).await;
}

/// Switches the language while a dialog covers the picker, as a change of the system's language would.
async fn set_lang_under_dialog(app: &App, lang: &str) {
    app.client
        .execute(
            "const s = document.querySelector('[data-testid=lang]');
             s.value = arguments[0];
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::Value::from(lang)],
        )
        .await
        .expect("language");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

/// Checks the dialog at both sizes and in both languages; the 1024×768 views are the screenshots.
async fn fits(app: &App, name: &str, ready: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (width, height) in [(1280, 800), (1024, 768)] {
        resize(app, width, height).await;
        for lang in ["fr", "en"] {
            set_lang_under_dialog(app, lang).await;
            app.wait_css(ready).await;
            let shot = if width == 1024 { format!("{name}-{lang}") } else { format!("{name}-{width}-{lang}") };
            check(app, &shot, &mut found).await;
        }
    }
    found
}

#[tokio::test(flavor = "current_thread")]
async fn a_production_is_previewed_made_and_shown_in_each_documents_panel() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = tempfile::tempdir().expect("temp dir");
    let app = start(home.path()).await;
    open(&app, "produce", "produce-dialog").await;
    app.type_into("[data-testid=produce-prefix]", "ACME").await;
    let preview = async |a: &App| a.texts("[data-testid=produce-preview]").await.concat();
    let said = app.until("the numbering previewed", preview, |p| p.contains("ACME000001")).await;
    assert!(said.contains("Volume VOL001, first page ACME000001"), "{said}");
    assert!(said.contains("4 documents, 1 privileged, withheld"), "{said}");
    app.click("[data-testid=produce-by-chosen]").await;
    app.click_xpath("//li[@data-title='Defence']//input[@data-testid='produce-choose']").await;
    app.until("the preview of one chosen", preview, |p| p.contains("1 document") && !p.contains("withheld")).await;
    app.click("[data-testid=produce-by-all]").await;
    app.click("#produce-endorsement + button").await;

    let found = fits(&app, "produce-dialog", "[data-testid=produce-preview] strong").await;
    assert!(found.is_empty(), "the Produce… dialog does not fit:\n{}", found.join("\n"));
    let said = app.until("the preview in English", preview, |p| p.contains("Volume VOL001")).await;
    assert!(said.contains("4 documents"), "{said}");

    let out = home.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    app.set_path("#produce-folder", &out).await;
    app.click("[data-testid=produce-dialog] [data-testid=save]").await;
    let done = app.wait_css("[data-testid=produce-done]").await.text().await.expect("result");
    // Claim form (2 pages), defence, letter, and the advice's slip sheet.
    assert!(done.contains("Volume VOL001 made: ACME000001 to ACME000005, 5 pages"), "{done}");
    let volume = out.join("VOL001");
    assert!(done.contains(volume.to_str().expect("path")), "{done}");
    let opt = std::fs::read_to_string(volume.join("DATA/VOL001.opt")).expect("the Opticon load file");
    assert_eq!(opt.lines().count(), 5, "a line per page: {opt}");
    let dat = std::fs::read_to_string(volume.join("DATA/VOL001.dat")).expect("the Concordance load file");
    assert_eq!(dat.lines().count(), 5, "a header and a row per document: {dat}");
    let stamped = pages_of(&volume.join("IMAGES/ACME000001.pdf"));
    assert!(stamped[1].contains("ACME000002") && stamped[1].contains("CONFIDENTIAL"), "{stamped:?}");
    let slip = pages_of(&volume.join("IMAGES/ACME000005.pdf")).concat();
    assert!(slip.contains("WITHHELD") && !slip.contains("Counsel advises"), "{slip}");
    app.click("[data-testid=produce-dialog] [data-testid=cancel]").await;

    // The next volume continues the numbers; the claim form's panel says where it went.
    open(&app, "produce", "produce-dialog").await;
    app.type_into("[data-testid=produce-prefix]", "ACME").await;
    app.until("the next volume previewed", preview, |p| p.contains("Volume VOL002, first page ACME000006")).await;
    app.click("[data-testid=produce-dialog] [data-testid=cancel]").await;
    app.click("[data-testid=tab-evidence]").await;
    app.click_xpath("//tr[@data-testid='evidence-row']//button[contains(., 'Claim form')]").await;
    let history = app
        .until(
            "the production in the panel",
            async |a: &App| a.texts("[data-testid=production-history]").await.concat(),
            |h| !h.is_empty(),
        )
        .await;
    assert!(history.contains("VOL001: ACME000001 to ACME000002, produced"), "{history}");
    app.set_lang("fr").await;
    let history = app.texts("[data-testid=production-history]").await.concat();
    assert!(history.contains("VOL001 : de ACME000001 à ACME000002, produit"), "{history}");
    app.shot("production-history-fr").await;
    app.stop().await;
}

/// Drags the document titled `from` onto the one titled `onto`, as the mouse does: the page's own
/// drag events, dispatched in the order WebKit fires them.
async fn drag(app: &App, from: &str, onto: &str) {
    app.client
        .execute(
            "const at = (t) => document.querySelector(`[data-testid=bundle-document][data-title='${t}']`);
             const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true }));
             const [from, onto] = [at(arguments[0]), at(arguments[1])];
             fire(from, 'dragstart');
             fire(onto, 'dragover');
             fire(onto, 'drop');
             fire(from, 'dragend');",
            vec![serde_json::Value::from(from), serde_json::Value::from(onto)],
        )
        .await
        .expect("drag");
}

#[tokio::test(flavor = "current_thread")]
async fn a_hearing_bundle_of_two_sections_is_put_in_order_and_made() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = tempfile::tempdir().expect("temp dir");
    let app = start(home.path()).await;
    open(&app, "hearing-bundle", "bundle-dialog").await;
    let add = async |title: &str| {
        app.click_xpath(&format!("//li[@data-title='{title}']//button[@data-testid='bundle-add']")).await;
    };
    app.type_into("[data-testid=section-title]", "Pleadings").await;
    add("Claim form").await;
    add("Defence").await;
    app.click("[data-testid=add-section]").await;
    app.type_into("[data-testid=bundle-section]:nth-child(2) [data-testid=section-title]", "Correspondence").await;
    add("Letter of 3 March").await;
    add("Counsel advice").await;
    // The defence first, with its button; the advice dragged above the letter.
    app.click_xpath("//li[@data-title='Defence']//button[@data-testid='document-up']").await;
    drag(&app, "Counsel advice", "Letter of 3 March").await;
    let order = app
        .until(
            "the documents in their new order",
            async |a: &App| a.texts("[data-testid=bundle-document] .name").await,
            |o| {
                o.first().map(String::as_str) == Some("Defence")
                    && o.get(2).map(String::as_str) == Some("Counsel advice")
            },
        )
        .await;
    assert_eq!(order, ["Defence", "Claim form", "Counsel advice", "Letter of 3 March"]);
    let left_out = app.texts("[data-testid=left-out]").await;
    assert_eq!(left_out, ["left out: privileged"]);

    let found = fits(&app, "bundle-dialog", "[data-testid=left-out]").await;
    assert!(found.is_empty(), "the Hearing bundle… dialog does not fit:\n{}", found.join("\n"));

    let pdf = home.path().join("bundle.pdf");
    app.set_path("#bundle-path", &pdf).await;
    app.click("[data-testid=bundle-dialog] [data-testid=save]").await;
    let done = app.wait_css("[data-testid=bundle-done]").await.text().await.expect("result");
    assert!(done.contains("Hearing bundle of 5 pages written to"), "{done}");
    assert!(done.contains("Left out as privileged: Counsel advice."), "{done}");
    app.stop().await;

    // The index, then the defence, the claim form's two pages and the letter; the advice is not in it.
    let pages = pages_of(&pdf);
    assert_eq!(pages.len(), 5, "{pages:?}");
    assert!(pages[0].contains("Pleadings") && pages[0].contains("Correspondence"), "the index: {}", pages[0]);
    for (page, words) in
        [(1, "Defence of Bolt"), (2, "Claim form page 1"), (3, "Claim form page 2"), (4, "Letter from Acme")]
    {
        assert!(pages[page].contains(words), "page {}: {}", page + 1, pages[page]);
    }
    assert!(!pages.concat().contains("settling"), "the privileged advice is left out");
}
