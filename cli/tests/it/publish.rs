//! The hand-over and publish contract: `dossier export` to docx, site and timelinejs, exhibit
//! numbering, and `dossier <kind> edit ID --private true|false` keeping a record out of what is
//! published.

use std::process::Command;

use crate::common::Db;

const DEMO: &str = "twitter-v-microsoft";

fn id_of(db: &Db, kind: &str, list_args: &[&str], title_part: &str) -> String {
    let list = db.json(list_args);
    list.as_array()
        .expect("array")
        .iter()
        .find(|r| r.to_string().contains(title_part))
        .unwrap_or_else(|| panic!("no {kind} with '{title_part}'"))["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[test]
fn word_site_and_timelinejs_exports_keep_private_records_out_of_what_is_published() {
    let db = Db::new();
    db.ok(&["demo"]);
    let threat = id_of(&db, "event", &["event", "list", DEMO], "threatens to sue");
    let edited = db.json(&["event", "edit", &threat, "--private", "true"]);
    assert_eq!(edited["private"], true);
    let source = "Seed article (unnamed French outlet)";
    db.ok(&["party", "edit", source, "--private", "true"]);
    assert_eq!(db.json(&["party", "show", source])["private"], true);
    let (code, message) = db.err(&["event", "edit", &threat, "--private", "maybe"]);
    assert_ne!(code, 0);
    assert!(message.contains("maybe"), "{message}");

    let dir = db.dir();
    let docx = dir.join("s.docx");
    let site = dir.join("site");
    let tl = dir.join("t.json");
    db.ok(&["export", DEMO, "--format", "docx", "-o", docx.to_str().unwrap()]);
    db.ok(&["export", DEMO, "--format", "site", "-o", site.to_str().unwrap()]);
    db.ok(&["export", DEMO, "--format", "timelinejs", "-o", tl.to_str().unwrap()]);

    // The Word document is for the people working the case: the private event is in it.
    let text =
        Command::new("pandoc").args(["-f", "docx", "-t", "plain", "--wrap=none"]).arg(&docx).output().expect("pandoc");
    let text = String::from_utf8(text.stdout).unwrap();
    let (free_api, threat_at) =
        (text.find("Twitter ends its free API").unwrap(), text.find("threatens to sue").unwrap());
    assert!(free_api < threat_at, "the chronology in order");

    // What is published is not.
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let json = std::fs::read_to_string(&tl).unwrap();
    for published in [&index, &json] {
        assert!(published.contains("Twitter ends its free API"));
        assert!(!published.contains("threatens to sue") && !published.contains(source));
    }
    assert!(site.join("style.css").is_file() && site.join("timeline.js").is_file());
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(parsed["events"].as_array().unwrap().len() >= 10);

    // Made public again, it is published.
    db.ok(&["event", "edit", &threat, "--private", "false"]);
    db.ok(&["export", DEMO, "--format", "timelinejs", "-o", tl.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&tl).unwrap().contains("threatens to sue"));
}

#[test]
fn exhibits_and_sections_shape_a_report() {
    let db = Db::new();
    db.ok(&["demo"]);
    let md = db.ok(&["export", DEMO, "--format", "md", "--exhibits", "--sections", "chronology,evidence"]);
    assert!(md.contains("### Exhibit 1. Seed article"), "{md}");
    assert!(md.contains("Exhibit 1 (¶ 5)"));
    assert!(!md.contains("## Allegations"));
    let (code, message) = db.err(&["export", DEMO, "--format", "md", "--sections", "everything"]);
    assert_ne!(code, 0);
    assert!(message.contains("'everything' is not one of"), "{message}");
    let (code, message) = db.err(&["export", DEMO, "--format", "site"]);
    assert_ne!(code, 0);
    assert!(message.contains("output folder"), "{message}");
}

/// Guards M5 of the second review: a private party named in published free text is told on stderr
/// before the site is written, and `--strict` refuses to publish it.
#[test]
fn m5_private_names_are_warned_of_and_strict_refuses_to_publish() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Acme leak", "--summary", "Public summary."]);
    db.ok(&["party", "add", "--name", "Jane Whistle", "--kind", "person"]);
    db.ok(&["event", "add", "acme-leak", "--title", "Acme meets Jane Whistle", "--date", "2023-03-01"]);
    db.ok(&["party", "edit", "Jane Whistle", "--private", "true"]);

    let site = db.dir().join("site");
    let out = db.run(&["export", "acme-leak", "--format", "site", "-o", site.to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "dossier: warning: the private party 'Jane Whistle' is named in the title of the entry “Acme meets Jane Whistle”"
    );
    assert!(site.join("index.html").is_file(), "without --strict the site is written");

    let refused = db.dir().join("refused");
    let tl = refused.join("t.json");
    let (code, message) =
        db.err(&["export", "acme-leak", "--format", "timelinejs", "--strict", "-o", tl.to_str().unwrap()]);
    assert_eq!(code, 2, "invalid input: {message}");
    assert!(message.contains("'Jane Whistle'") && message.contains("nothing was written"), "{message}");
    assert!(!refused.exists(), "nothing written");
    let out = db.run(&["export", "acme-leak", "--format", "timelinejs", "--strict"]);
    assert!(!out.status.success() && out.stdout.is_empty(), "nothing printed either");
    let (code, message) = db.err(&["export", "acme-leak", "--format", "html", "--strict"]);
    assert_eq!(code, 2);
    assert!(message.contains("site or timelinejs"), "{message}");

    // Once the text says less, strict publishes.
    let event = id_of(&db, "event", &["event", "list", "acme-leak"], "Jane Whistle");
    db.ok(&["event", "edit", &event, "--title", "Acme meets a whistle-blower"]);
    let tl = db.dir().join("t.json");
    let out = db.run(&["export", "acme-leak", "--format", "timelinejs", "--strict", "-o", tl.to_str().unwrap()]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Guards L9 of the second review: words that are not on the cited page are refused.
#[test]
fn l9_a_quote_not_on_its_page_is_refused() {
    let db = Db::new();
    db.ok(&["demo"]);
    let allegation = db.json(&["allegation", "list", DEMO])[0]["id"].as_str().unwrap().to_string();
    let list = db.json(&["evidence", "list", DEMO]);
    let file =
        list.as_array().unwrap().iter().find(|e| e["sha256"].is_string()).unwrap()["id"].as_str().unwrap().to_string();
    let quote = "Microsoft agreed to pay ten million";
    let (code, message) = db.err(&["evidence", "link", &file, &allegation, "--quote", quote, "--page", "1"]);
    assert_eq!(code, 2);
    assert!(message.contains("is not on page 1"), "{message}");
    let html = db.ok(&["export", DEMO, "--format", "html"]);
    assert!(!html.contains("agreed to pay ten million"));
}
