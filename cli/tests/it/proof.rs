//! The contract of `dossier check`, `history`, `backup`, `restore` and `export --as-of`, end to end:
//! what a script relies on (exit codes, one line per problem) and what a user checks (a restored
//! backup exports the same bundle, byte for byte).

use crate::common::Db;

fn demo() -> Db {
    let db = Db::new();
    db.ok(&["demo"]);
    db
}

/// Runs `check`; (exit code, stdout lines).
fn check(db: &Db, args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = db.run(&all);
    let lines = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
    (out.status.code().unwrap_or(-1), lines)
}

fn problems(lines: &[String]) -> Vec<&str> {
    lines.iter().filter_map(|l| l.strip_prefix("problem: ")).collect()
}

fn sql(db: &Db, statements: &str) {
    let conn = rusqlite::Connection::open(&db.path).expect("open the file directly");
    conn.execute_batch(statements).expect("sqlite3 as an attacker");
}

/// Guards "Done when": each tampering is caught, with exit code 7 and a line saying exactly what.
#[test]
fn check_catches_each_tampering_and_says_what() {
    let db = demo();
    let (code, lines) = check(&db, &[]);
    assert_eq!(code, 0, "{lines:?}");
    let head = lines
        .last()
        .expect("a summary")
        .split("head ")
        .nth(1)
        .expect("the head")
        .split(' ')
        .next()
        .expect("it")
        .to_string();

    // A row edited with sqlite3.
    sql(&db, "UPDATE event SET title = 'Nothing happened' WHERE title LIKE 'Microsoft refuses%'");
    let (code, lines) = check(&db, &[]);
    assert_eq!(code, 7);
    let found = problems(&lines);
    assert_eq!(found.len(), 1, "{lines:?}");
    assert!(
        found[0].starts_with("event 'Nothing happened' (") && found[0].contains("column title: 'Microsoft refuses"),
        "{}",
        found[0]
    );
    let stderr = String::from_utf8_lossy(&db.run(&["check"]).stderr).into_owned();
    assert_eq!(stderr, "dossier: check found 1 problem (listed above)\n");

    // The last five entries deleted, checked against the head printed before.
    let db = demo();
    let seq: i64 = head.split(':').next().expect("seq").parse().expect("a number");
    sql(&db, &format!("DROP TRIGGER change_log_no_delete; DELETE FROM change_log WHERE seq > {};", seq - 5));
    let (code, lines) = check(&db, &["--anchor", &head]);
    assert_eq!(code, 7);
    assert!(
        problems(&lines).contains(&format!(
            "the change log ends at entry {} but entry {seq} was seen before (anchor {head}): the last 5 entries were removed",
            seq - 5
        ).as_str()),
        "{lines:?}"
    );
}

/// Guards "Done when": an evidence file with one byte changed, or deleted.
#[test]
fn check_names_an_altered_or_missing_evidence_file() {
    let db = demo();
    let blob = std::fs::read_dir(dossier_core::store::files::evidence(&db.path))
        .expect("files")
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).expect("subfolder").flatten())
        .next()
        .expect("the article")
        .path();
    let mut bytes = std::fs::read(&blob).expect("read");
    bytes[0] ^= 1;
    std::fs::write(&blob, bytes).expect("alter");
    let (code, lines) = check(&db, &[]);
    assert_eq!(code, 7);
    assert!(problems(&lines).iter().any(|p| p.contains("was altered: its content hashes to")), "{lines:?}");
    std::fs::remove_file(&blob).expect("delete");
    let (code, lines) = check(&db, &[]);
    assert_eq!(code, 7);
    assert!(problems(&lines).iter().any(|p| p.ends_with("is missing")), "{lines:?}");
}

/// Guards: `history ID` shows each write with what changed, before → after.
#[test]
fn history_shows_what_each_write_changed() {
    let db = demo();
    let list = db.json(&["event", "list", "twitter-v-microsoft"]);
    let event = &list.as_array().expect("events")[0];
    let id = event["id"].as_str().expect("id");
    let title = event["title"].as_str().expect("title");
    db.ok(&["event", "edit", id, "--title", "A better title"]);
    let text = db.ok(&["history", id]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("created: create event by cli ("), "{text}");
    let changed = lines.iter().position(|l| l.contains("changed: update event by cli (")).expect("the edit");
    assert_eq!(lines[changed + 1], format!("    table event, column title: '{title}' → 'A better title'"), "{text}");
    let (code, stderr) = db.err(&["history", "no-such-record"]);
    assert_eq!(code, 3, "{stderr}");
}

/// Guards "Done when": a backup restores to a record whose JSON bundle is byte-identical, and a
/// restore needs --yes without a terminal.
#[test]
fn a_backup_restores_to_a_byte_identical_bundle() {
    let db = demo();
    let before = db.ok(&["export", "twitter-v-microsoft", "--format", "json"]);
    let backup = db.dir().join("backups").join("copy.sqlite");
    let said = db.ok(&["backup", backup.to_str().expect("path")]);
    assert!(said.starts_with("backed up ") && said.contains("1 evidence file"), "{said}");
    db.ok(&["event", "add", "twitter-v-microsoft", "--date", "2024", "--title", "Written after the backup"]);
    let (code, stderr) = db.err(&["restore", backup.to_str().expect("path")]);
    assert_eq!((code, stderr.trim()), (2, "dossier: yes: restoring replaces the whole database: confirm with --yes"));
    let said = db.ok(&["restore", backup.to_str().expect("path"), "--yes"]);
    assert!(said.contains("the database it replaced is kept as"), "{said}");
    assert_eq!(
        db.ok(&["export", "twitter-v-microsoft", "--format", "json"]),
        before,
        "byte-identical, anchor included"
    );
    assert_eq!(check(&db, &[]).0, 0, "the restored database checks");
}

/// Guards: `export --as-of` rebuilds the case as it stood then.
#[test]
fn export_as_of_shows_the_case_as_it_stood() {
    let db = demo();
    let list = db.json(&["event", "list", "twitter-v-microsoft"]);
    let id = list.as_array().expect("events")[0]["id"].as_str().expect("id").to_string();
    // The demo's writes moved to March 2021, so that June 2021 falls between them and the edit below
    // without waiting for the clock: `--as-of` reads when each entry was written, to the second.
    sql(&db, "DROP TRIGGER change_log_no_update; UPDATE change_log SET at = '2021-03-01T00:00:00.000Z';");
    db.ok(&["event", "edit", &id, "--title", "Rewritten later"]);
    let then = db.ok(&["export", "twitter-v-microsoft", "--format", "md", "--as-of", "2021-06"]);
    let now = db.ok(&["export", "twitter-v-microsoft", "--format", "md"]);
    assert!(then.contains("Twitter") && !then.contains("Rewritten later"), "the edit came after");
    assert!(now.contains("Rewritten later"));
    let (code, stderr) = db.err(&["export", "twitter-v-microsoft", "--format", "md", "--as-of", "2020"]);
    assert_eq!(
        (code, stderr.trim()),
        (2, "dossier: as-of: the case 'twitter-v-microsoft' did not exist yet at the end of 2020")
    );
}

/// Guards the 2026-12-06 review's old finding 4: `verify` on a log cut by 5 entries says only that
/// what remains is chained, and points to `check`, in its output and its help.
#[test]
fn verify_cannot_be_taken_for_a_full_check() {
    let db = demo();
    sql(
        &db,
        "DROP TRIGGER change_log_no_delete; DELETE FROM change_log WHERE seq > (SELECT max(seq) - 5 FROM change_log);",
    );
    let said = db.ok(&["verify"]);
    assert!(said.contains("entries of the change log that remain are chained"), "{said}");
    assert!(said.contains("does not tell whether entries were removed from the end"), "{said}");
    assert!(said.contains("`dossier check` does"), "{said}");
    assert!(!said.contains("intact"), "{said}");
    let help = db.ok(&["verify", "--help"]);
    assert!(help.contains("A log cut short is still a chain"), "{help}");
}
