//! The CLI contract for documents: `evidence add-file` reads a PDF's text layer, a Word file and a
//! scan (waiting, or `--no-wait`), `evidence show` says the pages read, `evidence text` prints them,
//! `search` finds a word of each and understands word forms, and `import mailbox.mbox --case` brings
//! a mailbox in.

use dossier_core::generate::documents::{scanned_pdf, text_pdf};

mod common;

use common::Db;

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
