//! What a letter asks to be answered by: a typed deadline, or one counted by rule (a period from
//! receipt in a court's calendar, [`crate::date::deadline`]) and recomputed whenever the letter
//! changes; the deadlines of a case, and those coming up across every case still being worked.

use rusqlite::params;
use serde::Serialize;

use super::LetterInput;
use crate::date::deadline::{Calendar, Rule, Unit};
use crate::date::{FuzzyDate, Lang};
use crate::error::{Error, Result};
use crate::input;
use crate::store::Reader;
use crate::vocabulary::DeadlineState;

/// The rule a letter's input asks its deadline to be counted by, if any.
pub(super) fn rule(input: &LetterInput) -> Result<Option<Rule>> {
    match input.deadline_rule.trim() {
        "" => Ok(None),
        period => Ok(Some(Rule {
            period: input::period("deadline_rule", period)?,
            calendar: input::calendar("calendar", &input.calendar)?,
            before: false,
            mail: false,
        })),
    }
}

/// The letter's deadline: typed, or counted by `rule` from `trigger` (its receipt, else its date). A
/// typed deadline beside a rule must be the one the rule gives (an edit form sends both back).
pub(super) fn deadline(input: &LetterInput, rule: Option<&Rule>, trigger: &FuzzyDate) -> Result<Option<FuzzyDate>> {
    let typed = input::opt_date("deadline", &input.deadline)?;
    let Some(rule) = rule else { return Ok(typed) };
    let due = input::deadline_from("deadline_rule", trigger, rule)?;
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
const COLUMNS: &str = "l.id, l.subject, p.name, l.deadline, l.deadline_hi,
     EXISTS (SELECT 1 FROM letter r WHERE r.in_reply_to = l.id), l.deadline_rule, l.deadline_calendar";

/// The response deadlines of a case, soonest first.
pub fn deadlines(db: &Reader, case_id: &str) -> Result<Vec<Deadline>> {
    let now = chrono::Utc::now().timestamp();
    let sql = format!(
        "SELECT {COLUMNS} FROM letter l JOIN party p ON p.id = l.sender_party_id
          WHERE l.case_id = ?1 AND l.deadline IS NOT NULL
          ORDER BY l.deadline_sort, l.deadline_rank, l.id"
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
        "SELECT c.slug, c.title, l.deadline_lo, {COLUMNS}
           FROM letter l JOIN party p ON p.id = l.sender_party_id JOIN case_file c ON c.id = l.case_id
          WHERE l.deadline IS NOT NULL AND c.status NOT IN ('settled', 'closed')
            AND NOT EXISTS (SELECT 1 FROM letter r WHERE r.in_reply_to = l.id)
            AND l.deadline_lo IS NOT NULL AND l.deadline_lo < ?1 AND (l.deadline_hi IS NULL OR l.deadline_hi > ?2)
          ORDER BY l.deadline_sort, l.deadline_rank, l.id"
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
    rule: Option<(String, String)>,
}

fn row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Row> {
    let rule: Option<String> = r.get(first + 6)?;
    let calendar: Option<String> = r.get(first + 7)?;
    Ok(Row {
        letter_id: r.get(first)?,
        subject: r.get(first + 1)?,
        sender: r.get(first + 2)?,
        deadline: r.get(first + 3)?,
        hi: r.get(first + 4)?,
        answered: r.get(first + 5)?,
        rule: rule.zip(calendar),
    })
}

impl Row {
    fn deadline(self, now: i64) -> Result<Deadline> {
        let d = input::date("deadline", &self.deadline)?;
        let (period, calendar) = self.rule.unzip();
        let words = |lang| words(period.as_deref(), calendar.as_deref(), lang);
        Ok(Deadline {
            letter_id: self.letter_id,
            subject: self.subject,
            sender: self.sender,
            deadline_en: d.display(Lang::En),
            deadline_fr: d.display(Lang::Fr),
            deadline: self.deadline,
            rule_en: words(Lang::En),
            rule_fr: words(Lang::Fr),
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

/// A stored rule (`15d`, `fr`) in words, or `None` when there is none.
pub(super) fn words(period: Option<&str>, calendar: Option<&str>, lang: Lang) -> Option<String> {
    let period = crate::date::deadline::Period::parse(period?)?;
    Some(rule_words(period, Calendar::parse(calendar?)?, lang))
}

/// "15 days from receipt, France" / « 15 jours à compter de la réception, France ».
pub fn rule_words(period: crate::date::deadline::Period, calendar: Calendar, lang: Lang) -> String {
    let n = period.count;
    let one = n == 1;
    let unit = match (lang, period.unit) {
        (Lang::En, Unit::Days) => {
            if one {
                "day"
            } else {
                "days"
            }
        }
        (Lang::En, Unit::BusinessDays) => {
            if one {
                "business day"
            } else {
                "business days"
            }
        }
        (Lang::En, Unit::Weeks) => {
            if one {
                "week"
            } else {
                "weeks"
            }
        }
        (Lang::En, Unit::Months) => {
            if one {
                "month"
            } else {
                "months"
            }
        }
        (Lang::Fr, Unit::Days) => {
            if one {
                "jour"
            } else {
                "jours"
            }
        }
        (Lang::Fr, Unit::BusinessDays) => {
            if one {
                "jour ouvré"
            } else {
                "jours ouvrés"
            }
        }
        (Lang::Fr, Unit::Weeks) => {
            if one {
                "semaine"
            } else {
                "semaines"
            }
        }
        (Lang::Fr, Unit::Months) => "mois",
    };
    let place = match (lang, calendar) {
        (Lang::En, Calendar::Fr) => "France",
        (Lang::En, Calendar::Ew) => "England & Wales",
        (Lang::En, Calendar::Us) => "US federal courts",
        (Lang::Fr, Calendar::Fr) => "France",
        (Lang::Fr, Calendar::Ew) => "Angleterre et pays de Galles",
        (Lang::Fr, Calendar::Us) => "tribunaux fédéraux des États-Unis",
    };
    match lang {
        Lang::En => format!("{n} {unit} from receipt, {place}"),
        Lang::Fr => format!("{n} {unit} à compter de la réception, {place}"),
    }
}
