//! A name redacted in the viewer (issue 25, item 6): a PDF attached to the demo case is opened, the
//! Redact mode turned on, a reason chosen and a box drawn over the name with the mouse; applying makes
//! a redacted copy, which the viewer shows beside its original and whose panel names the original.
//! The copy's stored file no longer holds the name (Poppler's `pdftotext`) and still holds the other
//! words. In English at 1280×800 and in French at 1024×768, where nothing of the viewer may overflow
//! the window (the rule of `window.rs`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use dossier_core::generate::documents::text_pdf;
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};

use crate::documents::attach_and_read;
use crate::driver::*;
use crate::window::{check, resize};

const NAME: &str = "Jane Roe";
const KEPT: [&str; 4] = ["Settlement", "Acme", "quarry", "twelve"];

/// What the test chooses and expects in one language.
struct Run {
    lang: &'static str,
    size: (u32, u32),
    /// The reason chosen, as the list says it, and the label the box then shows.
    reason: &'static str,
    label: &'static str,
    /// What the copy's panel and the beside pane say, and the copy's title.
    copy_of: &'static str,
    original: &'static str,
    copy_title: &'static str,
}

const EN: Run = Run {
    lang: "en",
    size: (1280, 800),
    reason: "third party",
    label: "Redacted – third party",
    copy_of: "Redacted copy of offer.pdf",
    original: "Original — offer.pdf",
    copy_title: "offer.pdf (redacted)",
};

const FR: Run = Run {
    lang: "fr",
    size: (1024, 768),
    reason: "données personnelles",
    label: "Occulté – données personnelles",
    copy_of: "Copie occultée de offer.pdf",
    original: "Original — offer.pdf",
    copy_title: "offer.pdf (occulté)",
};

/// Where `words` are on screen, in the PDF's text layer: left, top, right, bottom in CSS pixels
/// (`None` while the layer is being drawn).
async fn place_of(app: &App, words: &str) -> Option<(f64, f64, f64, f64)> {
    let rect = app
        .client
        .execute(
            "const words = arguments[0];
             const span = [...document.querySelectorAll('[data-testid=pdf-text] span')]
               .find((s) => s.textContent.includes(words));
             if (!span) return null;
             const node = span.firstChild;
             const at = node.textContent.indexOf(words);
             const range = document.createRange();
             range.setStart(node, at);
             range.setEnd(node, at + words.length);
             const r = range.getBoundingClientRect();
             return [r.left, r.top, r.right, r.bottom];",
            vec![serde_json::Value::from(words)],
        )
        .await
        .expect("the words' place");
    serde_json::from_value(rect).ok()
}

/// Where `words` are once the page has stopped moving: the same place read twice, 200 ms apart.
async fn settled_place_of(app: &App, words: &str) -> (f64, f64, f64, f64) {
    let mut last = place_of(app, words).await;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = place_of(app, words).await;
        if let (Some(place), true) = (now, now == last) {
            return place;
        }
        last = now;
    }
    panic!("the page kept moving, or '{words}' is not in its text layer: last at {last:?}");
}

/// Drags the mouse from one corner to the other, as a user draws a box.
async fn drag(app: &App, (left, top, right, bottom): (f64, f64, f64, f64)) {
    let steps = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x: left, y: top })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveTo { duration: Some(Duration::from_millis(150)), x: (left + right) / 2.0, y: bottom })
        .then(PointerAction::MoveTo { duration: Some(Duration::from_millis(150)), x: right, y: bottom })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    app.client.perform_actions(steps).await.expect("drag the mouse");
    let _ = app.client.release_actions().await;
}

/// The text of each element `css` finds, spaces trimmed (WebDriver's own text is empty for an SVG
/// element and for a line cut with an ellipsis).
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

/// The stored file of SHA-256 `sha` under the app's data folder (`<db>.files/ab/abcd…`).
fn stored(dir: &Path, sha: &str) -> PathBuf {
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read the data folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.file_name().is_some_and(|n| n == sha) {
                return path;
            }
        }
    }
    panic!("no stored file {sha} under {}", dir.display());
}

fn pdftotext(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn redact_a_name(run: Run) {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let pdf = data.path().join("offer.pdf");
    std::fs::write(
        &pdf,
        text_pdf(&["Settlement offered by Jane Roe to Acme.\nThe quarry tariff rose by twelve percent."]),
    )
    .expect("write the PDF");
    let app = App::start(data.path()).await;
    attach_and_read(&app, &pdf, "Text read: 1 page (PDF text layer)").await;
    let (width, height) = run.size;
    resize(&app, width, height).await;
    app.set_lang(run.lang).await;
    let lang = run.lang;
    let mut misfits = Vec::new();

    // Redact mode: the reason chosen from the list, then a box dragged over the name.
    app.click("[data-testid=view-evidence]").await;
    app.wait_css("[data-testid=pdf-text] span").await;
    app.click("[data-testid=redact-mode]").await;
    app.wait_css("[data-testid=redact-layer]").await;
    app.wait_css("[data-testid=redact-reason]").await.select_by_label(run.reason).await.expect("choose the reason");
    // The page is drawn again to fit beside the tool: the name's place is read once it has settled.
    let (left, top, right, bottom) = settled_place_of(&app, NAME).await;
    // A little wider than the words, as a user draws: the text layer's letters are not the page's.
    drag(&app, (left - 5.0, top - 2.0, right + 5.0, bottom + 2.0)).await;
    let listed = app
        .until("the box in the list", async |a: &App| a.texts("[data-testid=redact-box]").await, |l| !l.is_empty())
        .await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].starts_with(&format!("p. 1 · {}", run.reason)), "{listed:?}");
    let drawn = text_content(&app, "[data-testid=redact-drawn] text").await;
    assert_eq!(drawn, [run.label], "the box shows its reason's label");
    check(&app, &format!("redact-draw-{lang}"), &mut misfits).await;

    // Applied: the copy opens with its original beside it.
    app.click("[data-testid=redact-apply]").await;
    let beside = app
        .until(
            "the original beside the copy",
            async |a: &App| text_content(a, "[data-testid=viewer-beside] .pane-caption").await,
            |c| c.iter().any(|t| !t.is_empty()),
        )
        .await;
    assert_eq!(beside, [run.original]);
    assert_eq!(text_content(&app, "[data-testid=viewer] h2").await, [run.copy_title]);
    app.wait_css("[data-testid=viewer-beside] canvas").await;
    // The copy shown is the redacted one: its label is burned in, in the user's language.
    let copy_text = app
        .until(
            "the copy drawn",
            async |a: &App| a.texts("[data-testid=pdf-text] span").await.join(" "),
            |t| t.contains(run.label),
        )
        .await;
    assert!(!copy_text.contains(NAME), "{copy_text}");
    check(&app, &format!("redact-viewer-{lang}"), &mut misfits).await;
    app.click("[data-testid=viewer-close]").await;
    app.wait_gone("[data-testid=viewer]").await;

    // The copy's panel says what it is a copy of and why; its file has lost the name only.
    let from = app.wait_css("[data-testid=redacted-from]").await.text().await.expect("the copy's panel");
    assert!(from.contains(run.copy_of), "{from}");
    assert!(from.contains(run.reason), "{from}");
    let sha = app.wait_css("[data-testid=panel-sha256]").await.text().await.expect("the copy's hash");
    check(&app, &format!("redact-panel-{lang}"), &mut misfits).await;
    let text = pdftotext(&stored(data.path(), &sha));
    assert!(!text.contains("Jane") && !text.contains("Roe"), "the name is gone from the copy: {text}");
    for word in KEPT {
        assert!(text.contains(word), "'{word}' is still in the copy: {text}");
    }

    // The original lists its copy.
    app.click("[data-testid=redacted-original]").await;
    let copies = app
        .until(
            "the original's copies",
            async |a: &App| a.texts("[data-testid=redacted-copies] li").await,
            |c| !c.is_empty(),
        )
        .await;
    assert_eq!(copies, [run.copy_title]);
    app.stop().await;
    assert!(misfits.is_empty(), "{} things do not fit:\n{}", misfits.len(), misfits.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_box_drawn_in_the_viewer_redacts_a_name_in_english() {
    redact_a_name(EN).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_box_drawn_in_the_viewer_redacts_a_name_in_french() {
    redact_a_name(FR).await;
}
