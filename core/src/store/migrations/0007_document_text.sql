-- Schema version 7: the text of evidence files page by page, read in the background, and search by
-- word forms.

-- The text of each page of an evidence file (by its SHA-256: the same file is read once), and where
-- its reading stands. Derived from the file, like the search index: it is not a change of the record
-- and leaves no change-log entry; it can be read again at any time.
CREATE TABLE file_page (
    sha256 TEXT NOT NULL,
    page   INTEGER NOT NULL CHECK (page >= 1),
    text   TEXT NOT NULL,
    PRIMARY KEY (sha256, page)
) STRICT, WITHOUT ROWID;

CREATE TABLE file_extraction (
    sha256 TEXT PRIMARY KEY,
    state  TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'unsupported')),
    method TEXT CHECK (method IN ('plain', 'pdf', 'ocr', 'pdf_ocr', 'docx', 'odt')),
    -- Pages read, and whether they are the file's own pages (a PDF's) worth naming.
    pages  INTEGER NOT NULL DEFAULT 0,
    paged  INTEGER NOT NULL DEFAULT 0,
    -- Why the reading failed, in English.
    error  TEXT NOT NULL DEFAULT '',
    at     TEXT NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO file_page (sha256, page, text) SELECT sha256, 1, text FROM file_text WHERE text <> '';
INSERT INTO file_extraction (sha256, state, method, pages, at)
    SELECT sha256, 'done', 'plain', 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM file_text WHERE text <> '';
DROP TABLE file_text;
-- Every other file is read again on the next open: text files at once, documents (PDF, Word,
-- OpenDocument, pictures) in the background (store::text).
INSERT OR IGNORE INTO file_extraction (sha256, state, at)
    SELECT DISTINCT sha256, 'pending', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM evidence WHERE sha256 IS NOT NULL;

-- The index again, with a row per page of a document beside the record's own row (page 0), and a
-- column of word stems (English and French, `stem`), so a word matches its other forms.
-- It is filled again from the record on the next open (store::open).
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
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
CREATE TABLE search_doc (
    doc       INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    page      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (record_id, page)
) STRICT;

-- The passage a link cites, selected in the document: its page, the exact words and a little text on
-- each side (a text-quote selector), so the passage can be shown and found again. Owned by the
-- evidence, with its link.
CREATE TABLE link_quote (
    evidence_id TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    pinpoint    TEXT NOT NULL,
    page        INTEGER CHECK (page >= 1),
    exact       TEXT NOT NULL CHECK (exact <> ''),
    prefix      TEXT NOT NULL DEFAULT '',
    suffix      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (evidence_id, record_id, pinpoint),
    FOREIGN KEY (evidence_id, record_id, pinpoint)
        REFERENCES evidence_link (evidence_id, record_id, pinpoint) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
