//! How Dossier holds up on a case of 100,000 records: a bench binary (no timed asserts anywhere).
//! Run with `cargo bench -p dossier-core --bench scale` (optionally `-- 20000` for another size).
//! It builds the case through the core's own write path, then times what a user waits for: the first
//! timeline page, a page deep in the case (keyset), filters, and searches.

use std::time::{Duration, Instant};

use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::view::search;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::Store;

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> T {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let start = Instant::now();
        out = Some(f());
        best = best.min(start.elapsed());
    }
    println!("{label:<58} {:>9.2} ms (best of {runs})", best.as_secs_f64() * 1e3);
    out.expect("at least one run")
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scale.sqlite");
    let mut store = Store::open(&path).expect("open");
    case::create(&mut store, &CaseInput { title: "Scale".into(), slug: "scale".into(), ..Default::default() })
        .expect("case");
    let names: Vec<String> = (0..50).map(|i| format!("Party {i:02}")).collect();
    for name in &names {
        party::create(
            &mut store,
            &PartyInput { name: name.clone(), kind: "organisation".into(), ..Default::default() },
        )
        .expect("party");
    }
    let words =
        ["licence", "audit", "redevance", "données", "accord", "breach", "volume", "invoice", "settlement", "notice"];
    let start = Instant::now();
    store
        .batch(|s| {
            for i in 0..n {
                let year = 2000 + (i % 24);
                let month = 1 + (i / 24) % 12;
                let day = 1 + (i / 288) % 28;
                let date = match i % 5 {
                    0 => format!("{year}"),
                    1 => format!("~{year}-{month:02}"),
                    2 => format!("{year}-{month:02}-{day:02}"),
                    3 => format!("<{year}-{month:02}"),
                    _ => format!("{year}-{month:02}..{}-{month:02}", year + 1),
                };
                let text = format!(
                    "{} {} record {i} about the {} clause",
                    words[i % 10],
                    words[(i / 10) % 10],
                    words[(i / 100) % 10]
                );
                if i % 4 == 0 {
                    letter::create(
                        s,
                        &LetterInput {
                            case: "scale".into(),
                            sender: names[i % 50].clone(),
                            to: vec![names[(i + 1) % 50].clone()],
                            subject: text,
                            date,
                            ..Default::default()
                        },
                    )?;
                } else {
                    event::create(
                        s,
                        &EventInput {
                            case: "scale".into(),
                            title: text,
                            date,
                            parties: vec![names[i % 50].clone()],
                            ..Default::default()
                        },
                    )?;
                }
            }
            Ok(())
        })
        .expect("load");
    let load = start.elapsed();
    println!(
        "{:<58} {:>9.2} s ({:.0} records/s)",
        format!("write {n} records through the write path (one batch)"),
        load.as_secs_f64(),
        n as f64 / load.as_secs_f64()
    );
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("scale.sqlite-wal")).map(|m| m.len()).unwrap_or(0);
    println!("{:<58} {:>9.1} MiB", "database size (file + WAL)", size as f64 / (1 << 20) as f64);

    let conn = store.reader();
    let all = Filter::default();
    let first =
        time("timeline: first page of 200", 5, || timeline::page(conn, "scale", &all, None, 200).expect("page"));
    let mut cursor = first.next.clone();
    for _ in 0..(n / 2 / 1000) {
        cursor = timeline::page(conn, "scale", &all, cursor.as_deref(), 1000).expect("page").next;
    }
    time("timeline: page of 200 half-way through (keyset)", 5, || {
        timeline::page(conn, "scale", &all, cursor.as_deref(), 200).expect("page")
    });
    let by_party = Filter { party: Some("Party 07".into()), ..Default::default() };
    time("timeline: first page filtered by one party", 5, || {
        timeline::page(conn, "scale", &by_party, None, 200).expect("page")
    });
    let by_kind = Filter {
        kinds: vec!["letter".into()],
        from: Some("2010".into()),
        to: Some("2012".into()),
        ..Default::default()
    };
    time("timeline: letters of 2010-2012, first page", 5, || {
        timeline::page(conn, "scale", &by_kind, None, 200).expect("page")
    });
    let hits = time("search: a word in 10% of records ('audit'), best 100", 5, || {
        search::search(conn, "audit", None, 100).expect("search")
    });
    assert!(!hits.is_empty());
    time("search: prefix 'redev*', best 100", 5, || search::search(conn, "redev*", None, 100).expect("search"));
    time("search: phrase \"record 4242\"", 5, || search::search(conn, "\"record 4242\"", None, 100).expect("search"));
    time("search: 'clause -audit' (nearly every record), best 100", 5, || {
        search::search(conn, "clause -audit", None, 100).expect("search")
    });
}
