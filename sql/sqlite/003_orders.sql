-- mod_cmcas schema, version 3 (SQLite): orders and their payment.

-- An order pays one validated registration. cmcas_code is the payee: the CMCAS that
-- organises the activity. Amounts are integer cents, priced when the order is made.
CREATE TABLE cmcas_order (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE
                    CHECK (reference GLOB '[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]'),
    registration_id INTEGER NOT NULL REFERENCES registration(id),
    household_id    INTEGER NOT NULL REFERENCES household(id),
    cmcas_code      TEXT NOT NULL REFERENCES cmcas(code),
    total           INTEGER NOT NULL CHECK (total > 0),
    method          TEXT NOT NULL CHECK (method IN ('cmcas', 'paybox', 'systempay')),
    instalments     INTEGER NOT NULL DEFAULT 1 CHECK (instalments BETWEEN 1 AND 4),
    status          TEXT NOT NULL CHECK (status IN ('attente_cmcas', 'attente_cb', 'payee',
                        'refusee', 'annulee', 'a_rembourser')),
    hold_until      TEXT NOT NULL,      -- ISO 8601 UTC: the places are held until then
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX cmcas_order_household ON cmcas_order(household_id);
-- At most one order waiting for its payment per registration.
CREATE UNIQUE INDEX cmcas_order_one_waiting ON cmcas_order(registration_id)
    WHERE status IN ('attente_cmcas', 'attente_cb');

CREATE TABLE cmcas_order_line (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES cmcas_order(id),
    position      INTEGER NOT NULL,
    person        TEXT NOT NULL,        -- « Prénom NOM » as at the order
    option_label  TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    participation INTEGER NOT NULL CHECK (participation >= 0)
);
CREATE INDEX cmcas_order_line_order ON cmcas_order_line(order_id, position);

CREATE TABLE cmcas_order_event (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES cmcas_order(id),
    at        TEXT NOT NULL,            -- ISO 8601 UTC
    actor     TEXT NOT NULL,
    status    TEXT NOT NULL,            -- the order's status after the event
    event     TEXT NOT NULL
);
CREATE INDEX cmcas_order_event_order ON cmcas_order_event(order_id, id);

INSERT INTO cmcas_schema_version (version) VALUES (3);
