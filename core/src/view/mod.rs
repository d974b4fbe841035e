//! Read models the front ends show.

pub mod calendar;
pub mod overview;
pub mod search;
pub mod timeline;
