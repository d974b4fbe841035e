-- Schema version 3: a record you can prove, and e-mail addresses kept.

-- Each write's entry now holds the after-image of every record it changed, and the before-image of one
-- it deleted (JSON: {"<record id>": {"before": image|null, "after": image|null}}), and who wrote it
-- (the front end and the system user). Both are covered by the entry's hash when present; entries
-- written before version 3 have neither and hash as they did.
ALTER TABLE change_log ADD COLUMN images TEXT;
ALTER TABLE change_log ADD COLUMN actor TEXT;

-- Which entries hold an image of which record: derived from `change_log.images` when each entry is
-- written, so a record's history is found without reading the whole log. `check` never trusts it: it
-- reads the images themselves.
CREATE TABLE change_log_record (
    record_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (record_id, seq)
) STRICT, WITHOUT ROWID;

-- The From, To and Cc addresses of an imported e-mail, as they were written: a letter is sent by a
-- party, and this keeps which address actually sent it (a display name alone never decides the party).
CREATE TABLE letter_address (
    letter_id    TEXT NOT NULL REFERENCES letter(id) ON DELETE CASCADE,
    field        TEXT NOT NULL CHECK (field IN ('from', 'to', 'cc')),
    position     INTEGER NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (letter_id, field, position)
) STRICT, WITHOUT ROWID;

-- The history an imported record had where it came from: the entries of the bundle's own change log
-- that concern it, kept as they were (the import itself is logged here with the records it brought).
CREATE TABLE imported_history (
    record_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    actor     TEXT,
    image     TEXT,
    source    TEXT NOT NULL,
    PRIMARY KEY (record_id, position)
) STRICT, WITHOUT ROWID;

-- The text of text, HTML and e-mail evidence files, extracted before the write that adds the file
-- (parsing never happens while the database is locked for writing) and read by the search index.
CREATE TABLE file_text (
    sha256 TEXT PRIMARY KEY,
    text   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
