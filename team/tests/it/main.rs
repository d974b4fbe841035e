//! The team server against a real PostgreSQL (no mocks): one cluster for this binary, a database per
//! test.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod files;
mod live;
mod log;
mod net;
mod replicas;
