//! Events.

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::Error;

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
    assert_eq!(e.attributions[0].describe(Lang::En), "Twitter (reported), reported by New York Times — announcement");
    assert_eq!(e.attributions[1].describe(Lang::En), "reported by New York Times (rumoured)");
    // The app lays out the same words, in pieces around the certainty, in both languages.
    let fr = &e.attributions[0].fr;
    assert_eq!(
        (fr.before.as_str(), fr.certainty.as_str(), fr.after.as_str()),
        ("Twitter (", "rapporté", "), rapporté par New York Times — announcement")
    );
    assert_eq!(e.attributions[1].describe(Lang::Fr), "rapporté par New York Times (rumeur)");
    // A copy that withholds a party says the stand-in everywhere, the app's wording included.
    let mut held = e.attributions[0].clone();
    held.withhold(|id| id == twitter.id, "a source");
    assert_eq!(held.describe(Lang::En), "a source (reported), reported by New York Times — announcement");
    assert!(!format!("{:?}{:?}", held.en, held.fr).contains("Twitter"), "{held:?}");

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
