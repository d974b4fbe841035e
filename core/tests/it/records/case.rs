//! Cases.

use crate::common::*;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::Error;

/// Guards: a case left without a slug is named after its title, in lower-case ASCII with dashes.
#[test]
fn case_slug_is_made_from_the_title() {
    let mut fx = fresh();
    let mut check = |title: &str, slug: &str| {
        let c = case::create(&mut fx.store, &CaseInput { title: title.into(), ..Default::default() })
            .unwrap_or_else(|e| panic!("create case {title:?}: {e}"));
        assert_eq!(c.slug, slug, "slug of {title:?}");
        assert_eq!(c.title, title.trim(), "title of {title:?} is kept as typed, trimmed");
        assert_eq!(case::get(fx.store.reader(), slug).expect("found by its slug").id, c.id);
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
    assert_eq!(case::get(fx.store.reader(), &c.id).expect("by id").slug, "acme-v-globex");

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
    let err = case::get(fx.store.reader(), &c.id).expect_err("deleted case");
    assert!(matches!(err, Error::NotFound { kind: "case", .. }), "{err:?}");
    assert_eq!(count(&fx.store, "SELECT count(*) FROM record"), 0, "its registry row is gone too");
    assert_eq!(count(&fx.store, "SELECT count(*) FROM case_tag"), 0, "its tags are gone too");
}
