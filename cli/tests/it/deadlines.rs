//! Letters whose deadline is counted by rule, and the list of what is coming up across cases:
//! `letter add … --deadline-rule PERIOD --calendar C [--received DATE]` and `dossier upcoming`.

use crate::common::Db;

fn setup(db: &Db) {
    db.ok(&["case", "add", "--slug", "acme", "--title", "Acme v Widget"]);
    db.ok(&["case", "add", "--slug", "old", "--title", "Settled long ago", "--status", "settled"]);
    for name in ["Acme", "Widget Ltd"] {
        db.ok(&["party", "add", "--name", name, "--kind", "organisation"]);
    }
}

/// Guards issue 26's contract: a letter takes `--deadline-rule PERIOD --calendar C`, counted from its
/// date or `--received DATE`, and the deadline follows when either changes.
#[test]
fn a_letter_counts_its_deadline_by_rule_from_receipt() {
    let db = Db::new();
    setup(&db);
    let letter = |args: &[&str]| {
        let mut all = vec!["letter", "add", "acme", "--from", "Acme", "--to", "Widget Ltd", "--subject", "Demand"];
        all.extend_from_slice(args);
        db.ok(&all).trim().lines().last().expect("the new id").to_string()
    };
    let id = letter(&["--date", "2024-04-16", "--deadline-rule", "15d", "--calendar", "fr"]);
    let shown = db.json(&["letter", "show", &id]);
    assert_eq!((shown["deadline"].as_str(), shown["deadline_rule"].as_str()), (Some("2024-05-02"), Some("15d")));

    db.ok(&["letter", "edit", &id, "--received", "2024-04-18"]);
    assert_eq!(db.json(&["letter", "show", &id])["deadline"], "2024-05-03", "counted from receipt");

    // A typed deadline replaces the rule.
    db.ok(&["letter", "edit", &id, "--deadline", "2024-06-01"]);
    let shown = db.json(&["letter", "show", &id]);
    assert_eq!((shown["deadline"].as_str(), shown["deadline_rule"].as_str()), (Some("2024-06-01"), None));

    let (code, stderr) = db.err(&["letter", "edit", &id, "--deadline-rule", "15 jours", "--calendar", "fr"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (2, 1), "{stderr}");
    assert!(stderr.contains("15 jours") && stderr.contains("15d"), "{stderr}");
}

/// A rule may count back from an event (`--deadline-event ID --before`), and the deadline follows
/// when `event edit` moves the event; the event cannot be deleted from under it.
#[test]
fn a_letter_counts_its_deadline_back_from_a_hearing_that_moves() {
    let db = Db::new();
    setup(&db);
    let added = db.ok(&["event", "add", "acme", "--title", "Hearing", "--date", "2024-06-14"]);
    let hearing = added.trim().lines().last().expect("the event's id").to_string();
    let mut args: Vec<&str> =
        "letter add acme --from Acme --date 2024-04-16 --deadline-rule 10bd --calendar fr --before"
            .split(' ')
            .collect();
    args.extend(["--subject", "Brief due", "--deadline-event", &hearing]);
    let added = db.ok(&args);
    let id = added.trim().lines().last().expect("the letter's id").to_string();
    let shown = db.json(&["letter", "show", &id]);
    assert_eq!((shown["deadline"].as_str(), shown["deadline_before"].as_bool()), (Some("2024-05-31"), Some(true)));
    assert_eq!(shown["rule_en"], "10 business days before the event 'Hearing', France");

    db.ok(&["event", "edit", &hearing, "--date", "2024-07-05"]);
    assert_eq!(db.json(&["letter", "show", &id])["deadline"], "2024-06-21", "follows the hearing");

    let (code, stderr) = db.err(&["event", "delete", &hearing]);
    assert_ne!(code, 0);
    assert!(stderr.contains("Brief due"), "{stderr}");

    // Counted forward from the hearing now; then a typed deadline drops the rule and its event.
    db.ok(&["letter", "edit", &id, "--before", "false"]);
    assert_eq!(db.json(&["letter", "show", &id])["deadline"], "2024-07-19");
    db.ok(&["letter", "edit", &id, "--deadline", "2024-08-01"]);
    let shown = db.json(&["letter", "show", &id]);
    assert_eq!((shown["deadline"].as_str(), shown["deadline_event"].as_str()), (Some("2024-08-01"), None));
    db.ok(&["event", "delete", &hearing]);
}

#[test]
fn upcoming_lists_what_must_be_answered_across_cases() {
    let db = Db::new();
    setup(&db);
    let add = |case: &str, subject: &str, date: &str| {
        let args = [
            "letter",
            "add",
            case,
            "--from",
            "Acme",
            "--subject",
            subject,
            "--date",
            date,
            "--deadline-rule",
            "1m",
            "--calendar",
            "ew",
        ];
        db.ok(&args).trim().lines().last().expect("id").to_string()
    };
    let far = add("acme", "Far ahead", "2098-12-01");
    add("old", "In a settled case", "2098-12-01");
    add("acme", "Further still", "2099-06-01");
    // Looking a month past the first deadline (2 January 2099, day 47,118 of the Unix epoch) finds it,
    // not the second; the settled case is left out.
    let today = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() / 86_400;
    let days = (47_118 + 30 - today).to_string();
    let coming = db.json(&["upcoming", "--days", &days]);
    let coming = coming.as_array().expect("a list");
    assert_eq!(coming.len(), 1, "{coming:?}");
    assert_eq!(coming[0]["deadline"]["letter_id"], far.as_str());
    assert_eq!(coming[0]["deadline"]["deadline"], "2099-01-02", "1 January 2099 is a bank holiday");
    assert_eq!(coming[0]["case_slug"], "acme");
    let text = db.ok(&["--lang", "fr", "upcoming", "--days", &days]);
    assert!(text.contains("Far ahead") && text.contains("1 mois à compter de la réception"), "{text}");
}

/// Guards issue 26: a date typed in an option is read in the output language, as a form reads it in
/// the UI's: `--lang fr` reads 05/06/2023 day first; in English it reads two ways and is refused.
#[test]
fn record_options_read_numeric_dates_in_the_chosen_language() {
    let db = Db::new();
    setup(&db);
    let id = db.ok(&[
        "--lang",
        "fr",
        "letter",
        "add",
        "acme",
        "--from",
        "Acme",
        "--subject",
        "Relance",
        "--date",
        "05/06/2023",
        "--received",
        "07/06/2023",
    ]);
    let shown = db.json(&["letter", "show", id.trim().lines().last().expect("id")]);
    assert_eq!((shown["date"].as_str(), shown["received"].as_str()), (Some("2023-06-05"), Some("2023-06-07")));
    let event = db.ok(&["--lang", "fr", "event", "add", "acme", "--title", "Audience", "--date", "le 3 juillet 2023"]);
    assert_eq!(db.json(&["event", "show", event.trim().lines().last().expect("id")])["date"], "2023-07-03");

    let (code, stderr) =
        db.err(&["letter", "add", "acme", "--from", "Acme", "--subject", "Reminder", "--date", "05/06/2023"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("2023-05-06") && stderr.contains("2023-06-05"), "both readings: {stderr}");
}
