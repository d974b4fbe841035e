//! The five stored columns of a fuzzy date: `X` (the date as recorded, canonical text), `X_sort` (its
//! place in a chronology, Unix seconds), `X_lo` / `X_hi` (bounds in Unix seconds, NULL = unbounded, hi
//! exclusive) and `X_rank` (how items at the same place are ordered). They are always written
//! together, from one parsed value.

use crate::date::{FuzzyDate, Qualifier};

/// Text, sort key, lower and upper bounds, and order rank, in that order.
pub(crate) type DateCols = (Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

pub(crate) fn date_cols(date: Option<&FuzzyDate>) -> DateCols {
    match date {
        None => (None, None, None, None, None),
        Some(d) => (Some(d.canonical()), Some(d.sort_key()), d.lower(), d.upper(), Some(order_rank(d))),
    }
}

/// Orders items at the same sort key as `FuzzyDate`'s `Ord` does: "before X" ahead of everything at X
/// and "after X" behind it, then finer precision first, then exact < about < between.
pub(crate) fn order_rank(d: &FuzzyDate) -> i64 {
    let (group, q) = match d.qualifier() {
        Qualifier::Before => (0, 0),
        Qualifier::Exact => (1, 1),
        Qualifier::About => (1, 2),
        Qualifier::Between => (1, 3),
        Qualifier::After => (2, 4),
    };
    group * 64 + d.precision().rank() as i64 * 8 + q
}
