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

ALTER TABLE letter ADD COLUMN message_id TEXT;
CREATE UNIQUE INDEX letter_message_id ON letter(case_id, message_id) WHERE message_id IS NOT NULL;
