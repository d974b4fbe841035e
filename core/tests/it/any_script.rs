//! Any script found, as a new user tries it: words are found inside Chinese and Japanese text, which
//! has no spaces; Russian and German words find their other forms; Greek and German spellings that
//! differ only by case folding find each other.

use crate::common::*;
use dossier_core::view::search::{search, Hit};
use dossier_core::Store;

fn hits(s: &Store, query: &str) -> Vec<Hit> {
    search(s.reader(), query, None, 50).unwrap_or_else(|e| panic!("search {query:?}: {e}"))
}

fn titles(s: &Store, query: &str) -> Vec<String> {
    hits(s, query).into_iter().map(|h| h.title).collect()
}

fn marked(hit: &Hit) -> Vec<&str> {
    hit.snippet.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect()
}

/// A case "c" holding one event per title.
fn with_events(titles: &[&str]) -> Fixture {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    for title in titles {
        event(&mut fx.store, "c", title, "2024");
    }
    fx
}

#[test]
fn words_are_found_inside_japanese_and_chinese_text() {
    let fx =
        with_events(&["株式会社が訴訟を提起した", "公司向法院提起诉讼", "Twitter社がMicrosoftを提訴", "会議の記録"]);
    for word in ["訴訟", "株式会社", "提起した"] {
        assert_eq!(titles(&fx.store, word), ["株式会社が訴訟を提起した"], "{word}");
    }
    assert_eq!(titles(&fx.store, "诉讼"), ["公司向法院提起诉讼"], "Chinese");
    let both = titles(&fx.store, "提起");
    assert!(both.len() == 2 && !both.contains(&"会議の記録".to_string()), "{both:?}");
    // A Latin word glued to Japanese is found too.
    assert_eq!(titles(&fx.store, "microsoft"), ["Twitter社がMicrosoftを提訴"]);
    // The snippet marks the word where it stands.
    let hit = &hits(&fx.store, "訴訟")[0];
    assert_eq!(marked(hit), ["訴訟"], "{:?}", hit.snippet);
    let text: String = hit.snippet.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(text, "株式会社が訴訟を提起した");
}

#[test]
fn japanese_queries_keep_phrases_prefixes_and_exclusions() {
    let fx = with_events(&["株式会社が訴訟を提起した", "訴訟の和解", "訴状を送付した"]);
    assert_eq!(titles(&fx.store, "\"訴訟を提起\""), ["株式会社が訴訟を提起した"], "a phrase");
    assert!(titles(&fx.store, "\"訴訟 提起\"").is_empty(), "a phrase stays as typed");
    let mut prefixed = titles(&fx.store, "訴*");
    prefixed.sort();
    assert_eq!(prefixed, ["株式会社が訴訟を提起した", "訴状を送付した", "訴訟の和解"], "a prefix of one character");
    assert_eq!(titles(&fx.store, "訴訟 -株式会社"), ["訴訟の和解"], "an exclusion");
    assert_eq!(titles(&fx.store, "和解 訴訟"), ["訴訟の和解"], "every word must be there");
    // One character is found at the end of a run as well as inside it.
    let mut one = titles(&fx.store, "解");
    one.sort();
    assert_eq!(one, ["訴訟の和解"]);
}

#[test]
fn russian_words_find_their_other_forms() {
    let fx = with_events(&["Газпром подал иски против компании", "Встреча с юристами"]);
    assert_eq!(titles(&fx.store, "иск"), ["Газпром подал иски против компании"], "the plural from the singular");
    assert_eq!(titles(&fx.store, "Газпрома"), ["Газпром подал иски против компании"], "another case of the noun");
    assert_eq!(titles(&fx.store, "компания"), ["Газпром подал иски против компании"]);
    let hit = &hits(&fx.store, "иск")[0];
    assert_eq!(marked(hit), ["иски"], "{:?}", hit.snippet);
    assert!(titles(&fx.store, "встреча -юристами").is_empty(), "an exclusion still applies");
}

#[test]
fn german_words_find_their_other_forms_and_english_and_french_stay_apart() {
    let fx = with_events(&[
        "Die Verträge wurden von der Gesellschaft gekündigt",
        "Le contrat a été résilié contre l'avis du conseil",
        "The licensee exceeded the rate limits",
    ]);
    assert_eq!(titles(&fx.store, "Vertrag"), ["Die Verträge wurden von der Gesellschaft gekündigt"]);
    assert_eq!(titles(&fx.store, "Gesellschaften"), ["Die Verträge wurden von der Gesellschaft gekündigt"]);
    // A word stemmed in a language other than the text's does not find it: "contrat" cut as Italian
    // or Spanish would be "contr", the French stem of "contre".
    assert_eq!(titles(&fx.store, "contrat"), ["Le contrat a été résilié contre l'avis du conseil"]);
    assert_eq!(titles(&fx.store, "contratos"), Vec::<String>::new(), "Spanish forms meet only Spanish text");
    assert_eq!(titles(&fx.store, "rate limit"), ["The licensee exceeded the rate limits"]);
}

#[test]
fn greek_case_folding_finds_every_sigma() {
    let fx = with_events(&["Η ΟΔΟΣ ΤΟΥ ΔΙΚΑΣΤΗΡΙΟΥ", "Συνάντηση με τους δικηγόρους"]);
    assert_eq!(titles(&fx.store, "οδός"), ["Η ΟΔΟΣ ΤΟΥ ΔΙΚΑΣΤΗΡΙΟΥ"], "final sigma finds capital sigma");
    let fx = with_events(&["Ο δρόμος της δίκης"]);
    assert_eq!(titles(&fx.store, "ΔΡΟΜΟΣ"), ["Ο δρόμος της δίκης"], "capital sigma finds final sigma");
    assert_eq!(titles(&fx.store, "δρομοσ"), ["Ο δρόμος της δίκης"], "and the sigma written inside a word");
}

#[test]
fn german_sharp_s_is_ss() {
    let fx = with_events(&["Klage wegen der Straße in Berlin", "Die STRASSE war gesperrt"]);
    let mut found = titles(&fx.store, "Strasse");
    found.sort();
    assert_eq!(found, ["Die STRASSE war gesperrt", "Klage wegen der Straße in Berlin"]);
    let mut found = titles(&fx.store, "straße");
    found.sort();
    assert_eq!(found, ["Die STRASSE war gesperrt", "Klage wegen der Straße in Berlin"]);
}

#[test]
fn check_stays_clean_with_text_in_every_script() {
    let fx = with_events(&["株式会社が訴訟を提起した", "Газпром подал иски", "Die Verträge", "Η ΟΔΟΣ"]);
    let path = fx.db_path();
    drop(fx.store);
    let report = checked(&path);
    assert!(messages(&report).is_empty(), "{:?}", messages(&report));
}
