//! Outlook `.pst` archives imported as mailboxes are: every e-mail of the archive's folders a letter,
//! threaded across the archive, attachments read and found, each message's original an `.eml` rebuilt
//! from it; appointments and drafts skipped; progress told and Stop honoured; a broken or hostile
//! archive refused in one line naming it, with nothing written. The archives are written by the
//! test-only writer in `outlook_files/pst.rs`, and read back here by Microsoft's own reader first.

use crate::common::*;
use crate::outlook_files::pst::{crc, pst};
use crate::outlook_files::{who, Mail};
use dossier_core::generate::documents::text_pdf;
use dossier_core::record::{evidence, letter};
use dossier_core::transfer::{import as import_file, import_watched, ImportRequest};
use dossier_core::view::search::search;
use dossier_core::Error;

/// 2023-05-01 10:00:00 UTC.
const MAY_1: i64 = 1_682_935_200;

fn thread() -> Vec<(&'static str, Vec<Mail>)> {
    let mut notice = Mail::new(
        "Audit",
        who("Legal", "legal@twitter.example"),
        vec![who("Counsel", "counsel@microsoft.example")],
        MAY_1,
        "a@twitter.example",
        "We request an audit.",
    );
    notice.attachments = vec![("notice.pdf".into(), text_pdf(&["Formal notice: Brobdingnagian overuse of the API."]))];
    let mut reply = Mail::new(
        "RE: Audit",
        who("Counsel", "counsel@microsoft.example"),
        vec![who("Legal", "legal@twitter.example")],
        MAY_1 + 86_400,
        "b@microsoft.example",
        "We decline.",
    );
    reply.in_reply_to = Some("<a@twitter.example>".into());
    let mut last = Mail::new(
        "RE: RE: Audit",
        who("Legal", "legal@twitter.example"),
        vec![who("Counsel", "counsel@microsoft.example")],
        MAY_1 + 2 * 86_400,
        "c@twitter.example",
        "Final word.",
    );
    last.in_reply_to = Some("<b@microsoft.example>".into());
    let mut meeting = Mail::new("Call", who("Legal", "legal@twitter.example"), vec![], MAY_1, "m@x", "Agenda");
    meeting.class = "IPM.Appointment".into();
    let mut draft = Mail::new("Unsent", who("Legal", "legal@twitter.example"), vec![], MAY_1, "d@x", "…");
    draft.unsent = true;
    vec![("Inbox", vec![last, reply]), ("Sent Items", vec![notice, draft]), ("Calendar", vec![meeting])]
}

fn write(fx: &Fixture, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = fx.dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn the_archive_written_here_is_one_microsofts_reader_reads() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("archive.pst");
    std::fs::write(&path, pst(&thread())).expect("write");
    let store = outlook_pst::open_store(&path).expect("outlook-pst opens it");
    let top = store.open_folder(&store.properties().ipm_sub_tree_entry_id().expect("top")).expect("top folder");
    assert_eq!(top.properties().display_name().expect("name"), "Top of Personal Folders");
    let folders = top.hierarchy_table().expect("subfolders").rows_matrix().count();
    assert_eq!(folders, 3);
}

#[test]
fn a_pst_with_a_reply_thread_imports_threaded_with_its_attachment_found() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path = write(&fx, "archive.pst", &pst(&thread()));
    let told = std::cell::RefCell::new(Vec::new());
    let watch = |done: u64, total: u64| {
        told.borrow_mut().push((done, total));
        true
    };
    let request = ImportRequest { path, case: "c".into(), ..Default::default() };
    let report = import_watched(&mut fx.store, &request, &watch).expect("import");
    assert!(
        report.messages[0].starts_with("imported 3 e-mails as letters, with 1 attachment"),
        "{:?}",
        report.messages
    );
    assert!(
        report.messages[1] == "skipped in 'archive.pst': 1 items that are not e-mails (appointments, contacts, tasks, notes), 1 drafts never sent",
        "{:?}",
        report.messages
    );
    let told = told.into_inner();
    assert_eq!(told.last(), Some(&(15, 15)), "three units a message, the last told: {told:?}");
    assert!(told.windows(2).all(|w| w[0].0 <= w[1].0), "progress only goes forward: {told:?}");

    let threads = letter::threads(fx.store.reader(), "c").expect("threads");
    let shape: Vec<(u32, &str)> = threads.iter().map(|t| (t.depth, t.letter.subject.as_str())).collect();
    assert_eq!(shape, [(0, "Audit"), (1, "RE: Audit"), (2, "RE: RE: Audit")], "threaded across folders");
    let all = evidence::list(fx.store.reader(), "c").expect("evidence");
    let originals: Vec<&evidence::Evidence> =
        all.iter().filter(|e| e.links.iter().any(|l| l.note == "original message")).collect();
    assert_eq!(originals.len(), 3);
    let audit = originals.iter().find(|e| e.title == "Audit.eml").expect("the notice's original");
    assert_eq!(
        audit.note,
        "The e-mail 'Audit' of the Outlook archive 'archive.pst' (folder 'Sent Items'), rebuilt as an .eml from its properties: the archive itself is not kept."
    );
    let notice = all.iter().find(|e| e.title == "notice.pdf").expect("the attachment");
    evidence::read_text(&mut fx.store, &notice.id, &mut |_, _| true).expect("read");
    let hits = search(fx.store.reader(), "brobdingnagian", None, 10).expect("search");
    assert_eq!(hits.iter().map(|h| h.record_id.as_str()).collect::<Vec<_>>(), [notice.id.as_str()]);

    // Again: every message is already there, and skipped.
    let again = import_file(&mut fx.store, &request).expect("again");
    assert!(again.messages[0].contains("3 already in the case were skipped"), "{:?}", again.messages);
    let report = checked(&fx.db_path());
    assert!(report.problems.is_empty(), "check: {:?}", messages(&report));
}

#[test]
fn a_pst_import_stopped_while_reading_or_writing_leaves_nothing() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path = write(&fx, "archive.pst", &pst(&thread()));
    let before = snapshot(&fx.store);
    for stop_at in [2, 10] {
        let watch = |done: u64, _: u64| done < stop_at;
        let request = ImportRequest { path: path.clone(), case: "c".into(), ..Default::default() };
        let err = import_watched(&mut fx.store, &request, &watch).expect_err("stopped");
        assert!(matches!(err, Error::Cancelled), "{err}");
        assert_eq!(snapshot(&fx.store), before, "stopped at {stop_at}: nothing was written");
    }
}

#[test]
fn a_broken_or_hostile_pst_is_refused_in_one_line_and_nothing_is_written() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let before = snapshot(&fx.store);
    let whole = pst(&thread());
    let mut bad_crc = whole.clone();
    bad_crc[20] ^= 0xFF;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("text.pst", b"From: a@b\r\n\r\nnot an archive".to_vec(), "it does not start as a PST file does"),
        ("cut.pst", whole[..whole.len() / 2].to_vec(), "could not be read as an Outlook archive"),
        ("header.pst", bad_crc, "could not be read as an Outlook archive"),
        ("loop.pst", looped(&whole), "its node B-tree loops back on itself"),
    ];
    for (name, bytes, says) in cases {
        let path = write(&fx, name, &bytes);
        let err = import_file(&mut fx.store, &ImportRequest { path, case: "c".into(), ..Default::default() })
            .expect_err(name);
        let text = err.to_string();
        assert!(text.contains(&format!("'{name}'")) && text.contains(says), "{name}: {text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }
    assert_eq!(snapshot(&fx.store), before, "nothing was written");
}

/// The archive with its node B-tree's root page pointing at itself as its first child (its CRC
/// made right again, so only the loop is wrong).
fn looped(file: &[u8]) -> Vec<u8> {
    let mut f = file.to_vec();
    let root = 180 + 36;
    let bid = u64::from_le_bytes(f[root..root + 8].try_into().expect("bid"));
    let ib = u64::from_le_bytes(f[root + 8..root + 16].try_into().expect("ib")) as usize;
    assert!(f[ib + 491] > 0, "the node B-tree has an intermediate level");
    f[ib + 8..ib + 16].copy_from_slice(&bid.to_le_bytes());
    f[ib + 16..ib + 24].copy_from_slice(&(ib as u64).to_le_bytes());
    let crc = crc(&f[ib..ib + 496]);
    f[ib + 500..ib + 504].copy_from_slice(&crc.to_le_bytes());
    f
}
