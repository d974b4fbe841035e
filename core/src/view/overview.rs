//! The read models that combine several nouns: the case list (each case with its main parties, last
//! activity and open deadlines) and a case's overview.

use chrono::DateTime;
use serde::Serialize;

use crate::date::{FuzzyDate, Lang, Point};
use crate::error::Result;
use crate::markdown;
use crate::record::allegation;
use crate::record::case::{self, Case};
use crate::record::letter::{self, Deadline};
use crate::record::role::{self, CaseRole};
use crate::store::{registry, Reader};
use crate::vocabulary::{AllegationStatus, DeadlineState, RecordKind, Role, Vocabulary};

/// A case as the case list shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseSummary {
    pub case: Case,
    /// Claimants and respondents.
    pub main_parties: Vec<CaseRole>,
    /// When anything in the case last changed (RFC 3339).
    pub last_activity: String,
    /// The day of the last activity in words.
    pub last_activity_en: String,
    pub last_activity_fr: String,
    pub open_deadlines: i64,
    /// Records in the case, the case itself not counted.
    pub records: i64,
}

/// Every case with what the case list shows, most recently active first.
pub fn summaries(db: &Reader) -> Result<Vec<CaseSummary>> {
    let mut out = Vec::new();
    for case in case::list(db)? {
        let (records, last_activity) = registry::activity(db, &case.id)?;
        let last_activity = last_activity.unwrap_or_else(|| case.updated_at.clone());
        let day =
            DateTime::parse_from_rfc3339(&last_activity).map(|t| FuzzyDate::Exact(Point::Day(t.date_naive()))).ok();
        let words = |lang| day.as_ref().map(|d| d.display(lang)).unwrap_or_else(|| last_activity.clone());
        out.push(CaseSummary {
            main_parties: role::roles(db, &case.id)?
                .into_iter()
                .filter(|r| matches!(r.role, Role::Claimant | Role::Respondent))
                .collect(),
            open_deadlines: letter::deadlines(db, &case.id)?
                .iter()
                .filter(|d| d.state != DeadlineState::Answered)
                .count() as i64,
            last_activity_en: words(Lang::En),
            last_activity_fr: words(Lang::Fr),
            last_activity,
            case,
            records,
        });
    }
    // Ties (same second) go to the case created last: ids are UUID v7, ordered by creation time.
    out.sort_by(|a, b| b.last_activity.cmp(&a.last_activity).then_with(|| b.case.id.cmp(&a.case.id)));
    Ok(out)
}

/// What the case overview shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    pub case: Case,
    /// The summary rendered from Markdown and sanitized.
    pub summary_html: String,
    pub roles: Vec<CaseRole>,
    /// Open allegations (alleged, under review, disputed), in date order.
    pub open_allegations: Vec<AllegationBrief>,
    /// Every status with how many allegations are in it now.
    pub status_counts: Vec<StatusCount>,
    pub deadlines: Vec<Deadline>,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AllegationBrief {
    pub id: String,
    pub summary: String,
    pub status: AllegationStatus,
    pub made_by: String,
    pub against: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCount {
    pub status: AllegationStatus,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counts {
    pub parties: i64,
    pub agreements: i64,
    pub letters: i64,
    pub allegations: i64,
    pub responses: i64,
    pub events: i64,
    pub evidence: i64,
}

/// A case's overview as read from the database, its summary not rendered yet. The app reads it while
/// it holds the store and renders it ([`Unrendered::render`]) after letting go, so that a long summary's
/// rendering (up to [`markdown::RENDER_BUDGET`]) holds up no other command.
#[derive(Debug, Clone)]
pub struct Unrendered {
    case: Case,
    roles: Vec<CaseRole>,
    open_allegations: Vec<AllegationBrief>,
    status_counts: Vec<StatusCount>,
    deadlines: Vec<Deadline>,
    counts: Counts,
}

impl Unrendered {
    /// The overview, its summary rendered from Markdown and sanitized. Needs no database.
    pub fn render(self) -> Overview {
        Overview {
            summary_html: markdown::to_safe_html(&self.case.summary),
            case: self.case,
            roles: self.roles,
            open_allegations: self.open_allegations,
            status_counts: self.status_counts,
            deadlines: self.deadlines,
            counts: self.counts,
        }
    }
}

/// A case's overview, read and rendered in one call (see [`read`] to do the two apart).
pub fn overview(db: &Reader, key: &str) -> Result<Overview> {
    Ok(read(db, key)?.render())
}

/// A case's overview as read from the database, to be rendered by [`Unrendered::render`].
pub fn read(db: &Reader, key: &str) -> Result<Unrendered> {
    let case = case::get(db, key)?;
    let allegations = allegation::list(db, &case.id)?;
    let status_counts = AllegationStatus::ALL
        .iter()
        .map(|&status| StatusCount { status, count: allegations.iter().filter(|a| a.status == status).count() as i64 })
        .collect();
    let count = |kind| registry::count_in_case(db, kind, &case.id);
    let roles = role::roles(db, &case.id)?;
    let counts = Counts {
        parties: {
            let mut ids: Vec<&str> = roles.iter().map(|r| r.party_id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len() as i64
        },
        agreements: count(RecordKind::Agreement)?,
        letters: count(RecordKind::Letter)?,
        allegations: allegations.len() as i64,
        responses: count(RecordKind::Response)?,
        events: count(RecordKind::Event)?,
        evidence: count(RecordKind::Evidence)?,
    };
    Ok(Unrendered {
        roles,
        open_allegations: allegations
            .into_iter()
            .filter(|a| a.status.is_open())
            .map(|a| AllegationBrief {
                id: a.id,
                summary: a.summary,
                status: a.status,
                made_by: a.made_by.name,
                against: a.against.name,
                date: a.date,
            })
            .collect(),
        status_counts,
        deadlines: letter::deadlines(db, &case.id)?,
        counts,
        case,
    })
}
