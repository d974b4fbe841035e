//! Find to redact (issue 25, item 6): two PDFs of the demo case name Jane Roe, one of them also gives
//! an e-mail address. From "Find to redact…" among the case's actions, the name and the e-mail
//! pattern are looked for across the case; the hits are listed by document, one is shown in the
//! viewer with its box drawn, one is unchecked, and applying makes one redacted copy per document.
//! Each copy's file (Poppler's `pdftotext`) has lost what was checked and kept the unchecked hit's
//! words. In English at 1280×800 and in French at 1024×768, where nothing may overflow the window.

use std::path::Path;

use dossier_core::generate::documents::text_pdf;

use crate::documents::attach_and_read;
use crate::driver::*;
use crate::window::{check, resize};

const EMAIL: &str = "pat.smith@example.org";

struct Run {
    lang: &'static str,
    size: (u32, u32),
    count: &'static str,
    label: &'static str,
}

const EN: Run =
    Run { lang: "en", size: (1280, 800), count: "3 hits in 2 documents", label: "Redacted – personal data" };

const FR: Run = Run {
    lang: "fr",
    size: (1024, 768),
    count: "3 occurrences dans 2 documents",
    label: "Occulté – données personnelles",
};

/// The text of each element `css` finds, spaces trimmed (WebDriver's own is empty for a line cut with
/// an ellipsis).
async fn text_content(app: &App, css: &str) -> Vec<String> {
    let texts = app
        .client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.replace(/\\s+/g, ' ').trim());",
            vec![serde_json::Value::from(css)],
        )
        .await
        .expect("the elements' text");
    serde_json::from_value(texts).unwrap_or_default()
}

/// The text of every PDF stored under the data folder that holds `label` (the redacted copies).
fn copies_text(dir: &Path, label: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read the data folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
                continue;
            }
            let Ok(out_) = std::process::Command::new("pdftotext").arg(&path).arg("-").output() else { continue };
            let text = String::from_utf8_lossy(&out_.stdout).into_owned();
            if out_.status.success() && text.contains(label) && !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

async fn find_and_redact(run: Run) {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let offer = data.path().join("offer.pdf");
    std::fs::write(&offer, text_pdf(&["Settlement offered by Jane Roe to Acme.\nThe quarry tariff rose by twelve."]))
        .expect("write offer.pdf");
    let letter = data.path().join("letter.pdf");
    std::fs::write(&letter, text_pdf(&[&format!("Letter signed by Jane Roe for Acme.\nWrite to {EMAIL} about it.")]))
        .expect("write letter.pdf");
    let app = App::start(data.path()).await;
    attach_and_read(&app, &offer, "Text read: 1 page (PDF text layer)").await;
    attach_and_read(&app, &letter, "Text read: 1 page (PDF text layer)").await;
    let (width, height) = run.size;
    resize(&app, width, height).await;
    app.set_lang(run.lang).await;
    let mut misfits = Vec::new();

    // The name and the e-mail pattern, across the case.
    app.click("[data-testid=find-open]").await;
    app.type_into("[data-testid=find-words]", "Jane Roe").await;
    app.click("[data-testid=find-pattern-email]").await;
    app.click("[data-testid=find-search]").await;
    let count = app
        .until("the hits counted", async |a: &App| a.texts("[data-testid=find-count]").await, |c| !c.is_empty())
        .await;
    assert_eq!(count, [run.count]);
    let documents = text_content(&app, "[data-testid=find-document] h3").await;
    assert_eq!(documents, ["letter.pdf", "offer.pdf"], "listed by document, in the evidence list's order");
    let hits = text_content(&app, "[data-testid=find-hit-show]").await;
    assert_eq!(hits, ["p. 1 · Jane Roe".to_string(), format!("p. 1 · {EMAIL}"), "p. 1 · Jane Roe".to_string()]);

    // A hit opens its page in the viewer with its box drawn; closing it comes back to the hits.
    app.client
        .execute("document.querySelectorAll('[data-testid=find-hit-show]')[2].click()", vec![])
        .await
        .expect("show the hit");
    app.wait_css("[data-testid=viewer] [data-testid=redact-drawn]").await;
    assert_eq!(text_content(&app, "[data-testid=viewer] h2").await, ["offer.pdf"]);
    check(&app, &format!("redact-find-hit-{}", run.lang), &mut misfits).await;
    app.click("[data-testid=viewer-close]").await;
    app.wait_gone("[data-testid=viewer]").await;

    // Jane Roe is left in the letter: its first hit unchecked.
    app.client
        .execute("document.querySelectorAll('[data-testid=find-hit-check]')[0].click()", vec![])
        .await
        .expect("uncheck a hit");
    check(&app, &format!("redact-find-{}", run.lang), &mut misfits).await;
    assert_eq!(app.texts("[data-testid=find-count]").await, [run.count], "the count is seen");

    app.click("[data-testid=find-apply]").await;
    let copies =
        app.until("the copies made", async |a: &App| a.texts("[data-testid=find-copy]").await, |c| c.len() == 2).await;
    assert_eq!(copies.len(), 2, "{copies:?}");

    let texts = copies_text(data.path(), run.label);
    assert_eq!(texts.len(), 2, "two redacted copies stored: {texts:?}");
    let letter_copy = texts.iter().find(|t| t.contains("Letter")).expect("the letter's copy");
    let offer_copy = texts.iter().find(|t| t.contains("Settlement")).expect("the offer's copy");
    assert!(!letter_copy.contains(EMAIL) && !letter_copy.contains("example.org"), "{letter_copy}");
    assert!(letter_copy.contains("Jane Roe"), "the unchecked hit is kept: {letter_copy}");
    assert!(!offer_copy.contains("Jane") && !offer_copy.contains("Roe"), "{offer_copy}");
    for word in ["Acme", "quarry", "twelve"] {
        assert!(offer_copy.contains(word), "'{word}' is still in the copy: {offer_copy}");
    }

    // A copy opens beside its original.
    app.click("[data-testid=find-copy]").await;
    app.wait_css("[data-testid=viewer-beside] canvas").await;
    app.stop().await;
    assert!(misfits.is_empty(), "{} things do not fit:\n{}", misfits.len(), misfits.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn found_hits_reviewed_and_applied_make_redacted_copies_in_english() {
    find_and_redact(EN).await;
}

#[tokio::test(flavor = "current_thread")]
async fn found_hits_reviewed_and_applied_make_redacted_copies_in_french() {
    find_and_redact(FR).await;
}
