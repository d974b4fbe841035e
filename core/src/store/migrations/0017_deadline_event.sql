-- Schema version 17: a letter's deadline rule may count from an event of its case (a hearing), and
-- back from it, or with the three days US federal courts add for service by mail.

-- `deadline_event`: the event the rule counts from, instead of receipt or the letter's date. The
-- core recounts the deadline whenever the event's date changes, and refuses to delete or erase an
-- event a deadline counts from (no SQL reference: a column used in one could never be dropped).
-- `deadline_before`: counted back from the event. `deadline_mail`: FRCP 6(d)'s three more days.
ALTER TABLE letter ADD COLUMN deadline_event TEXT;
ALTER TABLE letter ADD COLUMN deadline_before INTEGER NOT NULL DEFAULT 0 CHECK (deadline_before IN (0, 1));
ALTER TABLE letter ADD COLUMN deadline_mail INTEGER NOT NULL DEFAULT 0 CHECK (deadline_mail IN (0, 1));
CREATE INDEX letter_deadline_event ON letter(deadline_event) WHERE deadline_event IS NOT NULL;
