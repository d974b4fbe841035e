//! Test support, behind the `test-support` feature: a real PostgreSQL cluster ([`Cluster`]) and a
//! proxy that cuts connections ([`Proxy`]), for this crate's tests and the CLI's. Nothing shipped
//! uses it.

mod cluster;
mod proxy;

pub use cluster::{Cluster, Db};
pub use proxy::{Direction, Proxy, Upstream};
