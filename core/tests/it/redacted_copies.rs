//! A redacted copy and its original as their panels read them (issue 25, the viewer's redaction): the
//! copy names its original and its boxes' reasons, the original lists its copies, and other evidence
//! says neither.

use dossier_core::generate::documents::text_pdf;
use dossier_core::record::evidence::redact::{self, BoxInput, RedactInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::vocabulary::RedactionReason;

use crate::common::*;

#[test]
fn a_copy_names_its_original_and_the_original_lists_its_copies() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let path = fx.dir.path().join("offer.pdf");
    std::fs::write(&path, text_pdf(&["Settlement offered by Jane Roe to Acme."])).expect("write");
    let original = evidence::add_file(
        &mut fx.store,
        &FileInput { case: "c".into(), path, title: "Offer".into(), ..Default::default() },
    )
    .expect("add");
    assert!(original.redacted_from.is_none() && original.redacted_copies.is_empty());

    let boxes = vec![
        BoxInput {
            page: 1,
            x: 100.0,
            y: 60.0,
            width: 80.0,
            height: 20.0,
            reason: "third_party".into(),
            ..Default::default()
        },
        BoxInput {
            page: 1,
            x: 10.0,
            y: 10.0,
            width: 20.0,
            height: 20.0,
            reason: "other".into(),
            note: "a price".into(),
        },
    ];
    let copy = redact::redact(&mut fx.store, &RedactInput { evidence: original.id.clone(), boxes, lang: "en".into() })
        .expect("redact");

    let from = copy.redacted_from.as_ref().expect("the copy names its original");
    assert_eq!((from.original_id.as_str(), from.original_title.as_str()), (original.id.as_str(), "Offer"));
    let reasons: Vec<_> = from.boxes.iter().map(|b| (b.reason, b.note.as_str())).collect();
    assert_eq!(reasons, [(RedactionReason::ThirdParty, ""), (RedactionReason::Other, "a price")]);
    assert!(copy.redacted_copies.is_empty());

    let original = evidence::get(fx.store.reader(), &original.id).expect("the original");
    assert!(original.redacted_from.is_none());
    let listed: Vec<_> = original.redacted_copies.iter().map(|c| (c.id.as_str(), c.title.as_str())).collect();
    assert_eq!(listed, [(copy.id.as_str(), "Offer (redacted)")]);
}
