-- Schema version 21: team spaces. A database can share its record with a team through a server that
-- relays one sealed, signed, hash-chained log (see `store/sync/`). None of these tables holds a
-- record: they say where the database stands in the team's log, what it still has to send, and what
-- it could not merge. Their rows never travel in images.

-- The space this database belongs to (at most one) and how far it has read the space's log:
-- `head_*` is the last entry applied here, `seen_*` the longest head any server ever showed (a server
-- holding fewer entries was restored from an older backup).
CREATE TABLE team_space (
    id TEXT PRIMARY KEY,
    one INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (one = 1),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    genesis TEXT NOT NULL,
    head_seq INTEGER NOT NULL DEFAULT 0,
    head_hash TEXT NOT NULL,
    seen_seq INTEGER NOT NULL DEFAULT 0,
    seen_hash TEXT NOT NULL,
    joined_at TEXT NOT NULL
) STRICT;

-- This device: the person using it and its two secret keys (Ed25519 to sign, X25519 to receive space
-- keys), inside the database so they are encrypted with it.
CREATE TABLE team_device (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    person TEXT NOT NULL,
    device TEXT NOT NULL,
    secret BLOB NOT NULL,
    made_at TEXT NOT NULL
) STRICT;

-- The space's keys this device holds, one per epoch (a removal starts a new epoch).
CREATE TABLE team_key (
    epoch INTEGER PRIMARY KEY,
    key BLOB NOT NULL
) STRICT;

-- The members as the space's log says: who each device is, its role, and the entries between which it
-- was allowed to write (`until_seq` set by its removal).
CREATE TABLE team_member (
    device TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    seal TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    since_seq INTEGER NOT NULL,
    until_seq INTEGER
) STRICT;

-- The space's log as this device received it: each entry's header and sealed body, and whether it
-- was applied or refused (alike on every replica: a bad seal, a base that does not match).
CREATE TABLE team_entry (
    seq INTEGER PRIMARY KEY,
    entry_id TEXT NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    author TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    mac BLOB NOT NULL,
    nonce BLOB NOT NULL,
    body BLOB NOT NULL,
    sig BLOB NOT NULL,
    refused TEXT
) STRICT;

-- Writes made here and not yet in the space's log, oldest first: the payload of each (its action,
-- detail, and for each record changed the image before and after).
CREATE TABLE team_outbox (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL UNIQUE,
    log_seq INTEGER NOT NULL,
    payload TEXT NOT NULL
) STRICT;

-- Each record as the space's log leaves it (the hash of its sync image), which a writer's `base` must
-- match: what this replica shows may differ while its own writes wait to be sent.
CREATE TABLE team_shared (
    record_id TEXT PRIMARY KEY,
    hash TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Writes of this device that met another member's change to the same record and could not be merged:
-- the record keeps the space's version (`theirs`, from entry `theirs_seq`); mine waits for a person.
CREATE TABLE team_conflict (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    base TEXT,
    mine TEXT,
    theirs TEXT,
    theirs_seq INTEGER NOT NULL,
    fields TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

-- Evidence files known to the space and not here yet (fetched on demand), by SHA-256.
CREATE TABLE team_file (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
