//! End to end: the `dossier` binary as a user or a script runs it, on a database in a temp dir.
//! These pin the CLI contract other tools rely on (`--db`, `DOSSIER_DB`, `--json` shapes, the id
//! printed by `add`, one-line errors on stderr with a non-zero exit code, nothing written on error).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Db;

#[test]
fn demo_timeline_is_in_order_with_fuzzy_dates_as_recorded() {
    let db = Db::new();
    db.ok(&["demo"]);
    let entries = db.json(&["timeline", "twitter-v-microsoft"]);
    let entries = entries.as_array().expect("array");
    let dates: Vec<&str> = entries.iter().map(|e| e["date"].as_str().expect("date")).collect();
    let first_of = |kind: &str, title_part: &str| {
        entries
            .iter()
            .position(|e| e["kind"] == kind && e["title"].as_str().is_some_and(|t| t.contains(title_part)))
            .unwrap_or_else(|| panic!("no {kind} entry containing '{title_part}'"))
    };
    // The chronology the article tells: free API ended (February), prices announced (March), the
    // threat to sue, then the letter, its report and Microsoft's answer (about April).
    let free_api = first_of("event", "free API");
    let prices = first_of("event", "paid API prices");
    let threat = first_of("event", "threatens to sue");
    let letter = first_of("letter", "Twitter's letter");
    let statement = first_of("letter", "statement to Reuters");
    assert_eq!(free_api, 0, "the free API's end opens the chronology: {dates:?}");
    assert!(free_api < prices && prices < threat && threat < letter && letter < statement, "{dates:?}");
    assert_eq!(dates[free_api], "2023-02");
    assert_eq!(dates[prices], "2023-03");
    assert_eq!(dates[letter], "~2023-04");
    assert_eq!(dates[threat], "2023-03..2023-04");
    for e in entries {
        for key in ["kind", "date", "title"] {
            assert!(e[key].is_string(), "entry without {key}: {e}");
        }
        assert!(e["evidence_count"].as_i64().unwrap_or(0) >= 1, "every demo entry cites the article: {e}");
    }
    let text = db.ok(&["timeline", "twitter-v-microsoft"]);
    assert!(text.contains("about April 2023"), "{text}");
    assert!(text.contains("between March and April 2023"), "{text}");
    let french = db.ok(&["timeline", "twitter-v-microsoft", "--lang", "fr"]);
    assert!(french.contains("vers avril 2023") && french.contains("février 2023"), "{french}");
}

#[test]
fn demo_is_idempotent_and_cases_list_as_json() {
    let db = Db::new();
    db.ok(&["demo"]);
    let writes = db.writes();
    db.ok(&["demo"]);
    assert_eq!(db.writes(), writes, "loading the demo twice writes nothing the second time");
    let cases = db.json(&["case", "list"]);
    let mut slugs: Vec<&str> =
        cases.as_array().expect("array").iter().map(|c| c["slug"].as_str().expect("slug")).collect();
    slugs.sort();
    assert_eq!(slugs, ["getty-v-stability-ai", "twitter-v-microsoft"]);
    for c in cases.as_array().expect("array") {
        assert!(c["title"].is_string() && c["status"].is_string(), "{c}");
    }
}

#[test]
fn dossier_db_variable_names_the_database() {
    let db = Db::new();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["case", "add", "--title", "Acme v. Widget"])
        .env("DOSSIER_DB", &db.path)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "acme-v-widget");
    assert!(db.ok(&["case", "list"]).contains("acme-v-widget"));
}

#[test]
fn a_case_recorded_from_the_command_line_reads_back_in_its_timeline() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Acme v. Widget", "--slug", "acme"]);
    db.ok(&["party", "add", "--name", "Acme Corp.", "--kind", "organisation", "--alias", "Acme"]);
    db.ok(&["party", "add", "--name", "Widget Ltd", "--kind", "organisation"]);
    db.ok(&["party", "add", "--name", "Jane Roe", "--kind", "person", "--affiliation", "Acme=general counsel"]);
    db.ok(&["party", "role", "acme", "Acme", "claimant"]);
    db.ok(&["party", "role", "acme", "Jane Roe", "counsel", "--for", "Acme"]);
    let letter = db
        .ok(&[
            "letter",
            "add",
            "acme",
            "--from",
            "Acme",
            "--person",
            "Jane Roe",
            "--to",
            "Widget Ltd",
            "--subject",
            "Demand for audit",
            "--date",
            "2024-03-04",
            "--deadline",
            "2024-03-18",
        ])
        .trim()
        .to_string();
    let allegation = db
        .ok(&[
            "allegation",
            "add",
            "acme",
            "--by",
            "Acme",
            "--against",
            "Widget Ltd",
            "--raised-in",
            &letter,
            "--summary",
            "Widget exceeded the licensed volume",
            "--reported-by",
            "Acme",
            "--certainty",
            "alleged",
        ])
        .trim()
        .to_string();
    let reply = db
        .ok(&[
            "letter",
            "add",
            "acme",
            "--from",
            "Widget Ltd",
            "--to",
            "Acme",
            "--subject",
            "Re: Demand for audit",
            "--date",
            "2024-03-15",
            "--reply-to",
            &letter,
            "--channel",
            "email",
        ])
        .trim()
        .to_string();
    db.ok(&[
        "response",
        "add",
        "--to",
        &allegation,
        "--by",
        "Widget Ltd",
        "--letter",
        &reply,
        "--stance",
        "denies",
        "--text",
        "We deny it.",
    ]);
    db.ok(&["allegation", "status", &allegation, "disputed", "--date", "2024-03-15"]);
    let event = db.ok(&["event", "add", "acme", "--date", "~2024", "--title", "Talks stall"]);
    assert!(!event.trim().is_empty() && !event.trim().contains(' '), "event add prints the new id alone: {event:?}");

    let shown = db.json(&["event", "show", event.trim()]);
    assert_eq!(shown["title"], "Talks stall");
    assert_eq!(shown["date"], "~2024");

    let kinds: Vec<String> = db
        .json(&["timeline", "acme"])
        .as_array()
        .expect("array")
        .iter()
        .map(|e| format!("{} {}", e["date"].as_str().unwrap_or(""), e["kind"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        kinds,
        [
            "~2024 event",
            "2024-03-04 letter",
            "2024-03-04 allegation",
            "2024-03-15 letter",
            "2024-03-15 response",
            "2024-03-15 status_change",
            "2024-03-18 deadline"
        ]
    );
    let thread = db.json(&["allegation", "show", &allegation]);
    assert_eq!(thread["status"], "disputed");
    assert_eq!(thread["responses"].as_array().map(Vec::len), Some(1));
    let original = db.json(&["letter", "show", &letter]);
    assert_eq!(original["replies"][0], reply.as_str());
    let by_widget = db.json(&["timeline", "acme", "--party", "Widget Ltd", "--kind", "letter"]);
    assert_eq!(by_widget.as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_input_gets_a_one_line_error_naming_the_value_and_writes_nothing() {
    let db = Db::new();
    db.ok(&["demo"]);
    let letter = db.json(&["letter", "list", "twitter-v-microsoft"])[0]["id"].as_str().expect("id").to_string();
    let evidence = db.json(&["evidence", "list", "twitter-v-microsoft"])[0]["id"].as_str().expect("id").to_string();
    let before = db.writes();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["event", "add", "twitter-v-microsoft", "--date", "2023-02-30", "--title", "x"], 2, "2023-02-30"),
        (&["event", "add", "no-such-case", "--date", "2023", "--title", "x"], 3, "no-such-case"),
        (&["event", "add", "twitter-v-microsoft", "--date", "2023"], 2, "title"),
        (&["letter", "add", "twitter-v-microsoft", "--subject", "s", "--date", "2023"], 2, "sender"),
        (
            &["letter", "add", "twitter-v-microsoft", "--from", "Nobody Inc", "--subject", "s", "--date", "2023"],
            3,
            "Nobody Inc",
        ),
        (&["evidence", "link", &evidence, "no-such-record"], 3, "no-such-record"),
        (&["party", "delete", "Microsoft"], 4, "Microsoft"),
        (&["letter", "delete", &letter], 4, "allegation"),
        (&["case", "edit", "twitter-v-microsoft", "--status", "won"], 2, "won"),
        (&["timeline", "twitter-v-microsoft", "--from", "soon"], 2, "soon"),
        (&["timeline", "twitter-v-microsoft", "--kind", "memo"], 2, "memo"),
        (&["date", "2023-13"], 2, "2023-13"),
    ];
    for (args, code, named) in cases {
        let (got, stderr) = db.err(args);
        assert_eq!(got, *code, "exit code of {args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line for {args:?}: {stderr}");
        assert!(stderr.contains(named), "error of {args:?} names '{named}': {stderr}");
    }
    assert_eq!(db.writes(), before, "no failed command wrote anything");
    assert!(db.ok(&["party", "show", "Microsoft"]).contains("Microsoft"));
}

#[test]
fn evidence_file_is_stored_by_hash_and_linked_with_a_pinpoint() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Hash test"]);
    let file = db.dir().join("memo.txt");
    std::fs::write(&file, b"hello\n").expect("write");
    let id = db.ok(&["evidence", "add-file", "hash-test", file.to_str().expect("path")]).trim().to_string();
    let shown = db.json(&["evidence", "show", &id]);
    assert_eq!(shown["sha256"], "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    assert_eq!(shown["size"], 6);
    assert_eq!(shown["media_type"], "text/plain");
    let stored = PathBuf::from(db.ok(&["evidence", "path", &id]).trim());
    assert_eq!(std::fs::read(&stored).expect("stored blob"), b"hello\n");
    let event = db.ok(&["event", "add", "hash-test", "--date", "2024-01", "--title", "Memo sent"]).trim().to_string();
    db.ok(&["evidence", "link", &id, &event, "--pinpoint", "p. 2"]);
    let entry = &db.json(&["timeline", "hash-test"])[0];
    assert_eq!(entry["evidence_count"], 1);
    assert_eq!(db.json(&["evidence", "show", &id])["links"][0]["pinpoint"], "p. 2");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let db = Db::new();
    rusqlite::Connection::open(&db.path).expect("create").pragma_update(None, "user_version", 999).expect("set");
    let (code, stderr) = db.err(&["case", "list"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("newer") && stderr.contains("999"), "{stderr}");
}

#[test]
fn search_answers_every_query_and_finds_across_accents() {
    let db = Db::new();
    db.ok(&["demo"]);
    let hits = db.json(&["search", "REDEVANCE"]);
    let hits = hits.as_array().expect("array");
    assert!(hits.iter().any(|h| h["kind"] == "allegation" && h["case_slug"] == "twitter-v-microsoft"), "{hits:?}");
    let marked = |h: &serde_json::Value| {
        h["snippet"].as_array().is_some_and(|pieces| pieces.iter().any(|p| p["matched"] == true))
    };
    assert!(hits.iter().all(marked), "every hit marks the words it matched: {hits:?}");
    let text = db.ok(&["search", "REDEVANCE"]);
    assert!(text.to_lowercase().contains("[redevance"), "the text output marks the match in brackets: {text}");
    let scoped = db.json(&["search", "gouvern*", "--case", "getty-v-stability-ai"]);
    assert!(scoped.as_array().expect("array").iter().all(|h| h["case_slug"] == "getty-v-stability-ai"));
    for hostile in ["\"", "(", "AND", "NEAR(", "'", "-", "*", "a OR", &"x\"(".repeat(333)] {
        db.ok(&["search", hostile]);
    }
    let (code, stderr) = db.err(&["search", &"x\"(".repeat(3000)]);
    assert_eq!((code, stderr.trim()), (2, "dossier: query: is longer than 1000 characters"));
    let (code, stderr) = db.err(&["search", "x", "--case", "nope"]);
    assert_eq!(code, 3, "{stderr}");
}

#[test]
fn exports_in_every_format_and_the_bundle_round_trips() {
    let db = Db::new();
    db.ok(&["demo"]);
    let md = db.ok(&["export", "twitter-v-microsoft", "--format", "md"]);
    assert!(md.contains("Twitter v. Microsoft") && md.contains("about April 2023"), "{md}");
    let csv = db.run(&["export", "twitter-v-microsoft", "--format", "csv"]);
    assert!(csv.stdout.starts_with("\u{feff}date,".as_bytes()), "CSV starts with a BOM and the header");
    let ics = db.ok(&["export", "twitter-v-microsoft", "--format", "ics"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.trim_end().ends_with("END:VCALENDAR"), "{ics}");
    let html_path = db.dir().join("report.html");
    db.ok(&["export", "twitter-v-microsoft", "--format", "html", "-o", html_path.to_str().expect("path")]);
    let html = std::fs::read_to_string(&html_path).expect("report");
    assert!(
        html.contains("<nav id=\"contents\">") && !html.contains("<script"),
        "self-contained report without script"
    );

    let folder = db.dir().join("handover");
    std::fs::create_dir_all(&folder).expect("folder");
    let bundle = folder.join("bundle.json");
    db.ok(&["export", "twitter-v-microsoft", "--format", "json", "-o", bundle.to_str().expect("path"), "--with-files"]);
    let other = Db::new();
    other.ok(&["import", bundle.to_str().expect("path")]);
    let again = other.ok(&["export", "twitter-v-microsoft", "--format", "json"]);
    // Byte-identical but for the anchor: the head of each exporting database.
    let records = |json: &str| json.lines().filter(|l| !l.starts_with("  \"anchor\": ")).collect::<Vec<_>>().join("\n");
    assert_eq!(
        records(&again),
        records(&std::fs::read_to_string(&bundle).expect("bundle")),
        "export → import → export is byte-identical"
    );
    let before = other.writes();
    let (code, stderr) = other.err(&["import", bundle.to_str().expect("path")]);
    assert_eq!(code, 4, "importing a case that exists is refused: {stderr}");
    assert!(stderr.contains("already exists") && stderr.contains("merge"), "{stderr}");
    assert_eq!(other.writes(), before);
}

#[test]
fn imports_correspondence_and_chronologies_and_refuses_broken_files_whole() {
    let db = Db::new();
    db.ok(&["demo"]);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let fixture = |name: &str| fixtures.join(name).to_str().expect("path").to_string();
    db.ok(&["import", &fixture("thread-1.eml"), "--case", "twitter-v-microsoft"]);
    db.ok(&["import", &fixture("thread-2.eml"), "--case", "twitter-v-microsoft"]);
    let letters = db.json(&["letter", "list", "twitter-v-microsoft"]);
    let letters = letters.as_array().expect("array");
    let reply = letters
        .iter()
        .find(|l| l["in_reply_to"].is_string() && l["channel"] == "email")
        .expect("the reply is threaded");
    let parent = letters.iter().find(|l| l["id"] == reply["in_reply_to"]).expect("its parent");
    assert_eq!(parent["channel"], "email");

    let before = db.writes();
    let (code, stderr) = db.err(&["import", &fixture("chronology-bad-date.csv"), "--case", "twitter-v-microsoft"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("row 3"), "the error names the row: {stderr}");
    let (code, stderr) = db.err(&["import", &fixture("not-an-email.eml"), "--case", "twitter-v-microsoft"]);
    assert_eq!(code, 2, "{stderr}");
    let truncated = db.dir().join("cut.json");
    std::fs::write(&truncated, &db.ok(&["export", "getty-v-stability-ai", "--format", "json"])[..500]).expect("write");
    let (code, stderr) = db.err(&["import", truncated.to_str().expect("path"), "--merge"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(db.writes(), before, "no refused import wrote anything");
}

/// Guards: `dossier --version` says the release and the database schema it reads and writes.
#[test]
fn version_says_the_release_and_the_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier")).arg("--version").output().expect("run dossier");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let expected = format!("dossier {} (database schema ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected) && text.trim_end().ends_with(')'), "{text}");
}

/// Guards what the package installs: a manual page per subcommand family and the three shells'
/// completions, generated from the same definitions as `--help`, the generating step itself left out.
#[test]
fn generate_docs_writes_the_manual_pages_and_completions() {
    let db = Db::new();
    let dir = db.dir().join("share");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier")).arg("generate-docs").arg(&dir).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8_lossy(&out.stdout);
    for file in [
        "man/man1/dossier.1",
        "man/man1/dossier-export.1",
        "man/man1/dossier-case.1",
        "bash-completion/completions/dossier",
        "zsh/vendor-completions/_dossier",
        "fish/vendor_completions.d/dossier.fish",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing; written:\n{listed}");
    }
    let page = std::fs::read_to_string(dir.join("man/man1/dossier-export.1")).expect("page");
    assert!(page.contains(r"\-\-format"), "the export page lists its options");
    let bash = std::fs::read_to_string(dir.join("bash-completion/completions/dossier")).expect("bash");
    assert!(bash.contains("export") && !bash.contains("generate-docs"), "bash completes the commands, not the step");
}

/// Guards issue 26's contract: `dossier date TEXT [--lang fr|en] --json` gives the canonical form of a
/// date typed in words in `date`; a numeric date that reads both ways is read day first in French and
/// refused in English, naming both readings.
#[test]
fn date_reads_words_in_both_languages() {
    let db = Db::new();
    for (text, lang, canonical) in [
        ("18 mai 2023", "fr", "2023-05-18"),
        ("vers avril 2023", "fr", "~2023-04"),
        ("May 18, 2023", "en", "2023-05-18"),
        ("between January and April 2023", "en", "2023-01..2023-04"),
        ("05/06/2023", "fr", "2023-06-05"),
    ] {
        let shown = db.json(&["date", text, "--lang", lang]);
        assert_eq!(shown["date"], canonical, "{text} in {lang}: {shown}");
    }
    let (code, stderr) = db.err(&["date", "05/06/2023", "--lang", "en"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("2023-06-05") && stderr.contains("2023-05-06"), "{stderr}");
}

/// Guards issue 26's contract: `dossier deadline compute --from DATE --period P --calendar C` prints
/// the date, a fuzzy trigger a range, and a period it cannot count is one clear line.
#[test]
fn deadline_compute_prints_the_date_a_rule_gives() {
    let db = Db::new();
    let printed = db.ok(&["deadline", "compute", "--from", "2024-04-16", "--period", "15d", "--calendar", "fr"]);
    assert_eq!(printed.trim(), "2024-05-02");
    let shown = db.json(&["deadline", "compute", "--from", "mai 2024", "--period", "15d", "--calendar", "fr"]);
    assert_eq!(shown["date"], "2024-05-16..2024-06-17", "{shown}");
    let printed =
        db.ok(&["deadline", "compute", "--from", "2024-06-04", "--period", "15d", "--calendar", "us", "--mail"]);
    assert_eq!(printed.trim(), "2024-06-24");
    let (code, stderr) =
        db.err(&["deadline", "compute", "--from", "2024-04-16", "--period", "15y", "--calendar", "fr"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (2, 1), "{stderr}");
    assert!(stderr.contains("15y"), "{stderr}");
}
