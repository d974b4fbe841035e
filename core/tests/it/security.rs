//! The security review of `804aaab` (`shared/reviews/security-2026-11-29.md`): each test reproduces
//! one finding, named by its number, and shows that it now fails safely.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::markdown::to_safe_html;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::transfer::{self, import, ExportRequest};
use dossier_core::view::search;
use dossier_core::{Error, Store};

fn export(store: &Store, format: &str) -> String {
    String::from_utf8(transfer::export_bytes(store, "innocent", format, "en", &Default::default()).expect("export"))
        .expect("utf-8")
}

/// Finding 6: a cell a `;`-separated spreadsheet splits never starts a piece with a formula.
#[test]
fn finding_6_no_formula_hides_behind_a_semicolon() {
    let mut fx = with_case("");
    for title in ["Board meeting;=1+1;", "a; +cmd|' /C calc'!A0", "x\t@SUM(1)", "-2+3"] {
        event(&mut fx.store, "innocent", title, "2023-12");
    }
    let csv = export(&fx.store, "csv");
    for delimiter in [b';', b'\t', b','] {
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes());
        for row in reader.records() {
            for cell in row.expect("a row").iter() {
                let cell = cell.trim_start_matches(' ');
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "'{cell}' is a live formula when the file is read with '{}' as the separator",
                    delimiter as char
                );
            }
        }
    }
    assert!(csv.contains("Board meeting;'=1+1;"), "the text is still there, guarded");
}

/// Finding 7: control characters (terminal escapes) are refused in typed text, and dropped from an
/// e-mail's subject, names and body, which are imported.
#[test]
fn finding_7_no_terminal_escape_is_stored() {
    let mut fx = with_case("");
    let err = event::create(
        &mut fx.store,
        &EventInput {
            case: "innocent".into(),
            title: "hi\x1b]0;PWNED\x07".into(),
            date: "2023".into(),
            ..Default::default()
        },
    )
    .expect_err("an escape in a title");
    assert!(
        matches!(&err, Error::Invalid { field, reason } if field == "title" && reason.key == "control_character"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "title: holds the control character U+001B");

    let mail = "Message-ID: <a@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: \"Eve\x1b[8m\" <a@evil.example>\n\
                Subject: hi\x1b]0;PWNED\x07\x1b[2J\x1b[8mhidden\nContent-Type: text/plain\n\nbody\x1b[2J text\n";
    let report = import::eml(&mut fx.store, "innocent", mail.as_bytes(), "ansi.eml").expect("the e-mail imports");
    let letter = report
        .created
        .iter()
        .find_map(|id| dossier_core::record::letter::get(fx.store.reader(), id).ok())
        .expect("the letter");
    for text in [&letter.subject, &letter.body, &letter.sender.name] {
        assert!(!text.contains('\x1b'), "{text:?}");
    }
    assert_eq!(letter.subject, "hi]0;PWNED[2J[8mhidden");
}

/// Finding 8: a long query is refused with a clear error, and a phrase is cut to 64 words.
#[test]
fn finding_8_a_huge_search_is_refused_quickly() {
    let fx = with_case("");
    let huge = format!("\"{}\"", vec!["x"; 60_000].join(" "));
    let err = search::search(fx.store.reader(), &huge, None, 10).expect_err("too long");
    assert_eq!(err.to_string(), "query: is longer than 1000 characters");
    let long_phrase = format!("\"{}\"", vec!["w"; 400].join(" "));
    let query = search::to_match(&long_phrase).expect("a query");
    assert_eq!(query.matches('w').count(), 64, "{query}");
    search::search(fx.store.reader(), &long_phrase, None, 10).expect("a long phrase within the limit runs");
}

/// Finding 10: a symlink planted where the export writes its temporary file is not written through.
#[cfg(unix)]
#[test]
fn finding_10_an_export_never_writes_through_a_planted_symlink() {
    let fx = with_case("Summary.");
    let shared = fx.dir.path().join("shared");
    std::fs::create_dir(&shared).expect("dir");
    let victim = fx.dir.path().join("victim");
    std::fs::write(&victim, "ORIGINAL\n").expect("victim");
    std::os::unix::fs::symlink("../victim", shared.join(".report.md.partial")).expect("symlink");
    let target = shared.join("report.md");
    let request = ExportRequest {
        case: "innocent".into(),
        format: "md".into(),
        path: target.clone(),
        lang: "en".into(),
        with_files: false,
        options: Default::default(),
    };
    transfer::export(&fx.store, &request).expect("export");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "ORIGINAL\n");
    assert!(std::fs::symlink_metadata(&target).expect("report").is_file(), "the report is a file of its own");
}

/// Finding 11: the calendar's NAME is escaped as TEXT, like X-WR-CALNAME.
#[test]
fn finding_11_the_calendar_name_is_escaped() {
    let mut fx = fresh();
    case::create(
        &mut fx.store,
        &CaseInput { title: "ICS; case, with \\ backslash".into(), slug: "innocent".into(), ..Default::default() },
    )
    .expect("case");
    let ics = export(&fx.store, "ics");
    assert!(ics.contains("\r\nNAME:ICS\\; case\\, with \\\\ backslash — deadlines\r\n"), "{ics}");
    assert!(ics.contains("\r\nX-WR-CALNAME:ICS\\; case\\, with \\\\ backslash — deadlines\r\n"), "{ics}");
}

fn add(fx: &mut Fixture, name: &str, bytes: &[u8]) -> String {
    let input = FileInput { case: "innocent".into(), path: PathBuf::from(name), ..Default::default() };
    evidence::add_stream(&mut fx.store, &input, bytes).expect("evidence").id
}

/// Finding 12: only files whose content is the kind their name says, of kinds that cannot run code,
/// are handed to another program, as a copy named with that kind's extension.
#[test]
fn finding_12_only_checked_kinds_open_in_another_program() {
    let mut fx = with_case("");
    let disguised = add(&mut fx, "report.pdf", b"<html><script>fetch('https://evil.example')</script></html>");
    let err = evidence::viewer_copy(&fx.store, &disguised).expect_err("HTML named .pdf");
    assert!(err.to_string().contains("is not the application/pdf its name says"), "{err}");
    let html = add(&mut fx, "page.html", b"<p>hello</p>");
    assert!(evidence::viewer_copy(&fx.store, &html).is_err(), "HTML is never handed out");
    let markup_as_text = add(&mut fx, "notes.txt", b"  <svg onload=alert(1)>");
    assert!(evidence::viewer_copy(&fx.store, &markup_as_text).is_err(), "text that starts like markup");

    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n";
    let real = add(&mut fx, "contract.pdf", pdf);
    let copy = evidence::viewer_copy(&fx.store, &real).expect("a real PDF");
    assert_eq!(copy.extension().and_then(|e| e.to_str()), Some("pdf"));
    assert_eq!(std::fs::read(&copy).expect("the copy"), pdf);
    assert!(!copy.starts_with(fx.store.files_dir()), "a copy, not the stored file");
    let _ = std::fs::remove_dir_all(copy.parent().expect("its folder"));
}

/// Finding 13: relative and protocol-relative links and images do not survive the sanitizer;
/// links to a place on the same page (footnotes) do.
#[test]
fn finding_13_no_relative_link_or_remote_image() {
    let html = to_safe_html(
        "[share](//evil.example/share/x) [rel](../x.html) [web](https://example.org/a) \
         ![t](https://tracker.example/p.png) <img src=\"//tracker.example/q\">\n\nSee[^1].\n\n[^1]: A note.",
    );
    assert!(!html.contains("evil.example") || !html.contains("href=\"//"), "{html}");
    assert!(!html.contains("href=\"../x.html\""), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("href=\"https://example.org/a\""), "{html}");
    assert!(html.contains("href=\"#1\"") || html.contains("href=\"#fn"), "footnote links stay: {html}");
}

/// Finding 14: raw HTML written into a record is text in the Markdown export, in any renderer.
#[test]
fn finding_14_the_markdown_export_carries_no_raw_html() {
    let mut fx = with_case("Summary <script>alert(1)</script> and <img src=x onerror=alert(2)>.");
    org(&mut fx.store, "Acme");
    letter_with(
        &mut fx.store,
        dossier_core::record::letter::LetterInput {
            body: "<iframe src=\"https://evil.example\"></iframe>".into(),
            ..letter_input("innocent", "Acme", &[], "Hello", "2023-03")
        },
    );
    let md = export(&fx.store, "md");
    for tag in ["<script", "<img", "<iframe"] {
        assert!(!md.contains(tag), "{tag} in:\n{md}");
    }
    assert!(md.contains("&lt;script>alert(1)&lt;/script>"), "the words are kept: {md}");
}

/// Finding 15: bidirectional controls are dropped from attachment names.
#[test]
fn finding_15_no_bidi_override_in_an_attachment_name() {
    let mut fx = with_case("");
    let mail = "Message-ID: <b@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: a@evil.example\nSubject: s\n\
                MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nx\n\
                --B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"evil\u{202e}gpj.exe\"\n\n\
                MZ\n--B--\n";
    import::eml(&mut fx.store, "innocent", mail.as_bytes(), "bidi.eml").expect("import");
    let names: Vec<String> = evidence::list(fx.store.reader(), "innocent")
        .expect("evidence")
        .into_iter()
        .filter_map(|e| e.original_name)
        .collect();
    assert!(names.contains(&"evilgpj.exe".to_string()), "{names:?}");
    assert!(names.iter().all(|n| !n.contains('\u{202e}')), "{names:?}");
}

/// Finding 15: staged files a killed process left behind are removed when the store next opens;
/// one a live process still writes is not, nor one just created (its writer may not hold its lock yet).
#[test]
fn finding_15_files_left_by_a_killed_copy_are_removed() {
    let fx = fresh();
    let path = fx.db_path();
    let files = fx.store.files_dir().to_path_buf();
    drop(fx.store);
    std::fs::create_dir_all(&files).expect("store folder");
    let orphan = files.join(".incoming-01900000-0000-7000-8000-000000000000");
    std::fs::write(&orphan, vec![0u8; 4096]).expect("orphan");
    let busy = files.join(".incoming-01900000-0000-7000-8000-000000000001");
    let held = std::fs::File::create(&busy).expect("busy");
    held.lock().expect("lock");
    let young = files.join(".incoming-01900000-0000-7000-8000-000000000002");
    std::fs::write(&young, b"just created").expect("young");
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    for file in [&orphan, &busy] {
        std::fs::File::options().write(true).open(file).and_then(|f| f.set_modified(past)).expect("age");
    }
    let _store = Store::open(&path).expect("reopen");
    assert!(!orphan.exists(), "the orphan is gone");
    assert!(busy.exists(), "a file another process is writing stays");
    assert!(young.exists(), "a file created a moment ago stays");
}

fn bytes_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> =
        files_under(dir).into_iter().map(|f| (f.clone(), std::fs::read(&f).unwrap_or_default())).collect();
    all.sort();
    all
}

/// Finding 15: a database opened read-only can be listed, searched and exported, refuses writes with
/// a clear message, and nothing on disk changes.
#[test]
fn finding_15_a_read_only_database_can_be_inspected() {
    let mut fx = with_case("Read me.");
    event(&mut fx.store, "innocent", "Talks", "2023");
    let path = fx.db_path();
    drop(std::mem::replace(&mut fx.store, Store::open_in_memory(fx.dir.path()).expect("placeholder")));
    let before = bytes_under(fx.dir.path());
    let mut s = Store::open_read_only(&path, None).expect("read-only");
    assert!(s.is_read_only());
    assert_eq!(case::list(s.reader()).expect("cases").len(), 1);
    assert_eq!(s.verify_change_log().expect("verify"), 2);
    assert!(export(&s, "md").contains("Read me."));
    let err = event::create(
        &mut s,
        &EventInput { case: "innocent".into(), title: "New".into(), date: "2024".into(), ..Default::default() },
    )
    .expect_err("a write");
    assert_eq!(err.to_string(), "the database is open read-only: it can be read, checked and exported, not changed");
    drop(s);
    let after = bytes_under(fx.dir.path());
    let names =
        |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(p, b)| format!("{} {}", p.display(), b.len())).collect::<Vec<_>>();
    assert!(after == before, "nothing on disk changed: {:?} then {:?}", names(&before), names(&after));
}

/// Finding 2: text nested deeper than any real document is shown as plain text, never handed to the
/// HTML parser whose time grows with depth × tags.
#[test]
fn finding_2_deep_nesting_never_reaches_the_html_parser() {
    let quotes = format!("{} x", ">".repeat(20_000));
    let html = to_safe_html(&quotes);
    assert!(!html.contains("<blockquote>") && html.starts_with("<p>&gt;&gt;"), "{}", &html[..60]);
    let divs = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    assert!(!to_safe_html(&divs).contains("<div>"));
    assert_eq!(dossier_core::markdown::html_to_text(&divs).trim(), "x");
    // Real nesting is still rendered.
    assert!(to_safe_html("> quoted\n>> twice").contains("<blockquote>"));

    // The review's e-mail: 20,000 quote marks in a plain-text body, then a report.
    let mut fx = with_case("");
    let mail = format!(
        "Message-ID: <q@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: a@evil.example\nSubject: quoted\n\
         Content-Type: text/plain\n\n{} x\n",
        ">".repeat(20_000)
    );
    import::eml(&mut fx.store, "innocent", mail.as_bytes(), "quote.eml").expect("import");
    assert!(export(&fx.store, "html").contains("&gt;&gt;&gt;"));
    let deep = format!("<html><body>{}deep text{}</body></html>", "<div>".repeat(20_000), "</div>".repeat(20_000));
    let e = add(&mut fx, "deep.html", deep.as_bytes());
    let hits = search::search(fx.store.reader(), "deep text", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.record_id == e), "the deep file's text is indexed");
}

/// A bundle of one case and one file evidence whose file is `files/<sha>` beside it, made by `make`.
fn hostile_bundle(dir: &Path, sha: &str, size: u64, make: impl FnOnce(&Path)) -> PathBuf {
    let folder = dir.join("b");
    std::fs::create_dir_all(folder.join("files")).expect("folders");
    let json = format!(
        r#"{{"format":"dossier-bundle","version":1,
 "case":{{"id":"c1","slug":"c1","title":"t","status":"open","created_at":"2001-01-01T00:00:00Z","updated_at":"2001-01-01T00:00:00Z"}},
 "evidence":[{{"id":"e1","kind":"file","title":"x","sha256":"{sha}","size":{size},"media_type":"text/plain","original_name":"x.txt",
   "created_at":"2001-01-01T00:00:00Z","updated_at":"2001-01-01T00:00:00Z"}}]}}"#
    );
    std::fs::write(folder.join("bundle.json"), json).expect("bundle");
    make(&folder.join("files").join(sha));
    folder.join("bundle.json")
}

fn import_file(store: &mut Store, path: &Path) -> dossier_core::Result<transfer::TransferReport> {
    let request = transfer::ImportRequest { path: path.to_path_buf(), ..Default::default() };
    transfer::import(store, &request)
}

/// Finding 3: a bundle's file that is a link, a device or a pipe is refused at once, whatever it
/// points to, and nothing is imported.
#[cfg(unix)]
#[test]
fn finding_3_a_bundle_file_must_be_a_regular_file() {
    let sha = "0000000000000000000000000000000000000000000000000000000000000001";
    for (name, make) in [
        (
            "/dev/zero",
            Box::new(|p: &Path| std::os::unix::fs::symlink("/dev/zero", p).expect("link")) as Box<dyn FnOnce(&Path)>,
        ),
        (
            "a pipe",
            Box::new(|p: &Path| {
                let status = std::process::Command::new("mkfifo").arg(p).status().expect("mkfifo");
                assert!(status.success());
            }),
        ),
        ("/etc/hostname", Box::new(|p: &Path| std::os::unix::fs::symlink("/etc/hostname", p).expect("link"))),
    ] {
        let mut fx = fresh();
        let bundle = hostile_bundle(fx.dir.path(), sha, 10, make);
        let err = import_file(&mut fx.store, &bundle).expect_err(name);
        assert!(
            err.to_string().contains("is not a regular file (a link, a device or a pipe): refused"),
            "{name}: {err}"
        );
        assert!(case::list(fx.store.reader()).expect("cases").is_empty(), "{name}: nothing imported");
    }
    // A local file pulled in by a link whose hash the sender guessed is refused too.
    let mut fx = fresh();
    let local = fx.dir.path().join("secret.txt");
    std::fs::write(&local, "a local secret\n").expect("secret");
    let sha = sha256_hex(b"a local secret\n");
    let bundle = hostile_bundle(fx.dir.path(), &sha, 15, |p| std::os::unix::fs::symlink(&local, p).expect("link"));
    assert!(import_file(&mut fx.store, &bundle).is_err(), "a link to a local file with the right hash");
}

/// Finding 3: a file longer than the bundle says is refused before it is copied.
#[test]
fn finding_3_a_bundle_file_of_the_wrong_size_is_refused_before_copying() {
    let mut fx = fresh();
    let sha = sha256_hex(b"0123456789");
    let bundle = hostile_bundle(fx.dir.path(), &sha, 10, |p| std::fs::write(p, vec![b'z'; 1 << 20]).expect("big"));
    let err = import_file(&mut fx.store, &bundle).expect_err("size");
    assert!(err.to_string().contains("the bundle says 10 bytes but"), "{err}");
    assert!(files_under(fx.store.files_dir()).is_empty(), "nothing was copied");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Finding 4 (blobs): adding the original again repairs a stored copy that was altered.
#[test]
fn finding_4_adding_the_original_again_repairs_an_altered_copy() {
    let mut fx = with_case("");
    let original = b"The contract value is 1000 EUR.\n";
    add(&mut fx, "orig.txt", original);
    let stored = files_under(fx.store.files_dir()).pop().expect("the stored copy");
    std::fs::write(&stored, b"The contract value is 9000 EUR.\n").expect("forge");
    add(&mut fx, "orig.txt", original);
    assert_eq!(std::fs::read(&stored).expect("stored"), original);
}

/// Finding 5: a display name alone never files an e-mail under an existing party; the addresses are
/// kept and searchable; no party can take another's name or address as an alias.
#[test]
fn finding_5_a_display_name_never_picks_a_party() {
    let mut fx = fresh();
    dossier_core::demo::load(&mut fx.store).expect("demo");
    let spoof =
        "Message-ID: <s@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: \"Microsoft\" <attacker@evil.example>\n\
                 To: legal@twitter.example\nSubject: We admit everything\nContent-Type: text/plain\n\nWe admit it.\n";
    let report = import::eml(&mut fx.store, "twitter-v-microsoft", spoof.as_bytes(), "spoof.eml").expect("import");
    let letter = report
        .created
        .iter()
        .find_map(|id| dossier_core::record::letter::get(fx.store.reader(), id).ok())
        .expect("the letter");
    assert_eq!(letter.sender.name, "Microsoft <attacker@evil.example>", "not the real Microsoft");
    assert!(report
        .messages
        .iter()
        .any(|m| m.contains("'Microsoft' is the name of a party, but not one with the address")));
    assert_eq!(letter.addresses[0].address, "attacker@evil.example");
    assert_eq!((letter.addresses[0].field.as_str(), letter.addresses[0].name.as_str()), ("from", "Microsoft"));
    let hits = search::search(fx.store.reader(), "attacker", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.record_id == letter.id), "the address is searchable");

    let err = dossier_core::record::party::create(
        &mut fx.store,
        &dossier_core::record::party::PartyInput {
            name: "Evil Corp".into(),
            kind: "organisation".into(),
            aliases: vec!["Microsoft".into()],
            ..Default::default()
        },
    )
    .expect_err("an alias that is another party's name");
    assert!(err.to_string().contains("the alias 'Microsoft' already finds the party 'Microsoft'"), "{err}");
    // The sender's real address, given as an alias of the right party, files its mail there.
    let ms = dossier_core::record::party::get(fx.store.reader(), "Microsoft").expect("Microsoft");
    let mut input = ms.to_input();
    input.aliases.push("press@microsoft.example".into());
    dossier_core::record::party::update(&mut fx.store, &ms.id, &input).expect("alias");
    let real = spoof.replace("<s@x>", "<t@x>").replace("attacker@evil.example", "press@microsoft.example");
    let report = import::eml(&mut fx.store, "twitter-v-microsoft", real.as_bytes(), "real.eml").expect("import");
    let letter = report
        .created
        .iter()
        .find_map(|id| dossier_core::record::letter::get(fx.store.reader(), id).ok())
        .expect("the letter");
    assert_eq!(letter.sender.id, ms.id);
}
