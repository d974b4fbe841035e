-- Schema version 6: the case list finds a case's last activity without reading all its records.

-- The records newest first: a case's last activity is the first of them that belongs to it, found
-- without visiting the case's other records (a case of 100,000 records took 217 ms to list).
CREATE INDEX record_updated ON record(updated_at);
