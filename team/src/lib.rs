//! Team spaces over the network: the PostgreSQL server that relays a space's log, seen from a member's
//! machine. The core (`dossier-core`) stays network-free and asks only for a [`Relay`]; this crate
//! gives it one over PostgreSQL ([`Server`]), the SQL a DBA runs once to make a database a team server
//! ([`server_sql`]), and the wake-up connection that tells a client someone appended ([`Listener`]).
//!
//! The server is not trusted with content: it keeps sealed entries, orders them by compare-and-swap on
//! each space's head (its append trigger), and enforces who may read and append (roles and forced row
//! level security). The engine in the core checks everything it reads again.
//!
//! [`Relay`]: dossier_core::store::sync::Relay

mod connect;
mod listen;
mod schema;
mod server;
#[cfg(feature = "test-support")]
pub mod testing;

pub use connect::connect;
pub use listen::{channel, Listener};
pub use schema::{login_sql, server_sql, SCHEMA_VERSION};
pub use server::{Member, Server};
