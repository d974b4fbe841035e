-- Schema version 2: full-text search, and the Message-ID of imported e-mails (for threading).

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
