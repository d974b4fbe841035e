//! Sealed files in chunks: idempotent chunks, `complete` only when whole.

use dossier_core::error::Error;
use dossier_core::store::sync::Relay;

use crate::support::pg::{device, Team};

#[test]
fn chunks_are_kept_once_and_a_file_completes_only_when_whole() {
    let team = Team::new();
    let (_, _, mut server) = team.space("alice", device(1));
    let name = [42; 32];
    let parts: [&[u8]; 3] = [b"first ", b"second ", b"third"];
    let size = parts.iter().map(|p| p.len() as u64).sum();
    assert_eq!(server.chunks_of(&name).unwrap(), None);

    server.put_chunk(&name, 0, 3, size, parts[0]).unwrap();
    server.put_chunk(&name, 2, 3, size, parts[2]).unwrap();
    server.put_chunk(&name, 0, 3, size, parts[0]).unwrap();
    assert_eq!(server.chunks_of(&name).unwrap(), Some((vec![0, 2], false)));
    let err = server.complete(&name).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("2 of its 3")), "{err}");

    let err = server.put_chunk(&name, 1, 4, size, parts[1]).unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "another shape for the same file: {err}");
    let err = server.put_chunk(&name, 3, 3, size, parts[1]).unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "a chunk past the last: {err}");

    server.put_chunk(&name, 1, 3, size, parts[1]).unwrap();
    server.complete(&name).unwrap();
    assert_eq!(server.chunks_of(&name).unwrap(), Some((vec![0, 1, 2], true)));
    assert_eq!(server.chunk(&name, 1).unwrap(), parts[1]);
    assert!(matches!(server.chunk(&name, 7), Err(Error::NotFound { .. })));
}

#[test]
fn a_file_whose_chunks_do_not_add_up_is_not_complete() {
    let team = Team::new();
    let (_, _, mut server) = team.space("alice", device(1));
    let name = [7; 32];
    server.put_chunk(&name, 0, 2, 10, b"abc").unwrap();
    server.put_chunk(&name, 1, 2, 10, b"def").unwrap();
    let err = server.complete(&name).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("6 bytes, not 10")), "{err}");
    assert_eq!(server.chunks_of(&name).unwrap(), Some((vec![0, 1], false)));
}
