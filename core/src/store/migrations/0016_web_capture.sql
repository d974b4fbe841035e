-- Schema version 16: web pages captured as evidence.

-- A capture is file evidence whose file is a web archive (a WARC file: the exchanges with the server,
-- redirects and headers included; or an MHTML file a browser saved), with two more files of its own:
-- the text of the page and, when one was taken, a screenshot of the whole page. Each file is in the
-- evidence store by its SHA-256 like any evidence file; this row names the two parts and what the
-- archive says of the page. The page's text is also the archive's text in `file_page`, so a capture
-- is found by search and cited like a document. Owned by its evidence (deleted with it).
CREATE TABLE evidence_capture (
    evidence_id       TEXT PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
    format            TEXT NOT NULL CHECK (format IN ('warc', 'mhtml')),
    -- The address asked for, and the page's address after redirects.
    url               TEXT NOT NULL,
    final_url         TEXT NOT NULL,
    -- When the page was received (UTC, RFC 3339 to the second), as the archive records it.
    captured_at       TEXT NOT NULL,
    -- The HTTP status of the page's response (an MHTML file has none).
    status            INTEGER,
    -- The software that made the archive, as the archive names it.
    made_by           TEXT NOT NULL DEFAULT '',
    text_sha256       TEXT NOT NULL CHECK (length(text_sha256) = 64 AND text_sha256 NOT GLOB '*[^0-9a-f]*'),
    text_size         INTEGER NOT NULL,
    screenshot_sha256 TEXT CHECK (screenshot_sha256 IS NULL OR
                                  (length(screenshot_sha256) = 64 AND screenshot_sha256 NOT GLOB '*[^0-9a-f]*')),
    screenshot_size   INTEGER,
    -- How the screenshot was taken, or why there is none.
    screenshot_note   TEXT NOT NULL DEFAULT '',
    CHECK ((screenshot_sha256 IS NULL) = (screenshot_size IS NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX evidence_capture_text ON evidence_capture(text_sha256);
CREATE INDEX evidence_capture_screenshot ON evidence_capture(screenshot_sha256);

-- Every file a piece of evidence keeps in the store: its own, and a capture's text and screenshot.
-- What reads "every evidence file" (check, backup, encryption, erasure) reads it here.
CREATE VIEW evidence_file (evidence_id, case_id, title, part, sha256) AS
    SELECT id, case_id, title, 'file', sha256 FROM evidence WHERE sha256 IS NOT NULL
    UNION ALL
    SELECT e.id, e.case_id, e.title, 'text', c.text_sha256
      FROM evidence_capture c JOIN evidence e ON e.id = c.evidence_id
    UNION ALL
    SELECT e.id, e.case_id, e.title, 'screenshot', c.screenshot_sha256
      FROM evidence_capture c JOIN evidence e ON e.id = c.evidence_id
     WHERE c.screenshot_sha256 IS NOT NULL;
