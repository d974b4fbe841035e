//! What a letter asks to be answered by: a typed deadline, or one counted by rule (a period from
//! receipt, or from or back from an event of the case, in a court's calendar,
//! [`crate::date::deadline`]) and recomputed whenever the letter or its event changes; the deadlines
//! of a case, and those coming up across every case still being worked.

use rusqlite::params;
use serde::Serialize;

use super::LetterInput;
use crate::date::deadline::{Calendar, Rule, Unit};
use crate::date::{FuzzyDate, Lang};
use crate::error::{Error, Result};
use crate::input;
use crate::store::{Reader, Writer};
use crate::vocabulary::DeadlineState;

/// The rule a letter's input asks its deadline to be counted by, if any.
pub(super) fn rule(input: &LetterInput) -> Result<Option<Rule>> {
    let period = input.deadline_rule.trim();
    let event = !input.deadline_event.trim().is_empty();
    if period.is_empty() {
        let given = [
            ("deadline_event", event),
            ("deadline_before", input.deadline_before),
            ("deadline_mail", input.deadline_mail),
        ];
        return match given.into_iter().find(|(_, set)| *set) {
            Some((field, _)) => Err(Error::rule(
                field,
                "needs_rule",
                None,
                "belongs to a deadline counted by rule: give the period (15d, 10bd, 2w, 1m), or leave it out",
            )),
            None => Ok(None),
        };
    }
    if input.deadline_before && !event {
        return Err(Error::rule(
            "deadline_before",
            "before_needs_event",
            None,
            "a deadline is counted back from an event (a hearing): name the event it comes before",
        ));
    }
    input::rule(
        ("deadline_rule", period),
        ("calendar", &input.calendar),
        input.deadline_before,
        ("deadline_mail", input.deadline_mail),
    )
    .map(Some)
}

/// The date of the event `key` a letter of `case_id` counts its deadline from; `None` for none.
pub(crate) fn event_date(db: &Reader, key: &str, case_id: &str) -> Result<Option<FuzzyDate>> {
    let key = key.trim();
    if key.is_empty() {
        return Ok(None);
    }
    let (case, date): (String, String) = db
        .optional("SELECT case_id, date FROM event WHERE id = ?1", [key], |r| Ok((r.get(0)?, r.get(1)?)))?
        .ok_or_else(|| Error::not_found("event", key))?;
    if case != case_id {
        return Err(Error::rule(
            "deadline_event",
            "other_case",
            key.to_string(),
            format!("event '{key}' belongs to another case"),
        ));
    }
    input::date("deadline_event", &date).map(Some)
}

/// The letter's deadline: typed, or counted by `rule` from `trigger`. A typed deadline beside a rule
/// must be the one the rule gives (an edit form sends both back). `trigger` is `None` only for a
/// bundle's letter whose event the bundle writes after it: the bundle's deadline stands until the
/// event is in and counts it again ([`recount_from_event`]).
pub(super) fn deadline(
    input: &LetterInput,
    rule: Option<&Rule>,
    trigger: Option<&FuzzyDate>,
) -> Result<Option<FuzzyDate>> {
    let typed = input::opt_date("deadline", &input.deadline)?;
    let (Some(rule), Some(trigger)) = (rule, trigger) else { return Ok(typed) };
    let field = if input.deadline_event.trim().is_empty() { "deadline_rule" } else { "deadline_event" };
    let due = input::deadline_from(field, trigger, rule)?;
    match typed {
        Some(t) if t != due => Err(Error::rule(
            "deadline",
            "deadline_and_rule",
            t.to_string(),
            format!("the deadline is counted by its rule ('{due}'): leave '{t}' out, or remove the rule"),
        )),
        _ => Ok(Some(due)),
    }
}

/// A letter whose deadline rule counts from an event, as the event's panel lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CountedFrom {
    pub letter_id: String,
    pub subject: String,
    pub deadline: Option<String>,
}

/// The letters whose deadline counts from the event `event_id`, soonest deadline first: what moves
/// when the event does.
pub fn counted_from(db: &Reader, event_id: &str) -> Result<Vec<CountedFrom>> {
    db.all(
        "SELECT id, subject, deadline FROM letter WHERE deadline_event = ?1
          ORDER BY deadline_sort, deadline_rank, id",
        [event_id],
        |r| Ok(CountedFrom { letter_id: r.get(0)?, subject: r.get(1)?, deadline: r.get(2)? }),
    )
}

/// Counts again, in the write that changed the event `event_id`, the deadlines of the letters whose
/// rule counts from it; a letter the new date no longer suits refuses the change, naming it.
pub(crate) fn recount_from_event(w: &Writer<'_>, event_id: &str) -> Result<()> {
    for id in w.strings("SELECT id FROM letter WHERE deadline_event = ?1 ORDER BY id", [event_id])? {
        let letter = super::get(w, &id)?;
        let place = format!("letter '{}' (its deadline counts from this event):", input::shorten(&letter.subject));
        let v = super::validate(w, &letter.to_input(), Some(&id)).map_err(|e| e.within(&place))?;
        super::update_row(w, &id, &v)?;
    }
    Ok(())
}

/// The deadline to send back as typed with a letter's input: none when a rule counts it, since the
/// rule gives it again from the trigger as it then is (an edit, a bundle's import).
pub(crate) fn typed(deadline: Option<&str>, rule: Option<&str>) -> String {
    match rule {
        Some(_) => String::new(),
        None => deadline.unwrap_or_default().to_string(),
    }
}

/// A response deadline set by a letter, and whether it is still open.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deadline {
    pub letter_id: String,
    pub subject: String,
    pub sender: String,
    pub deadline: String,
    pub deadline_en: String,
    pub deadline_fr: String,
    /// How it is counted, in words ("15 days from receipt, France"), when a rule counts it.
    pub rule_en: Option<String>,
    pub rule_fr: Option<String>,
    /// Answered (a later letter replies to it), overdue (unanswered and the whole deadline window has
    /// passed), or open.
    pub state: DeadlineState,
}

/// A deadline with the case it belongs to, for the list of what is coming up across cases.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Upcoming {
    pub case_slug: String,
    pub case_title: String,
    pub deadline: Deadline,
    /// Whole days from today to the deadline's first day (negative once it has begun or passed).
    pub days_left: i64,
}

/// The columns [`row`] reads, from `letter l` joined to its sender `p`.
fn columns() -> String {
    format!("l.id, l.subject, p.name, l.deadline, l.deadline_hi, EXISTS (SELECT 1 FROM letter r WHERE r.in_reply_to = l.id), {COUNTED}")
}

/// The response deadlines of a case, soonest first.
pub fn deadlines(db: &Reader, case_id: &str) -> Result<Vec<Deadline>> {
    let now = chrono::Utc::now().timestamp();
    let sql = format!(
        "SELECT {} FROM letter l JOIN party p ON p.id = l.sender_party_id
          WHERE l.case_id = ?1 AND l.deadline IS NOT NULL
          ORDER BY l.deadline_sort, l.deadline_rank, l.id",
        columns()
    );
    let rows = db.all(&sql, [case_id], |r| row(r, 0))?;
    rows.into_iter().map(|r| r.deadline(now)).collect()
}

/// How long a deadline that passed unanswered stays in [`upcoming`]: a quarter. One missed years ago
/// (a generated or imported history is full of them) is history, not something to answer.
pub const OVERDUE_KEPT_DAYS: i64 = 90;

/// The unanswered deadlines of every case still being worked (not settled or closed) that begin
/// within `within_days` of `now` (Unix seconds), with those that passed in the last
/// [`OVERDUE_KEPT_DAYS`], soonest first.
pub fn upcoming(db: &Reader, now: i64, within_days: u32) -> Result<Vec<Upcoming>> {
    let until = now + i64::from(within_days) * 86_400;
    let since = now - OVERDUE_KEPT_DAYS * 86_400;
    let sql = format!(
        "SELECT c.slug, c.title, l.deadline_lo, {}
           FROM letter l JOIN party p ON p.id = l.sender_party_id JOIN case_file c ON c.id = l.case_id
          WHERE l.deadline IS NOT NULL AND c.status NOT IN ('settled', 'closed')
            AND NOT EXISTS (SELECT 1 FROM letter r WHERE r.in_reply_to = l.id)
            AND l.deadline_lo IS NOT NULL AND l.deadline_lo < ?1 AND (l.deadline_hi IS NULL OR l.deadline_hi > ?2)
          ORDER BY l.deadline_sort, l.deadline_rank, l.id",
        columns()
    );
    let rows = db.all(&sql, params![until, since], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, row(r, 3)?))
    })?;
    rows.into_iter()
        .map(|(case_slug, case_title, lo, row)| {
            Ok(Upcoming { case_slug, case_title, deadline: row.deadline(now)?, days_left: days_between(now, lo) })
        })
        .collect()
}

/// [`upcoming`] from this moment: what the case list, `dossier upcoming` and the reminders show.
pub fn upcoming_now(db: &Reader, within_days: u32) -> Result<Vec<Upcoming>> {
    upcoming(db, chrono::Utc::now().timestamp(), within_days)
}

/// Whole days from the day of `now` to the day of `then` (both Unix seconds, UTC).
fn days_between(now: i64, then: i64) -> i64 {
    then.div_euclid(86_400) - now.div_euclid(86_400)
}

/// One deadline as read, before it is put in words.
struct Row {
    letter_id: String,
    subject: String,
    sender: String,
    deadline: String,
    hi: Option<i64>,
    answered: bool,
    counted: Counted,
}

fn row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Row> {
    Ok(Row {
        letter_id: r.get(first)?,
        subject: r.get(first + 1)?,
        sender: r.get(first + 2)?,
        deadline: r.get(first + 3)?,
        hi: r.get(first + 4)?,
        answered: r.get(first + 5)?,
        counted: Counted::read(r, first + 6)?,
    })
}

impl Row {
    fn deadline(self, now: i64) -> Result<Deadline> {
        let d = input::date("deadline", &self.deadline)?;
        Ok(Deadline {
            letter_id: self.letter_id,
            subject: self.subject,
            sender: self.sender,
            deadline_en: d.display(Lang::En),
            deadline_fr: d.display(Lang::Fr),
            deadline: self.deadline,
            rule_en: self.counted.words(Lang::En),
            rule_fr: self.counted.words(Lang::Fr),
            state: if self.answered {
                DeadlineState::Answered
            } else if self.hi.is_some_and(|hi| hi <= now) {
                DeadlineState::Overdue
            } else {
                DeadlineState::Open
            },
        })
    }
}

/// A stored rule as read with its letter: the period (`15d`), the calendar (`fr`), whether it counts
/// back, adds the days for mail, and the title of the event it counts from.
#[derive(Debug, Clone, Default)]
pub(super) struct Counted {
    pub(super) period: Option<String>,
    pub(super) calendar: Option<String>,
    pub(super) before: bool,
    pub(super) mail: bool,
    pub(super) event: Option<String>,
}

/// The columns [`Counted::read`] reads, from `letter l`.
pub(super) const COUNTED: &str = "l.deadline_rule, l.deadline_calendar, l.deadline_before, l.deadline_mail,
     (SELECT title FROM event WHERE id = l.deadline_event)";

impl Counted {
    pub(super) fn read(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Counted> {
        Ok(Counted {
            period: r.get(first)?,
            calendar: r.get(first + 1)?,
            before: r.get(first + 2)?,
            mail: r.get(first + 3)?,
            event: r.get(first + 4)?,
        })
    }

    /// The rule in words, or `None` when the deadline is typed.
    pub(super) fn words(&self, lang: Lang) -> Option<String> {
        let period = crate::date::deadline::Period::parse(self.period.as_deref()?)?;
        let calendar = Calendar::parse(self.calendar.as_deref()?)?;
        let rule = Rule { period, calendar, before: self.before, mail: self.mail };
        Some(rule_words(&rule, self.event.as_deref(), lang))
    }
}

/// "15 days from receipt, France", "10 business days before the event 'Hearing', US federal courts,
/// plus 3 days for service by mail" / « 15 jours à compter de la réception, France ».
pub fn rule_words(rule: &Rule, event: Option<&str>, lang: Lang) -> String {
    let period = rule.period;
    let n = period.count;
    let unit = unit_words(period.unit, n == 1, lang);
    let place = match (lang, rule.calendar) {
        (Lang::En, Calendar::Fr) => "France",
        (Lang::En, Calendar::Ew) => "England & Wales",
        (Lang::En, Calendar::Us) => "US federal courts",
        (Lang::Fr, Calendar::Fr) => "France",
        (Lang::Fr, Calendar::Ew) => "Angleterre et pays de Galles",
        (Lang::Fr, Calendar::Us) => "tribunaux fédéraux des États-Unis",
    };
    let from = match (lang, event, rule.before) {
        (Lang::En, None, _) => "from receipt".to_string(),
        (Lang::En, Some(e), false) => format!("from the event '{e}'"),
        (Lang::En, Some(e), true) => format!("before the event '{e}'"),
        (Lang::Fr, None, _) => "à compter de la réception".to_string(),
        (Lang::Fr, Some(e), false) => format!("à compter de l’événement « {e} »"),
        (Lang::Fr, Some(e), true) => format!("avant l’événement « {e} »"),
    };
    let mail = match (lang, rule.mail) {
        (_, false) => "",
        (Lang::En, true) => ", plus 3 days for service by mail",
        (Lang::Fr, true) => ", plus 3 jours pour signification par courrier",
    };
    format!("{n} {unit} {from}, {place}{mail}")
}

fn unit_words(unit: Unit, one: bool, lang: Lang) -> &'static str {
    match (lang, unit, one) {
        (Lang::En, Unit::Days, true) => "day",
        (Lang::En, Unit::Days, false) => "days",
        (Lang::En, Unit::BusinessDays, true) => "business day",
        (Lang::En, Unit::BusinessDays, false) => "business days",
        (Lang::En, Unit::Weeks, true) => "week",
        (Lang::En, Unit::Weeks, false) => "weeks",
        (Lang::En, Unit::Months, true) => "month",
        (Lang::En, Unit::Months, false) => "months",
        (Lang::Fr, Unit::Days, true) => "jour",
        (Lang::Fr, Unit::Days, false) => "jours",
        (Lang::Fr, Unit::BusinessDays, true) => "jour ouvré",
        (Lang::Fr, Unit::BusinessDays, false) => "jours ouvrés",
        (Lang::Fr, Unit::Weeks, true) => "semaine",
        (Lang::Fr, Unit::Weeks, false) => "semaines",
        (Lang::Fr, Unit::Months, _) => "mois",
    }
}
