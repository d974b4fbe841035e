//! Live wake-ups: a listener is woken by another connection's append, and times out otherwise.

use std::time::{Duration, Instant};

use dossier_core::store::sync::Relay;
use dossier_team::{Listener, Server};

use crate::support::pg::{device, next, Team};

#[test]
fn a_listener_wakes_on_an_append_and_times_out_without_one() {
    let team = Team::new();
    let (url, space, _) = team.space("alice", device(1));
    let mut listener = Listener::open(&url, space).unwrap();
    assert!(!listener.wait(Duration::from_millis(50)).unwrap(), "nothing appended yet");

    let writer_url = url.clone();
    let writer = std::thread::spawn(move || {
        let mut server = Server::open(&writer_url, space).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let entries = next(&mut server, 3, device(1));
        server.append(&entries).unwrap();
    });
    let start = Instant::now();
    assert!(listener.wait(Duration::from_secs(20)).unwrap(), "woken by the append");
    assert!(start.elapsed() < Duration::from_secs(20));
    writer.join().unwrap();
    // The three notifications of that one append wake the listener once... or, if the last ones
    // were still on the wire, once more; never again after that.
    let _ = listener.wait(Duration::from_millis(100)).unwrap();
    assert!(!listener.wait(Duration::from_millis(100)).unwrap(), "no append since");
}
