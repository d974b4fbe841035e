//! The security review's findings that show through the binary: each reproduction now fails safely.

use crate::common::Db;

/// Runs `dossier` on the database with its virtual memory capped at `mib` MiB; (exit code, stderr).
fn capped(db: &Db, mib: u64, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db.path)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run dossier");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Finding 9: a 40 MiB CSV of 20 million one-character rows (3.8 GB of memory before) and 45 MiB of
/// commas on one line are refused at their first bad row, within 512 MiB of address space.
#[test]
fn finding_9_a_huge_csv_is_refused_within_bounded_memory() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Innocent"]);
    let mut rows = String::from("date,title\n");
    rows.push_str(&"x\n".repeat(20 * 1024 * 1024));
    let rows = db.file("rows.csv", &rows);
    let (code, stderr) = capped(&db, 512, &["import", &rows, "--case", "innocent"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with("dossier: csv: row 2, column 'date':"), "{stderr}");

    let commas = db.file("commas.csv", &",".repeat(45 * 1024 * 1024));
    let (code, stderr) = capped(&db, 512, &["import", &commas, "--case", "innocent"]);
    assert_eq!((code, stderr.trim()), (2, "dossier: csv: row 1 has more than 200 cells: this is not a chronology"));
    assert_eq!(db.writes(), 1, "nothing but the case was written");
}

/// Finding 1 (in part): importing a file that is not a chronology never quotes its content back.
#[test]
fn finding_1_an_import_error_does_not_quote_a_foreign_file() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Innocent"]);
    let passwd =
        db.file("passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
    let (code, stderr) = db.err(&["import", &passwd, "--format", "csv", "--case", "innocent"]);
    assert_eq!(code, 2);
    assert!(!stderr.contains("root") && !stderr.contains("daemon"), "{stderr}");
    assert!(stderr.contains("not a CSV chronology"), "{stderr}");
}

/// L8 of the 2026-12-06 review: a JSON bundle leaves an edit's removed text and the OS user name
/// behind unless --with-history (and --with-actors) ask for them.
#[test]
fn l8_export_json_carries_history_and_actors_only_when_asked() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Redact"]);
    let added = db.ok(&[
        "event",
        "add",
        "redact",
        "--date",
        "2023-01-01",
        "--title",
        "Call with Jane Whistle (source), home phone 555-0199",
    ]);
    let id = added.lines().last().expect("the event's id").trim().to_string();
    db.ok(&["event", "edit", &id, "--title", "Call with a source"]);
    let user = std::env::var("USER").unwrap_or_default();
    let mentions = |json: &str, what: &str| json.matches(what).count();

    let handed_over = db.ok(&["export", "redact", "--format", "json"]);
    assert_eq!(mentions(&handed_over, "555-0199"), 0);
    assert!(!handed_over.contains("\"history\"") && !handed_over.contains("\"actor\""));

    let path = db.dir().join("r.json");
    let path = path.to_str().expect("path");
    db.ok(&["export", "redact", "--format", "json", "-o", path, "--with-history"]);
    let with_history = std::fs::read_to_string(path).expect("bundle");
    assert_eq!(mentions(&with_history, "555-0199"), 1);
    assert!(with_history.contains("\"actor\": \"cli\""), "the front end only");
    assert!(!with_history.contains("\"actor\": \"cli ("), "no user name");

    let with_actors = db.ok(&["export", "redact", "--format", "json", "--with-history", "--with-actors"]);
    assert!(with_actors.contains(&format!("\"actor\": \"cli ({user}")) || user.is_empty(), "the user name, asked for");
    let (code, err) = db.err(&["export", "redact", "--format", "json", "--with-actors"]);
    assert_eq!(code, 2, "--with-actors needs --with-history: {err}");
    assert!(err.contains("--with-history"), "{err}");
}

/// L1 of the 2026-12-06 review: a party name typed with a look-alike letter or an invisible
/// character is refused, naming the party or the character.
#[test]
fn l1_party_add_refuses_a_look_alike_or_invisible_name() {
    let db = Db::new();
    db.ok(&["party", "add", "--name", "Microsoft", "--kind", "organisation"]);
    let (_, err) = db.err(&["party", "add", "--name", "\u{41c}icrosoft", "--kind", "organisation"]);
    assert!(err.contains("looks like the name of the party 'Microsoft'"), "{err}");
    let (_, err) = db.err(&["party", "add", "--name", "Jane", "--kind", "person", "--alias", "Micro\u{ad}soft"]);
    assert!(err.contains("format character U+00AD"), "{err}");
    db.ok(&["party", "add", "--name", "Microsoft Ireland", "--kind", "organisation"]);
}
