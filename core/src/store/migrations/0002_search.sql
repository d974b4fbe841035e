-- Schema version 2: full-text search, a materialized timeline, and the Message-ID of imported e-mails
-- (for threading).

-- One row per searchable record. Kept up to date by the core's write path (search::reindex), which also
-- reads the text of text, Markdown, HTML and e-mail evidence files. `unicode61 remove_diacritics 2`
-- folds case and accents, so "etats" finds "États" and "REDEVANCE" finds "redevance"; the prefix
-- indexes make "gouvern*" fast.
CREATE VIRTUAL TABLE search_index USING fts5(
    record_id UNINDEXED,
    case_id UNINDEXED,
    kind UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);

-- Which index row holds which record: FTS5 finds rows fast only by rowid, so each record gets a stable
-- document number here (never reused from `record`'s own rowid, which VACUUM may renumber).
CREATE TABLE search_doc (
    doc       INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE
) STRICT;

ALTER TABLE letter ADD COLUMN message_id TEXT;
CREATE UNIQUE INDEX letter_message_id ON letter(case_id, message_id) WHERE message_id IS NOT NULL;

-- The timeline, materialized: one row per entry of the `timeline_entry` view, refreshed by the write
-- path for the record it changed (timeline::refresh), so a page of a 100,000-record case is an index
-- range scan instead of a sort of the whole case.
CREATE TABLE timeline_row (
    entry_id  TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    kind_rank INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    date      TEXT NOT NULL,
    sort      INTEGER NOT NULL,
    lo        INTEGER,
    hi        INTEGER,
    rank      INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    status    TEXT
) STRICT;
CREATE INDEX timeline_row_order ON timeline_row(case_id, sort, rank, position, kind_rank, entry_id);
CREATE INDEX timeline_row_record ON timeline_row(record_id);
INSERT INTO timeline_row (entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position, title, status)
    SELECT entry_id, case_id, kind, kind_rank, record_id, date, sort, lo, hi, rank, position, title, status FROM timeline_entry;
