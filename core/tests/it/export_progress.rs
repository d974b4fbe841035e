//! A long export told how far it is, and stopped: the watcher hears the report's blocks and rows
//! built and written from the start to the end, a bounded number of times; answering "stop" part-way fails the
//! export with `cancelled`, leaves no file where it was going (nor a temporary one beside it), and an
//! earlier file of that name as it was.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::generate::generate;
use dossier_core::transfer::export::report;
use dossier_core::transfer::{self, ExportRequest};
use dossier_core::{Error, ErrorCode};

/// A generated case of 300 items, and an empty folder to export it into.
fn generated() -> (Fixture, tempfile::TempDir) {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 300, 4).expect("generate");
    (fx, tempfile::tempdir().expect("temp dir"))
}

fn request(path: &Path, format: &str) -> ExportRequest {
    ExportRequest { case: "g".into(), format: format.into(), path: path.to_path_buf(), ..Default::default() }
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_report_export_tells_its_blocks_and_rows_from_start_to_end() {
    let (fx, dir) = generated();
    let reading = report::Reading::open(fx.store.reader(), "g", Lang::En, &Default::default()).expect("report");
    let report_units = reading.units();
    assert!(report_units > 150, "a report long enough to tell: {report_units} units");
    for format in ["md", "html", "docx"] {
        // Word reads the report twice: once for its table of contents, then to write it.
        let units = if format == "docx" { 2 * report_units } else { report_units };
        let path = dir.path().join(format!("g.{format}"));
        let watch = Recorder::new(usize::MAX);
        let done = transfer::export_watched(&fx.store, &request(&path, format), &watch).expect("export");
        assert_eq!(done.count, std::fs::metadata(&path).expect("the file").len(), "{format}: the bytes written");
        let calls = watch.calls.into_inner();
        assert!(calls.len() > 10 && calls.len() <= 203, "{format}: told often, not once per row: {}", calls.len());
        assert!(calls.iter().all(|&(_, total)| total == units), "{format}: the total is the report's units");
        assert_eq!(calls.first(), Some(&(0, units)), "{format}: told first that it begins");
        assert!(calls.windows(2).all(|w| w[0].0 < w[1].0), "{format}: always forwards, each call news");
        assert_eq!(calls.last(), Some(&(units, units)), "{format}: ends at the whole report");
    }
    // The PDF is laid out twice (once to count its pages): it counts its own steps, forwards to the end.
    let path = dir.path().join("g.pdf");
    let watch = Recorder::new(usize::MAX);
    transfer::export_watched(&fx.store, &request(&path, "pdf"), &watch).expect("export");
    let calls = watch.calls.into_inner();
    assert!(calls.len() > 10 && calls.len() <= 205, "pdf: told often, not once per row: {}", calls.len());
    let share = |&(done, total): &(u64, u64)| done as f64 / total as f64;
    assert!(calls.windows(2).all(|w| share(&w[0]) <= share(&w[1])), "pdf: always forwards");
    assert_eq!(calls.last().map(share), Some(1.0), "pdf: ends at the whole report");
}

#[test]
fn an_export_stopped_part_way_leaves_no_file_and_an_earlier_one_as_it_was() {
    let (fx, dir) = generated();
    let earlier = dir.path().join("earlier.docx");
    std::fs::write(&earlier, "the export of last week").expect("an earlier export");
    for format in ["md", "html", "docx", "pdf"] {
        let new: PathBuf = dir.path().join(format!("new.{format}"));
        for path in [&new, &earlier] {
            let watch = Recorder::new(20);
            let e = transfer::export_watched(&fx.store, &request(path, format), &watch).expect_err("stopped");
            assert!(matches!(e, Error::Cancelled), "{format}: {e:?}");
            assert_eq!(e.code(), ErrorCode::Cancelled);
            let calls = watch.calls.into_inner();
            assert_eq!(calls.len(), 20, "{format}: stopped at the watcher's answer");
            assert!(calls[19].0 < calls[19].1, "{format}: part-way: {:?}", calls[19]);
        }
        assert_eq!(files_in(dir.path()), ["earlier.docx"], "{format}: no new file, no temporary file");
        assert_eq!(std::fs::read_to_string(&earlier).expect("read"), "the export of last week", "{format}");
    }
}

#[test]
fn an_export_stopped_while_the_case_is_read_creates_nothing() {
    let (fx, dir) = generated();
    let path = dir.path().join("g.docx");
    let watch = Recorder::new(1);
    let e = transfer::export_watched(&fx.store, &request(&path, "docx"), &watch).expect_err("stopped");
    assert!(matches!(e, Error::Cancelled), "{e:?}");
    assert_eq!(watch.calls.into_inner().len(), 1, "stopped at the first call, before writing");
    assert!(files_in(dir.path()).is_empty());
}
