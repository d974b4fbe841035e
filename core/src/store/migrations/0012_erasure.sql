-- Schema version 12: erasure that keeps the proof.

-- An entry's hash covered its detail and images themselves, so removing text from the log broke the
-- chain: the log kept every record's content for ever. Entries written from this version on are
-- hashed over `sums` instead: a digest of the detail and of each record's image, each salted with a
-- random nonce kept in `nonces` (JSON: {"detail": …, "images": {"<record id>": …}}). Erasing a
-- record replaces its images (and the entry's detail) with a tombstone and drops their nonces; the
-- sums, and so every hash and seal, stay as they were, and without the nonce a sum cannot confirm a
-- guess of what was there. Entries written before keep their hash; an erasure that rewrites one
-- vouches for it in its own entry (its hash, and the sums of its parts under fresh nonces).
ALTER TABLE change_log ADD COLUMN sums TEXT;
ALTER TABLE change_log ADD COLUMN nonces TEXT;

-- Which entries an erasure rewrote, and which erasure: an entry's detail, images and nonces may
-- change only once an erasure has named it here, and nothing else of an entry ever changes. Derived
-- from the erasure entries' own detail, which `check` reads instead.
CREATE TABLE change_log_erasure (
    seq    INTEGER NOT NULL,
    by_seq INTEGER NOT NULL,
    PRIMARY KEY (seq, by_seq)
) STRICT, WITHOUT ROWID;

DROP TRIGGER IF EXISTS change_log_no_update;
CREATE TRIGGER change_log_no_update BEFORE UPDATE OF seq, at, action, record_id, prev_hash, hash, actor, sums
    ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_erased_only BEFORE UPDATE OF detail, images, nonces ON change_log
    WHEN NOT EXISTS (SELECT 1 FROM change_log_erasure WHERE seq = OLD.seq)
BEGIN SELECT RAISE(ABORT, 'the change log is append-only: only an erasure rewrites an entry'); END;
CREATE TRIGGER change_log_erasure_no_update BEFORE UPDATE ON change_log_erasure
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_erasure_no_delete BEFORE DELETE ON change_log_erasure
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

-- An erasure finds the entries about a record by their `record_id` too (entries older than version 3
-- hold no images).
CREATE INDEX change_log_record_id ON change_log(record_id);
