//! The database every end-to-end test of the `dossier` binary runs on, in its own temporary folder,
//! and the ways a test runs the binary on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub struct Db {
    dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("case.sqlite");
        Db { dir, path }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The binary on this database, with no database or passphrase from the environment and no stdin.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_on(&self.path, args)
    }

    /// The binary on another database (a backup, a copy).
    pub fn command_on(&self, db: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
        c.arg("--db").arg(db).args(args).env_remove("DOSSIER_DB").env_remove("DOSSIER_PASSPHRASE");
        c.stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run dossier")
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "dossier {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("valid JSON")
    }

    /// Runs a command that must fail; returns (exit code, stderr).
    pub fn err(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "dossier {args:?} should have failed");
        (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).expect("utf-8 stderr"))
    }

    /// How many writes the database has seen (one change-log entry per write).
    pub fn writes(&self) -> i64 {
        let conn = rusqlite::Connection::open(&self.path).expect("open db");
        conn.query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).expect("count")
    }

    /// A file in the database's folder holding `text` (a passphrase, a CSV…); its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let file = self.dir().join(name);
        std::fs::write(&file, text).expect("write a file");
        file.to_string_lossy().into_owned()
    }

    /// Every file under the database's folder that holds `needle` (test inputs, `.csv` and `.txt`,
    /// aside).
    pub fn holding(&self, needle: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut todo = vec![self.dir().to_path_buf()];
        while let Some(dir) = todo.pop() {
            for entry in std::fs::read_dir(&dir).expect("list").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else if !path.extension().is_some_and(|e| e == "csv" || e == "txt")
                    && std::fs::read(&path).unwrap_or_default().windows(needle.len()).any(|w| w == needle.as_bytes())
                {
                    out.push(path);
                }
            }
        }
        out
    }

    /// Every file directly in the database's folder with its bytes, in order.
    pub fn bytes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(self.dir())
            .expect("list")
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| (e.path(), std::fs::read(e.path()).expect("read")))
            .collect();
        all.sort();
        all
    }
}
