//! Read models the front ends show: the timeline, search, date facts for the calendar and axis, and
//! the case list and overview. Nothing here writes; every function takes a [`crate::store::Reader`].

pub mod allegations;
pub mod calendar;
pub mod history;
pub mod overview;
pub mod search;
pub mod timeline;
