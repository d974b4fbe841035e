//! The records of a dispute at the core's public boundary: creating, reading, editing and deleting
//! every kind, the rules that keep references between them whole, the refusal of bad input without
//! writing anything, and the append-only change log that every successful write extends by one entry.

mod common;

use common::*;
use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::record::allegation::{self, AllegationInput, StatusInput};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, AffiliationInput, PartyInput};
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::record::role;
use dossier_core::{Error, Result, Store};

// ---------------------------------------------------------------------------------------------
// Cases

/// Guards: a case left without a slug is named after its title, in lower-case ASCII with dashes.
#[test]
fn case_slug_is_made_from_the_title() {
    let mut fx = fresh();
    let mut check = |title: &str, slug: &str| {
        let c = case::create(&mut fx.store, &CaseInput { title: title.into(), ..Default::default() })
            .unwrap_or_else(|e| panic!("create case {title:?}: {e}"));
        assert_eq!(c.slug, slug, "slug of {title:?}");
        assert_eq!(c.title, title.trim(), "title of {title:?} is kept as typed, trimmed");
        assert_eq!(case::get(fx.store.conn(), slug).expect("found by its slug").id, c.id);
    };
    check("Twitter v. Microsoft", "twitter-v-microsoft");
    check("Société Générale v. Œuvre d'Art", "societe-generale-v-oeuvre-d-art");
    check("  Getty Images (US) — Stability AI!  ", "getty-images-us-stability-ai");
    check("2023: the API dispute", "2023-the-api-dispute");
}

/// Guards: an explicit slug is kept, and an invalid or taken one is refused without writing.
#[test]
fn case_slug_given_by_hand_is_checked() {
    let mut fx = fresh();
    let c = case::create(
        &mut fx.store,
        &CaseInput { slug: "acme".into(), title: "Acme v. Globex".into(), ..Default::default() },
    )
    .expect("create with an explicit slug");
    assert_eq!(c.slug, "acme");

    let err = refused(&mut fx.store, |s| {
        case::create(s, &CaseInput { slug: "acme".into(), title: "Another".into(), ..Default::default() })
    });
    assert!(matches!(err, Error::Conflict(_)), "duplicate slug: {err:?}");
    says(&err, &["acme"]);

    for bad in ["Acme Corp", "acme_corp", "-acme", "acmé"] {
        let err = refused(&mut fx.store, |s| {
            case::create(s, &CaseInput { slug: bad.into(), title: "T".into(), ..Default::default() })
        });
        assert!(matches!(&err, Error::Invalid { field, .. } if field == "slug"), "slug {bad:?}: {err:?}");
        says(&err, &[bad]);
    }
}

/// Guards: the case status vocabulary, with "open" as the default and spelling variants accepted.
#[test]
fn case_status_vocabulary() {
    let mut fx = fresh();
    let mut n = 0;
    let mut check = |status: &str, expect: std::result::Result<&str, &str>| {
        n += 1;
        let input = CaseInput {
            slug: format!("case-{n}"),
            title: format!("Case {n}"),
            status: status.into(),
            ..Default::default()
        };
        match expect {
            Ok(stored) => {
                let c = case::create(&mut fx.store, &input).unwrap_or_else(|e| panic!("status {status:?}: {e}"));
                assert_eq!(c.status, stored, "status {status:?}");
            }
            Err(quoted) => {
                let err = refused(&mut fx.store, |s| case::create(s, &input));
                assert!(
                    matches!(&err, Error::Invalid { field, .. } if field == "status"),
                    "status {status:?}: {err:?}"
                );
                says(&err, &[quoted, "open", "closed"]);
            }
        }
    };
    check("", Ok("open"));
    check("open", Ok("open"));
    check("In litigation", Ok("in_litigation"));
    check("in-litigation", Ok("in_litigation"));
    check("DORMANT", Ok("dormant"));
    check("settled", Ok("settled"));
    check("closed", Ok("closed"));
    check("pending", Err("'pending'"));
}

/// Guards: a case is read back by slug or id, edited, and deleted once empty.
#[test]
fn case_create_read_update_delete() {
    let mut fx = fresh();
    let c = case::create(
        &mut fx.store,
        &CaseInput {
            title: "Acme v. Globex".into(),
            summary: "Late **deliveries**.\n\n".into(),
            tags: vec![" supply ".into(), "fees".into(), "Supply".into(), "".into()],
            ..Default::default()
        },
    )
    .expect("create case");
    assert_eq!(c.status, "open");
    assert_eq!(c.summary, "Late **deliveries**.", "trailing whitespace of the summary is dropped");
    assert_eq!(c.tags, ["fees", "supply"], "tags are trimmed, deduplicated ignoring case, sorted");
    assert_eq!(case::get(fx.store.conn(), &c.id).expect("by id").slug, "acme-v-globex");

    let mut edit = c.to_input();
    edit.title = "Acme Corp. v. Globex".into();
    edit.status = "settled".into();
    edit.tags = vec!["settlement".into()];
    let edited = case::update(&mut fx.store, "acme-v-globex", &edit).expect("update case");
    assert_eq!(
        (edited.id.as_str(), edited.slug.as_str()),
        (c.id.as_str(), "acme-v-globex"),
        "an edit keeps the id and slug"
    );
    assert_eq!((edited.title.as_str(), edited.status.as_str()), ("Acme Corp. v. Globex", "settled"));
    assert_eq!(edited.tags, ["settlement"]);
    assert_eq!(count(&fx.store, "SELECT count(*) FROM case_tag"), 1, "replaced tags are gone");

    case::delete(&mut fx.store, "acme-v-globex").expect("an empty case can be deleted");
    let err = case::get(fx.store.conn(), &c.id).expect_err("deleted case");
    assert!(matches!(err, Error::NotFound { kind: "case", .. }), "{err:?}");
    assert_eq!(count(&fx.store, "SELECT count(*) FROM record"), 0, "its registry row is gone too");
    assert_eq!(count(&fx.store, "SELECT count(*) FROM case_tag"), 0, "its tags are gone too");
}

// ---------------------------------------------------------------------------------------------
// Parties and case roles

/// Guards: a party keeps its aliases and a person's affiliations, and an edit replaces them.
#[test]
fn party_create_read_update_delete() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let twitter = party::create(
        s,
        &PartyInput {
            name: " Twitter ".into(),
            kind: "Organisation".into(),
            description: "The platform.".into(),
            aliases: vec!["X Corp.".into(), "X".into(), "x".into(), " ".into()],
            ..Default::default()
        },
    )
    .expect("create organisation");
    assert_eq!((twitter.name.as_str(), twitter.kind.as_str()), ("Twitter", "organisation"));
    assert_eq!(twitter.aliases, ["X", "X Corp."], "aliases deduplicated ignoring case, empty ones dropped");

    let musk = party::create(
        s,
        &PartyInput {
            name: "Elon Musk".into(),
            kind: "person".into(),
            affiliations: vec![AffiliationInput { organisation: "x corp.".into(), role: "runs the company".into() }],
            ..Default::default()
        },
    )
    .expect("create person");
    assert_eq!(musk.affiliations.len(), 1);
    assert_eq!(musk.affiliations[0].organisation_id, twitter.id, "affiliation found through an alias");
    assert_eq!(musk.affiliations[0].organisation, "Twitter");
    assert_eq!(musk.affiliations[0].role, "runs the company");

    let mut edit = twitter.to_input();
    edit.name = "X".into();
    edit.aliases = vec!["Twitter".into()];
    let renamed = party::update(s, &twitter.id, &edit).expect("rename");
    assert_eq!((renamed.id.as_str(), renamed.name.as_str()), (twitter.id.as_str(), "X"));
    assert_eq!(renamed.aliases, ["Twitter"]);
    assert_eq!(party::resolve(s.conn(), "twitter").expect("old name kept as an alias"), twitter.id);
    assert_eq!(
        party::get(s.conn(), "Elon Musk").expect("musk").affiliations[0].organisation,
        "X",
        "affiliation follows the rename"
    );

    party::delete(s, "Elon Musk").expect("a party nothing refers to can be deleted");
    assert!(matches!(party::get(s.conn(), &musk.id), Err(Error::NotFound { kind: "party", .. })));
    assert_eq!(count(s, "SELECT count(*) FROM affiliation"), 0, "the person's affiliations go with them");
}

/// Guards: a party is found by id, name or alias whatever the case of the letters.
#[test]
fn party_resolves_by_id_name_or_alias_ignoring_case() {
    let mut fx = fresh();
    let twitter = party::create(
        &mut fx.store,
        &PartyInput {
            name: "Twitter".into(),
            kind: "organisation".into(),
            aliases: vec!["X Corp.".into()],
            ..Default::default()
        },
    )
    .expect("create");
    let microsoft = org(&mut fx.store, "Microsoft");
    let check = |key: &str, expect: Option<&str>| match (party::resolve(fx.store.conn(), key), expect) {
        (Ok(id), Some(want)) => assert_eq!(id, want, "resolve {key:?}"),
        (Err(e), None) => {
            assert!(matches!(&e, Error::NotFound { kind: "party", .. }), "resolve {key:?}: {e:?}");
            says(&e, &[key.trim()]);
        }
        (other, _) => panic!("resolve {key:?}: unexpected {other:?}"),
    };
    check(&twitter.id, Some(&twitter.id));
    check("Twitter", Some(&twitter.id));
    check("TWITTER", Some(&twitter.id));
    check("  twitter ", Some(&twitter.id));
    check("x corp.", Some(&twitter.id));
    check("X CORP.", Some(&twitter.id));
    check("microsoft", Some(&microsoft.id));
    check("X Corp", None);
    check("Nobody", None);
    let err = party::resolve(fx.store.conn(), "  ").expect_err("empty key");
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "party"), "{err:?}");
}

/// Guards: names with accented capitals resolve ignoring case, as plain ASCII names do.
#[test]
fn party_resolves_accented_names_ignoring_case() {
    let mut fx = fresh();
    let edf = org(&mut fx.store, "Électricité de France");
    let found = party::resolve(fx.store.conn(), "électricité de france");
    assert_eq!(found.ok().as_deref(), Some(edf.id.as_str()), "lower-case spelling of an accented name");
    // The duplicate-name check uses the same comparison, so the same party could be entered twice.
    let err = refused(&mut fx.store, |s| {
        party::create(
            s,
            &PartyInput { name: "ÉLECTRICITÉ DE FRANCE".into(), kind: "organisation".into(), ..Default::default() },
        )
    });
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
}

/// Guards: a key that names several parties is an error listing them, not a silent pick.
#[test]
fn ambiguous_party_key_is_an_error_listing_the_candidates() {
    let mut fx = fresh();
    let meta = org(&mut fx.store, "Meta");
    let facebook = party::create(
        &mut fx.store,
        &PartyInput {
            name: "Facebook".into(),
            kind: "organisation".into(),
            aliases: vec!["meta".into()],
            ..Default::default()
        },
    )
    .expect("create");
    let err = party::resolve(fx.store.conn(), "Meta").expect_err("ambiguous");
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "party"), "{err:?}");
    says(&err, &["'Meta'", "several", &meta.id, &facebook.id]);

    // Records that name the party by that key are refused too, without writing.
    let c = case(&mut fx.store, "c");
    let err = refused(&mut fx.store, |s| {
        event::create(
            s,
            &EventInput {
                case: c.id.clone(),
                title: "Meeting".into(),
                date: "2023".into(),
                parties: vec!["meta".into()],
                ..Default::default()
            },
        )
    });
    says(&err, &["several parties"]);
}

/// Guards: party names are unique ignoring case, and only people have affiliations.
#[test]
fn party_validation() {
    let mut fx = fresh();
    org(&mut fx.store, "Microsoft");
    let err = refused(&mut fx.store, |s| {
        party::create(s, &PartyInput { name: "MICROSOFT".into(), kind: "organisation".into(), ..Default::default() })
    });
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    says(&err, &["MICROSOFT", "already exists"]);

    let err = refused(&mut fx.store, |s| {
        party::create(
            s,
            &PartyInput {
                name: "LinkedIn".into(),
                kind: "organisation".into(),
                affiliations: vec![AffiliationInput { organisation: "Microsoft".into(), role: "subsidiary".into() }],
                ..Default::default()
            },
        )
    });
    says(&err, &["LinkedIn", "person"]);

    let err = refused(&mut fx.store, |s| {
        party::create(s, &PartyInput { name: "Someone".into(), kind: "alien".into(), ..Default::default() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "kind"), "{err:?}");
    says(&err, &["'alien'"]);

    let err = refused(&mut fx.store, |s| {
        party::create(
            s,
            &PartyInput {
                name: "Jane".into(),
                kind: "person".into(),
                affiliations: vec![AffiliationInput { organisation: "Nowhere Inc".into(), role: "counsel".into() }],
                ..Default::default()
            },
        )
    });
    assert!(matches!(err, Error::NotFound { kind: "party", .. }), "{err:?}");
    says(&err, &["Nowhere Inc"]);
}

/// Guards: parties take roles in a case, counsel says for whom, and roles are removed one by one.
#[test]
fn case_roles_add_and_remove() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let c = case(s, "acme-v-globex");
    let acme = org(s, "Acme");
    let globex = org(s, "Globex");
    let counsel = party(s, "Jane Counsel", "person");
    role::add_role(s, "acme-v-globex", "Globex", "respondent", None).expect("respondent");
    role::add_role(s, "acme-v-globex", "acme", "Claimant", None).expect("claimant");
    role::add_role(s, &c.id, "Jane Counsel", "counsel", Some("Acme")).expect("counsel for Acme");

    let roles = role::roles(s.conn(), &c.id).expect("roles");
    let seen: Vec<(&str, &str, Option<&str>)> =
        roles.iter().map(|r| (r.name.as_str(), r.role.as_str(), r.on_behalf_of.as_deref())).collect();
    assert_eq!(
        seen,
        [("Acme", "claimant", None), ("Globex", "respondent", None), ("Jane Counsel", "counsel", Some("Acme"))],
        "claimants first, then respondents, then counsel"
    );
    assert_eq!(roles[2].on_behalf_of_id.as_deref(), Some(acme.id.as_str()));
    assert_eq!(roles[2].party_id, counsel.id);

    // Giving the same role again changes for whom counsel acts instead of adding a row.
    role::add_role(s, &c.id, "Jane Counsel", "counsel", Some("Globex")).expect("switch sides");
    let roles = role::roles(s.conn(), &c.id).expect("roles");
    assert_eq!(roles.len(), 3);
    assert_eq!(roles[2].on_behalf_of_id.as_deref(), Some(globex.id.as_str()));

    role::remove_role(s, &c.id, "Jane Counsel", "counsel").expect("remove");
    let names: Vec<String> = role::roles(s.conn(), &c.id).expect("roles").into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["Acme", "Globex"]);

    let err = refused(s, |s| role::remove_role(s, &c.id, "Jane Counsel", "counsel"));
    assert!(matches!(err, Error::NotFound { kind: "case role", .. }), "{err:?}");
    says(&err, &["Jane Counsel", "counsel"]);
    let err = refused(s, |s| role::add_role(s, &c.id, "Acme", "judge", None));
    says(&err, &["'judge'"]);
    let err = refused(s, |s| role::add_role(s, "no-such-case", "Acme", "claimant", None));
    says(&err, &["no case 'no-such-case'"]);
}

// ---------------------------------------------------------------------------------------------
// Agreements and clauses

/// Guards: an agreement keeps its parties, dates and ordered clauses; clause references are unique.
#[test]
fn agreement_and_clauses() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let c = case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let a = agreement::create(
        s,
        &AgreementInput {
            case: "c".into(),
            title: "Supply agreement".into(),
            kind: "contract".into(),
            parties: vec!["Globex".into(), "Acme".into(), "acme".into()],
            effective: "2021-06".into(),
            terms: "Monthly deliveries.".into(),
            ..Default::default()
        },
    )
    .expect("create agreement");
    assert_eq!(a.case_id, c.id);
    let names: Vec<&str> = a.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Acme", "Globex"], "parties deduplicated and listed by name");
    assert_eq!((a.effective.as_deref(), a.terminated.as_deref()), (Some("2021-06"), None));

    let c4 = agreement::add_clause(
        s,
        &a.id,
        &ClauseInput { reference: "§ 4".into(), text: "Deliveries are monthly.".into() },
    )
    .expect("§ 4");
    let c2 =
        agreement::add_clause(s, &a.id, &ClauseInput { reference: "§ 2".into(), text: String::new() }).expect("§ 2");
    let refs: Vec<String> =
        agreement::get(s.conn(), &a.id).expect("get").clauses.into_iter().map(|c| c.reference).collect();
    assert_eq!(refs, ["§ 4", "§ 2"], "clauses keep the order they were added in");

    let edited =
        agreement::update_clause(s, &c2.id, &ClauseInput { reference: "§ 2.1".into(), text: "Prices.".into() })
            .expect("edit clause");
    assert_eq!(
        (edited.id.as_str(), edited.reference.as_str(), edited.text.as_str()),
        (c2.id.as_str(), "§ 2.1", "Prices.")
    );
    assert_eq!(agreement::get_clause(s.conn(), &c4.id).expect("§ 4").text, "Deliveries are monthly.");

    let err =
        refused(s, |s| agreement::add_clause(s, &a.id, &ClauseInput { reference: "§ 4".into(), text: "again".into() }));
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    says(&err, &["§ 4"]);
    let err = refused(s, |s| {
        agreement::update_clause(s, &c2.id, &ClauseInput { reference: " § 4 ".into(), text: String::new() })
    });
    assert!(matches!(err, Error::Conflict(_)), "renaming onto a taken reference: {err:?}");

    let mut edit = a.to_input();
    edit.terminated = "2023-03-31".into();
    edit.parties = vec!["Acme".into()];
    let ended = agreement::update(s, &a.id, &edit).expect("terminate");
    assert_eq!(ended.terminated.as_deref(), Some("2023-03-31"));
    assert_eq!(ended.parties.len(), 1);
    assert_eq!(ended.clauses.len(), 2, "editing the agreement keeps its clauses");

    let mut backwards = ended.to_input();
    backwards.terminated = "2020".into();
    let err = refused(s, |s| agreement::update(s, &a.id, &backwards));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "terminated"), "{err:?}");
    says(&err, &["'2020'", "2021-06"]);

    agreement::delete_clause(s, &c4.id).expect("an uncited clause can be deleted");
    agreement::delete(s, &a.id).expect("an uncited agreement can be deleted");
    assert!(matches!(agreement::get(s.conn(), &a.id), Err(Error::NotFound { kind: "agreement", .. })));
    assert_eq!(count(s, "SELECT count(*) FROM clause"), 0, "its clauses go with it");
    assert_eq!(count(s, "SELECT count(*) FROM record WHERE kind IN ('agreement', 'clause')"), 0);
}

// ---------------------------------------------------------------------------------------------
// Letters

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
        letter::get(s.conn(), &first.id).expect("first").replies,
        [reply.id.clone()],
        "the first letter lists its reply"
    );

    let mut edit = reply.to_input();
    edit.in_reply_to = String::new();
    edit.deadline = "<2023-06-07".into();
    let edited = letter::update(s, &reply.id, &edit).expect("unthread");
    assert_eq!((edited.in_reply_to.as_deref(), edited.deadline.as_deref()), (None, Some("<2023-06-07")));
    assert!(letter::get(s.conn(), &first.id).expect("first").replies.is_empty());

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
    assert_eq!(letter::get(s.conn(), &a.id).expect("A").replies, [b.id.clone()]);

    let check = |s: &mut Store, letter_id: &str, answers: &str, expect: &str| {
        let input =
            LetterInput { in_reply_to: answers.into(), ..letter::get(s.conn(), letter_id).expect("letter").to_input() };
        let err = refused(s, |s| letter::update(s, letter_id, &input));
        assert!(matches!(&err, Error::Invalid { field, .. } if field.contains("reply")), "{err:?}");
        says(&err, &[expect]);
    };
    check(s, &a.id, &b.id, "is itself a reply");
    check(s, &a.id, &c.id, "is itself a reply");
    check(s, &b.id, &b.id, "cannot answer itself");
    assert_eq!(letter::get(s.conn(), &a.id).expect("A").in_reply_to, None);

    case(s, "other");
    let elsewhere = letter(s, "other", "Acme", &["Globex"], "Elsewhere", "2023-01-01");
    check(s, &a.id, &elsewhere.id, "another case");
    let err =
        refused(s, |s| letter::update(s, &a.id, &LetterInput { in_reply_to: "no-such-letter".into(), ..a.to_input() }));
    assert!(matches!(err, Error::NotFound { kind: "letter", .. }), "{err:?}");
    says(&err, &["no-such-letter"]);
}

// ---------------------------------------------------------------------------------------------
// Allegations

/// Guards: an allegation raised in a letter is dated by it unless told otherwise, and cites clauses.
#[test]
fn allegation_raised_in_a_letter_takes_its_date_and_cites_clauses() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let ag = agreement(s, "c", "Supply agreement", &["Acme", "Globex"]);
    let c4 = clause(s, &ag.id, "§ 4");
    let c2 = clause(s, &ag.id, "§ 2");
    let l = letter(s, "c", "Acme", &["Globex"], "Late deliveries", "~2023-03");
    let a = allegation_with(
        s,
        AllegationInput {
            case: "c".into(),
            made_by: "Acme".into(),
            against: "Globex".into(),
            raised_in: l.id.clone(),
            clauses: vec![c2.id.clone(), c4.id.clone(), c2.id.clone()],
            summary: "Globex delivered late".into(),
            tags: vec!["supply".into()],
            ..Default::default()
        },
    );
    assert_eq!(a.date, "~2023-03", "dated by the letter it was raised in");
    let raised = a.raised_in.as_ref().expect("raised in");
    assert_eq!(
        (raised.kind.as_str(), raised.id.as_str(), raised.title.as_str()),
        ("letter", l.id.as_str(), "Late deliveries")
    );
    let cited: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!(cited, ["§ 4", "§ 2"], "cited once each, in the agreement's order");
    assert_eq!((a.status.as_str(), a.history.len()), ("alleged", 1), "a new allegation is alleged");
    assert_eq!(a.history[0].date, "~2023-03");

    let e = event(s, "c", "Phone call", "2023-02-14");
    let own_date = allegation_with(
        s,
        AllegationInput {
            date: "2023-02-15".into(),
            ..allegation_input("c", "Acme", "Globex", &e.id, "Globex threatened to stop")
        },
    );
    assert_eq!(own_date.date, "2023-02-15", "an explicit date wins over the event's");
    assert_eq!(own_date.raised_in.as_ref().map(|r| r.kind.as_str()), Some("event"));

    let err = refused(s, |s| {
        allegation::create(s, &AllegationInput { raised_in: String::new(), date: String::new(), ..a.to_input() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "date"), "{err:?}");
}

/// Guards: the status history keeps every dated entry and the current status is the latest by date.
#[test]
fn allegation_status_history() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let l = letter(s, "c", "Acme", &["Globex"], "Late deliveries", "2023-03-10");
    let a = allegation(s, "c", "Acme", "Globex", &l.id, "Globex delivered late");

    let set = |s: &mut Store, status: &str, date: &str| {
        allegation::set_status(
            s,
            &a.id,
            &StatusInput { status: status.into(), date: date.into(), note: format!("{status} note"), position: 0 },
        )
    };
    assert_eq!(set(s, "Under review", "2023-03-20").expect("under review").status, "under_review");
    assert_eq!(set(s, "disputed", "2023-04").expect("disputed").status, "disputed");
    // Recorded later but dated earlier: it joins the history in its place, and the latest stays current.
    let now = set(s, "admitted", "2023-03-25").expect("admitted");
    assert_eq!(now.status, "disputed", "the current status is the latest by date, not the last recorded");
    let history: Vec<(&str, &str)> = now.history.iter().map(|h| (h.status.as_str(), h.date.as_str())).collect();
    assert_eq!(
        history,
        [
            ("alleged", "2023-03-10"),
            ("under_review", "2023-03-20"),
            ("admitted", "2023-03-25"),
            ("disputed", "2023-04")
        ]
    );
    assert_eq!(now.history[3].note, "disputed note");

    let err = refused(s, |s| set(s, "withdrawn", "2023-03-01"));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "date"), "{err:?}");
    says(&err, &["'2023-03-01'", "before", "2023-03-10"]);
    let err = refused(s, |s| set(s, "forgotten", "2023-05"));
    says(&err, &["'forgotten'"]);
    let err = refused(s, |s| set(s, "withdrawn", "2023-02-30"));
    says(&err, &["2023-02-30"]);
    let err = refused(s, |s| {
        allegation::set_status(
            s,
            "no-such-allegation",
            &StatusInput { status: "withdrawn".into(), date: "2024".into(), ..Default::default() },
        )
    });
    assert!(matches!(err, Error::NotFound { kind: "allegation", .. }), "{err:?}");
}

/// Guards: editing an allegation's date cannot put its raising after status changes already recorded.
#[test]
fn moving_an_allegation_after_its_status_changes_is_refused() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let a = allegation_with(
        s,
        AllegationInput {
            case: "c".into(),
            made_by: "Acme".into(),
            against: "Globex".into(),
            summary: "Late".into(),
            date: "2023-01-10".into(),
            ..Default::default()
        },
    );
    allegation::set_status(
        s,
        &a.id,
        &StatusInput { status: "disputed".into(), date: "2023-02-01".into(), ..Default::default() },
    )
    .expect("disputed");
    let moved =
        AllegationInput { date: "2023-03-01".into(), ..allegation::get(s.conn(), &a.id).expect("get").to_input() };
    let err = refused(s, |s| allegation::update(s, &a.id, &moved));
    says(&err, &["2023-03-01"]);
    assert_eq!(allegation::get(s.conn(), &a.id).expect("get").status, "disputed");
}

// ---------------------------------------------------------------------------------------------
// Responses

/// Guards: a response answers several allegations of one case and is dated by its letter by default.
#[test]
fn response_to_several_allegations() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    let globex = org(s, "Globex");
    party(s, "Reuters", "media");
    let l = letter(s, "c", "Acme", &["Globex"], "Complaints", "2023-03-10");
    let late = allegation(s, "c", "Acme", "Globex", &l.id, "Late deliveries");
    let short = allegation(s, "c", "Acme", "Globex", &l.id, "Short deliveries");
    let statement = letter_with(
        s,
        LetterInput {
            channel: "press_statement".into(),
            in_reply_to: l.id.clone(),
            ..letter_input("c", "Globex", &["Reuters"], "Statement", "2023-04-02")
        },
    );
    let r = response::create(
        s,
        &ResponseInput {
            allegations: vec![late.id.clone(), short.id.clone(), late.id.clone()],
            by: "globex".into(),
            letter: statement.id.clone(),
            stance: "Partly admits".into(),
            text: "Some were late.".into(),
            attributions: vec![AttributionInput {
                asserted_by: "Globex".into(),
                reported_by: "Reuters".into(),
                how: "statement".into(),
                certainty: "reported".into(),
            }],
            ..Default::default()
        },
    )
    .expect("create response");
    assert_eq!(r.date, "2023-04-02", "dated by the letter that carries it");
    assert_eq!(r.stance, "partly_admits");
    assert_eq!(r.by.id, globex.id);
    let mut answered = r.allegations.clone();
    answered.sort();
    let mut want = vec![late.id.clone(), short.id.clone()];
    want.sort();
    assert_eq!(answered, want, "each allegation answered once");
    for a in [&late, &short] {
        assert_eq!(
            allegation::get(s.conn(), &a.id).expect("allegation").responses,
            [r.id.clone()],
            "{} lists its answer",
            a.summary
        );
    }
    assert_eq!(r.attributions[0].reported_by.as_deref(), Some("Reuters"));

    let edited = response::update(
        s,
        &r.id,
        &ResponseInput { stance: "denies".into(), date: "2023-04-05".into(), letter: String::new(), ..r.to_input() },
    )
    .expect("edit");
    assert_eq!(
        (edited.stance.as_str(), edited.date.as_str(), edited.letter_id.as_deref()),
        ("denies", "2023-04-05", None)
    );

    let err = refused(s, |s| {
        response::create(s, &ResponseInput { letter: String::new(), date: String::new(), ..r.to_input() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "date"), "{err:?}");
    let err = refused(s, |s| response::create(s, &ResponseInput { allegations: vec![" ".into()], ..r.to_input() }));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "allegations"), "{err:?}");
    let err = refused(s, |s| response::create(s, &ResponseInput { stance: "shrugs".into(), ..r.to_input() }));
    says(&err, &["'shrugs'"]);
}

/// Guards: one response cannot answer allegations of two cases, nor be carried by another case's letter.
#[test]
fn response_must_stay_in_one_case() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "one");
    case(s, "two");
    org(s, "Acme");
    org(s, "Globex");
    let e1 = event(s, "one", "Call", "2023-01-01");
    let e2 = event(s, "two", "Call", "2023-01-01");
    let a1 = allegation(s, "one", "Acme", "Globex", &e1.id, "First");
    let a2 = allegation(s, "two", "Acme", "Globex", &e2.id, "Second");
    let l2 = letter(s, "two", "Globex", &["Acme"], "Answer", "2023-02-01");

    let base = ResponseInput {
        allegations: vec![a1.id.clone()],
        by: "Globex".into(),
        stance: "denies".into(),
        date: "2023-02-01".into(),
        ..Default::default()
    };
    let err = refused(s, |s| {
        response::create(s, &ResponseInput { allegations: vec![a1.id.clone(), a2.id.clone()], ..base.clone() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "allegations"), "{err:?}");
    says(&err, &[&a2.id, "another case"]);
    let err = refused(s, |s| response::create(s, &ResponseInput { letter: l2.id.clone(), ..base.clone() }));
    says(&err, &[&l2.id, "another case"]);
    let err = refused(s, |s| {
        response::create(s, &ResponseInput { allegations: vec!["no-such-allegation".into()], ..base.clone() })
    });
    assert!(matches!(err, Error::NotFound { kind: "allegation", .. }), "{err:?}");
    says(&err, &["no-such-allegation"]);
}

// ---------------------------------------------------------------------------------------------
// Events

/// Guards: an event keeps its parties, tags and attributions, and an edit replaces them.
#[test]
fn event_parties_tags_and_attributions() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    let twitter = party::create(
        s,
        &PartyInput {
            name: "Twitter".into(),
            kind: "organisation".into(),
            aliases: vec!["X".into()],
            ..Default::default()
        },
    )
    .expect("twitter");
    org(s, "Microsoft");
    party(s, "New York Times", "media");
    let e = event_with(
        s,
        EventInput {
            case: "c".into(),
            title: "Twitter ends its free API".into(),
            date: "2023-02".into(),
            description: "« fin de l’API gratuite »".into(),
            parties: vec!["Twitter".into(), "x".into(), "Microsoft".into()],
            tags: vec!["api".into(), "fees".into()],
            attributions: vec![
                AttributionInput {
                    asserted_by: "Twitter".into(),
                    reported_by: "New York Times".into(),
                    how: "announcement".into(),
                    certainty: "Reported".into(),
                },
                AttributionInput {
                    reported_by: "New York Times".into(),
                    certainty: "rumoured".into(),
                    ..Default::default()
                },
            ],
            position: 3,
        },
    );
    let names: Vec<&str> = e.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Microsoft", "Twitter"], "a party named twice (by name and alias) is listed once");
    assert_eq!(e.tags, ["api", "fees"]);
    assert_eq!(e.position, 3);
    assert_eq!(e.attributions.len(), 2);
    assert_eq!(e.attributions[0].asserted_by_id.as_deref(), Some(twitter.id.as_str()));
    assert_eq!(e.attributions[0].certainty, "reported");
    assert_eq!(e.attributions[0].describe(), "Twitter (reported), reported by New York Times — announcement");
    assert_eq!(e.attributions[1].describe(), "reported by New York Times (rumoured)");

    let edited = event::update(
        s,
        &e.id,
        &EventInput {
            tags: vec!["api".into()],
            attributions: vec![],
            parties: vec!["Twitter".into()],
            date: "2023-02-01".into(),
            ..e.to_input()
        },
    )
    .expect("edit");
    assert_eq!(
        (edited.date.as_str(), edited.tags.len(), edited.attributions.len(), edited.parties.len()),
        ("2023-02-01", 1, 0, 1)
    );
    assert_eq!(count(s, "SELECT count(*) FROM attribution"), 0, "replaced attributions are gone");

    let err = refused(s, |s| {
        event::create(
            s,
            &EventInput {
                attributions: vec![AttributionInput { certainty: "confirmed".into(), ..Default::default() }],
                ..e.to_input()
            },
        )
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "attribution"), "{err:?}");
    let err = refused(s, |s| {
        event::create(
            s,
            &EventInput {
                attributions: vec![AttributionInput {
                    asserted_by: "Twitter".into(),
                    certainty: "sure".into(),
                    ..Default::default()
                }],
                ..e.to_input()
            },
        )
    });
    says(&err, &["'sure'"]);
}

// ---------------------------------------------------------------------------------------------
// Round trips

/// A case with one record of every kind, each referring to the others the way a real dossier does.
struct Scene {
    case_id: String,
    agreement: String,
    clause: String,
    letter: String,
    reply: String,
    event: String,
    allegation: String,
    response: String,
    evidence: String,
}

fn scene(s: &mut Store) -> Scene {
    let c = case::create(
        s,
        &CaseInput {
            title: "Acme v. Globex".into(),
            tags: vec!["supply".into()],
            summary: "Summary.".into(),
            ..Default::default()
        },
    )
    .expect("case");
    party::create(
        s,
        &PartyInput {
            name: "Acme".into(),
            kind: "organisation".into(),
            aliases: vec!["Acme Corp.".into()],
            ..Default::default()
        },
    )
    .expect("acme");
    org(s, "Globex");
    party(s, "Daily Planet", "media");
    party::create(
        s,
        &PartyInput {
            name: "Ed Sender".into(),
            kind: "person".into(),
            affiliations: vec![AffiliationInput { organisation: "Acme".into(), role: "counsel".into() }],
            ..Default::default()
        },
    )
    .expect("ed");
    role::add_role(s, &c.id, "Acme", "claimant", None).expect("role");
    role::add_role(s, &c.id, "Ed Sender", "counsel", Some("Acme")).expect("role");
    let ag = agreement::create(
        s,
        &AgreementInput {
            case: c.id.clone(),
            title: "Supply agreement".into(),
            kind: "contract".into(),
            parties: vec!["Acme".into(), "Globex".into()],
            effective: "2021-06".into(),
            terminated: "~2024".into(),
            terms: "Terms.".into(),
        },
    )
    .expect("agreement");
    let cl = clause(s, &ag.id, "§ 4");
    let l = letter_with(
        s,
        LetterInput {
            case: c.id.clone(),
            sender: "Acme".into(),
            sender_person: "Ed Sender".into(),
            to: vec!["Globex".into()],
            cc: vec!["Daily Planet".into()],
            subject: "Late deliveries".into(),
            body: "Body.".into(),
            date: "2023-03-10".into(),
            deadline: "2023-04-10".into(),
            tags: vec!["supply".into()],
            position: 1,
            ..Default::default()
        },
    );
    let reply = letter_with(
        s,
        LetterInput {
            in_reply_to: l.id.clone(),
            ..letter_input(&c.id, "Globex", &["Acme"], "Re: Late deliveries", "~2023-04")
        },
    );
    let e = event_with(
        s,
        EventInput {
            case: c.id.clone(),
            title: "Missed delivery".into(),
            date: "2023-03-01".into(),
            parties: vec!["Globex".into()],
            tags: vec!["supply".into()],
            attributions: vec![AttributionInput {
                reported_by: "Daily Planet".into(),
                certainty: "reported".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    );
    let a = allegation_with(
        s,
        AllegationInput {
            case: c.id.clone(),
            made_by: "Acme".into(),
            against: "Globex".into(),
            raised_in: l.id.clone(),
            clauses: vec![cl.id.clone()],
            summary: "Globex delivered late".into(),
            detail: "Detail.".into(),
            tags: vec!["supply".into()],
            attributions: vec![AttributionInput {
                asserted_by: "Acme".into(),
                certainty: "alleged".into(),
                ..Default::default()
            }],
            position: 2,
            ..Default::default()
        },
    );
    allegation::set_status(
        s,
        &a.id,
        &StatusInput { status: "disputed".into(), date: "2023-04".into(), ..Default::default() },
    )
    .expect("status");
    let r = response::create(
        s,
        &ResponseInput {
            allegations: vec![a.id.clone()],
            by: "Globex".into(),
            stance: "denies".into(),
            date: "2023-03-20".into(),
            tags: vec!["x".into()],
            ..Default::default()
        },
    )
    .expect("response");
    let ev = evidence::create(
        s,
        &EvidenceInput {
            case: c.id.clone(),
            kind: "url".into(),
            title: "Press article".into(),
            url: "https://example.com/a".into(),
            publisher: "Daily Planet".into(),
            date: "2023-03-12".into(),
            note: "Note.".into(),
        },
    )
    .expect("evidence");
    evidence::link(
        s,
        &LinkInput { evidence: ev.id.clone(), record: e.id.clone(), pinpoint: "p. 2".into(), note: String::new() },
    )
    .expect("link");
    Scene {
        case_id: c.id,
        agreement: ag.id,
        clause: cl.id,
        letter: l.id,
        reply: reply.id,
        event: e.id,
        allegation: a.id,
        response: r.id,
        evidence: ev.id,
    }
}

/// Guards: for every kind, saving `to_input()` unchanged leaves the record exactly as it was.
#[test]
fn every_kind_round_trips_through_to_input() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;

    fn check<T: serde::Serialize>(kind: &str, before: T, after: Result<T>) {
        let after = after.unwrap_or_else(|e| panic!("{kind}: saving to_input() unchanged failed: {e}"));
        assert_eq!(without_stamp(&after), without_stamp(&before), "{kind} changed when saved unchanged");
    }
    let c = case::get(s.conn(), &sc.case_id).unwrap();
    check("case", c.clone(), case::update(s, &c.id, &c.to_input()));
    for name in ["Acme", "Globex", "Daily Planet", "Ed Sender"] {
        let p = party::get(s.conn(), name).unwrap();
        check("party", p.clone(), party::update(s, &p.id, &p.to_input()));
    }
    let a = agreement::get(s.conn(), &sc.agreement).unwrap();
    check("agreement", a.clone(), agreement::update(s, &a.id, &a.to_input()));
    let cl = agreement::get_clause(s.conn(), &sc.clause).unwrap();
    let input = ClauseInput { reference: cl.reference.clone(), text: cl.text.clone() };
    check("clause", cl, agreement::update_clause(s, &sc.clause, &input));
    for id in [&sc.letter, &sc.reply] {
        let l = letter::get(s.conn(), id).unwrap();
        check("letter", l.clone(), letter::update(s, id, &l.to_input()));
    }
    let e = event::get(s.conn(), &sc.event).unwrap();
    check("event", e.clone(), event::update(s, &e.id, &e.to_input()));
    let al = allegation::get(s.conn(), &sc.allegation).unwrap();
    check("allegation", al.clone(), allegation::update(s, &al.id, &al.to_input()));
    let r = response::get(s.conn(), &sc.response).unwrap();
    check("response", r.clone(), response::update(s, &r.id, &r.to_input()));
    let ev = evidence::get(s.conn(), &sc.evidence).unwrap();
    check("evidence", ev.clone(), evidence::update(s, &ev.id, &ev.to_input()));
    s.verify_change_log().expect("change log");
}

// ---------------------------------------------------------------------------------------------
// Referential rules

/// Checks that `delete` is refused as a conflict whose message contains every one of `parts`, and
/// that it wrote nothing (so the record is still there, with everything that refers to it).
fn conflict(s: &mut Store, what: &str, parts: &[&str], delete: impl FnOnce(&mut Store) -> Result<()>) {
    let err = refused(s, delete);
    assert!(matches!(err, Error::Conflict(_)), "{what}: expected a conflict, got {err:?}");
    let text = err.to_string();
    for p in parts {
        assert!(text.contains(p), "{what}: error {text:?} should mention {p:?}");
    }
}

/// Guards: a record still referred to cannot be deleted; the refusal says what refers to it and
/// leaves the database as it was.
#[test]
fn deleting_a_referenced_record_is_refused() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    for (name, parts) in [
        ("Daily Planet", ["party 'Daily Planet'", "letter recipient"].as_slice()),
        ("Ed Sender", &["party 'Ed Sender'", "letter"]),
        ("Acme", &["party 'Acme'", "letter", "agreement", "case role"]),
    ] {
        conflict(s, name, parts, |s| party::delete(s, name));
        assert!(party::get(s.conn(), name).is_ok(), "{name} is still there");
    }
    conflict(s, "letter raising an allegation", &["letter 'Late deliveries'", "allegation"], |s| {
        letter::delete(s, &sc.letter)
    });
    conflict(s, "answered allegation", &["allegation 'Globex delivered late'", "response"], |s| {
        allegation::delete(s, &sc.allegation)
    });
    conflict(s, "agreement with a cited clause", &["agreement 'Supply agreement'", "allegation citing it"], |s| {
        agreement::delete(s, &sc.agreement)
    });
    conflict(s, "cited clause", &["clause '§ 4'", "allegation citing it"], |s| {
        agreement::delete_clause(s, &sc.clause)
    });
    conflict(s, "non-empty case", &["case 'acme-v-globex'", "still referred to by"], |s| case::delete(s, &sc.case_id));

    // A refused delete leaves the store usable.
    org(s, "Initech");
    s.verify_change_log().expect("change log after refusals");
}

/// Guards: records deleted in dependency order all go, and nothing of them is left behind.
#[test]
fn deleting_in_dependency_order_empties_the_case() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    evidence::delete(s, &sc.evidence).expect("evidence");
    response::delete(s, &sc.response).expect("response");
    allegation::delete(s, &sc.allegation).expect("allegation");
    letter::delete(s, &sc.reply).expect("reply");
    letter::delete(s, &sc.letter).expect("letter");
    agreement::delete(s, &sc.agreement).expect("agreement");
    event::delete(s, &sc.event).expect("event");
    case::delete(s, &sc.case_id).expect("the emptied case, with its roles");
    for name in ["Ed Sender", "Daily Planet", "Globex", "Acme"] {
        party::delete(s, name).unwrap_or_else(|e| panic!("delete party {name}: {e}"));
    }
    // The full-text index's own storage tables (search_index_*) always hold FTS5 bookkeeping rows; the
    // index itself (search_index) must be empty like every other table.
    let left: Vec<(String, i64)> = snapshot(s)
        .into_iter()
        .filter(|(t, n)| t != "change_log" && !t.starts_with("search_index_") && *n != 0)
        .collect();
    assert!(left.is_empty(), "rows left behind: {left:?}");
    assert_eq!(s.verify_change_log().expect("change log"), log_len(s) as usize);
}

/// Guards: deleting a record removes its evidence links, tags and attributions, not the evidence.
#[test]
fn deleting_a_record_removes_its_links_and_tags() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    let per_record =
        |s: &Store, table: &str| count(s, &format!("SELECT count(*) FROM {table} WHERE record_id = '{}'", sc.event));
    assert_eq!((per_record(s, "evidence_link"), per_record(s, "record_tag"), per_record(s, "attribution")), (1, 1, 1));

    event::delete(s, &sc.event).expect("delete event");
    assert_eq!((per_record(s, "evidence_link"), per_record(s, "record_tag"), per_record(s, "attribution")), (0, 0, 0));
    let ev = evidence::get(s.conn(), &sc.evidence).expect("the evidence itself stays");
    assert!(ev.links.is_empty(), "the evidence no longer lists the deleted event: {:?}", ev.links);
    assert!(evidence::for_record(s.conn(), &sc.event).expect("for_record").is_empty());
    assert!(matches!(event::get(s.conn(), &sc.event), Err(Error::NotFound { kind: "event", .. })));
}

/// Guards: a record that other records of its case refer to cannot be moved to another case, which
/// would leave cross-case references that creating them directly is refused for.
#[test]
fn moving_a_referenced_record_to_another_case_is_refused() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    case(s, "elsewhere");
    let l = letter::get(s.conn(), &sc.letter).unwrap().to_input();
    let e = event::get(s.conn(), &sc.event).unwrap().to_input();
    let a = agreement::get(s.conn(), &sc.agreement).unwrap().to_input();
    let al = allegation::get(s.conn(), &sc.allegation).unwrap().to_input();
    let elsewhere = || "elsewhere".to_string();
    // Every move is tried, so the failure lists all the kinds that can be moved, not just the first.
    let mut moved = Vec::new();
    let mut attempt = |s: &mut Store, what: &'static str, change: &dyn Fn(&mut Store) -> Result<()>| {
        let before = snapshot(s);
        match change(s) {
            Ok(()) => moved.push(what),
            Err(err) => assert_eq!(snapshot(s), before, "{what}: the refused move ({err}) writes nothing"),
        }
    };
    attempt(s, "letter an allegation was raised in", &|s| {
        letter::update(s, &sc.letter, &LetterInput { case: elsewhere(), in_reply_to: String::new(), ..l.clone() })
            .map(drop)
    });
    attempt(s, "event with linked evidence", &|s| {
        event::update(s, &sc.event, &EventInput { case: elsewhere(), ..e.clone() }).map(drop)
    });
    attempt(s, "agreement with a cited clause", &|s| {
        agreement::update(s, &sc.agreement, &AgreementInput { case: elsewhere(), ..a.clone() }).map(drop)
    });
    attempt(s, "answered allegation", &|s| {
        let input = AllegationInput { case: elsewhere(), raised_in: String::new(), clauses: vec![], ..al.clone() };
        allegation::update(s, &sc.allegation, &input).map(drop)
    });
    assert!(moved.is_empty(), "moved to another case although still referred to: {moved:?}");
}

// ---------------------------------------------------------------------------------------------
// Bad input

/// Checks that `change` is refused with an error of category `code` whose message contains every
/// one of `parts`, and that it wrote nothing.
fn bad<T: std::fmt::Debug>(
    s: &mut Store,
    what: &str,
    code: &str,
    parts: &[&str],
    change: impl FnOnce(&mut Store) -> Result<T>,
) {
    let err = refused(s, change);
    assert_eq!(err.code(), code, "{what}: {err}");
    let text = err.to_string();
    for p in parts {
        assert!(text.contains(p), "{what}: error {text:?} should mention {p:?}");
    }
}

/// Guards: bad input is refused with an error that names the value at fault, and writes nothing.
#[test]
fn bad_input_is_refused_naming_the_value() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    let case_id = sc.case_id.as_str();
    let ev = |f: &dyn Fn(&mut EventInput)| {
        let mut input = EventInput {
            case: case_id.into(),
            title: "Meeting".into(),
            date: "2023-05-01".into(),
            ..Default::default()
        };
        f(&mut input);
        input
    };
    let lt = |f: &dyn Fn(&mut LetterInput)| {
        let mut input = letter_input(case_id, "Acme", &["Globex"], "Again", "2023-05-01");
        f(&mut input);
        input
    };
    let al = |f: &dyn Fn(&mut AllegationInput)| {
        let mut input = AllegationInput { date: "2023".into(), ..allegation_input(case_id, "Acme", "Globex", "", "S") };
        f(&mut input);
        input
    };
    const INVALID: &str = "invalid_input";
    const NOT_FOUND: &str = "not_found";

    bad(s, "case without title", INVALID, &["title", "required"], |s| {
        case::create(s, &CaseInput { title: "  ".into(), ..Default::default() })
    });
    bad(s, "party without name", INVALID, &["name", "required"], |s| {
        party::create(s, &PartyInput { name: String::new(), kind: "person".into(), ..Default::default() })
    });
    bad(s, "event without title", INVALID, &["title", "required"], |s| {
        event::create(s, &ev(&|i| i.title = " ".into()))
    });
    bad(s, "multi-line title", INVALID, &["title", "one line"], |s| {
        event::create(s, &ev(&|i| i.title = "a\nb".into()))
    });
    bad(s, "letter without subject", INVALID, &["subject", "required"], |s| {
        letter::create(s, &lt(&|i| i.subject = String::new()))
    });
    bad(s, "letter without sender", INVALID, &["sender", "required"], |s| {
        letter::create(s, &lt(&|i| i.sender = String::new()))
    });
    bad(s, "allegation without summary", INVALID, &["summary", "required"], |s| {
        allegation::create(s, &al(&|i| i.summary = String::new()))
    });
    bad(s, "impossible date", INVALID, &["date", "'2023-02-30'", "does not exist"], |s| {
        event::create(s, &ev(&|i| i.date = "2023-02-30".into()))
    });
    bad(s, "impossible deadline", INVALID, &["deadline", "'2023-13'"], |s| {
        letter::create(s, &lt(&|i| i.deadline = "2023-13".into()))
    });
    bad(s, "unknown case", NOT_FOUND, &["no case 'no-such-case'"], |s| {
        event::create(s, &ev(&|i| i.case = "no-such-case".into()))
    });
    bad(s, "unknown party", NOT_FOUND, &["no party 'Nobody Ltd'"], |s| {
        event::create(s, &ev(&|i| i.parties = vec!["Nobody Ltd".into()]))
    });
    bad(s, "unknown recipient", NOT_FOUND, &["no party 'Nobody Ltd'"], |s| {
        letter::create(s, &lt(&|i| i.cc = vec!["Nobody Ltd".into()]))
    });
    bad(s, "unknown accused", NOT_FOUND, &["no party 'Nobody Ltd'"], |s| {
        allegation::create(s, &al(&|i| i.against = "Nobody Ltd".into()))
    });
    bad(s, "unknown source", NOT_FOUND, &["no party 'Daily Bugle'"], |s| {
        let source =
            AttributionInput { reported_by: "Daily Bugle".into(), certainty: "reported".into(), ..Default::default() };
        event::create(s, &ev(&|i| i.attributions = vec![source.clone()]))
    });
    bad(s, "reply to a missing letter", NOT_FOUND, &["0190-missing-letter"], |s| {
        letter::create(s, &lt(&|i| i.in_reply_to = "0190-missing-letter".into()))
    });
    bad(s, "raised in a missing record", NOT_FOUND, &["0190-missing"], |s| {
        allegation::create(s, &al(&|i| i.raised_in = "0190-missing".into()))
    });
    bad(s, "citing a missing clause", NOT_FOUND, &["0190-no-clause"], |s| {
        allegation::create(s, &al(&|i| i.clauses = vec!["0190-no-clause".into()]))
    });
    bad(s, "invoking a missing agreement", NOT_FOUND, &["0190-no-agreement"], |s| {
        allegation::create(s, &al(&|i| i.agreement = "0190-no-agreement".into()))
    });
    bad(s, "answering a missing allegation", NOT_FOUND, &["0190-no-allegation"], |s| {
        let input = ResponseInput {
            allegations: vec!["0190-no-allegation".into()],
            by: "Globex".into(),
            stance: "denies".into(),
            date: "2023".into(),
            ..Default::default()
        };
        response::create(s, &input)
    });
    bad(s, "linking to a missing record", NOT_FOUND, &["0190-no-record"], |s| {
        evidence::link(
            s,
            &LinkInput { evidence: sc.evidence.clone(), record: "0190-no-record".into(), ..Default::default() },
        )
    });
    bad(s, "editing a missing event", NOT_FOUND, &["0190-no-event"], |s| {
        event::update(s, "0190-no-event", &ev(&|_| {}))
    });
    bad(s, "deleting a missing letter", NOT_FOUND, &["0190-no-letter"], |s| letter::delete(s, "0190-no-letter"));
}

// ---------------------------------------------------------------------------------------------
// The change log

/// Runs one write and checks it added exactly one change log entry, with the expected action.
fn one_entry<T>(s: &mut Store, action: &str, write: impl FnOnce(&mut Store) -> Result<T>) -> T {
    let before = log_len(s);
    let out = write(s).unwrap_or_else(|e| panic!("{action}: {e}"));
    assert_eq!(log_len(s), before + 1, "{action} must add exactly one change log entry");
    let last: String = s
        .conn()
        .query_row("SELECT action FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .expect("last entry");
    assert_eq!(last, action);
    out
}

/// Guards: every successful write, of every kind, adds exactly one change log entry, and the chain verifies.
#[test]
fn every_write_adds_one_change_log_entry() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let c = one_entry(s, "create case", |s| {
        case::create(s, &CaseInput { title: "Acme v. Globex".into(), ..Default::default() })
    });
    one_entry(s, "update case", |s| case::update(s, &c.id, &CaseInput { status: "dormant".into(), ..c.to_input() }));
    one_entry(s, "create party", |s| {
        party::create(s, &PartyInput { name: "Acme".into(), kind: "organisation".into(), ..Default::default() })
    });
    let g = one_entry(s, "create party", |s| {
        party::create(s, &PartyInput { name: "Globex".into(), kind: "organisation".into(), ..Default::default() })
    });
    one_entry(s, "update party", |s| {
        party::update(s, &g.id, &PartyInput { aliases: vec!["GX".into()], ..g.to_input() })
    });
    one_entry(s, "add case role", |s| role::add_role(s, &c.id, "Acme", "claimant", None));
    one_entry(s, "remove case role", |s| role::remove_role(s, &c.id, "Acme", "claimant"));
    let a = one_entry(s, "create agreement", |s| {
        agreement::create(s, &AgreementInput { case: c.id.clone(), title: "Supply".into(), ..Default::default() })
    });
    let cl = one_entry(s, "create clause", |s| {
        agreement::add_clause(s, &a.id, &ClauseInput { reference: "§ 1".into(), text: String::new() })
    });
    one_entry(s, "update clause", |s| {
        agreement::update_clause(s, &cl.id, &ClauseInput { reference: "§ 1".into(), text: "Text".into() })
    });
    one_entry(s, "update agreement", |s| {
        agreement::update(s, &a.id, &AgreementInput { effective: "2021".into(), ..a.to_input() })
    });
    let l = one_entry(s, "create letter", |s| {
        letter::create(
            s,
            &LetterInput {
                case: c.id.clone(),
                sender: "Acme".into(),
                subject: "Hi".into(),
                date: "2023".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update letter", |s| {
        letter::update(s, &l.id, &LetterInput { deadline: "2024".into(), ..l.to_input() })
    });
    let e = one_entry(s, "create event", |s| {
        event::create(
            s,
            &EventInput { case: c.id.clone(), title: "Call".into(), date: "2023-01".into(), ..Default::default() },
        )
    });
    one_entry(s, "update event", |s| event::update(s, &e.id, &EventInput { position: 1, ..e.to_input() }));
    let al = one_entry(s, "create allegation", |s| {
        allegation::create(
            s,
            &AllegationInput {
                case: c.id.clone(),
                made_by: "Acme".into(),
                against: "Globex".into(),
                raised_in: l.id.clone(),
                summary: "Late".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update allegation", |s| {
        allegation::update(s, &al.id, &AllegationInput { detail: "More".into(), ..al.to_input() })
    });
    one_entry(s, "set allegation status", |s| {
        allegation::set_status(
            s,
            &al.id,
            &StatusInput { status: "disputed".into(), date: "2024".into(), ..Default::default() },
        )
    });
    let r = one_entry(s, "create response", |s| {
        response::create(
            s,
            &ResponseInput {
                allegations: vec![al.id.clone()],
                by: "Globex".into(),
                stance: "denies".into(),
                date: "2024".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update response", |s| {
        response::update(s, &r.id, &ResponseInput { text: "No.".into(), ..r.to_input() })
    });
    let ev = one_entry(s, "create evidence", |s| {
        evidence::create(
            s,
            &EvidenceInput {
                case: c.id.clone(),
                kind: "publication".into(),
                title: "Book".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update evidence", |s| {
        evidence::update(s, &ev.id, &EvidenceInput { note: "p. 3".into(), ..ev.to_input() })
    });
    one_entry(s, "link evidence", |s| {
        evidence::link(
            s,
            &LinkInput { evidence: ev.id.clone(), record: e.id.clone(), pinpoint: "p. 3".into(), note: String::new() },
        )
    });
    one_entry(s, "unlink evidence", |s| evidence::unlink(s, &ev.id, &e.id, "p. 3"));
    one_entry(s, "delete evidence", |s| evidence::delete(s, &ev.id));
    one_entry(s, "delete response", |s| response::delete(s, &r.id));
    one_entry(s, "delete allegation", |s| allegation::delete(s, &al.id));
    one_entry(s, "delete event", |s| event::delete(s, &e.id));
    one_entry(s, "delete letter", |s| letter::delete(s, &l.id));
    one_entry(s, "delete clause", |s| agreement::delete_clause(s, &cl.id));
    one_entry(s, "delete agreement", |s| agreement::delete(s, &a.id));
    one_entry(s, "delete party", |s| party::delete(s, "Globex"));
    one_entry(s, "delete case", |s| case::delete(s, &c.id));
    assert_eq!(s.verify_change_log().expect("the chain verifies"), log_len(s) as usize, "every entry verified");
}

/// Guards: the change log refuses raw UPDATE and DELETE, whatever the caller.
#[test]
fn change_log_is_append_only() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let s = &fx.store;
    let before = snapshot(s);
    for sql in [
        "UPDATE change_log SET detail = '{}'",
        "UPDATE change_log SET seq = seq + 100",
        "DELETE FROM change_log",
        "DELETE FROM change_log WHERE seq = 1",
    ] {
        let err = s.conn().execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(snapshot(s), before);
    assert_eq!(s.verify_change_log().expect("still verifies"), 1);
}

/// Guards: an entry edited behind the triggers' back is reported as tampering at its sequence number.
#[test]
fn an_edited_change_log_fails_to_verify() {
    let mut fx = fresh();
    case(&mut fx.store, "a");
    case(&mut fx.store, "b");
    case(&mut fx.store, "c");
    let s = &fx.store;
    assert_eq!(s.verify_change_log().expect("intact"), 3);
    s.conn()
        .execute_batch(
            "DROP TRIGGER change_log_no_update; UPDATE change_log SET detail = '{\"title\":\"forged\"}' WHERE seq = 2;",
        )
        .expect("edit behind the trigger");
    match s.verify_change_log() {
        Err(Error::Tampered { seq, .. }) => assert_eq!(seq, 2),
        other => panic!("an edited entry must be reported: {other:?}"),
    }
}

/// Guards: an entry removed from the middle of the change log is reported at the entry after the gap.
#[test]
fn a_removed_change_log_entry_fails_to_verify() {
    let mut fx = fresh();
    for slug in ["a", "b", "c"] {
        case(&mut fx.store, slug);
    }
    let s = &fx.store;
    s.conn()
        .execute_batch("DROP TRIGGER change_log_no_delete; DELETE FROM change_log WHERE seq = 2;")
        .expect("remove behind the trigger");
    match s.verify_change_log() {
        Err(Error::Tampered { seq, .. }) => assert_eq!(seq, 3),
        other => panic!("a removed entry must be reported: {other:?}"),
    }
}
