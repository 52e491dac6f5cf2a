-- mod_cmcas schema, version 17 (SQLite): two more kinds of message in the outbox, so that
-- a member hears of the money the CMCAS owes back: 'refund_due' (a change of a paid
-- registration made by the CMCAS lowers its price: the difference will be refunded) and
-- 'refunded' (the CMCAS's staff recorded the refund). SQLite cannot change a CHECK: the
-- table is rebuilt with the same columns, rows and index.

CREATE TABLE cmcas_outbox_17 (
    id               INTEGER PRIMARY KEY,
    event_key        TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('validated', 'request', 'order_desk',
                         'payment_accepted', 'payment_refused', 'cancelled', 'selected',
                         'waiting', 'promoted', 'not_selected', 'released', 'refund_due',
                         'refunded')),
    household_id     INTEGER NOT NULL,
    registration_id  INTEGER,
    order_id         INTEGER,
    detail           TEXT,              -- see cmcas_outbox_store.h
    created_at       TEXT NOT NULL,     -- ISO 8601 UTC
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL DEFAULT 0,
    claimed_until    BIGINT NOT NULL DEFAULT 0,
    sent_at          TEXT,              -- ISO 8601 UTC; NULL: not sent yet
    last_error       TEXT
);
INSERT INTO cmcas_outbox_17 (id, event_key, kind, household_id, registration_id, order_id,
                             detail, created_at, attempts, next_attempt_at, claimed_until,
                             sent_at, last_error)
    SELECT id, event_key, kind, household_id, registration_id, order_id, detail, created_at,
           attempts, next_attempt_at, claimed_until, sent_at, last_error
      FROM cmcas_outbox;
DROP TABLE cmcas_outbox;
ALTER TABLE cmcas_outbox_17 RENAME TO cmcas_outbox;
CREATE INDEX cmcas_outbox_due ON cmcas_outbox (next_attempt_at, id) WHERE sent_at IS NULL;

INSERT INTO cmcas_schema_version (version) VALUES (17);
