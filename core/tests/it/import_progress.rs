//! A long import told how far it is, and stopped: the watcher hears the file read (CSV) or the records
//! written (bundle) from the start to the end, a bounded number of times; answering "stop" part-way
//! fails the import with `cancelled` and leaves the database as it was, parties created for it
//! included.

use crate::common::*;
use dossier_core::generate::generate;
use dossier_core::record::case;
use dossier_core::transfer::import;
use dossier_core::transfer::{self, ExportRequest, ImportRequest};
use dossier_core::Error;

/// A chronology of `rows` events, each naming a party that does not exist yet.
fn chronology(rows: usize) -> String {
    let mut csv = String::from("date;title;parties\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "20{:02}-{:02}-{:02};Event number {i};New Party {}\n",
            10 + i % 10,
            1 + i % 12,
            1 + i % 28,
            i % 7
        ));
    }
    csv
}

#[test]
fn a_csv_import_tells_how_much_of_the_file_is_read() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let csv = chronology(3_000);
    let watch = Recorder::new(usize::MAX);
    let report = import::csv_chronology_watched(&mut fx.store, "c", csv.as_bytes(), true, &watch).expect("import");
    assert_eq!(report.events, 3_000);
    let calls = watch.calls.into_inner();
    assert!(calls.len() > 10 && calls.len() <= 202, "told often, not once per row: {} calls", calls.len());
    assert!(calls.iter().all(|&(_, total)| total == csv.len() as u64), "the total is the file's size");
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0), "always forwards, each call news");
    assert_eq!(calls.last().map(|c| c.0), Some(csv.len() as u64), "ends at the whole file");
}

#[test]
fn a_csv_import_stopped_part_way_writes_nothing() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let csv = chronology(3_000);
    let watch = Recorder::new(5);
    let e = refused(&mut fx.store, |s| import::csv_chronology_watched(s, "c", csv.as_bytes(), true, &watch));
    assert!(matches!(e, Error::Cancelled), "{e:?}");
    assert_eq!(e.code(), ErrorCode::Cancelled);
    let calls = watch.calls.into_inner();
    assert_eq!(calls.len(), 5, "stopped at the watcher's answer");
    assert!(calls[4].0 < calls[4].1, "part-way: {:?}", calls[4]);
}

#[test]
fn a_bundle_import_tells_the_bytes_read_and_stops_with_nothing_written() {
    let mut source = fresh();
    generate(&mut source.store, "g", 400, 9).expect("generate");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.json");
    let export = ExportRequest {
        case: "g".into(),
        format: "json".into(),
        path: path.clone(),
        with_files: true,
        ..Default::default()
    };
    transfer::export(&source.store, &export).expect("export");
    let size = std::fs::metadata(&path).expect("the bundle").len();
    let request = ImportRequest { path, ..Default::default() };

    let mut whole = fresh();
    let watch = Recorder::new(usize::MAX);
    let report = transfer::import_watched(&mut whole.store, &request, &watch).expect("import");
    let calls = watch.calls.into_inner();
    assert!(calls.len() > 10 && calls.len() <= 202, "{} calls", calls.len());
    assert!(report.count > 400, "{} records written", report.count);
    assert!(calls.iter().all(|&(_, total)| total == 2 * size), "the total is the file's bytes, read twice");
    assert_eq!(calls.last().map(|c| c.0), Some(2 * size), "it ends at the end");
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0), "always forwards");

    // Stopped while the records are written (the second half: the file is read once to check it).
    let mut fx = fresh();
    let watch = Recorder::new(calls.len() * 3 / 4);
    let e = refused(&mut fx.store, |s| transfer::import_watched(s, &request, &watch));
    assert!(matches!(e, Error::Cancelled), "{e:?}");
    let last = *watch.calls.borrow().last().expect("told");
    assert!(last.0 > size && last.0 < 2 * size, "stopped while writing: {last:?} of a {size}-byte file");
    assert!(case::list(fx.store.reader()).expect("cases").is_empty(), "nothing of it was written");
}
