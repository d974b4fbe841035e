//! Evidence at the public boundary: files kept by content in the store beside the database, URL and
//! publication references, and the links from evidence to the records it supports.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::record::evidence::{self, EvidenceInput, FileInput, LinkInput};
use dossier_core::Error;

/// Digests computed outside Rust with `printf … | sha256sum`, so the test does not share the
/// implementation's hashing code.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const HELLO_SHA256: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
const DOSSIER_SHA256: &str = "5ec0f9b73ac570e1695e5c0403cf693968f756a7057900a8df5f433745ae96e5";

/// Writes `bytes` to `name` under a fresh folder of the fixture (outside the evidence store).
fn source_file(fx: &Fixture, name: &str, bytes: &[u8]) -> PathBuf {
    let path = fx.dir.path().join("incoming").join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create source folder");
    std::fs::write(&path, bytes).expect("write source file");
    path
}

fn file_input(case: &str, path: &Path) -> FileInput {
    FileInput { case: case.into(), path: path.to_path_buf(), ..Default::default() }
}

/// Guards: a file is stored under the SHA-256 of its bytes, with the same bytes, size and name.
#[test]
fn file_is_stored_under_its_sha256() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let check = |fx: &mut Fixture, name: &str, bytes: &[u8], digest: &str| {
        let path = source_file(fx, name, bytes);
        let ev =
            evidence::add_file(&mut fx.store, &file_input("c", &path)).unwrap_or_else(|e| panic!("add {name}: {e}"));
        assert_eq!(ev.kind, "file");
        assert_eq!(ev.sha256.as_deref(), Some(digest), "digest of {name}");
        assert_eq!(ev.size, Some(bytes.len() as i64), "size of {name}");
        assert_eq!(ev.original_name.as_deref(), Some(name));
        assert_eq!(ev.title, name, "an untitled file is titled by its name");
        let blob = stored_file(&fx.store, digest);
        assert!(blob.starts_with(fx.store.files_dir()), "{blob:?} is inside the store");
        assert_eq!(blob.file_name().and_then(|n| n.to_str()), Some(digest), "the blob is named by its digest");
        assert_eq!(std::fs::read(&blob).expect("read blob"), bytes, "stored bytes of {name}");
        assert_eq!(std::fs::read(&path).expect("read source"), bytes, "the original is untouched");
    };
    check(&mut fx, "empty.txt", b"", EMPTY_SHA256);
    check(&mut fx, "hello.txt", b"hello\n", HELLO_SHA256);
    check(&mut fx, "note.md", b"Dossier evidence\n", DOSSIER_SHA256);
    let leftovers: Vec<PathBuf> =
        files_under(fx.store.files_dir()).into_iter().filter(|p| p.to_string_lossy().contains("incoming-")).collect();
    assert!(leftovers.is_empty(), "no temporary file is left in the store: {leftovers:?}");
}

/// Guards: the same content added twice is stored once, as two evidence records.
#[test]
fn same_content_is_stored_once() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let first = source_file(&fx, "letter.pdf", b"hello\n");
    let second = source_file(&fx, "copy of letter.txt", b"hello\n");
    let a = evidence::add_file(&mut fx.store, &FileInput { title: "The letter".into(), ..file_input("c", &first) })
        .expect("first");
    let b = evidence::add_file(&mut fx.store, &file_input("c", &second)).expect("second");
    assert_ne!(a.id, b.id, "two evidence records");
    assert_eq!((a.sha256.as_deref(), b.sha256.as_deref()), (Some(HELLO_SHA256), Some(HELLO_SHA256)));
    assert_eq!((a.title.as_str(), b.title.as_str()), ("The letter", "copy of letter.txt"));
    assert_eq!(files_under(fx.store.files_dir()), [stored_file(&fx.store, HELLO_SHA256)], "one stored file");
    assert_eq!(count(&fx.store, "SELECT count(*) FROM evidence"), 2);

    // Deleting one record keeps the file, which the other still needs.
    evidence::delete(&mut fx.store, &a.id).expect("delete one");
    assert!(stored_file(&fx.store, HELLO_SHA256).is_file());
}

/// Guards: a path that climbs with `..` records only its last name and stores inside the store only.
#[test]
fn dotted_path_stays_inside_the_store() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let base = fx.dir.path().join("dir");
    std::fs::create_dir_all(base.join("sub")).expect("dir/sub");
    std::fs::write(base.join("file.txt"), b"hello\n").expect("dir/file.txt");
    let before = files_under(fx.dir.path());

    let ev = evidence::add_file(&mut fx.store, &file_input("c", &base.join("sub").join("..").join("file.txt")))
        .expect("add");
    assert_eq!(ev.original_name.as_deref(), Some("file.txt"));
    assert_eq!(ev.title, "file.txt");
    let added: Vec<PathBuf> = files_under(fx.dir.path()).into_iter().filter(|p| !before.contains(p)).collect();
    let outside: Vec<&PathBuf> = added
        .iter()
        .filter(|p| !p.starts_with(fx.store.files_dir()) && !p.to_string_lossy().contains("dossier.sqlite-"))
        .collect();
    assert!(outside.is_empty(), "files written outside the store: {outside:?}");
    assert!(added.contains(&stored_file(&fx.store, HELLO_SHA256)), "{added:?}");
}

/// Guards: adding a directory or a missing file fails naming the path and writes nothing.
#[test]
fn directory_or_missing_file_is_refused() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let folder = fx.dir.path().join("a folder");
    std::fs::create_dir_all(&folder).expect("folder");
    let missing = fx.dir.path().join("missing.pdf");
    for (path, code) in [(&folder, ErrorCode::InvalidInput), (&missing, ErrorCode::Io)] {
        let err = refused(&mut fx.store, |s| evidence::add_file(s, &file_input("c", path)));
        assert_eq!(err.code(), code, "{path:?}: {err}");
        says(&err, &[&path.display().to_string()]);
        assert!(files_under(fx.store.files_dir()).is_empty(), "nothing stored for {path:?}");
    }
}

/// Guards: bad details of a file (unknown case, impossible date) are refused before anything is stored.
#[test]
fn file_with_bad_details_stores_nothing() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path = source_file(&fx, "hello.txt", b"hello\n");
    let err = refused(&mut fx.store, |s| evidence::add_file(s, &file_input("no-such-case", &path)));
    says(&err, &["no case 'no-such-case'"]);
    let err = refused(&mut fx.store, |s| {
        evidence::add_file(s, &FileInput { date: "2023-02-30".into(), ..file_input("c", &path) })
    });
    says(&err, &["2023-02-30"]);
    assert!(files_under(fx.store.files_dir()).is_empty(), "no blob for a refused file");
}

/// Guards: the media type is guessed from the file name's extension.
#[test]
fn media_type_from_extension() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let mut check = |name: &str, media_type: &str| {
        let path = source_file(&fx, name, name.as_bytes());
        let ev =
            evidence::add_file(&mut fx.store, &file_input("c", &path)).unwrap_or_else(|e| panic!("add {name}: {e}"));
        assert_eq!(ev.media_type.as_deref(), Some(media_type), "media type of {name}");
    };
    check("letter.pdf", "application/pdf");
    check("photo.JPG", "image/jpeg");
    check("screenshot.png", "image/png");
    check("article.txt", "text/plain");
    check("page.html", "text/html");
    check("no-extension", "application/octet-stream");
    check("blob.unknownext", "application/octet-stream");
}

/// Guards: URL evidence needs an http(s) address; a publication may have none.
#[test]
fn url_evidence_requires_http() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let input = |kind: &str, url: &str| EvidenceInput {
        case: "c".into(),
        kind: kind.into(),
        title: "Source".into(),
        url: url.into(),
        ..Default::default()
    };
    for url in ["https://example.com/a", "http://example.com"] {
        let ev = evidence::create(&mut fx.store, &input("url", url)).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!((ev.kind.as_str(), ev.url.as_deref()), ("url", Some(url)));
    }
    for url in ["ftp://example.com/a", "javascript:alert(1)", "example.com", "file:///etc/passwd"] {
        let err = refused(&mut fx.store, |s| evidence::create(s, &input("url", url)));
        assert!(matches!(&err, Error::Invalid { field, .. } if field == "url"), "{url}: {err:?}");
        says(&err, &[url]);
    }
    let err = refused(&mut fx.store, |s| evidence::create(s, &input("url", "")));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "url"), "{err:?}");
    let err = refused(&mut fx.store, |s| evidence::create(s, &input("file", "")));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "kind"), "files come from a path: {err:?}");

    let book = evidence::create(
        &mut fx.store,
        &EvidenceInput { publisher: "Penguin".into(), date: "~2019".into(), ..input("publication", "") },
    )
    .expect("publication without url");
    assert_eq!(
        (book.url.as_deref(), book.publisher.as_deref(), book.date.as_deref()),
        (None, Some("Penguin"), Some("~2019"))
    );
}

/// Guards: evidence descriptions are edited through `to_input()`, and a kind never changes.
#[test]
fn evidence_update_round_trips() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let ev = evidence::create(
        &mut fx.store,
        &EvidenceInput {
            case: "c".into(),
            kind: "url".into(),
            title: "Article".into(),
            url: "https://example.com".into(),
            publisher: "Planet".into(),
            date: "2023-03".into(),
            note: "Note".into(),
        },
    )
    .expect("create");
    let same = evidence::update(&mut fx.store, &ev.id, &ev.to_input()).expect("unchanged");
    assert_eq!(without_stamp(&same), without_stamp(&ev));
    let edited = evidence::update(
        &mut fx.store,
        &ev.id,
        &EvidenceInput { title: "Article (archived)".into(), date: String::new(), ..ev.to_input() },
    )
    .expect("edit");
    assert_eq!((edited.title.as_str(), edited.date.as_deref()), ("Article (archived)", None));
    let err = refused(&mut fx.store, |s| {
        evidence::update(s, &ev.id, &EvidenceInput { kind: "publication".into(), ..ev.to_input() })
    });
    says(&err, &["url"]);

    let path = source_file(&fx, "hello.txt", b"hello\n");
    let file = evidence::add_file(&mut fx.store, &file_input("c", &path)).expect("file");
    let renamed =
        evidence::update(&mut fx.store, &file.id, &EvidenceInput { title: "Greeting".into(), ..file.to_input() })
            .expect("retitle a file");
    assert_eq!(
        (renamed.title.as_str(), renamed.sha256.as_deref(), renamed.kind.as_str()),
        ("Greeting", Some(HELLO_SHA256), "file")
    );
}

/// Guards: links carry a pinpoint, show on both sides (`links`, `for_record`) and can be removed.
#[test]
fn links_with_pinpoints_backlinks_and_unlink() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    let e = event(s, "c", "Missed delivery", "2023-03-01");
    let l = letter(s, "c", "Acme", &[], "Late deliveries", "2023-03-10");
    let ev = evidence::create(
        s,
        &EvidenceInput { case: "c".into(), kind: "publication".into(), title: "Report".into(), ..Default::default() },
    )
    .expect("create");

    let link = evidence::link(
        s,
        &LinkInput {
            evidence: ev.id.clone(),
            record: e.id.clone(),
            pinpoint: " p. 2 ".into(),
            note: "the table".into(),
            ..Default::default()
        },
    )
    .expect("link");
    assert_eq!(
        (link.record_kind.as_str(), link.record_title.as_str(), link.pinpoint.as_str()),
        ("event", "Missed delivery", "p. 2")
    );
    evidence::link(
        s,
        &LinkInput { evidence: ev.id.clone(), record: e.id.clone(), pinpoint: "p. 5".into(), ..Default::default() },
    )
    .expect("second pinpoint");
    evidence::link(
        s,
        &LinkInput { evidence: ev.id.clone(), record: l.id.clone(), pinpoint: "§ 1".into(), ..Default::default() },
    )
    .expect("letter");
    // Linking the same pinpoint again updates its note instead of adding a link.
    evidence::link(
        s,
        &LinkInput {
            evidence: ev.id.clone(),
            record: e.id.clone(),
            pinpoint: "p. 2".into(),
            note: "the second table".into(),
            ..Default::default()
        },
    )
    .expect("relink");

    let links: Vec<(String, String, String)> = evidence::get(s.reader(), &ev.id)
        .expect("get")
        .links
        .into_iter()
        .map(|l| (l.record_title, l.pinpoint, l.note))
        .collect();
    let mut links = links;
    links.sort();
    assert_eq!(
        links,
        [
            ("Late deliveries".to_string(), "§ 1".to_string(), String::new()),
            ("Missed delivery".to_string(), "p. 2".to_string(), "the second table".to_string()),
            ("Missed delivery".to_string(), "p. 5".to_string(), String::new()),
        ]
    );
    let back = evidence::for_record(s.reader(), &e.id).expect("for_record");
    let mut pins: Vec<(&str, &str)> = back.iter().map(|(ev, l)| (ev.title.as_str(), l.pinpoint.as_str())).collect();
    pins.sort();
    assert_eq!(pins, [("Report", "p. 2"), ("Report", "p. 5")]);

    evidence::unlink(s, &ev.id, &e.id, "p. 2").expect("unlink");
    let pins: Vec<String> =
        evidence::for_record(s.reader(), &e.id).expect("for_record").into_iter().map(|(_, l)| l.pinpoint).collect();
    assert_eq!(pins, ["p. 5"]);
    let err = refused(s, |s| evidence::unlink(s, &ev.id, &e.id, "p. 2"));
    assert!(matches!(err, Error::NotFound { .. }), "unlinking twice: {err:?}");

    // Parties belong to no case, so any evidence may be linked to one.
    let acme = dossier_core::record::party::get(s.reader(), "Acme").expect("acme");
    evidence::link(s, &LinkInput { evidence: ev.id.clone(), record: acme.id.clone(), ..Default::default() })
        .expect("link to a party");
}

/// Guards: evidence cannot be linked to another case's record, nor to a record that does not exist.
#[test]
fn links_stay_inside_the_case_and_point_at_real_records() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "one");
    case(s, "two");
    let elsewhere = event(s, "two", "Elsewhere", "2023");
    let ev = evidence::create(
        s,
        &EvidenceInput { case: "one".into(), kind: "publication".into(), title: "Report".into(), ..Default::default() },
    )
    .expect("create");

    let err = refused(s, |s| {
        evidence::link(s, &LinkInput { evidence: ev.id.clone(), record: elsewhere.id.clone(), ..Default::default() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "record"), "{err:?}");
    says(&err, &[&elsewhere.id, "another case"]);

    let missing = "01900000-0000-7000-8000-000000000000";
    let err = refused(s, |s| {
        evidence::link(s, &LinkInput { evidence: ev.id.clone(), record: missing.into(), ..Default::default() })
    });
    assert!(matches!(err, Error::NotFound { kind: "record", .. }), "{err:?}");
    says(&err, &[missing]);

    let err = refused(s, |s| {
        evidence::link(
            s,
            &LinkInput { evidence: "no-such-evidence".into(), record: elsewhere.id.clone(), ..Default::default() },
        )
    });
    assert!(matches!(err, Error::NotFound { kind: "evidence", .. }), "{err:?}");
    says(&err, &["no-such-evidence"]);
}
