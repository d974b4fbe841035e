-- Schema version 8: the parties of each record, materialized.

-- Each party a record involves (the `record_party` view) or names as its source (the `record_source`
-- view), one row per record and party, kept current by the write path like `timeline_row`. A page of
-- the timeline reads the parties of its 200 entries with one index range each, and the party filter
-- tests an entry with one lookup, instead of going through the views' unions of eight tables (half the
-- time of a page of a 100,000-item case went there).
CREATE TABLE record_party_row (
    record_id TEXT NOT NULL,
    party_id  TEXT NOT NULL,
    involved  INTEGER NOT NULL CHECK (involved IN (0, 1)),
    cited     INTEGER NOT NULL CHECK (cited IN (0, 1)),
    PRIMARY KEY (record_id, party_id)
) STRICT, WITHOUT ROWID;

INSERT INTO record_party_row (record_id, party_id, involved, cited)
    SELECT record_id, party_id, max(involved), max(cited)
      FROM (SELECT record_id, party_id, 1 AS involved, 0 AS cited FROM record_party
            UNION ALL SELECT record_id, party_id, 0, 1 FROM record_source)
     GROUP BY record_id, party_id;
