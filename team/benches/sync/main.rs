//! Team spaces measured on this machine, against a real PostgreSQL on loopback (the throw-away
//! cluster of `dossier_team::testing`, started by the bench itself): the targets of the design memo's
//! §8, each printed beside its figure, never asserted.
//!
//! Run with `cargo bench -p dossier-team --bench sync` (the full size: a space of 100,000 generated
//! items, 10,000 write entries to apply, a 64 MiB file, a load run of two minutes) or
//! `-- 1000` for a short form (seconds; the load run 10 s). What it measures, in order:
//! 1. the push of one write (an event, then `Store::sync`), p50/p95;
//! 2. a live update: a write committed on A, pushed, and applied on B, which waits on
//!    `Listener::wait` and syncs when woken, p50/p95;
//! 3. the verification rate (`envelope::verify` and `envelope::open`) over the entries of step 4;
//! 4. the apply rate: a member joining a space of N/10 write entries (one event each), beside raw
//!    SQLite inserting as many rows in one transaction;
//! 5. the first sync of a space made from `dossier gen` data of N items: the founder's push, then the
//!    join of a second member in a process of its own (wall time and its peak memory, `VmHWM`);
//! 6. a rebase of 500 pending writes over 2,000 remote ones (N/20 over N/5 in a short form);
//! 7. an evidence file of 64 MiB sent and fetched (4 MiB in a short form);
//! 8. a load run: 50 members, each with its own login, connection and signing device, appending
//!    sealed, signed entries through `Relay::append` at 10 appends a second in all.

mod latency;
mod space;
mod volume;

use std::time::Duration;

/// One line of the table.
pub struct Line {
    pub measure: String,
    pub figure: String,
    pub raw: String,
    pub ratio: String,
    pub target: String,
    pub met: Option<bool>,
}

impl Line {
    pub fn new(
        measure: impl Into<String>,
        figure: impl Into<String>,
        target: impl Into<String>,
        met: Option<bool>,
    ) -> Line {
        let (raw, ratio) = (String::new(), String::new());
        Line { measure: measure.into(), figure: figure.into(), raw, ratio, target: target.into(), met }
    }
}

/// p50 and p95 of `samples` in milliseconds, as a figure.
pub fn p50_p95(samples: &[Duration]) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    format!("{:.1} / {:.1} ms", ms(space::percentile(samples, 50.0)), ms(space::percentile(samples, 95.0)))
}

/// The sizes of one run, from the item count `n` given on the command line.
pub struct Sizes {
    pub n: usize,
    pub pushes: usize,
    pub live: usize,
    pub apply: usize,
    pub pending: usize,
    pub remote: usize,
    pub file_mib: usize,
    pub members: usize,
    pub load: Duration,
}

impl Sizes {
    fn of(n: usize) -> Sizes {
        let full = n >= 100_000;
        Sizes {
            n,
            pushes: if full { 200 } else { 50 },
            live: if full { 100 } else { 20 },
            apply: (n / 10).max(100),
            pending: if full { 500 } else { (n / 20).max(10) },
            remote: if full { 2_000 } else { (n / 5).max(40) },
            file_mib: if full { 64 } else { 4 },
            members: 50,
            load: Duration::from_secs(if full { 120 } else { 10 }),
        }
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if volume::join_child(&args) {
        return;
    }
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let sizes = Sizes::of(n);
    let started = std::time::Instant::now();
    println!("Team spaces on loopback PostgreSQL, size {n}; load average {}", load_average());
    let mut lines = Vec::new();
    lines.push(latency::push(&sizes));
    println!("1. push measured ({:.0} s)", started.elapsed().as_secs_f64());
    lines.push(latency::live(&sizes));
    println!("2. live update measured ({:.0} s)", started.elapsed().as_secs_f64());
    lines.extend(volume::apply_and_verify(&sizes));
    println!("3-4. verification and apply measured ({:.0} s)", started.elapsed().as_secs_f64());
    lines.extend(volume::first_sync(&sizes));
    println!("5. first sync measured ({:.0} s)", started.elapsed().as_secs_f64());
    lines.push(volume::rebase(&sizes));
    println!("6. rebase measured ({:.0} s)", started.elapsed().as_secs_f64());
    lines.extend(volume::files(&sizes));
    println!("7. files measured ({:.0} s)", started.elapsed().as_secs_f64());
    lines.extend(latency::load(&sizes));
    println!("8. load run measured ({:.0} s)", started.elapsed().as_secs_f64());
    print(
        &format!(
            "Team spaces (size {n}), {:.0} s in all; load average at the end {}",
            started.elapsed().as_secs_f64(),
            load_average()
        ),
        &lines,
    );
}

fn print(title: &str, lines: &[Line]) {
    let width = lines.iter().map(|l| l.measure.chars().count()).max().unwrap_or(0);
    let figure = lines.iter().map(|l| l.figure.chars().count()).max().unwrap_or(0);
    println!("\n{title}\n");
    println!(
        "| {:<width$} | {:>figure$} | {:>14} | {:>7} | {:<22} | {:<7} |",
        "measure", "Dossier", "raw SQLite", "ratio", "target", ""
    );
    println!(
        "|{}|{}:|{}:|{}:|{}|{}|",
        "-".repeat(width + 2),
        "-".repeat(figure + 1),
        "-".repeat(15),
        "-".repeat(8),
        "-".repeat(24),
        "-".repeat(9)
    );
    for l in lines {
        let met = match l.met {
            Some(true) => "met",
            Some(false) => "NOT met",
            None => "",
        };
        println!(
            "| {:<width$} | {:>figure$} | {:>14} | {:>7} | {:<22} | {:<7} |",
            l.measure, l.figure, l.raw, l.ratio, l.target, met
        );
    }
}
