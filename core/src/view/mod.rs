//! Read models the front ends show: the timeline, search, date facts for the calendar and axis, the
//! case list and overview, and the records a link can point at. Nothing here writes; every function
//! takes a [`crate::store::Reader`].

pub mod allegations;
pub mod calendar;
pub mod history;
pub mod linkable;
pub mod overview;
pub mod search;
pub mod timeline;
