//! The regressions the model-based test of the merge found, each at its smallest.

use super::*;

/// Carla, who started a space, and Bob, who joined it, in step.
fn two() -> (Member, Member) {
    let server = MemoryServer::new();
    let space = uuid::Uuid::now_v7();
    let mut carla = started(&server, space);
    let mut bob = joined(&server, space, &mut carla, "Bob", "editor");
    bob.sync().expect("bob in step");
    (carla, bob)
}

/// Guards the order of an allegation's status history on a replica that takes it in (seed
/// 174328445657613918): the rows were put in the order of their text, "admitted" before "alleged".
#[test]
fn team_model_status_history_keeps_its_raising_first_on_every_replica() {
    let (mut carla, mut bob) = two();
    let e = event(carla.store(), "falcon", "Meeting", "2023-05-10");
    let a = allegation(carla.store(), "falcon", "Twitter", "Microsoft", &e.id, "Unpaid fee");
    let status = StatusInput { status: "admitted".into(), date: "2024-01-02".into(), ..Default::default() };
    allegation::set_status(carla.store(), &a.id, &status).expect("status");
    carla.sync().expect("send");
    bob.sync().expect("take in");
    let history = |m: &Member| -> Vec<String> {
        let a = allegation::get(m.fx.store.reader(), &a.id).expect("allegation");
        a.history.iter().map(|h| h.status.as_str().to_string()).collect()
    };
    assert_eq!(history(&bob), vec!["alleged", "admitted"]);
    assert_eq!(history(&bob), history(&carla));
    let falcon = |m: &Member| {
        comparable(&bundle::export_json(m.fx.store.reader(), "falcon", Contents::RECORDS).expect("bundle"))
    };
    assert_eq!(falcon(&bob), falcon(&carla));
}

fn case_input(m: &Member) -> CaseInput {
    case::get(m.fx.store.reader(), "falcon").expect("case").to_input()
}

/// Guards a member's first conflict on a record against their second on it: the second used to take
/// the first's place, and the change that made the first was gone from everywhere.
#[test]
fn team_model_a_second_conflict_on_a_record_keeps_the_first_change() {
    let (mut carla, mut bob) = two();
    for (m, title) in [(&mut carla, "Carla's title"), (&mut bob, "Bob's title")] {
        let input = CaseInput { title: title.into(), ..case_input(m) };
        case::update(m.store(), "falcon", &input).expect("title");
    }
    carla.sync().expect("carla first");
    assert_eq!(bob.sync().expect("bob second").conflicts, 1);
    for (m, summary) in [(&mut carla, "Carla's summary"), (&mut bob, "Bob's summary")] {
        let input = CaseInput { summary: summary.into(), ..case_input(m) };
        case::update(m.store(), "falcon", &input).expect("summary");
    }
    carla.sync().expect("carla first");
    bob.sync().expect("bob second");
    let conflicts = local::conflicts(bob.fx.store.reader()).expect("conflicts");
    assert_eq!(conflicts.len(), 1, "one record, one conflict");
    let mine = conflicts[0].mine.as_deref().expect("mine");
    assert!(mine.contains("Bob's title") && mine.contains("Bob's summary"), "both of Bob's changes wait: {mine}");
}
