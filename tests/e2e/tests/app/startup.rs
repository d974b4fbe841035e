//! On demand (`scripts/measure-app`, ignored by `cargo test`): how long the app takes from its process
//! starting to an interactive case list (the demo cases listed, on a fresh data directory and again on
//! the one it made), and the idle memory of its whole process tree (the app and the WebKit processes
//! it starts), as resident (RSS) and proportional (PSS, shared pages divided among their users) sizes.

use std::path::Path;
use std::time::Duration;

use crate::driver::*;

/// Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// Seconds since boot, from `/proc/uptime`.
fn uptime() -> f64 {
    let text = std::fs::read_to_string("/proc/uptime").expect("/proc/uptime");
    text.split_whitespace().next().and_then(|s| s.parse().ok()).expect("uptime")
}

/// (parent pid, start time in seconds since boot) of a process.
pub fn stat(pid: u32) -> Option<(u32, f64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields are counted after its ')'.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some((fields.get(1)?.parse().ok()?, fields.get(19)?.parse::<f64>().ok()? / TICKS))
}

pub fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc").expect("/proc").flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect()
}

/// The newest process running the app's binary.
pub fn app_pid(binary: &Path) -> u32 {
    pids()
        .into_iter()
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
        .max_by(|a, b| stat(*a).map(|s| s.1).partial_cmp(&stat(*b).map(|s| s.1)).expect("times"))
        .expect("the app's process")
}

/// A process and all its descendants.
pub fn tree(root: u32) -> Vec<u32> {
    let all: Vec<(u32, u32)> = pids().into_iter().filter_map(|p| stat(p).map(|(parent, _)| (p, parent))).collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(all.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    found
}

/// (RSS, PSS) of a process in KiB, from `/proc/<pid>/smaps_rollup`.
pub fn memory(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("Rss:"), field("Pss:"))
}

pub fn name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_string()
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "a measurement: run by scripts/measure-app"]
async fn cold_start_and_idle_memory() {
    let _one = ONE_AT_A_TIME.lock().await;
    let binary = std::fs::canonicalize(std::env::var_os("DOSSIER_APP_BIN").expect("DOSSIER_APP_BIN")).expect("binary");
    let data = tempfile::tempdir().expect("temp dir");
    let mut starts = Vec::new();
    for run in 0..6 {
        // The first run creates the database and loads the demo; the others open it.
        let app = App::start(data.path()).await;
        app.wait_css("[data-testid=case-twitter-v-microsoft]").await;
        let now = uptime();
        let pid = app_pid(&binary);
        let started = stat(pid).expect("the app's start time").1;
        let seconds = now - started;
        println!(
            "run {run}: {:.2} s from process start to the case list{}",
            seconds,
            if run == 0 { " (new database, demo loaded)" } else { "" }
        );
        starts.push(seconds);
        if run == 5 {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let mut total = (0, 0);
            for p in tree(pid) {
                let (rss, pss) = memory(p);
                println!("  {:>8} KiB RSS {:>8} KiB PSS  {} ({p})", rss, pss, name(p));
                total = (total.0 + rss, total.1 + pss);
            }
            println!("idle, whole process tree: {} MiB RSS, {} MiB PSS", total.0 / 1024, total.1 / 1024);
        }
        app.stop().await;
    }
    let mut warm = starts[1..].to_vec();
    warm.sort_by(|a, b| a.partial_cmp(b).expect("times"));
    println!("cold start to the case list: first {:.2} s; then median {:.2} s", starts[0], warm[warm.len() / 2]);
}
