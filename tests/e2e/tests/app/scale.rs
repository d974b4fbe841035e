//! A long case in the app. The timeline is windowed: whatever the case's size and wherever the list is
//! scrolled, the page holds the rows in view and a few around them, the scrollbar stands for the whole
//! case, and a year is one choice away.
//!
//! In `cargo test` the case is generated here (`dossier gen`, 1,000 items, about 1,200 entries): enough to
//! scroll through many windows. On demand, `scripts/measure-app` runs it on a generated case of 100,000
//! items (`DOSSIER_SCALE_DB`) and prints how long each jump took and what the app's memory did.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::driver::*;
use crate::startup::{app_pid, memory, name, tree};

/// Elements in the page, and all its nodes (text included).
async fn dom_size(app: &App) -> (u64, u64) {
    let counts = app
        .client
        .execute(
            "let all = 0; const walk = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
             while (walk.nextNode()) all++;
             return [document.getElementsByTagName('*').length, all];",
            vec![],
        )
        .await
        .expect("count the DOM");
    let pair = counts.as_array().expect("two counts");
    (pair[0].as_u64().expect("elements"), pair[1].as_u64().expect("nodes"))
}

/// Scrolls the list by `rows` rows (the scrollbar's pixels per row are on the viewport: fewer than a
/// row's height when the case is too long for WebKit to lay out at full height) and waits until no row
/// in view is still loading; returns the index of the first entry in view.
async fn scroll_rows(app: &App, rows: i64) -> i64 {
    app.client
        .execute_async(
            "const [rows, done] = arguments;
             const v = document.querySelector('[data-testid=entries-viewport]');
             v.scrollTop += rows * Number(v.dataset.rowPx);
             const settled = () => {
               const top = v.getBoundingClientRect().top;
               const loading = document.querySelectorAll('.entry.loading').length;
               const first = [...document.querySelectorAll('[data-testid=entry]')]
                 .find((e) => e.getBoundingClientRect().bottom > top);
               if (loading === 0 && first) done(Number(first.dataset.index)); else setTimeout(settled, 20);
             };
             settled();",
            vec![rows.into()],
        )
        .await
        .expect("scroll")
        .as_i64()
        .expect("an index")
}

/// Picks a year in the jump list and returns (milliseconds until the rows of that year are shown, the
/// running month header then).
async fn jump_to_year(app: &App, year: &str) -> (f64, String) {
    let answer = app
        .client
        .execute_async(
            "const [year, done] = arguments;
             const pick = document.querySelector('[data-testid=jump-year]');
             const start = performance.now();
             pick.value = year;
             pick.dispatchEvent(new Event('change', { bubbles: true }));
             const shown = () => {
               const head = document.querySelector('[data-testid=list-month]').textContent;
               const loading = document.querySelectorAll('.entry.loading').length;
               if (head.includes(year) && loading === 0) done([performance.now() - start, head]);
               else requestAnimationFrame(shown);
             };
             requestAnimationFrame(shown);",
            vec![year.into()],
        )
        .await
        .expect("jump");
    let pair = answer.as_array().expect("time and header");
    (pair[0].as_f64().expect("ms"), pair[1].as_str().expect("header").to_string())
}

/// The subjects of the letters shown, as the page holds them.
async fn subjects(app: &App) -> Vec<String> {
    let list = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=thread-letter] .entry-title')].map((e) => e.textContent);",
            vec![],
        )
        .await
        .expect("the letters");
    list.as_array().map(|l| l.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
}

/// Puts the case to open where the app looks for its database: a copy of `DOSSIER_SCALE_DB`, or a case
/// generated now.
fn place_case(data: &Path) -> String {
    let db = data.join("org.dossier.app").join("dossier.sqlite");
    std::fs::create_dir_all(db.parent().expect("folder")).expect("data folder");
    if let Some(source) = std::env::var_os("DOSSIER_SCALE_DB") {
        let source = Path::new(&source);
        let status = Command::new("sqlite3").arg(source).arg(format!(".backup '{}'", db.display())).status();
        assert!(status.is_ok_and(|s| s.success()), "copy {}", source.display());
        let files = source.with_file_name(format!("{}.files", source.file_name().unwrap().to_string_lossy()));
        let status = Command::new("cp").arg("-a").arg(&files).arg(db.with_file_name("dossier.sqlite.files")).status();
        assert!(status.is_ok_and(|s| s.success()), "copy {}", files.display());
        return std::env::var("DOSSIER_SCALE_CASE").unwrap_or_else(|_| "big".into());
    }
    let cli = app_binary().with_file_name("dossier");
    let out = Command::new(&cli)
        .arg("--db")
        .arg(&db)
        .args(["gen", "--case", "long", "--items", "1000", "--seed", "5"])
        .output()
        .expect("dossier gen");
    assert!(out.status.success(), "dossier gen: {}", String::from_utf8_lossy(&out.stderr));
    "long".into()
}

#[tokio::test(flavor = "current_thread")]
async fn a_long_timeline_keeps_the_page_small_and_jumps_to_a_year() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let slug = place_case(data.path());
    let measuring = std::env::var_os("DOSSIER_SCALE_DB").is_some();
    let app = App::start(data.path()).await;
    app.set_lang("en").await;
    app.click(&format!("[data-testid=case-{slug}]")).await;
    app.wait_css("[data-testid=entry]").await;
    let total = app.wait_css("[data-testid=entry-total]").await.text().await.expect("total");
    println!("the case's timeline: {total}");
    let entries: u64 =
        total.split_whitespace().next().unwrap().replace([',', '\u{a0}', '\u{202f}'], "").parse().expect("a count");
    assert!(entries > 1_000, "a long timeline: {total}");
    let first_page = dom_size(&app).await;
    let pid = measuring.then(|| app_pid(&std::fs::canonicalize(app_binary()).expect("binary")));
    // (RSS, PSS) of the app's whole process tree in MiB.
    let rss = |pid: u32| {
        let sizes: Vec<(u32, (u64, u64))> = tree(pid).into_iter().map(|p| (p, memory(p))).collect();
        for (p, (rss, pss)) in &sizes {
            println!("  {:>8} KiB RSS {:>8} KiB PSS  {} ({p})", rss, pss, name(*p));
        }
        (sizes.iter().map(|m| m.1 .0).sum::<u64>() / 1024, sizes.iter().map(|m| m.1 .1).sum::<u64>() / 1024)
    };
    let before = pid.map(rss);
    app.shot("scale-timeline-en").await;

    // Through the list a window at a time (a page of 200 entries on a long case, less on a short one),
    // the page never holds more than the rows around the view.
    let step = if measuring { 200 } else { 30 };
    let mut largest = first_page;
    let mut at = 0;
    let pages = std::env::var("DOSSIER_SCALE_PAGES").ok().and_then(|p| p.parse().ok()).unwrap_or(100);
    for _ in 0..(if measuring { pages } else { 20 }) {
        let next = scroll_rows(&app, step).await;
        assert!(next > at, "the list moved on: {at} → {next}");
        at = next;
        let size = dom_size(&app).await;
        largest = (largest.0.max(size.0), largest.1.max(size.1));
    }
    println!(
        "DOM: first page {first_page:?}, largest while scrolling {largest:?} (elements, nodes); scrolled to entry {at}"
    );
    assert!(largest.1 < 1_500, "the page stays small: {largest:?} nodes after scrolling to entry {at}");
    if let (Some(pid), Some(before)) = (pid, before) {
        // WebKit returns freed memory to the system some seconds after a burst (its allocator's
        // scavenger): read once at 2 s and once later.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let soon = rss(pid);
        println!("memory 2 s after scrolling (RSS, PSS): {} MiB, {} MiB", soon.0, soon.1);
        let settle = std::env::var("DOSSIER_SCALE_SETTLE").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
        tokio::time::sleep(Duration::from_secs(settle)).await;
        let after = rss(pid);
        println!(
            "memory of the app's process tree (RSS, PSS): {} MiB, {} MiB at the first page; {} MiB, {} MiB after scrolling",
            before.0, before.1, after.0, after.1
        );
    }

    // Every year the case spans is one choice away, wherever the list is.
    let years = app.texts("[data-testid=jump-year] option").await;
    let years: Vec<&String> = years.iter().filter(|y| y.parse::<i32>().is_ok()).collect();
    assert!(years.len() > 3, "years to jump to: {years:?}");
    let mut times = Vec::new();
    for year in years.iter().rev().chain(years.iter()) {
        let (ms, head) = jump_to_year(&app, year).await;
        assert!(head.contains(year.as_str()), "jumped to {year}: the list shows {head}");
        times.push(ms);
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("times"));
    println!(
        "jump to a year ({} jumps): median {:.0} ms, slowest {:.0} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    app.shot("scale-jump-en").await;
    app.set_lang("fr").await;
    app.shot("scale-jump-fr").await;

    // The other long lists are read a page at a time: the correspondence shows 50 letters and says
    // which, and the next page holds the next 50.
    app.click("[data-testid=tab-correspondence]").await;
    let range = app
        .until("the first page", async |a: &App| a.texts("[data-testid=pager-range]").await, |r| !r.is_empty())
        .await;
    assert!(range[0].starts_with("1–50 sur "), "{range:?}");
    let first = subjects(&app).await;
    assert_eq!(first.len(), 50, "one page of letters");
    assert!(first.iter().all(|t| t.starts_with('L')), "the letters' subjects: {first:?}");
    app.shot("scale-correspondence-fr").await;
    app.click("[data-testid=pager-next]").await;
    let range = app
        .until(
            "the second page",
            async |a: &App| a.texts("[data-testid=pager-range]").await,
            |r| r.first().is_some_and(|t| t.starts_with("51–100")),
        )
        .await;
    let second = subjects(&app).await;
    let top = app.client.execute("return document.querySelector('main').scrollTop;", vec![]).await.expect("scroll");
    assert_eq!(top.as_f64(), Some(0.0), "the next page is shown from its top");
    let repeated: Vec<&String> = second.iter().filter(|t| first.contains(t)).collect();
    assert!(repeated.is_empty(), "the next letters, none of the first page: {range:?}, repeated {repeated:?}");
    app.set_lang("en").await;
    let pager = app.wait_css("[data-testid=pager]").await;
    app.reveal(&pager).await;
    app.shot("scale-correspondence-en").await;
    app.stop().await;
}

/// How far the import or export form's progress bar shows the work is (-1 when it is not shown).
async fn import_progress(app: &App) -> f64 {
    let value = app
        .client
        .execute("const p = document.querySelector('[data-testid=save-progress]'); return p ? p.position : -1;", vec![])
        .await
        .expect("read the progress bar");
    value.as_f64().unwrap_or(-1.0)
}

#[tokio::test(flavor = "current_thread")]
async fn a_long_import_shows_its_progress_and_stops_with_nothing_written() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    // A spreadsheet chronology long enough to be seen going: 30,000 rows naming new parties.
    let file = data.path().join("chronology.csv");
    let mut csv = String::from("date;title;parties\n");
    for i in 0..30_000 {
        csv.push_str(&format!(
            "20{:02}-{:02}-{:02};Imported event {i};Spreadsheet Party {}\n",
            10 + i % 10,
            1 + i % 12,
            1 + i % 28,
            i % 9
        ));
    }
    std::fs::write(&file, csv).expect("write the chronology");
    let app = App::start(data.path()).await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    let before = app.wait_css("[data-testid=entry-total]").await.text().await.expect("total");

    for (lang, shot) in [("en", "import-progress-en"), ("fr", "import-progress-fr")] {
        app.set_lang(lang).await;
        app.click("[data-testid=import]").await;
        app.set_path("#f-path", &file).await;
        app.click("#f-create_parties").await;
        app.click("[data-testid=save]").await;
        let shown = app.until("the import's progress", import_progress, |p| *p > 0.0).await;
        assert!(shown < 1.0, "part-way: {shown}");
        app.shot(shot).await;
        app.click("[data-testid=stop]").await;
        let said = app.wait_css("[data-testid=form-error]").await.text().await.expect("text");
        let expected =
            if lang == "en" { "Stopped: nothing was imported." } else { "Arrêté : rien n’a été importé." };
        assert_eq!(said, expected);
        app.click("[data-testid=cancel]").await;
    }
    // Nothing of the file is in the case, and none of its parties exist.
    app.set_lang("en").await;
    app.click("[data-testid=tab-parties]").await;
    app.click("[data-testid=tab-timeline]").await;
    let after = app.wait_css("[data-testid=entry-total]").await.text().await.expect("total");
    assert_eq!(after, before, "the timeline is as it was");
    app.type_into("[data-testid=search]", "Spreadsheet").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(app.texts("[data-testid=hit]").await.is_empty(), "no party or event of the file is found");
    app.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_long_export_shows_its_progress_and_stopping_it_leaves_no_file() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    // A case long enough for its PDF to take a while: 2,000 items, some 500 pages.
    let db = data.path().join("long.sqlite");
    let mut store = dossier_core::Store::open(&db).expect("a new database");
    dossier_core::generate::generate(&mut store, "long", 2000, 3).expect("generate");
    drop(store);
    let out = data.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let app = App::start_with(data.path(), &[("DOSSIER_DB", db.to_str().expect("a UTF-8 path"))]).await;
    app.click("[data-testid=case-long]").await;

    for (lang, said) in [("en", "Stopped: no file was written."), ("fr", "Arrêté : aucun fichier n’a été écrit.")]
    {
        app.set_lang(lang).await;
        app.click("[data-testid=export]").await;
        app.wait_css("#f-format").await.select_by_value("pdf").await.expect("format");
        app.set_path("#f-path", &out.join("long.pdf")).await;
        app.click("[data-testid=save]").await;
        let shown = app.until("the export's progress", import_progress, |p| *p > 0.0).await;
        assert!(shown < 1.0, "part-way: {shown}");
        app.shot(&format!("export-progress-{lang}")).await;
        app.click("[data-testid=stop]").await;
        let stopped = app.wait_css("[data-testid=form-error]").await.text().await.expect("text");
        assert_eq!(stopped, said);
        let left: Vec<_> = std::fs::read_dir(&out).expect("out").map(|e| e.expect("entry").file_name()).collect();
        assert!(left.is_empty(), "{lang}: no file and no temporary file left: {left:?}");
        app.click("[data-testid=cancel]").await;
    }
    app.stop().await;
}
