//! The allegations of a case a page at a time, each with the responses to it: what the Allegations
//! view shows, so that an allegation never shows without the responses it has, and a case of
//! thousands of allegations is read one page at a time.

use serde::Serialize;

use crate::error::Result;
use crate::record::allegation::{self, Allegation};
use crate::record::response::{self, Response};
use crate::record::Listed;
use crate::store::Reader;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AllegationItem {
    pub allegation: Allegation,
    /// The responses to it, in date order.
    pub responses: Vec<Response>,
}

/// `limit` allegations of the case from position `offset` (in date order), with their responses.
pub fn page(db: &Reader, case: &str, offset: usize, limit: usize) -> Result<Listed<AllegationItem>> {
    let page = allegation::page(db, case, offset, limit)?;
    let items = page
        .items
        .into_iter()
        .map(|allegation| Ok(AllegationItem { responses: response::to_allegation(db, &allegation.id)?, allegation }))
        .collect::<Result<_>>()?;
    Ok(Listed { total: page.total, offset: page.offset, items })
}
