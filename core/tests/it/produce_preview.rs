//! What the app's Produce… and Hearing bundle… dialogs show before anything is made: the next
//! volume's numbering and what the selection takes, and the case's documents to choose from.

use std::path::Path;

use dossier_core::generate::documents::text_pdf;
use dossier_core::record::evidence::redact::{self, BoxInput, RedactInput};
use dossier_core::record::evidence::{self, Evidence, FileInput};
use dossier_core::record::privilege::{self, PrivilegeInput};
use dossier_core::store::Store;
use dossier_core::transfer::produce::preview::{documents, preview, ProducePreview};
use dossier_core::transfer::produce::{self, ProduceInput, Selection};
use dossier_core::transfer::progress::unwatched;

use crate::common::*;

fn add(s: &mut Store, dir: &Path, name: &str, bytes: &[u8], date: &str) -> Evidence {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    evidence::add_file(s, &FileInput { case: "c".into(), path, date: date.into(), ..Default::default() }).expect("add")
}

#[test]
fn the_preview_numbers_the_next_volume_and_counts_what_the_selection_takes() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let dir = fx.dir.path().to_path_buf();
    let input = ProduceInput { case: "c".into(), prefix: "ACME".into(), ..Default::default() };
    let none = preview(&fx.store, &input).expect("a case without documents previews");
    assert_eq!((none.volume.as_str(), none.first_bates.as_str(), none.documents), ("VOL001", "ACME000001", 0));

    let letter = add(&mut fx.store, &dir, "letter.pdf", &text_pdf(&["Letter", "Page two"]), "2023-03-01");
    let advice = add(&mut fx.store, &dir, "Société advice.pdf", &text_pdf(&["Advice"]), "2023-03-02");
    privilege::set(
        &mut fx.store,
        &advice.id,
        Some(&PrivilegeInput { basis: "legal_advice".into(), description: "Advice".into() }),
    )
    .expect("privileged");
    let offer = add(&mut fx.store, &dir, "offer.pdf", &text_pdf(&["Offer by Jane Roe"]), "2023-03-03");
    let boxed = BoxInput { page: 1, x: 140.0, y: 48.0, width: 80.0, height: 20.0, ..Default::default() };
    redact::redact(&mut fx.store, &RedactInput { evidence: offer.id.clone(), boxes: vec![boxed], lang: "en".into() })
        .expect("redact");
    add(&mut fx.store, &dir, "notes.txt", b"Notes on the fee.", "");

    let all = preview(&fx.store, &input).expect("preview");
    let expected = ProducePreview {
        volume: "VOL001".into(),
        first_bates: "ACME000001".into(),
        documents: 4,
        withheld: 1,
        redacted: 1,
        native: 1,
    };
    assert_eq!(all, expected);
    let chosen = ProduceInput {
        selection: Selection { evidence: vec![letter.id.clone()], ..Default::default() },
        digits: Some(4),
        ..input.clone()
    };
    let one = preview(&fx.store, &chosen).expect("preview");
    assert_eq!((one.first_bates.as_str(), one.documents, one.withheld), ("ACME0001", 1, 0));

    // After a volume of 5 pages (the letter's 2, a slip sheet each for the advice and the notes, the
    // offer's 1), the next continues the numbers.
    produce::produce(&mut fx.store, &input, &dir.join("out"), &unwatched).expect("produce");
    let next = preview(&fx.store, &input).expect("preview");
    assert_eq!((next.volume.as_str(), next.first_bates.as_str()), ("VOL002", "ACME000006"));
    let refused = preview(&fx.store, &ProduceInput { prefix: "AC ME".into(), ..input.clone() }).expect_err("prefix");
    says(&refused, &["prefix"]);

    // The documents offered: in date order, undated last, the redacted copy not listed apart.
    let listed = documents(&fx.store, "c", "", 0, 50).expect("documents");
    let rows: Vec<(&str, bool, bool)> =
        listed.items.iter().map(|d| (d.title.as_str(), d.privileged, d.redacted)).collect();
    assert_eq!(
        rows,
        [
            ("letter.pdf", false, false),
            ("Société advice.pdf", true, false),
            ("offer.pdf", false, true),
            ("notes.txt", false, false)
        ]
    );
    let found = documents(&fx.store, "c", "societe", 0, 50).expect("found by letters, accents ignored");
    assert_eq!((found.total, found.items[0].id.as_str()), (1, advice.id.as_str()));
}
