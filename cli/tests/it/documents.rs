//! The CLI contract for documents: `evidence add-file` reads a PDF's text layer, a Word file and a
//! scan (waiting, or `--no-wait`), `evidence show` says the pages read, `evidence text` prints them,
//! `search` finds a word of each and understands word forms, and `import mailbox.mbox --case` brings
//! a mailbox in; OCR stops at its budget, no program it runs sees the passphrase, and an export to a
//! device writes through it.

use dossier_core::generate::documents::{scanned_pages, scanned_pdf, text_pdf};

use crate::common::Db;

fn bytes_file(db: &Db, name: &str, bytes: &[u8]) -> String {
    let path = db.dir().join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_string_lossy().into_owned()
}

fn found(db: &Db, word: &str, id: &str) -> bool {
    db.json(&["search", word]).as_array().expect("hits").iter().any(|h| h["record_id"] == id)
}

#[test]
fn add_file_reads_pdf_word_and_scans_so_their_words_are_found() {
    let db = Db::new();
    db.ok(&["demo"]);
    let case = "twitter-v-microsoft";
    let pdf =
        bytes_file(&db, "letter.pdf", &text_pdf(&["Cover", "The licensee breached the rate limits: Vorpalword."]));
    let scan =
        bytes_file(&db, "scan.pdf", &scanned_pdf("COURT FILING\nThe claimant cites Snarkhunting.").expect("a scan"));
    let markdown = db.file("contract.md", "# Contract\n\nThe parties agree on Jabberwockish terms.\n");
    let docx = db.dir().join("contract.docx");
    let made = std::process::Command::new("pandoc").arg(&markdown).arg("-o").arg(&docx).status().expect("pandoc");
    assert!(made.success(), "pandoc (installed by the set-up script) makes the Word file");
    for (file, word, method) in [
        (pdf.as_str(), "vorpalword", "PDF text layer"),
        (&docx.to_string_lossy(), "jabberwockish", "Word document"),
        (scan.as_str(), "snarkhunting", "character recognition"),
    ] {
        let id = db.ok(&["evidence", "add-file", case, file]).trim().to_string();
        assert!(found(&db, word, &id), "{word} is found once add-file returns");
        let shown = db.ok(&["evidence", "show", &id]);
        let pages = if file.ends_with("letter.pdf") { "2 pages" } else { "1 page" };
        assert!(shown.contains(&format!("text: {pages} extracted ({method})")), "{shown}");
    }
    let hits = db.ok(&["search", "rate limit"]);
    assert!(
        hits.contains("letter.pdf  (p. 2)") && hits.contains("[rate] [limits]"),
        "word forms, with the page: {hits}"
    );
    let french = db.json(&["search", "redevances"]);
    assert!(!french.as_array().expect("hits").is_empty(), "'redevances' finds 'redevance'");
}

#[test]
fn no_wait_leaves_the_text_waiting_and_text_prints_pages() {
    let db = Db::new();
    db.ok(&["demo"]);
    let pdf = bytes_file(&db, "notice.pdf", &text_pdf(&["First page.", "Second page: Bandersnatch."]));
    let id = db.ok(&["evidence", "add-file", "twitter-v-microsoft", &pdf, "--no-wait"]).trim().to_string();
    assert!(db.ok(&["evidence", "show", &id]).contains("text: waiting to be read"));
    assert!(!found(&db, "bandersnatch", &id), "not read yet");
    assert!(db.ok(&["evidence", "extract"]).contains(&format!("{id}  text: 2 pages extracted")));
    assert!(found(&db, "bandersnatch", &id));
    assert_eq!(db.ok(&["evidence", "text", &id, "--page", "2"]).trim(), "Second page: Bandersnatch.");
    let all = db.ok(&["evidence", "text", &id]);
    assert!(all.contains("── page 1 ──\nFirst page.") && all.contains("── page 2 ──"), "{all}");
    let (code, err) = db.err(&["evidence", "text", &id, "--page", "7"]);
    assert!(code != 0 && err.contains("page 7 is not among the 2 pages read"), "{err}");
}

#[test]
fn import_reads_a_mailbox_into_a_case() {
    let db = Db::new();
    db.ok(&["demo"]);
    let mbox = "From a@x Mon May  1 10:00:00 2023\nFrom: Legal <legal@twitter.example>\nTo: press@microsoft.example\n\
                Subject: Audit\nDate: Mon, 01 May 2023 10:00:00 +0000\nMessage-ID: <m1@x>\n\nPlease confirm the Tumtum audit.\n\n\
                From b@x Tue May  2 10:00:00 2023\nFrom: press@microsoft.example\nTo: Legal <legal@twitter.example>\n\
                Subject: Re: Audit\nDate: Tue, 02 May 2023 10:00:00 +0000\nMessage-ID: <m2@x>\nIn-Reply-To: <m1@x>\n\nDeclined.\n";
    let file = db.file("mailbox.mbox", mbox);
    let out = db.ok(&["import", &file, "--case", "twitter-v-microsoft"]);
    assert!(out.contains("imported 2 e-mails as letters"), "{out}");
    assert!(out.contains("threaded as a reply to <m1@x>"), "{out}");
    assert!(!db.json(&["search", "tumtum"]).as_array().expect("hits").is_empty());
}

#[test]
fn m6_add_file_stops_ocr_at_the_budget_and_says_so() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Docs"]);
    let scan =
        bytes_file(&db, "scan.pdf", &scanned_pages("NOTICE\nThe licensee owes Zanzibarite fees.", 3).expect("a scan"));
    let out = db.command(&["evidence", "add-file", "docs", &scan]).env("DOSSIER_OCR_PAGES", "1").output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("OCR stopped after 1 page, the budget of one file (1 page or 10 minutes)"), "{note}");
    let shown = db.ok(&["evidence", "show", &id]);
    assert!(shown.contains("text: 3 pages extracted") && shown.contains("OCR stopped after 1 page"), "{shown}");
    assert!(found(&db, "zanzibarite", &id), "the page read is kept and found");
}

#[test]
fn l5_the_passphrase_reaches_no_child_program() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Docs"]);
    let encrypt = db.command(&["encrypt"]).env("DOSSIER_PASSPHRASE", "pw-one").output().expect("run");
    assert!(encrypt.status.success(), "{}", String::from_utf8_lossy(&encrypt.stderr));
    // The review's wrapper: a pdftotext first on PATH that logs its environment, then runs the real one.
    let bin = db.dir().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let log = db.dir().join("wrapper.log");
    let real = std::process::Command::new("sh").args(["-c", "command -v pdftotext"]).output().expect("sh").stdout;
    let wrapper = bin.join("pdftotext");
    let script =
        format!("#!/bin/sh\nenv > '{}'\nexec {} \"$@\"\n", log.display(), String::from_utf8_lossy(&real).trim());
    std::fs::write(&wrapper, script).expect("wrapper");
    let chmod = std::process::Command::new("chmod").arg("755").arg(&wrapper).status().expect("chmod");
    assert!(chmod.success());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let pdf = bytes_file(&db, "t1.pdf", &text_pdf(&["Borogove terms."]));
    let out = db
        .command(&["evidence", "add-file", "docs", &pdf])
        .env("PATH", path)
        .env("DOSSIER_PASSPHRASE", "pw-one")
        .env("DOSSIER_NEW_PASSPHRASE", "pw-two")
        .output()
        .expect("run");
    assert!(out.status.success(), "the CLI still opens the database: {}", String::from_utf8_lossy(&out.stderr));
    let logged = std::fs::read_to_string(&log).expect("the wrapper ran");
    assert!(logged.contains("PATH="), "{logged}");
    assert!(!logged.contains("DOSSIER_PASSPHRASE") && !logged.contains("pw-one"), "{logged}");
    assert!(!logged.contains("DOSSIER_NEW_PASSPHRASE") && !logged.contains("pw-two"), "{logged}");
}

#[test]
fn export_to_dev_stdout_writes_through_it() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Docs"]);
    // Standard output is a pipe here: written through, where it was once replaced by a regular file.
    let out = db.ok(&["export", "docs", "--format", "md", "-o", "/dev/stdout"]);
    assert!(out.contains("# Docs"), "{out}");
    let (code, err) = db.err(&["export", "docs", "--format", "md", "-o", db.dir().to_str().expect("utf-8")]);
    assert!(code != 0 && err.contains("is a folder"), "{err}");
}
