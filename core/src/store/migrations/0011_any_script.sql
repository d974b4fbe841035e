-- Schema version 11: search in any script.

-- The index again, with a column of the pairs of characters of Chinese, Japanese and Korean words
-- (`grams`), which write no space between words: "訴訟" is found inside "株式会社が訴訟を提起した".
-- The stems column now also holds the forms of words in the other languages Snowball has (Russian,
-- German, Spanish, …), each tagged with its language, and words are compared after Unicode's full
-- case folding ("Straße" is "strasse"). It is filled again from the record on the next open
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
