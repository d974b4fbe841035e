-- Schema version 10: the change log's seals.

-- The hash chain has no secret: whoever can write the database file can append an entry, or rewrite
-- the log and recompute every hash. Each entry is now also sealed: an HMAC of its hash under a key
-- the file does not hold (derived from the data key of an encrypted database; an installation's own
-- key, kept outside the database folder, for a plaintext one). `key_id` names the key without
-- revealing it, so `check` tells an entry sealed by another installation from a forged one. Entries
-- written before this version have no seal.
CREATE TABLE log_seal (
    seq    INTEGER PRIMARY KEY,
    key_id TEXT NOT NULL,
    mac    TEXT NOT NULL
) STRICT;

CREATE TRIGGER log_seal_no_update BEFORE UPDATE ON log_seal
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER log_seal_no_delete BEFORE DELETE ON log_seal
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

-- The text read from each evidence file is derived from the file, but reading it again may take OCR
-- minutes, so `check` cannot recompute it: each reading is sealed the same way instead, over the
-- file's hash and every page's number and text.
CREATE TABLE reading_seal (
    sha256 TEXT PRIMARY KEY,
    seal   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
