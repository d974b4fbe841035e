//! The security review's costly inputs as the app meets them: a scanned document whose OCR would take
//! an hour is read in the background within its budget, and the window answers meanwhile.

use std::time::{Duration, Instant};

use dossier_core::generate::documents::scanned_pages;

use crate::driver::*;

/// The reading's state as the evidence panel says it.
async fn text_state(app: &App) -> String {
    app.texts("[data-testid=text-state]").await.join(" ")
}

/// Guards "Trust, second pass" (M6, Done when): while a 200-page scan is read by OCR, a click on
/// another view is answered before the reading ends, and the reading then stops at its budget, saying
/// so. The click's time is printed (the figure in the closing note), not asserted.
#[tokio::test(flavor = "current_thread")]
async fn the_window_answers_while_a_long_scan_is_read_and_the_reading_stops_at_its_budget() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let pdf = data.path().join("long-scan.pdf");
    let scan = scanned_pages("A LONG SCANNED FILING\nEvery page is read by character recognition.", 200).expect("scan");
    std::fs::write(&pdf, scan).expect("write");
    // The default budget is ten minutes a file; the test's is 20 seconds, the same rule.
    let app = App::start_with(data.path(), &[("DOSSIER_OCR_SECONDS", "20")]).await;
    app.set_lang("en").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-evidence]").await;
    app.click("[data-testid=attach-file]").await;
    app.set_path("#f-path", &pdf).await;
    app.save_form().await;
    app.until("OCR under way", async |a: &App| text_state(a).await, |s| s.contains("recognized")).await;

    let clicked = Instant::now();
    app.click("[data-testid=tab-correspondence]").await;
    app.wait_css("[data-testid=thread-letter]").await;
    let answered = clicked.elapsed();
    app.click("[data-testid=tab-evidence]").await;
    let during = text_state(&app).await;
    assert!(during.contains("recognized"), "the reading was still under way when the click was answered: {during}");
    println!("click on Correspondence answered in {} ms while OCR ran", answered.as_millis());

    let started = Instant::now();
    let mut state = text_state(&app).await;
    while !state.contains("OCR stopped after") && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        state = text_state(&app).await;
    }
    assert!(state.contains("OCR stopped after") && state.contains("Text read: 200 pages"), "{state}");
    app.shot("evidence-ocr-budget-en").await;
    app.stop().await;
}
