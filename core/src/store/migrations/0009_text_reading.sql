-- Schema version 9: a reading of a document can be stopped, and its interrupted attempts are counted.

-- `stopped`: the user stopped the reading of a file not yet read; it stays so until read again.
-- `attempts`: readings of a file still pending that began and never ended (the program was killed,
-- the machine stopped). A reading that begins with two behind it marks the file failed instead, so a
-- file that kills its reader is not read again at every start (finding M6 of the security review).
CREATE TABLE file_extraction_new (
    sha256   TEXT PRIMARY KEY,
    state    TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'unsupported', 'stopped')),
    method   TEXT CHECK (method IN ('plain', 'pdf', 'ocr', 'pdf_ocr', 'docx', 'odt')),
    pages    INTEGER NOT NULL DEFAULT 0,
    paged    INTEGER NOT NULL DEFAULT 0,
    error    TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
INSERT INTO file_extraction_new (sha256, state, method, pages, paged, error, at)
    SELECT sha256, state, method, pages, paged, error, at FROM file_extraction;
DROP TABLE file_extraction;
ALTER TABLE file_extraction_new RENAME TO file_extraction;
