//! M6, L5, L6 and exports to a device: reading documents within a budget, and files written where named.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::extract::{self, Budget};
use dossier_core::generate::documents::scanned_pages;
use dossier_core::record::evidence::{self, Evidence, FileInput};
use dossier_core::transfer::{self, ExportRequest, ImportRequest};
use dossier_core::view::search::search;
use dossier_core::vocabulary::{TextMethod, TextState};
use dossier_core::Store;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write a fixture");
    path
}

/// Adds a file, left waiting to be read as the app leaves it.
fn add(store: &mut Store, path: &Path) -> Evidence {
    evidence::add_file(store, &FileInput { case: "c".into(), path: path.to_path_buf(), ..Default::default() })
        .expect("add the file")
}

fn state(store: &Store, id: &str) -> (TextState, Option<TextMethod>, i64, String) {
    let t = evidence::get(store.reader(), id).expect("get").text.expect("a text state");
    (t.state, t.method, t.pages, t.error)
}

/// The review's `mkdense.py`: `n` pages sharing one content stream of 86 lines of 80 random digits and
/// spaces, in Helvetica 8.
fn dense_digits(n: usize) -> Vec<u8> {
    let mut seed: u64 = 1;
    let mut digit = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        b"0123456789 "[(seed >> 33) as usize % 11] as char
    };
    let lines: Vec<String> = (10..=780)
        .rev()
        .step_by(9)
        .map(|y| format!("1 0 0 1 10 {y} Tm ({}) Tj", (0..80).map(|_| digit()).collect::<String>()))
        .collect();
    let content = format!("BT /F1 8 Tf {} ET", lines.join(" "));
    let pages = 3 + n;
    let mut objects = vec![
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let page = format!(
        "<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 1 0 R >> >> /Contents 2 0 R >>"
    );
    objects.extend(std::iter::repeat_n(page, n));
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push(format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    let trailer =
        format!("trailer\n<< /Size {} /Root {} 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1, objects.len());
    out.extend(trailer.into_bytes());
    out
}

#[test]
fn m6_pages_of_dense_digits_are_text_not_scans() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let e = add(&mut fx.store, &write(fx.dir.path(), "m3.pdf", &dense_digits(3)));
    let e = evidence::read_text(&mut fx.store, &e.id, &mut |_, _| panic!("no page is sent to OCR")).expect("read");
    let t = e.text.expect("text");
    assert_eq!((t.state, t.method, t.pages, t.error.as_str()), (TextState::Done, Some(TextMethod::Pdf), 3, ""));
}

#[test]
fn m6_ocr_stops_at_the_budget_and_keeps_the_text_read() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let scan = scanned_pages("NOTICE OF BREACH\nThe licensee owes Zanzibarite fees.", 3).expect("a scan");
    let e = add(&mut fx.store, &write(fx.dir.path(), "scan.pdf", &scan));
    let job = evidence::begin_reading(&mut fx.store, &e.id).expect("reading").expect("a job");
    let job = job.within(Budget { pages: 1, seconds: 600 });
    let mut told = Vec::new();
    let result = job.run(&mut |done, total| {
        told.push((done, total));
        true
    });
    fx.store.keep_text(&job, &result).expect("keep");
    let (now, method, pages, error) = state(&fx.store, &e.id);
    assert_eq!((now, method, pages), (TextState::Done, Some(TextMethod::PdfOcr), 3), "{error}");
    assert!(error.starts_with("OCR stopped after 1 page, the budget of one file (1 page or 10 minutes)"), "{error}");
    assert!(error.contains("the 2 other scanned pages keep only their text layer"), "{error}");
    assert_eq!(told, [(1, 1)], "the progress counts up to the budget");
    let page = evidence::text(fx.store.reader(), &e.id, Some(1)).expect("page 1");
    assert!(page[0].text.contains("Zanzibarite"), "the page read is kept: {page:?}");
    let hits = search(fx.store.reader(), "zanzibarite", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.record_id == e.id && h.page == Some(1)), "and found");
    // A budget of no time stops before the first page: the file is done, with its text layer.
    let job = evidence::begin_reading(&mut fx.store, &e.id).expect("reading").expect("a job");
    let job = job.within(Budget { pages: 200, seconds: 0 });
    let result = job.run(&mut |_, _| panic!("no page is read"));
    fx.store.keep_text(&job, &result).expect("keep");
    let (now, method, _, error) = state(&fx.store, &e.id);
    assert_eq!((now, method), (TextState::Done, Some(TextMethod::Pdf)));
    assert!(error.starts_with("OCR stopped after 0 pages"), "{error}");
}

#[test]
fn m6_a_reading_interrupted_twice_marks_the_file_failed() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let e = add(&mut fx.store, &write(fx.dir.path(), "m3.pdf", &dense_digits(3)));
    // Two readings begin and never end (the process was killed, as `timeout 120` did in the review).
    for _ in 0..2 {
        drop(evidence::begin_reading(&mut fx.store, &e.id).expect("reading").expect("a job"));
        assert_eq!(state(&fx.store, &e.id).0, TextState::Pending);
    }
    assert!(evidence::begin_reading(&mut fx.store, &e.id).expect("reading").is_none(), "not a third time");
    let (now, _, _, error) = state(&fx.store, &e.id);
    assert_eq!(now, TextState::Failed);
    assert!(error.contains("interrupted twice"), "{error}");
    assert!(evidence::waiting(fx.store.reader()).expect("waiting").is_empty(), "no longer read at every start");
    // Read again on demand, it is read.
    let e = evidence::read_text(&mut fx.store, &e.id, &mut |_, _| true).expect("read again");
    assert_eq!(e.text.map(|t| t.state), Some(TextState::Done));
}

#[test]
fn m6_a_stopped_file_is_left_and_read_again_on_demand() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let big = add(&mut fx.store, &write(fx.dir.path(), "big.pdf", &dense_digits(30)));
    let small = add(&mut fx.store, &write(fx.dir.path(), "small.pdf", &dense_digits(1)));
    assert_eq!(
        evidence::waiting(fx.store.reader()).expect("waiting"),
        [small.id.clone(), big.id.clone()],
        "smallest first"
    );
    // A reading of the small file begins and is cut short: the big one goes first next time.
    drop(evidence::begin_reading(&mut fx.store, &small.id).expect("reading"));
    assert_eq!(
        evidence::waiting(fx.store.reader()).expect("waiting"),
        [big.id.clone(), small.id.clone()],
        "interrupted last"
    );
    let stopped = evidence::stop_reading(&mut fx.store, &big.id).expect("stop");
    let t = stopped.text.expect("text");
    assert_eq!((t.state, t.error.as_str()), (TextState::Stopped, "the reading was stopped"));
    assert_eq!(evidence::waiting(fx.store.reader()).expect("waiting"), vec![small.id.clone()], "the reader leaves it");
    let read = evidence::read_text(&mut fx.store, &big.id, &mut |_, _| true).expect("read again");
    let t = read.text.expect("text");
    assert_eq!((t.state, t.pages), (TextState::Done, 30));
    // Stopping a file already read keeps its text.
    let t = evidence::stop_reading(&mut fx.store, &big.id).expect("stop").text.expect("text");
    assert_eq!((t.state, t.pages), (TextState::Done, 30));
}

#[test]
fn l5_no_child_program_is_given_the_passphrase() {
    let command = extract::command("pdftotext");
    let removed: Vec<_> = command.get_envs().filter(|(_, value)| value.is_none()).map(|(name, _)| name).collect();
    for name in extract::PASSPHRASE_VARIABLES {
        assert!(removed.iter().any(|n| *n == name), "{name} is removed from every child's environment");
    }
}

#[test]
fn l6_a_sparse_3_gib_eml_is_refused_before_it_is_read() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let dir = fx.dir.path().join("folder");
    std::fs::create_dir(&dir).expect("folder");
    write(
        &dir,
        "a.eml",
        b"Message-ID: <a@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: a@evil.example\nSubject: a\n\nx\n",
    );
    let big = std::fs::File::create(dir.join("big.eml")).expect("big.eml");
    big.set_len(3 << 30).expect("a sparse 3 GiB file");
    let request = ImportRequest { path: dir, case: "c".into(), ..Default::default() };
    let before = snapshot(&fx.store);
    let err = transfer::import(&mut fx.store, &request).expect_err("refused");
    assert!(err.to_string().contains("are over 256 MiB in all"), "{err}");
    assert_eq!(snapshot(&fx.store), before, "nothing written");
}

fn export_md(store: &Store, path: &Path) -> dossier_core::Result<transfer::TransferReport> {
    transfer::export(
        store,
        &ExportRequest { case: "c".into(), format: "md".into(), path: path.into(), ..Default::default() },
    )
}

#[test]
fn export_to_a_fifo_writes_through_and_keeps_the_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let fifo = fx.dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the fifo"))
    };
    export_md(&fx.store, &fifo).expect("export to a fifo");
    let read = reader.join().expect("the reader");
    assert!(read.contains("Case c"), "{read}");
    assert!(std::fs::symlink_metadata(&fifo).expect("still there").file_type().is_fifo(), "still a fifo");
}

#[test]
fn export_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let elsewhere = fx.dir.path().join("synced");
    std::fs::create_dir(&elsewhere).expect("folder");
    let target = write(&elsewhere, "report.md", b"old");
    let link = fx.dir.path().join("report.md");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    export_md(&fx.store, &link).expect("export through a link");
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink(), "the link stays a link");
    assert!(std::fs::read_to_string(&target).expect("target").contains("Case c"), "its target has the export");
    // A link to nothing, a folder and a device other than a stream are refused, and left as they were.
    let dangling = fx.dir.path().join("nowhere.md");
    std::os::unix::fs::symlink(fx.dir.path().join("missing/x.md"), &dangling).expect("symlink");
    let err = export_md(&fx.store, &dangling).expect_err("a link to nothing");
    assert!(err.to_string().contains("is a symbolic link to nothing"), "{err}");
    let err = export_md(&fx.store, &elsewhere).expect_err("a folder");
    assert!(err.to_string().contains("is a folder"), "{err}");
    assert!(elsewhere.is_dir());
}
