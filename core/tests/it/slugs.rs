//! Slugs from titles in any script, as a new user tries it: a case titled in Arabic, Russian or
//! Japanese gets a slug without being asked for one, and a slug the user typed is checked as typed.

use crate::common::*;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::{Error, Store};

fn add_case(store: &mut Store, title: &str) -> Result<String, Error> {
    case::create(store, &CaseInput { title: title.into(), ..Default::default() }).map(|c| c.slug)
}

fn is_fallback(slug: &str) -> bool {
    slug.strip_prefix("case-").is_some_and(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[test]
fn a_title_in_any_script_makes_a_slug() {
    let mut fx = fresh();
    assert_eq!(add_case(&mut fx.store, "Дело Газпром").expect("Cyrillic"), "delo-gazprom");
    assert_eq!(add_case(&mut fx.store, "Ünïcødé").expect("accents"), "unicode");
    assert_eq!(add_case(&mut fx.store, "Société Générale").expect("French"), "societe-generale");
    let arabic = add_case(&mut fx.store, "القضية").expect("Arabic");
    let japanese = add_case(&mut fx.store, "株式会社 訴訟").expect("Japanese");
    assert!(is_fallback(&arabic), "{arabic}");
    assert!(is_fallback(&japanese), "{japanese}");
    assert_ne!(arabic, japanese);
    // The slug names the case from then on.
    assert_eq!(case::get(fx.store.reader(), &japanese).expect("found by its slug").title, "株式会社 訴訟");
    // The same title always gives the same slug; a second case of that title is not refused for a
    // slug nobody typed: it gets the next number.
    assert_eq!(case::slug_for("株式会社 訴訟"), japanese);
    assert_eq!(add_case(&mut fx.store, "株式会社 訴訟").expect("a second case"), format!("{japanese}-2"));
    assert_eq!(add_case(&mut fx.store, "Дело Газпром").expect("a second case"), "delo-gazprom-2");
    // A slug the user typed that is taken is refused, naming it.
    let typed = CaseInput { title: "Другое дело".into(), slug: "delo-gazprom".into(), ..Default::default() };
    let again = case::create(&mut fx.store, &typed).expect_err("taken");
    assert!(matches!(again, Error::Conflict(_)), "{again:?}");
    says(&again, &["delo-gazprom", "already exists"]);
    // What can be spelled is kept before the hash when a part cannot.
    let mixed = add_case(&mut fx.store, "Twitter 対 Microsoft").expect("mixed");
    assert!(mixed.starts_with("twitter-microsoft-") && mixed.len() == "twitter-microsoft-".len() + 6, "{mixed}");
    // A slug the user typed is still checked as typed.
    let typed =
        case::create(&mut fx.store, &CaseInput { title: "Дело".into(), slug: "Дело".into(), ..Default::default() })
            .expect_err("a typed slug that is not ASCII");
    says(&typed, &["must be 1 to 80 lower-case letters"]);
}
