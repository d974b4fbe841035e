//! A case recorded through the forms, and still there after a restart.

use crate::driver::*;

#[tokio::test(flavor = "current_thread")]
async fn a_new_case_is_recorded_through_the_forms_and_survives_a_restart() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("en").await;

    app.click("[data-testid=new-case]").await;
    app.type_into("#f-title", "Acme v. Widget").await;
    app.save_form().await;
    app.wait_css("[data-testid=case-acme-v-widget]").await;

    app.click("[data-testid=tab-parties]").await;
    for name in ["Acme Corp.", "Widget Ltd"] {
        app.click("[data-testid=new-party]").await;
        app.type_into("#f-name", name).await;
        app.choose("kind", "organisation").await;
        app.save_form().await;
    }

    // An impossible date is refused beside the date field, and nothing is saved.
    app.click("[data-testid=tab-correspondence]").await;
    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Acme Corp.").await;
    app.tick("to", "Widget Ltd").await;
    app.type_into("#f-subject", "Demand for audit").await;
    app.type_into("#f-date", "2024-02-30").await;
    let understood = app
        .until(
            "the live date check",
            async |a: &App| a.texts("[data-field=date] [data-testid=date-understood]").await,
            |t| t.first().is_some_and(|s| s.contains("2024-02-30")),
        )
        .await;
    assert!(understood[0].contains("does not exist"), "{understood:?}");
    app.click("[data-testid=save]").await;
    let beside = app.wait_css("[data-field=date] [data-testid=field-error]").await.text().await.expect("text");
    assert!(beside.contains("2024-02-30"), "the error names the date, beside the field: {beside}");
    app.shot("form-error-en").await;
    app.click("[data-testid=cancel]").await;
    app.wait_gone("[data-testid=record-form]").await;
    app.set_lang("fr").await;
    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Acme Corp.").await;
    app.type_into("#f-subject", "Mise en demeure").await;
    app.type_into("#f-date", "2024-02-30").await;
    app.click("[data-testid=save]").await;
    app.wait_css("[data-field=date] [data-testid=field-error]").await;
    app.shot("form-error-fr").await;
    // A date in French words is understood as it is typed, and said back in words.
    app.type_into("#f-date", "le 1er mars 2024").await;
    app.until(
        "the date in words understood",
        async |a: &App| a.texts("[data-field=date] [data-testid=date-understood]").await,
        |t| t.first().is_some_and(|s| s.contains("compris comme") && s.contains("1er mars 2024")),
    )
    .await;
    app.shot("date-words-fr").await;
    app.click("[data-testid=cancel]").await;
    app.wait_gone("[data-testid=record-form]").await;
    app.set_lang("en").await;

    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Acme Corp.").await;
    app.tick("to", "Widget Ltd").await;
    app.type_into("#f-subject", "Demand for audit").await;
    // Dates as people type them: in words, in either language, and as a spreadsheet writes them.
    app.type_into("#f-date", "4 mars 2024").await;
    app.type_into("#f-deadline", "18/03/2024").await;
    app.save_form().await;

    app.click("[data-testid=tab-allegations]").await;
    app.click("[data-testid=new-allegation]").await;
    app.choose("made_by", "Acme Corp.").await;
    app.choose("against", "Widget Ltd").await;
    app.type_into("#f-summary", "Widget exceeded the licensed volume").await;
    app.choose("raised_in", "Letter: Demand for audit").await;
    app.choose("reported_by", "Acme Corp.").await;
    app.save_form().await;

    app.click("[data-testid=add-response]").await;
    app.choose("stance", "denies").await;
    app.type_into("#f-date", "2024-03-15").await;
    app.type_into("#f-text", "Widget denies exceeding the volume.").await;
    app.save_form().await;
    let thread = app
        .until(
            "the response in the allegation's thread",
            async |a: &App| a.texts(".allegations [data-testid=response]").await,
            |r| !r.is_empty(),
        )
        .await;
    assert!(thread[0].contains("Widget Ltd") && thread[0].contains("denies"), "{thread:?}");

    app.click("[data-testid=tab-evidence]").await;
    let file = data.path().join("audit-letter.txt");
    std::fs::write(&file, b"hello\n").expect("write");
    app.click("[data-testid=attach-file]").await;
    app.set_path("#f-path", &file).await;
    app.save_form().await;
    let sha = app.wait_css("[data-testid=sha256]").await.text().await.expect("text");
    assert!(sha.contains("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), "{sha}");

    app.click("[data-testid=tab-timeline]").await;
    let expected = [
        ("2024-03-04", "letter", "Demand for audit"),
        ("2024-03-04", "allegation", "Widget exceeded the licensed volume"),
        ("2024-03-15", "response", "Widget denies exceeding the volume."),
        ("2024-03-18", "deadline", "Demand for audit"),
    ];
    let same = |rows: &Vec<(String, String, String)>| {
        rows.len() == expected.len() && rows.iter().zip(expected).all(|(r, e)| r.0 == e.0 && r.1 == e.1 && r.2 == e.2)
    };
    app.until("the new case's timeline", App::timeline, same).await;
    app.shot("new-case-timeline-en").await;
    app.stop().await;

    // Everything is still there after a restart on the same data.
    let app = App::start(data.path()).await;
    app.click("[data-testid=case-acme-v-widget]").await;
    app.until("the timeline after a restart", App::timeline, same).await;
    app.click("[data-testid=tab-evidence]").await;
    let sha = app.wait_css("[data-testid=sha256]").await.text().await.expect("text");
    assert!(sha.contains("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), "{sha}");
    app.stop().await;
}
