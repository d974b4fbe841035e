//! Desktop reminders of the deadlines coming up: when the app starts and every hour after, each
//! unanswered deadline of a case still being worked that begins within [`REMIND_DAYS`] days is
//! announced once by a system notification, and once more when it becomes overdue or its date
//! changes. What was announced is kept in memory only: a notification names no more than the page
//! shows, and nothing about the record is written outside the database (a restart reminds again).
//!
//! The list is the core's (`letter::upcoming`); the shell only words and sends it. A database still
//! locked by its passphrase is left alone until it is unlocked.

use std::collections::HashSet;
use std::time::Duration;

use dossier_core::date::Lang;
use dossier_core::record::letter::{self, Upcoming};
use dossier_core::vocabulary::DeadlineState;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

/// How many days ahead a deadline is announced.
pub const REMIND_DAYS: u32 = 3;
/// How often the deadlines are looked at again.
const EVERY: Duration = Duration::from_secs(3_600);

/// Starts the reminders on a thread of their own.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        let mut announced = HashSet::new();
        let lang = system_lang();
        loop {
            remind(&app, &mut announced, lang);
            std::thread::sleep(EVERY);
        }
    });
}

fn remind(app: &AppHandle, announced: &mut HashSet<String>, lang: Lang) {
    let state = app.state::<AppState>();
    // Locked, or unreadable for now: nothing to announce until it opens.
    let Ok(coming) = state.blocking(|s| letter::upcoming_now(s.reader(), REMIND_DAYS)) else { return };
    for u in to_announce(&coming, announced) {
        let (title, body) = words(u, lang);
        // No notification service (a bare X server, a headless session): the Upcoming list still
        // shows it, so a failed notification is not an error worth a dialog.
        if let Err(e) = app.notification().builder().title(title).body(body).show() {
            eprintln!("dossier: reminder not shown: {e}");
        }
        announced.insert(key(u));
    }
}

/// The deadlines of `coming` not announced yet in their present date and state.
fn to_announce<'a>(coming: &'a [Upcoming], announced: &HashSet<String>) -> Vec<&'a Upcoming> {
    coming.iter().filter(|u| !announced.contains(&key(u))).collect()
}

fn key(u: &Upcoming) -> String {
    let d = &u.deadline;
    format!("{}\u{1f}{}\u{1f}{}", d.letter_id, d.deadline, d.state == DeadlineState::Overdue)
}

/// The notification's title and body: when the reply is due, then the case, the letter and the date.
fn words(u: &Upcoming, lang: Lang) -> (String, String) {
    let d = &u.deadline;
    let overdue = d.state == DeadlineState::Overdue || u.days_left < 0;
    let title = match (lang, overdue, u.days_left) {
        (Lang::Fr, true, _) => "Réponse en retard".to_string(),
        (Lang::Fr, false, 0) => "Réponse attendue aujourd’hui".to_string(),
        (Lang::Fr, false, 1) => "Réponse attendue demain".to_string(),
        (Lang::Fr, false, n) => format!("Réponse attendue dans {n} jours"),
        (Lang::En, true, _) => "Reply overdue".to_string(),
        (Lang::En, false, 0) => "Reply due today".to_string(),
        (Lang::En, false, 1) => "Reply due tomorrow".to_string(),
        (Lang::En, false, n) => format!("Reply due in {n} days"),
    };
    let date = if lang == Lang::Fr { &d.deadline_fr } else { &d.deadline_en };
    (title, format!("{} — {}: {} ({date})", u.case_title, d.sender, d.subject))
}

/// French when the session's locale is French, else English.
fn system_lang() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    if locale.is_some_and(|l| l.starts_with("fr")) {
        Lang::Fr
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_core::record::letter::Deadline;

    fn upcoming(id: &str, deadline: &str, state: DeadlineState, days_left: i64) -> Upcoming {
        Upcoming {
            case_slug: "acme".into(),
            case_title: "Acme v Widget".into(),
            deadline: Deadline {
                letter_id: id.into(),
                subject: "Demand for audit".into(),
                sender: "Acme".into(),
                deadline: deadline.into(),
                deadline_en: "2 May 2024".into(),
                deadline_fr: "2 mai 2024".into(),
                rule_en: None,
                rule_fr: None,
                state,
            },
            days_left,
        }
    }

    /// Guards: each deadline is announced once, and again only when its date moves or it falls due.
    #[test]
    fn a_deadline_is_announced_once_per_date_and_state() {
        let mut announced = HashSet::new();
        let first = [upcoming("a", "2024-05-02", DeadlineState::Open, 2)];
        assert_eq!(to_announce(&first, &announced).len(), 1);
        announced.insert(key(&first[0]));
        assert!(to_announce(&first, &announced).is_empty(), "not twice");
        let moved = [upcoming("a", "2024-05-03", DeadlineState::Open, 3)];
        assert_eq!(to_announce(&moved, &announced).len(), 1, "a new date is announced");
        let late = [upcoming("a", "2024-05-02", DeadlineState::Overdue, -1)];
        assert_eq!(to_announce(&late, &announced).len(), 1, "overdue is announced");
    }

    #[test]
    fn the_words_say_when_in_the_session_language() {
        let soon = upcoming("a", "2024-05-02", DeadlineState::Open, 2);
        assert_eq!(
            words(&soon, Lang::En),
            ("Reply due in 2 days".to_string(), "Acme v Widget — Acme: Demand for audit (2 May 2024)".to_string())
        );
        assert_eq!(words(&soon, Lang::Fr).0, "Réponse attendue dans 2 jours");
        assert!(words(&soon, Lang::Fr).1.ends_with("(2 mai 2024)"));
        let late = upcoming("a", "2024-05-02", DeadlineState::Overdue, -3);
        assert_eq!(words(&late, Lang::Fr).0, "Réponse en retard");
    }
}
