//! Live wake-ups: a connection of its own that LISTENs on a space's channel, on which the append
//! trigger notifies every new seq. A notification only says "look": the client then reads by seq, and
//! polls anyway (the app every 60 s), because notifications sent while it was disconnected are lost.
//! It must not go through a pooler in transaction mode (PgBouncer), where LISTEN silently does nothing.

use std::time::Duration;

use dossier_core::error::Result;
use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;
use uuid::Uuid;

use crate::connect::{connect, failure};
use crate::schema::quote_ident;

/// The channel the append trigger notifies for `space`: `dossier_` and the id's 32 hex digits.
pub fn channel(space: Uuid) -> String {
    format!("dossier_{}", space.simple())
}

/// A connection listening for appends to one space.
pub struct Listener {
    client: Client,
}

impl Listener {
    /// Connects (see [`connect`]) and listens on `space`'s channel.
    pub fn open(url: &str, space: Uuid) -> Result<Listener> {
        let mut client = connect(url)?;
        client.batch_execute(&format!("LISTEN {}", quote_ident(&channel(space)))).map_err(failure)?;
        Ok(Listener { client })
    }

    /// Waits up to `timeout` for an append to the space: true when one came (every notification
    /// already arrived is consumed with it), false when the time ran out. A cut connection is
    /// [`dossier_core::error::Error::Offline`]; open a new listener then.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool> {
        let mut notifications = self.client.notifications();
        let woken = notifications.timeout_iter(timeout).next().map_err(failure)?.is_some();
        if woken {
            let mut pending = notifications.iter();
            while pending.next().map_err(failure)?.is_some() {}
        }
        Ok(woken)
    }
}
