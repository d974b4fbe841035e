//! A deadline counted by rule, typed as a French paralegal types it, listed in Upcoming.

use crate::driver::*;

/// Today as `date` formats it (the test's clock is the app's); `+FORMAT -d +30days` for another day.
fn today(args: &str) -> String {
    let out = std::process::Command::new("date").args(args.split(' ')).output().expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn a_deadline_counted_by_rule_shows_in_upcoming_in_french_and_english() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("fr").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-correspondence]").await;
    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Microsoft").await;
    app.type_into("#f-subject", "Demande d’audit reçue").await;
    // Today as French Excel writes it, day first: 07/12/2026 is 7 December in French (in English it
    // reads two ways and would be refused).
    app.type_into("#f-date", &today("+%d/%m/%Y")).await;
    app.type_into("#f-deadline_rule", "10j").await;
    app.choose("calendar", "France (CPC art. 640 à 642)").await;
    app.save_form().await;

    // Ten days from today: in Upcoming, not overdue (a month-first reading would put it in the past
    // or refuse it), with how it was counted.
    let coming = app
        .until(
            "the counted deadline in Upcoming",
            async |a: &App| a.texts("[data-testid=upcoming] li").await,
            |items| items.iter().any(|i| i.contains("Demande d’audit reçue")),
        )
        .await;
    let item = coming.iter().find(|i| i.contains("Demande d’audit reçue")).expect("the item");
    assert!(item.contains("10 jours à compter de la réception, France"), "{item}");
    assert!(item.contains("dans ") && !item.contains("en retard"), "due in days, not overdue: {item}");
    app.shot("upcoming-fr").await;

    app.click_xpath("//*[@data-testid='upcoming']//button[contains(., 'Demande d’audit reçue')]").await;
    let rule = app.wait_css("[data-testid=deadline-rule]").await.text().await.expect("text");
    assert!(rule.contains("10 jours"), "{rule}");
    app.set_lang("en").await;
    let coming = app
        .until(
            "Upcoming in English",
            async |a: &App| a.texts("[data-testid=upcoming] li").await,
            |items| items.iter().any(|i| i.contains("10 days from receipt, France")),
        )
        .await;
    assert!(coming.iter().any(|i| i.contains("Demande d’audit reçue") && i.contains("in ")), "{coming:?}");
    app.shot("upcoming-en").await;
    app.stop().await;

    // The letter's date was stored as understood: today, day first.
    let db = data.path().join("org.dossier.app/dossier.sqlite");
    let stored: String = rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.query_row("SELECT date FROM letter WHERE subject = 'Demande d’audit reçue'", [], |r| r.get(0))
        })
        .unwrap_or_else(|e| panic!("{}: {e}", db.display()));
    assert_eq!(stored, today("+%Y-%m-%d"));
}

/// A hearing added from the timeline, and a brief due ten business days before it: the letter form
/// offers the case's events, and Upcoming says how the deadline was counted.
#[tokio::test(flavor = "current_thread")]
async fn a_deadline_counted_back_from_a_hearing_shows_how_it_was_counted() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("fr").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-timeline]").await;
    app.click("[data-testid=new-event]").await;
    app.type_into("#f-title", "Audience de plaidoirie").await;
    app.type_into("#f-date", &today("+%d/%m/%Y -d +30days")).await;
    app.save_form().await;

    app.click("[data-testid=tab-correspondence]").await;
    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Microsoft").await;
    app.type_into("#f-subject", "Conclusions à déposer").await;
    app.type_into("#f-date", &today("+%d/%m/%Y")).await;
    app.type_into("#f-deadline_rule", "10jo").await;
    app.choose("calendar", "France (CPC art. 640 à 642)").await;
    app.choose("deadline_event", &format!("{} — Audience de plaidoirie", today("+%Y-%m-%d -d +30days"))).await;
    app.click("#f-deadline_before").await;
    app.shot("letter-rule-event-fr").await;
    app.save_form().await;

    let coming = app
        .until(
            "the deadline before the hearing in Upcoming",
            async |a: &App| a.texts("[data-testid=upcoming] li").await,
            |items| items.iter().any(|i| i.contains("Conclusions à déposer")),
        )
        .await;
    let item = coming.iter().find(|i| i.contains("Conclusions à déposer")).expect("the item");
    assert!(item.contains("10 jours ouvrés avant l’événement « Audience de plaidoirie », France"), "{item}");
    app.shot("upcoming-event-fr").await;

    // From the letter to its hearing, which lists what counts from it.
    app.click_xpath("//*[@data-testid='upcoming']//button[contains(., 'Conclusions à déposer')]").await;
    app.click("[data-testid=deadline-event]").await;
    let listed = app
        .until(
            "the brief in the hearing's panel",
            async |a: &App| a.texts("[data-testid=event-deadlines] li").await,
            |t| !t.is_empty(),
        )
        .await;
    assert!(listed[0].contains("Conclusions à déposer"), "{listed:?}");
    app.shot("event-deadlines-fr").await;
    app.stop().await;
}
