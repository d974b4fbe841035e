//! A new user's first case and first search in another script, from the command line: the case gets
//! a slug though its title has no Latin letter, and its words are found.

use crate::common::Db;

#[test]
fn a_case_titled_in_any_script_is_added_and_its_words_are_found() {
    let db = Db::new();
    for (title, slug) in [
        ("Дело Газпром", Some("delo-gazprom")),
        ("Ünïcødé", Some("unicode")),
        ("القضية", None),
        ("株式会社 訴訟", None),
    ] {
        let printed = db.ok(&["case", "add", "--title", title]);
        let printed = printed.trim();
        match slug {
            Some(slug) => assert_eq!(printed, slug, "{title}"),
            None => assert!(
                printed.strip_prefix("case-").is_some_and(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit())),
                "{title}: {printed}"
            ),
        }
        assert!(db.ok(&["case", "list"]).contains(printed), "{title}: the slug names the case");
    }
    let (code, stderr) = db.err(&["case", "add", "--title", "Дело", "--slug", "Дело"]);
    assert_eq!(code, 2, "a slug the user typed is still refused as typed: {stderr}");

    db.ok(&["event", "add", "delo-gazprom", "--date", "2024", "--title", "Газпром подал иски против компании"]);
    db.ok(&["event", "add", "delo-gazprom", "--date", "2024", "--title", "株式会社が訴訟を提起した"]);
    for (query, marked) in
        [("иск", "[иски]"), ("Газпрома", "[Газпром]"), ("訴訟", "[訴訟]"), ("株式会社", "[株式会社]")]
    {
        let out = db.ok(&["search", query]);
        assert!(out.contains(marked), "{query}: {out}");
    }
}
