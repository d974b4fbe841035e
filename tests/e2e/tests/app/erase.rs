//! Erasing a piece of evidence from its panel, as counsel returning a privileged document or a
//! journalist protecting a source would: the dialog says Erase is not Delete and cannot be undone,
//! asks why and for the word that confirms it; once done the record's history says "erased on …
//! (reason)", and no file under the database's folder holds the document. In English and French; then
//! a whole case, from the case list.
//! Screenshots `erase-<lang>-dialog.png` and `erase-<lang>-done.png`.

use std::path::Path;

use dossier_core::record::evidence::{self, FileInput};
use dossier_core::Store;

use crate::driver::*;

const MARKER: &str = "platypusinformant";

/// The demo database with one text file per language kept as evidence, each naming the source.
fn demo_with_files(db: &Path, files: &Path) {
    let mut store = Store::open(db).expect("a new database");
    dossier_core::demo::load(&mut store).expect("the demo");
    for lang in ["en", "fr"] {
        let file = files.join(format!("source-{lang}.txt"));
        std::fs::write(&file, format!("Notes ({lang}): met {MARKER} at the station.\n")).expect("write");
        let input = FileInput {
            case: "twitter-v-microsoft".into(),
            path: file,
            title: format!("Source notes {lang}"),
            ..Default::default()
        };
        evidence::add_file(&mut store, &input).expect("the evidence");
    }
}

/// Whether any file under `dir` holds the marker.
fn holds_marker(dir: &Path) -> bool {
    std::fs::read_dir(dir).expect("list").flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            holds_marker(&path)
        } else {
            std::fs::read(&path).unwrap_or_default().windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
        }
    })
}

#[tokio::test(flavor = "current_thread")]
async fn evidence_is_erased_from_its_panel_with_a_reason_in_english_and_french() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = tempfile::tempdir().expect("temp dir");
    let folder = home.path().join("db");
    std::fs::create_dir_all(&folder).expect("the database's folder");
    let db = folder.join("erase.sqlite");
    demo_with_files(&db, home.path());
    assert!(holds_marker(&folder));
    let app = App::start_with(home.path(), &[("DOSSIER_DB", db.to_str().expect("a UTF-8 path"))]).await;
    for (lang, word, reason, erased_on) in
        [("en", "erase", "Source protection", "erased on "), ("fr", "effacer", "Protection des sources", "effacé le ")]
    {
        app.set_lang(lang).await;
        app.click("[data-testid=case-twitter-v-microsoft]").await;
        app.click("[data-testid=tab-evidence]").await;
        app.click_xpath(&format!("//tr[@data-testid='evidence-row']//button[contains(., 'Source notes {lang}')]"))
            .await;
        app.click("[data-testid=erase-record]").await;
        app.wait_css("[data-testid=erase-form]").await;
        let form = app.texts("[data-testid=erase-form]").await.join(" ");
        let undoable = if lang == "en" {
            "Delete can be undone; Erase cannot."
        } else {
            "Une suppression peut être annulée ; un effacement, non."
        };
        assert!(form.contains(undoable), "{lang}: {form}");
        assert!(form.contains(reason), "{lang}: {form}");
        app.click("[data-testid=erase-reason-source_protection]").await;
        app.type_into("[data-testid=erase-word]", word).await;
        app.shot(&format!("erase-{lang}-dialog")).await;
        app.click("[data-testid=erase-confirm]").await;
        app.wait_css("[data-testid=erase-done]").await;
        let said = app
            .until(
                "the history says it was erased",
                async |a: &App| a.texts("[data-testid=history-erased]").await,
                |lines| lines.len() >= 2,
            )
            .await;
        let reason_word = reason.to_lowercase();
        assert!(
            said.iter().all(|l| l.starts_with(erased_on) && l.contains(&format!("({reason_word})"))),
            "{lang}: {said:?}"
        );
        app.shot(&format!("erase-{lang}-done")).await;
        app.click("[data-testid=erase-close]").await;
        app.wait_gone("[data-testid=erase-done]").await;
        let rows = app.texts("[data-testid=evidence-row]").await.join(" ");
        assert!(!rows.contains(&format!("Source notes {lang}")), "{lang}: the evidence is gone: {rows}");
    }
    // A whole case, from the case list (in French, the language left on).
    app.click("[data-testid=case-getty-v-stability-ai]").await;
    app.click("[data-testid=erase-case]").await;
    app.wait_css("[data-testid=erase-form]").await;
    app.click("[data-testid=erase-reason-clawback]").await;
    app.type_into("[data-testid=erase-word]", "effacer").await;
    app.click("[data-testid=erase-confirm]").await;
    app.wait_css("[data-testid=erase-done]").await;
    app.click("[data-testid=erase-close]").await;
    app.until(
        "the case is gone from the list",
        async |a: &App| a.texts(".case-list .case-title").await,
        |titles| titles.len() == 1 && !titles.iter().any(|t| t.contains("Getty")),
    )
    .await;
    app.stop().await;
    assert!(!holds_marker(&folder), "no file under the database's folder holds the erased notes");
    let store = Store::open(&db).expect("open");
    let report = dossier_core::care::check::check(&store, None).expect("check");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.erasures.len(), 3);
}
