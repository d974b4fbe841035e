//! Memory while a piece of work runs, and the printed table.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The process's resident memory now, in KiB (`VmRSS` of `/proc/self/status`).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Runs `f`, sampling the resident memory every 20 ms; returns its result, how long it took, and how
/// far the memory rose above where it started (MiB).
pub fn timed_with_memory<T>(f: impl FnOnce() -> T) -> (T, Duration, f64) {
    let start_rss = rss_kib();
    let peak = Arc::new(AtomicU64::new(start_rss));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let rise = peak.load(Ordering::Relaxed).saturating_sub(start_rss) as f64 / 1024.0;
    (out, took, rise)
}

/// What a goal compares: Dossier's figure alone, or its ratio to raw SQLite's.
pub enum Goal {
    /// Dossier's time at most this many milliseconds, and at most this many times raw's.
    Time { ms: f64, ratio: Option<f64> },
    /// Dossier's throughput (rows/s) at least this share of raw's.
    Share(f64),
    /// Dossier's figure at most this many times raw's (sizes).
    Ratio(f64),
    /// Dossier's figure at most this (memory in MiB, where raw SQLite has nothing to compare).
    AtMost(f64),
    /// A figure shown for what it says, with no goal.
    None,
}

pub enum Value {
    Ms(Duration),
    RowsPerSecond(f64),
    Bytes(u64),
    MiB(f64),
}

impl Value {
    fn number(&self) -> f64 {
        match self {
            Value::Ms(d) => d.as_secs_f64() * 1e3,
            Value::RowsPerSecond(r) => *r,
            Value::Bytes(b) => *b as f64,
            Value::MiB(m) => *m,
        }
    }

    fn text(&self) -> String {
        match self {
            Value::Ms(d) => format!("{:.2} ms", d.as_secs_f64() * 1e3),
            Value::RowsPerSecond(r) => format!("{r:.0} rows/s"),
            Value::Bytes(b) => format!("{:.0} B", *b as f64),
            Value::MiB(m) => format!("{m:.1} MiB"),
        }
    }
}

/// One line of the table: a measure, Dossier's figure, raw SQLite's for the same work, and the goal.
pub struct Line {
    pub measure: String,
    pub dossier: Value,
    pub raw: Option<Value>,
    pub goal: Goal,
}

impl Line {
    pub fn new(measure: impl Into<String>, dossier: Value, raw: Option<Value>, goal: Goal) -> Line {
        Line { measure: measure.into(), dossier, raw, goal }
    }

    /// Dossier against raw: a time or size ratio (Dossier / raw), or a throughput share (Dossier / raw).
    fn ratio(&self) -> Option<f64> {
        self.raw.as_ref().map(|raw| self.dossier.number() / raw.number())
    }

    fn verdict(&self) -> (&'static str, String) {
        let ratio = self.ratio();
        let (goal, met) = match self.goal {
            Goal::Time { ms, ratio: limit } => {
                let fast = self.dossier.number() <= ms;
                let near = limit.is_none_or(|l| ratio.is_some_and(|r| r <= l));
                let text = match limit {
                    Some(l) => format!("≤ {ms} ms, ≤ {l}× raw"),
                    None => format!("≤ {ms} ms"),
                };
                (text, fast && near)
            }
            Goal::Share(share) => (format!("≥ {:.0}% of raw", share * 100.0), ratio.is_some_and(|r| r >= share)),
            Goal::Ratio(limit) => (format!("≤ {limit}× raw"), ratio.is_some_and(|r| r <= limit)),
            Goal::AtMost(limit) => (format!("≤ {limit} MiB"), self.dossier.number() <= limit),
            Goal::None => return ("", String::new()),
        };
        (if met { "met" } else { "NOT met" }, goal)
    }
}

pub fn print(title: &str, lines: &[Line]) {
    let width = lines.iter().map(|l| l.measure.chars().count()).max().unwrap_or(0);
    println!("\n{title}\n");
    println!(
        "| {:<width$} | {:>16} | {:>16} | {:>8} | {:<22} | {:<7} |",
        "measure", "Dossier", "raw SQLite", "ratio", "goal", ""
    );
    println!(
        "|{}|{}|{}|{}|{}|{}|",
        "-".repeat(width + 2),
        "-".repeat(18),
        "-".repeat(18),
        "-".repeat(10),
        "-".repeat(24),
        "-".repeat(9)
    );
    for l in lines {
        let raw = l.raw.as_ref().map(Value::text).unwrap_or_else(|| "—".into());
        let ratio = match (l.ratio(), &l.dossier) {
            (Some(r), Value::RowsPerSecond(_)) => format!("{:.1}%", r * 100.0),
            (Some(r), _) => format!("{r:.2}×"),
            (None, _) => "—".into(),
        };
        let (met, goal) = l.verdict();
        println!(
            "| {:<width$} | {:>16} | {:>16} | {:>8} | {:<22} | {:<7} |",
            l.measure,
            l.dossier.text(),
            raw,
            ratio,
            goal,
            met
        );
    }
}

/// This process's peak resident memory so far, in KiB as the kernel says it (`VmHWM`): what a child
/// process of the bench prints for the bench to read.
pub fn peak_kib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).expect("VmHWM");
    peak.trim().trim_end_matches("kB").trim().to_string()
}
