//! `dossier import FILE.msg --case SLUG` and `dossier import FILE.pst --case SLUG`: Outlook's files
//! imported as e-mails, threaded, their attachments found by `search`.

use crate::common::Db;
use crate::outlook_files::{msg::msg, who, Mail};
use dossier_core::generate::documents::text_pdf;

/// 2023-05-01 10:00:00 UTC.
const MAY_1: i64 = 1_682_935_200;

fn bytes_file(db: &Db, name: &str, bytes: &[u8]) -> String {
    let path = db.dir().join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_string_lossy().into_owned()
}

fn notice() -> Mail {
    let mut m = Mail::new(
        "Audit notice",
        who("Legal", "legal@twitter.example"),
        vec![who("Press", "press@microsoft.example")],
        MAY_1,
        "notice@twitter.example",
        "Our notice is attached.",
    );
    m.attachments = vec![("notice.pdf".into(), text_pdf(&["The Jabberwock clause was breached."]))];
    m
}

fn reply() -> Mail {
    let mut m = Mail::new(
        "RE: Audit notice",
        who("Press", "press@microsoft.example"),
        vec![who("Legal", "legal@twitter.example")],
        MAY_1 + 3_600,
        "reply@microsoft.example",
        "Declined.",
    );
    m.in_reply_to = Some("<notice@twitter.example>".into());
    m
}

/// The subject of the letter each letter of the case answers, by subject.
fn answers(db: &Db) -> Vec<(String, Option<String>)> {
    let all = db.json(&["letter", "list", "twitter-v-microsoft"]);
    let letters = all.as_array().expect("letters");
    let subject =
        |id: &str| letters.iter().find(|l| l["id"] == id).map(|l| l["subject"].as_str().unwrap_or("").to_string());
    let mut pairs: Vec<(String, Option<String>)> = letters
        .iter()
        .filter(|l| l["channel"] == "email")
        .map(|l| (l["subject"].as_str().unwrap_or("").to_string(), l["in_reply_to"].as_str().and_then(subject)))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn import_reads_an_outlook_message_with_its_attachment() {
    let db = Db::new();
    db.ok(&["demo"]);
    let notice = bytes_file(&db, "notice.msg", &msg(&notice()));
    let out = db.ok(&["import", &notice, "--case", "twitter-v-microsoft"]);
    assert!(out.contains("imported 'Audit notice' as a letter with 1 attachment"), "{out}");
    let reply = bytes_file(&db, "reply.msg", &msg(&reply()));
    let out = db.ok(&["import", &reply, "--case", "twitter-v-microsoft"]);
    assert!(out.contains("threaded as a reply to <notice@twitter.example>"), "{out}");
    assert_eq!(
        answers(&db),
        [("Audit notice".to_string(), None), ("RE: Audit notice".to_string(), Some("Audit notice".to_string()))]
    );
    assert!(!db.json(&["search", "jabberwock"]).as_array().expect("hits").is_empty(), "the attachment is found");

    let broken = bytes_file(&db, "broken.msg", b"not a compound file");
    let (code, err) = db.err(&["import", &broken, "--case", "twitter-v-microsoft"]);
    assert!(code != 0 && err.contains("'broken.msg' is not an Outlook message"), "{err}");
}

#[test]
fn import_reads_an_outlook_archive_threaded_with_its_attachment() {
    let db = Db::new();
    db.ok(&["demo"]);
    let archive = crate::outlook_files::pst::pst(&[("Inbox", vec![reply()]), ("Sent Items", vec![notice()])]);
    let file = bytes_file(&db, "archive.pst", &archive);
    let out = db.ok(&["import", &file, "--case", "twitter-v-microsoft"]);
    assert!(out.contains("imported 2 e-mails as letters, with 1 attachment"), "{out}");
    assert!(out.contains("threaded as a reply to <notice@twitter.example>"), "{out}");
    assert_eq!(
        answers(&db),
        [("Audit notice".to_string(), None), ("RE: Audit notice".to_string(), Some("Audit notice".to_string()))]
    );
    assert!(!db.json(&["search", "jabberwock"]).as_array().expect("hits").is_empty(), "the attachment is found");

    let broken = bytes_file(&db, "broken.pst", &archive[..archive.len() / 3]);
    let (code, err) = db.err(&["import", &broken, "--case", "twitter-v-microsoft"]);
    assert!(code != 0 && err.contains("'broken.pst' could not be read as an Outlook archive"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}
