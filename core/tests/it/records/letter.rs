//! Letters.

use crate::common::*;
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::{Error, Store};

/// Guards: a letter's recipients, channel, deadline and reply thread are stored and read back.
#[test]
fn letter_recipients_thread_and_deadline() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let c = case(s, "c");
    let acme = org(s, "Acme");
    org(s, "Globex");
    party(s, "Daily Planet", "media");
    let jane = party(s, "Jane Counsel", "person");
    let first = letter_with(
        s,
        LetterInput {
            case: "c".into(),
            sender: "Acme".into(),
            sender_person: "Jane Counsel".into(),
            to: vec!["Globex".into()],
            cc: vec!["Daily Planet".into(), "globex".into()],
            subject: "Late deliveries".into(),
            body: "You are late.\n".into(),
            date: "2023-03-10".into(),
            deadline: "2023-04-10".into(),
            tags: vec!["supply".into()],
            ..Default::default()
        },
    );
    assert_eq!(first.case_id, c.id);
    assert_eq!(first.channel, "letter", "an empty channel is a letter");
    assert_eq!(
        (first.sender.id.as_str(), first.sender_person.as_ref().map(|p| p.id.as_str())),
        (acme.id.as_str(), Some(jane.id.as_str()))
    );
    let to: Vec<&str> = first.to.iter().map(|p| p.name.as_str()).collect();
    let cc: Vec<&str> = first.cc.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(to, ["Globex"]);
    assert_eq!(cc, ["Daily Planet"], "a party already in `to` is not repeated in `cc`");
    assert_eq!((first.date.as_str(), first.deadline.as_deref()), ("2023-03-10", Some("2023-04-10")));
    assert_eq!(first.body, "You are late.");

    let reply = letter_with(
        s,
        LetterInput {
            case: "c".into(),
            channel: "Press statement".into(),
            sender: "Globex".into(),
            to: vec!["Daily Planet".into()],
            subject: "Globex answers".into(),
            date: "~2023-04".into(),
            in_reply_to: first.id.clone(),
            ..Default::default()
        },
    );
    assert_eq!(reply.channel, "press_statement");
    assert_eq!(reply.in_reply_to.as_deref(), Some(first.id.as_str()));
    assert_eq!(
        letter::get(s.reader(), &first.id).expect("first").replies,
        std::slice::from_ref(&reply.id),
        "the first letter lists its reply"
    );

    let mut edit = reply.to_input();
    edit.in_reply_to = String::new();
    edit.deadline = "<2023-06-07".into();
    let edited = letter::update(s, &reply.id, &edit).expect("unthread");
    assert_eq!((edited.in_reply_to.as_deref(), edited.deadline.as_deref()), (None, Some("<2023-06-07")));
    assert!(letter::get(s.reader(), &first.id).expect("first").replies.is_empty());

    let err = refused(s, |s| letter::create(s, &LetterInput { channel: "fax".into(), ..first.to_input() }));
    says(&err, &["'fax'"]);
}

/// Guards: a reply thread never loops: a letter cannot answer itself or one of its own replies.
#[test]
fn reply_cycle_is_refused() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let a = letter(s, "c", "Acme", &["Globex"], "A", "2023-01-01");
    let b = letter_with(
        s,
        LetterInput { in_reply_to: a.id.clone(), ..letter_input("c", "Globex", &["Acme"], "B", "2023-01-02") },
    );
    let c = letter_with(
        s,
        LetterInput { in_reply_to: b.id.clone(), ..letter_input("c", "Acme", &["Globex"], "C", "2023-01-03") },
    );
    assert_eq!(letter::get(s.reader(), &a.id).expect("A").replies, std::slice::from_ref(&b.id));

    let check = |s: &mut Store, letter_id: &str, answers: &str, expect: &str| {
        let input = LetterInput {
            in_reply_to: answers.into(),
            ..letter::get(s.reader(), letter_id).expect("letter").to_input()
        };
        let err = refused(s, |s| letter::update(s, letter_id, &input));
        assert!(matches!(&err, Error::Invalid { field, .. } if field.contains("reply")), "{err:?}");
        says(&err, &[expect]);
    };
    check(s, &a.id, &b.id, "is itself a reply");
    check(s, &a.id, &c.id, "is itself a reply");
    check(s, &b.id, &b.id, "cannot answer itself");
    assert_eq!(letter::get(s.reader(), &a.id).expect("A").in_reply_to, None);

    case(s, "other");
    let elsewhere = letter(s, "other", "Acme", &["Globex"], "Elsewhere", "2023-01-01");
    check(s, &a.id, &elsewhere.id, "another case");
    let err =
        refused(s, |s| letter::update(s, &a.id, &LetterInput { in_reply_to: "no-such-letter".into(), ..a.to_input() }));
    assert!(matches!(err, Error::NotFound { kind: "letter", .. }), "{err:?}");
    says(&err, &["no-such-letter"]);
}
