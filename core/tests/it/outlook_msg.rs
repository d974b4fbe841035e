//! Outlook `.msg` files imported as e-mails are: a letter with its parties by address, threaded by
//! In-Reply-To, its attachments read and found, the `.msg` itself kept as the original message; a
//! file that is no Outlook message is refused in one line naming it, with nothing written.

use crate::common::*;
use crate::outlook_files::{msg::msg, who, Mail};
use dossier_core::generate::documents::text_pdf;
use dossier_core::record::{evidence, letter};
use dossier_core::transfer::{import as import_file, ImportRequest};
use dossier_core::view::search::search;

/// 2023-05-01 10:00:00 UTC.
const MAY_1: i64 = 1_682_935_200;

fn notice() -> Mail {
    let mut m = Mail::new(
        "Mise en demeure — audit",
        who("Service juridique", "legal@twitter.example"),
        vec![who("Counsel", "counsel@microsoft.example")],
        MAY_1,
        "notice@twitter.example",
        "Please find our formal notice attached.",
    );
    m.cc = vec![who("Société Générale", "sg@bank.example")];
    m.attachments = vec![("notice.pdf".into(), text_pdf(&["Formal notice: Quixotical overuse of the API."]))];
    m
}

fn import(fx: &mut Fixture, name: &str, bytes: &[u8]) -> dossier_core::Result<dossier_core::transfer::TransferReport> {
    let path = fx.dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    import_file(&mut fx.store, &ImportRequest { path, case: "c".into(), ..Default::default() })
}

#[test]
fn a_msg_with_an_attachment_is_a_letter_whose_attachment_is_found() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let file = msg(&notice());
    let report = import(&mut fx, "notice.msg", &file).expect("import");
    assert!(report.messages[0].contains("as a letter with 1 attachment"), "{:?}", report.messages);

    let letters = letter::list(fx.store.reader(), "c").expect("letters");
    let [l] = letters.as_slice() else { panic!("one letter: {letters:?}") };
    assert_eq!(l.subject, "Mise en demeure — audit");
    assert_eq!(l.date, "2023-05-01T10:00Z");
    assert_eq!(l.message_id.as_deref(), Some("notice@twitter.example"));
    assert_eq!(l.body, "Please find our formal notice attached.");
    let names = |refs: &[dossier_core::record::PartyRef]| refs.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(l.sender.name, "Service juridique");
    assert_eq!(names(&l.to), ["Counsel"]);
    assert_eq!(names(&l.cc), ["Société Générale"], "non-ASCII names come through");
    let addresses: Vec<(&str, &str)> = l.addresses.iter().map(|a| (a.field.as_str(), a.address.as_str())).collect();
    assert_eq!(
        addresses,
        [("from", "legal@twitter.example"), ("to", "counsel@microsoft.example"), ("cc", "sg@bank.example")]
    );

    let all = evidence::list(fx.store.reader(), "c").expect("evidence");
    let original = all.iter().find(|e| e.links.iter().any(|k| k.note == "original message")).expect("original");
    assert_eq!(original.title, "Mise en demeure audit.msg");
    assert_eq!(original.size, Some(file.len() as i64), "the .msg itself is kept, byte for byte");
    let notice = all.iter().find(|e| e.title == "notice.pdf").expect("the attachment");
    assert!(notice.links.iter().any(|k| k.note == "attachment" && k.record_id == l.id));
    evidence::read_text(&mut fx.store, &notice.id, &mut |_, _| true).expect("read");
    let hits = search(fx.store.reader(), "quixotical", None, 10).expect("search");
    assert_eq!(hits.iter().map(|h| h.record_id.as_str()).collect::<Vec<_>>(), [notice.id.as_str()]);
    let report = checked(&fx.db_path());
    assert!(report.problems.is_empty(), "check: {:?}", messages(&report));
}

#[test]
fn a_msg_reply_is_threaded_under_the_message_it_answers_and_not_imported_twice() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    import(&mut fx, "notice.msg", &msg(&notice())).expect("the notice");
    let mut reply = Mail::new(
        "RE: Mise en demeure — audit",
        who("Counsel", "counsel@microsoft.example"),
        vec![who("Service juridique", "legal@twitter.example")],
        MAY_1 + 86_400,
        "reply@microsoft.example",
        "We decline.",
    );
    reply.in_reply_to = Some("<notice@twitter.example>".into());
    reply.html = Some("<p>We <b>decline</b>.</p>".into());
    let report = import(&mut fx, "reply.msg", &msg(&reply)).expect("the reply");
    assert!(
        report.messages.iter().any(|m| m.contains("threaded as a reply to <notice@twitter.example>")),
        "{:?}",
        report.messages
    );
    let threads = letter::threads(fx.store.reader(), "c").expect("threads");
    let shape: Vec<(u32, &str)> = threads.iter().map(|t| (t.depth, t.letter.subject.as_str())).collect();
    assert_eq!(shape, [(0, "Mise en demeure — audit"), (1, "RE: Mise en demeure — audit")]);
    assert_eq!(threads[1].letter.body, "We decline.", "the plain text is the body, not the HTML");

    let err = import(&mut fx, "again.msg", &msg(&reply)).expect_err("already there");
    assert!(err.to_string().contains("the e-mail <reply@microsoft.example> is already in the case"), "{err}");
}

#[test]
fn a_file_that_is_no_outlook_message_is_refused_in_one_line_and_nothing_is_written() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let before = snapshot(&fx.store);
    let whole = msg(&notice());
    let mut no_properties = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    no_properties.create_stream("/WordDocument").expect("stream");
    no_properties.flush().expect("flush");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("text.msg", b"From: a@b\r\n\r\nnot a compound file".to_vec(), "'text.msg' is not an Outlook message: "),
        ("cut.msg", whole[..whole.len() / 2].to_vec(), "'cut.msg' is not an Outlook message: "),
        ("empty.msg", Vec::new(), "'empty.msg' is not an Outlook message: "),
        (
            "word.msg",
            no_properties.into_inner().into_inner(),
            "'word.msg' is not an Outlook message: it has no __properties_version1.0 stream",
        ),
    ];
    for (name, bytes, says) in cases {
        let err = import(&mut fx, name, &bytes).expect_err(name);
        let text = err.to_string();
        assert!(text.contains(says), "{name}: {text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }
    assert_eq!(snapshot(&fx.store), before, "nothing was written");
}

/// Guards: a message attached as a message (a forwarded e-mail, attachment method 5) is kept as an
/// `.eml` attachment of the letter, and its words are found.
#[test]
fn a_message_attached_to_a_msg_is_kept_as_an_attachment_and_found() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let forwarded = Mail::new(
        "Audit figures",
        who("Auditor", "audit@firm.example"),
        vec![who("Service juridique", "legal@twitter.example")],
        MAY_1 - 86_400,
        "figures@firm.example",
        "The brachiopod ledger shows 4.2 million calls.",
    );
    let mut outer = notice();
    outer.attachments.clear();
    outer.attached = vec![("Audit figures".into(), forwarded)];
    let report = import(&mut fx, "notice.msg", &msg(&outer)).expect("import");
    assert!(report.messages[0].contains("as a letter with 1 attachment"), "{:?}", report.messages);

    let all = evidence::list(fx.store.reader(), "c").expect("evidence");
    let attached = all.iter().find(|e| e.title == "Audit figures.eml").expect("the attached message");
    assert!(attached.links.iter().any(|k| k.note == "attachment"), "{:?}", attached.links);
    evidence::read_text(&mut fx.store, &attached.id, &mut |_, _| true).expect("read");
    let hits = search(fx.store.reader(), "brachiopod", None, 10).expect("search");
    assert_eq!(hits.iter().map(|h| h.record_id.as_str()).collect::<Vec<_>>(), [attached.id.as_str()]);
}
