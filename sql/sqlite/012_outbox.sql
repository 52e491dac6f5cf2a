-- mod_cmcas schema, version 12 (SQLite): the e-mail outbox.
--
-- Every message a member must get is a row, written in the same transaction as the change
-- it reports (a rolled-back change leaves no message), then delivered by the background
-- job of CMCASMailCommand (docs/operations.md, « E-mails »). event_key names the event:
-- a second message for the same event is not written, so none is sent twice. The row
-- holds references only; the message is composed at delivery from the activity, the
-- order and the CMCAS's settings. No foreign keys: a message outlives a purge of what it
-- reports. Times in seconds since 1970 (the servers' clocks), like cmcas_job's lease:
-- next_attempt_at is when it is due (0: at once), claimed_until is set by the conditional
-- update of the server sending it, so that two servers never both send it; attempts
-- counts the tries (each failure waits 1, 2, 4... CMCASMailInterval, at most an hour).

CREATE TABLE cmcas_outbox (
    id               INTEGER PRIMARY KEY,
    event_key        TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('validated', 'request', 'order_desk',
                         'payment_accepted', 'payment_refused', 'cancelled', 'selected',
                         'waiting', 'promoted', 'not_selected', 'released')),
    household_id     INTEGER NOT NULL,
    registration_id  INTEGER,
    order_id         INTEGER,
    detail           TEXT,              -- pay-by date, waiting position, draw date
    created_at       TEXT NOT NULL,     -- ISO 8601 UTC
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL DEFAULT 0,
    claimed_until    BIGINT NOT NULL DEFAULT 0,
    sent_at          TEXT,              -- ISO 8601 UTC; NULL: not sent yet
    last_error       TEXT
);
-- What the job looks for: the messages not sent yet, by when they are due.
CREATE INDEX cmcas_outbox_due ON cmcas_outbox (next_attempt_at, id) WHERE sent_at IS NULL;

INSERT INTO cmcas_job (name) VALUES ('mail');

INSERT INTO cmcas_schema_version (version) VALUES (12);
