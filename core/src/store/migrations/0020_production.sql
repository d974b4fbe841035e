-- Schema version 20: productions, the numbered volumes of documents handed to the other side.

-- A production is a case's: its volume name, the Bates prefix and padding, the first and last number
-- it stamped and the endorsement printed on every page. Bates numbers of a prefix never repeat in a
-- case: the next production continues from the last one's.
CREATE TABLE production (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    volume TEXT NOT NULL,
    prefix TEXT NOT NULL,
    digits INTEGER NOT NULL CHECK (digits BETWEEN 1 AND 12),
    first_number INTEGER NOT NULL CHECK (first_number >= 0),
    last_number INTEGER NOT NULL CHECK (last_number >= first_number),
    endorsement TEXT NOT NULL DEFAULT '',
    made_at TEXT NOT NULL,
    UNIQUE (case_id, volume)
) STRICT;
CREATE INDEX production_case ON production(case_id, prefix);

-- What each document became in a production: its Bates range and pages, and how it went — as it is,
-- as its redacted copy (`copy_id`), withheld as privileged (a slip sheet in its place) or as a native
-- file beside a slip sheet. A row is the document's (its panel shows its production history). A
-- produced document cannot be deleted (the store refuses it, naming the volume); it can be erased,
-- and its rows go with it, the production's own row keeping the volume's range.
CREATE TABLE production_document (
    evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    production_id TEXT NOT NULL REFERENCES production(id) ON DELETE CASCADE,
    copy_id TEXT,
    disposition TEXT NOT NULL CHECK (disposition IN ('produced', 'redacted', 'withheld', 'native')),
    first_number INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= first_number),
    pages INTEGER NOT NULL CHECK (pages >= 1),
    PRIMARY KEY (evidence_id, production_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX production_document_production ON production_document(production_id, first_number);
