//! The read models that combine several nouns: the case list (each case with its main parties, last
//! activity and open deadlines) and a case's overview.

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::record::case::{get, list, Case};

/// A case as the case list shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseSummary {
    pub case: Case,
    /// Claimants and respondents.
    pub main_parties: Vec<crate::record::role::CaseRole>,
    /// When anything in the case last changed (RFC 3339).
    pub last_activity: String,
    pub open_deadlines: i64,
    pub records: i64,
}

/// Every case with what the case list shows, most recently active first.
pub fn summaries(conn: &Connection) -> Result<Vec<CaseSummary>> {
    let mut out = Vec::new();
    for case in list(conn)? {
        let (last_activity, records): (Option<String>, i64) = conn.query_row(
            "SELECT max(r.updated_at), count(*) - 1 FROM record r WHERE r.id = ?1 OR r.id IN (
                 SELECT id FROM letter WHERE case_id = ?1 UNION ALL SELECT id FROM event WHERE case_id = ?1
                 UNION ALL SELECT id FROM allegation WHERE case_id = ?1 UNION ALL SELECT id FROM response WHERE case_id = ?1
                 UNION ALL SELECT id FROM agreement WHERE case_id = ?1 UNION ALL SELECT id FROM evidence WHERE case_id = ?1)",
            [&case.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let main_parties = crate::record::role::roles(conn, &case.id)?
            .into_iter()
            .filter(|r| r.role == "claimant" || r.role == "respondent")
            .collect();
        let open_deadlines =
            crate::record::letter::deadlines(conn, &case.id)?.iter().filter(|d| !d.answered).count() as i64;
        out.push(CaseSummary {
            last_activity: last_activity.unwrap_or_else(|| case.updated_at.clone()),
            case,
            main_parties,
            open_deadlines,
            records,
        });
    }
    // Ties (same second) go to the case created last: ids are UUID v7, ordered by creation time.
    out.sort_by(|a, b| b.last_activity.cmp(&a.last_activity).then_with(|| b.case.id.cmp(&a.case.id)));
    Ok(out)
}

/// Statuses in which an allegation is still open.
pub const OPEN_STATUSES: &[&str] = &["alleged", "under_review", "disputed"];

/// What the case overview shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Overview {
    pub case: Case,
    /// The summary rendered from Markdown and sanitized.
    pub summary_html: String,
    pub roles: Vec<crate::record::role::CaseRole>,
    /// Open allegations (alleged, under review, disputed), in date order.
    pub open_allegations: Vec<AllegationBrief>,
    /// Every status with how many allegations are in it now.
    pub status_counts: Vec<StatusCount>,
    pub deadlines: Vec<crate::record::letter::Deadline>,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AllegationBrief {
    pub id: String,
    pub summary: String,
    pub status: String,
    pub made_by: String,
    pub against: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Counts {
    pub parties: i64,
    pub agreements: i64,
    pub letters: i64,
    pub allegations: i64,
    pub responses: i64,
    pub events: i64,
    pub evidence: i64,
}

pub fn overview(conn: &Connection, key: &str) -> Result<Overview> {
    let case = get(conn, key)?;
    let allegations = crate::record::allegation::list(conn, &case.id)?;
    let mut status_counts: Vec<StatusCount> =
        crate::record::allegation::STATUSES.iter().map(|s| StatusCount { status: s.to_string(), count: 0 }).collect();
    for a in &allegations {
        if let Some(c) = status_counts.iter_mut().find(|c| c.status == a.status) {
            c.count += 1;
        }
    }
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table} WHERE case_id = ?1"), [&case.id], |r| r.get(0))?)
    };
    let counts = Counts {
        parties: conn.query_row(
            "SELECT count(DISTINCT party_id) FROM case_party WHERE case_id = ?1",
            [&case.id],
            |r| r.get(0),
        )?,
        agreements: count("agreement")?,
        letters: count("letter")?,
        allegations: allegations.len() as i64,
        responses: count("response")?,
        events: count("event")?,
        evidence: count("evidence")?,
    };
    Ok(Overview {
        summary_html: crate::markdown::to_safe_html(&case.summary),
        roles: crate::record::role::roles(conn, &case.id)?,
        open_allegations: allegations
            .into_iter()
            .filter(|a| OPEN_STATUSES.contains(&a.status.as_str()))
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
        deadlines: crate::record::letter::deadlines(conn, &case.id)?,
        counts,
        case,
    })
}
