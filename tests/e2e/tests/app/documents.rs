//! A document as a user works with it: a PDF attached to the demo case is read in the background,
//! opened in the viewer, a passage of page 2 selected and cited from an allegation; the citation shows
//! in the record's panel and in the HTML report with its page, and following it opens the document at
//! that page with the words marked. In English and in French. A scanned PDF shows the text OCR read
//! from its page beneath the page's picture.

use std::path::Path;

use dossier_core::generate::documents::{scanned_pdf, text_pdf};

use crate::driver::*;

const PASSAGE: &str = "demands an audit of the data";
const ALLEGATION: &str = "Allegation: Microsoft used more Twitter data than the agreement provided for";

/// Attaches `file` to the demo case (in English) and waits until the evidence panel says `read`: its
/// text is read in the background.
pub(crate) async fn attach_and_read(app: &App, file: &Path, read: &str) {
    app.set_lang("en").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-evidence]").await;
    app.click("[data-testid=attach-file]").await;
    app.set_path("#f-path", file).await;
    app.save_form().await;
    let state = app
        .until(
            "the text read in the background",
            async |a: &App| a.texts("[data-testid=text-state]").await,
            |s| s.iter().any(|t| t.contains(read)),
        )
        .await;
    assert_eq!(state.len(), 1, "{state:?}");
}

/// Selects `words` in the viewer's text (as a user drags over them).
async fn select_words(app: &App, words: &str) {
    let selected = app
        .client
        .execute(
            "const words = arguments[0];
             const span = [...document.querySelectorAll('[data-testid=pdf-text] span')]
               .find((s) => s.textContent.includes(words));
             if (!span) return '';
             const node = span.firstChild;
             const at = node.textContent.indexOf(words);
             const range = document.createRange();
             range.setStart(node, at);
             range.setEnd(node, at + words.length);
             const selection = document.getSelection();
             selection.removeAllRanges();
             selection.addRange(range);
             return selection.toString();",
            vec![serde_json::Value::from(words)],
        )
        .await
        .expect("select");
    assert_eq!(selected.as_str(), Some(words), "the words are in page 2's text layer");
}

#[tokio::test(flavor = "current_thread")]
async fn a_passage_cited_in_the_viewer_is_followed_back_and_reported() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let pdf = data.path().join("notice.pdf");
    let pages = ["Formal notice", &format!("Twitter {PASSAGE} it shared.\nReply within ten days.")];
    std::fs::write(&pdf, text_pdf(&pages)).expect("write the PDF");
    let app = App::start(data.path()).await;
    attach_and_read(&app, &pdf, "Text read: 2 pages (PDF text layer)").await;

    // The viewer draws the PDF; page 2's text is selectable and cited from an allegation.
    app.click("[data-testid=view-evidence]").await;
    app.wait_css("[data-testid=pdf-text] span").await;
    let page = app.wait_css("[data-testid=viewer-page-number]").await.text().await.expect("page");
    assert_eq!(page, "page 1 of 2");
    app.client.execute("document.querySelector('[aria-label=\"Next page\"]').click()", vec![]).await.expect("next");
    app.until(
        "page 2 drawn",
        async |a: &App| a.texts("[data-testid=pdf-text] span").await.join(" "),
        |t| t.contains(PASSAGE),
    )
    .await;
    app.shot("viewer-en").await;
    select_words(&app, PASSAGE).await;
    app.click("[data-testid=cite-selection]:not([disabled])").await;
    let intro = app.wait_css("[data-testid=record-form] .form-intro").await.text().await.expect("intro");
    assert_eq!(intro, format!("“{PASSAGE}” (p. 2)"));
    app.pick("record", "more twitter data", ALLEGATION).await;
    app.shot("link-picker-en").await;
    app.save_form().await;
    let quotes = app
        .until("the quote in the panel", async |a: &App| a.texts("[data-testid=quote]").await, |q| !q.is_empty())
        .await;
    assert_eq!(quotes, [format!("“{PASSAGE}” (p. 2)")]);
    app.shot("evidence-quote-en").await;

    // From the allegation, the citation opens the document at page 2 with the words marked.
    app.client
        .execute("[...document.querySelectorAll('[data-testid=backlinks] li > button.link')][0].click()", vec![])
        .await
        .expect("open the allegation");
    app.click("[data-testid=record-quote]").await;
    let marked = app
        .until("the passage marked", async |a: &App| a.texts("[data-testid=pdf-text] .cited").await, |m| !m.is_empty())
        .await;
    assert!(marked.join(" ").contains(PASSAGE), "{marked:?}");
    let page = app.wait_css("[data-testid=viewer-page-number]").await.text().await.expect("page");
    assert_eq!(page, "page 2 of 2");
    app.shot("viewer-cited-en").await;
    app.click("[data-testid=viewer-close]").await;
    app.set_lang("fr").await;
    app.click("[data-testid=record-quote]").await;
    app.until("the passage marked", async |a: &App| a.texts("[data-testid=pdf-text] .cited").await, |m| !m.is_empty())
        .await;
    let page = app.wait_css("[data-testid=viewer-page-number]").await.text().await.expect("page");
    assert_eq!(page, "page 2 sur 2");
    app.shot("viewer-cited-fr").await;
    app.click("[data-testid=viewer-close]").await;
    app.set_lang("en").await;

    // The HTML report quotes the passage with its page.
    let report = data.path().join("report.html");
    app.click("[data-testid=export]").await;
    app.wait_css("#f-format").await.select_by_value("html").await.expect("format");
    app.set_path("#f-path", &report).await;
    app.save_form().await;
    app.wait_css("[data-testid=notice]").await;
    let html = std::fs::read_to_string(&report).expect("the report");
    assert!(
        html.contains(&format!(
            "<blockquote class=\"quote\">“{PASSAGE}” <span class=\"page\">(p. 2)</span></blockquote>"
        )),
        "the report quotes the passage with its page"
    );
    app.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_scanned_pdf_shows_the_text_read_from_its_picture() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let pdf = data.path().join("scan.pdf");
    std::fs::write(&pdf, scanned_pdf("COURT FILING\nThe claimant cites Snarkhunting.").expect("a scan"))
        .expect("write");
    let app = App::start(data.path()).await;
    attach_and_read(&app, &pdf, "Text read: 1 page (character recognition)").await;
    app.click("[data-testid=view-evidence]").await;
    let text = app
        .until("the recognized text", async |a: &App| a.texts("[data-testid=viewer-text]").await, |t| !t.is_empty())
        .await;
    assert!(text[0].contains("Snarkhunting"), "{text:?}");
    assert!(app.texts("[data-testid=pdf-text] span").await.is_empty(), "a scan has no text layer");
    app.shot("viewer-scan-en").await;
    app.stop().await;
}
