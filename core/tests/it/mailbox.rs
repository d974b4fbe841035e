//! A mailbox (`.mbox`, or a folder of `.eml` files) imported in one batch: threading across the set
//! whatever the order of the messages, attachments read and found, each message kept as evidence of
//! its letter, duplicates skipped, nothing written when one message is not an e-mail.

use crate::common::*;
use dossier_core::generate::documents::text_pdf;
use dossier_core::record::{evidence, letter};
use dossier_core::transfer::import;
use dossier_core::transfer::progress::unwatched;
use dossier_core::transfer::{import as import_file, ImportRequest};
use dossier_core::view::search::search;

fn message(id: &str, subject: &str, date: &str, reply_to: Option<&str>, body: &str, pdf: Option<&[u8]>) -> String {
    let mut m = format!(
        "From: Legal <legal@twitter.example>\nTo: Counsel <counsel@microsoft.example>\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\n"
    );
    if let Some(parent) = reply_to {
        m.push_str(&format!("In-Reply-To: <{parent}>\n"));
    }
    match pdf {
        None => m.push_str(&format!("Content-Type: text/plain\n\n{body}\n")),
        Some(pdf) => {
            m.push_str(&format!(
                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\n{body}\n--B\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"notice.pdf\"\nContent-Transfer-Encoding: base64\n\n{}\n--B--\n",
                base64_like::encode(pdf)
            ));
        }
    }
    m
}

/// Base64 for the attachment (a few lines; no crate needed for a test fixture).
mod base64_like {
    pub fn encode(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                out.push(if i <= chunk.len() { A[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
            }
        }
        out.as_bytes().chunks(76).map(|l| String::from_utf8_lossy(l).into_owned()).collect::<Vec<_>>().join("\n")
    }
}

fn mbox(messages: &[String]) -> Vec<u8> {
    messages
        .iter()
        .map(|m| format!("From legal@twitter.example Mon May  1 10:00:00 2023\n{m}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn a_mailbox_is_threaded_across_the_set_with_its_attachments_read() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let pdf = text_pdf(&["Formal notice: Brobdingnagian overuse of the API."]);
    let file = mbox(&[
        // Dated before the question it answers: a sender's clock was wrong.
        message("b@x", "Re: Audit", "Sun, 30 Apr 2023 10:00:00 +0000", Some("a@x"), "We decline.", None),
        message("a@x", "Audit", "Mon, 01 May 2023 10:00:00 +0000", None, "We request an audit.", Some(&pdf)),
        message("c@x", "Re: Re: Audit", "Wed, 03 May 2023 10:00:00 +0000", Some("b@x"), "Final word.", None),
    ]);
    let path = fx.dir.path().join("inbox.mbox");
    std::fs::write(&path, &file).expect("write");
    let request = ImportRequest { path, case: "c".into(), ..Default::default() };
    let report = import_file(&mut fx.store, &request).expect("import");
    assert!(
        report.messages[0].starts_with("imported 3 e-mails as letters, with 1 attachment"),
        "{:?}",
        report.messages
    );
    let threads = letter::threads(fx.store.reader(), "c").expect("threads");
    let shape: Vec<(u32, &str)> = threads.iter().map(|t| (t.depth, t.letter.subject.as_str())).collect();
    assert_eq!(
        shape,
        [(0, "Audit"), (1, "Re: Audit"), (2, "Re: Re: Audit")],
        "a reply that came first, or was dated first, is threaded"
    );
    let all = evidence::list(fx.store.reader(), "c").expect("evidence");
    assert_eq!(all.iter().filter(|e| e.links.iter().any(|l| l.note == "original message")).count(), 3);
    // The attachment waits to be read (the CLI and the app read it next); then it is found.
    let notice = all.iter().find(|e| e.title == "notice.pdf").expect("the attachment");
    evidence::read_text(&mut fx.store, &notice.id, &mut |_, _| true).expect("read");
    let hits = search(fx.store.reader(), "brobdingnagian", None, 10).expect("search");
    assert_eq!(
        hits.iter().map(|h| (h.record_id.as_str(), h.page)).collect::<Vec<_>>(),
        [(notice.id.as_str(), Some(1))]
    );

    // The same mailbox again: every message is already there, and skipped.
    let again = import_file(&mut fx.store, &request).expect("import again");
    assert!(again.messages[0].contains("3 already in the case were skipped"), "{:?}", again.messages);
    assert_eq!(letter::list(fx.store.reader(), "c").expect("letters").len(), 3);
    // One write of everything the mailbox brought: the record checks as Dossier wrote it.
    let report = checked(&fx.db_path());
    assert!(report.problems.is_empty(), "check: {:?}", messages(&report));
}

#[test]
fn one_message_that_is_not_an_e_mail_refuses_the_whole_mailbox() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let good = message("a@x", "Audit", "Mon, 01 May 2023 10:00:00 +0000", None, "x", None);
    let messages = vec![
        ("inbox #1".to_string(), good.into_bytes()),
        ("inbox #2".to_string(), b"Subject: no sender\n\nhello".to_vec()),
    ];
    let err = import::mailbox(&mut fx.store, "c", messages, &unwatched).expect_err("refused");
    assert!(err.to_string().contains("'inbox #2' is not an e-mail message: it has no From header"), "{err}");
    assert!(letter::list(fx.store.reader(), "c").expect("letters").is_empty(), "nothing was written");
    let err = import::split_mbox(b"just text\n", "notes.mbox").expect_err("no message");
    assert!(err.to_string().contains("'notes.mbox' holds no message"), "{err}");
}

#[test]
fn a_folder_of_e_mails_is_one_import() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let dir = fx.dir.path().join("mails");
    std::fs::create_dir(&dir).expect("folder");
    std::fs::write(
        dir.join("2.eml"),
        message("b@x", "Re: Audit", "Tue, 02 May 2023 10:00:00 +0000", Some("a@x"), "No.", None),
    )
    .expect("w");
    std::fs::write(dir.join("1.eml"), message("a@x", "Audit", "Mon, 01 May 2023 10:00:00 +0000", None, "Audit?", None))
        .expect("w");
    std::fs::write(dir.join("notes.txt"), "not an e-mail").expect("w");
    let report = import_file(&mut fx.store, &ImportRequest { path: dir, case: "c".into(), ..Default::default() })
        .expect("import");
    assert_eq!(report.count, 2 + 2 + 2, "two letters, two parties, two originals: {:?}", report.messages);
    let threads = letter::threads(fx.store.reader(), "c").expect("threads");
    assert_eq!(threads.iter().map(|t| t.depth).collect::<Vec<_>>(), [0, 1]);
}
