-- Schema version 14: compact storage.

-- The change log's detail and images, most of the database, are kept compressed: each is a BLOB
-- holding one zstd frame of its text where that is smaller, else the text (store/packed.rs). The
-- columns were STRICT `TEXT`, which refuses a BLOB, so the table is made again with `ANY` there and
-- every entry copied into it packed by `dossier_pack` (a function the core gives its connection).
-- This is storage only: every hash, digest, seal and anchor is over the text, which reading gives
-- back byte for byte. The copy is the one rewrite of the log that no erasure names; it is not an
-- UPDATE, so the log's triggers are made again as they were, and refuse the rest as before.
CREATE TABLE change_log_packed (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    detail    ANY NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    images    ANY,
    actor     TEXT,
    sums      TEXT,
    nonces    TEXT
) STRICT;
INSERT INTO change_log_packed (seq, at, action, record_id, detail, prev_hash, hash, images, actor, sums, nonces)
     SELECT seq, at, action, record_id, dossier_pack(detail), prev_hash, hash, dossier_pack(images), actor, sums,
            nonces
       FROM change_log ORDER BY seq;
DROP TABLE change_log;
ALTER TABLE change_log_packed RENAME TO change_log;

CREATE TRIGGER change_log_no_update BEFORE UPDATE OF seq, at, action, record_id, prev_hash, hash, actor, sums
    ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_erased_only BEFORE UPDATE OF detail, images, nonces ON change_log
    WHEN NOT EXISTS (SELECT 1 FROM change_log_erasure WHERE seq = OLD.seq)
BEGIN SELECT RAISE(ABORT, 'the change log is append-only: only an erasure rewrites an entry'); END;
CREATE INDEX change_log_record_id ON change_log(record_id);

-- The search index keeps a word's forms (`stems`) only where they differ from the word as the index
-- already holds it: a query looks for a word's forms among the words too (view/search.rs). The
-- index is made again as version 11 made it, and filled from the record on the next open
-- (store::open), as every derived row is.
DROP TABLE search_index;
DROP TABLE search_doc;
CREATE VIRTUAL TABLE search_index USING fts5(
    record_id UNINDEXED,
    case_id UNINDEXED,
    kind UNINDEXED,
    page UNINDEXED,
    title,
    body,
    stems,
    grams,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
CREATE TABLE search_doc (
    doc       INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    page      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (record_id, page)
) STRICT;
