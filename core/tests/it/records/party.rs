//! Parties and case roles.

use crate::common::*;
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::party::{self, AffiliationInput, PartyInput};
use dossier_core::record::role;
use dossier_core::Error;

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
    assert_eq!(party::resolve(s.reader(), "twitter").expect("old name kept as an alias"), twitter.id);
    assert_eq!(
        party::get(s.reader(), "Elon Musk").expect("musk").affiliations[0].organisation,
        "X",
        "affiliation follows the rename"
    );

    party::delete(s, "Elon Musk").expect("a party nothing refers to can be deleted");
    assert!(matches!(party::get(s.reader(), &musk.id), Err(Error::NotFound { kind: "party", .. })));
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
    let check = |key: &str, expect: Option<&str>| match (party::resolve(fx.store.reader(), key), expect) {
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
    let err = party::resolve(fx.store.reader(), "  ").expect_err("empty key");
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "party"), "{err:?}");
}

/// Guards: names with accented capitals resolve ignoring case, as plain ASCII names do.
#[test]
fn party_resolves_accented_names_ignoring_case() {
    let mut fx = fresh();
    let edf = org(&mut fx.store, "Électricité de France");
    let found = party::resolve(fx.store.reader(), "électricité de france");
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
    let taken = PartyInput {
        name: "Facebook".into(),
        kind: "organisation".into(),
        aliases: vec!["meta".into()],
        ..Default::default()
    };
    let err = refused(&mut fx.store, |s| party::create(s, &taken));
    says(&err, &["the alias 'meta' already finds the party 'Meta'"]);
    // A database written before aliases were checked may still hold such a pair.
    let facebook = org(&mut fx.store, "Facebook");
    raw(&fx).execute("INSERT INTO party_alias (party_id, alias) VALUES (?1, 'meta')", [&facebook.id]).expect("alias");
    let err = party::resolve(fx.store.reader(), "Meta").expect_err("ambiguous");
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

    let roles = role::roles(s.reader(), &c.id).expect("roles");
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
    let roles = role::roles(s.reader(), &c.id).expect("roles");
    assert_eq!(roles.len(), 3);
    assert_eq!(roles[2].on_behalf_of_id.as_deref(), Some(globex.id.as_str()));

    role::remove_role(s, &c.id, "Jane Counsel", "counsel").expect("remove");
    let names: Vec<String> = role::roles(s.reader(), &c.id).expect("roles").into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["Acme", "Globex"]);

    let err = refused(s, |s| role::remove_role(s, &c.id, "Jane Counsel", "counsel"));
    assert!(matches!(err, Error::NotFound { kind: "case role", .. }), "{err:?}");
    says(&err, &["Jane Counsel", "counsel"]);
    let err = refused(s, |s| role::add_role(s, &c.id, "Acme", "judge", None));
    says(&err, &["'judge'"]);
    let err = refused(s, |s| role::add_role(s, "no-such-case", "Acme", "claimant", None));
    says(&err, &["no case 'no-such-case'"]);
}
