//! Correspondence as threads: each thread's first letter in date order, its replies right under it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{get, Letter};
use crate::error::Result;
use crate::record::{case, Listed};
use crate::store::Reader;

/// A letter placed in its thread: replies follow what they answer, one level deeper.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThreadItem {
    pub depth: u32,
    pub letter: Letter,
}

/// The correspondence of a case as threads: each thread's first letter in date order, its replies
/// (in date order) right under it.
pub fn threads(db: &Reader, case: &str) -> Result<Vec<ThreadItem>> {
    thread_order(db, case)?.iter().map(|item| thread_item(db, item)).collect()
}

/// A page of [`threads`]: `limit` letters from position `offset`, with the total.
pub fn threads_page(db: &Reader, case: &str, offset: usize, limit: usize) -> Result<Listed<ThreadItem>> {
    crate::record::page_of(db, &thread_order(db, case)?, offset, limit, thread_item)
}

fn thread_item(db: &Reader, (id, depth): &(String, u32)) -> Result<ThreadItem> {
    Ok(ThreadItem { depth: *depth, letter: get(db, id)? })
}

/// Every letter of a case (id, depth) in thread order, from the ids and reply links alone: what
/// [`threads`] reads whole, for a reader that takes one letter at a time.
pub fn thread_order(db: &Reader, case: &str) -> Result<Vec<(String, u32)>> {
    let case_id = case::resolve(db, case)?;
    let letters: Vec<(String, Option<String>)> = db.all(
        "SELECT id, in_reply_to FROM letter WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id",
        [&case_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let known: HashSet<&str> = letters.iter().map(|(id, _)| id.as_str()).collect();
    let mut replies: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut roots = Vec::new();
    for (id, parent) in &letters {
        match parent.as_deref().filter(|p| known.contains(p)) {
            Some(p) => replies.entry(p).or_default().push(id),
            None => roots.push(id.as_str()),
        }
    }
    // Depth first, without recursion (a thread may be thousands of replies deep).
    let mut out = Vec::with_capacity(letters.len());
    let mut stack: Vec<(&str, u32)> = roots.into_iter().rev().map(|id| (id, 0)).collect();
    while let Some((id, depth)) = stack.pop() {
        out.push((id.to_string(), depth));
        if let Some(children) = replies.get(id) {
            stack.extend(children.iter().rev().map(|c| (*c, depth + 1)));
        }
    }
    Ok(out)
}
