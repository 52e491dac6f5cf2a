-- mod_cmcas schema, version 13 (SQLite): the back-office of CMCAS staff (issue 11).

-- A staff member of a CMCAS. Apache authenticates them (the staff area's own
-- <Location>, e.g. AuthDBDUserPWQuery on this table: password is bcrypt and read by
-- mod_authn_dbd only); the module then only lets a login listed here act, and only on the
-- data of its CMCAS (docs/operations.md, « Back-office »).
CREATE TABLE cmcas_staff (
    login       TEXT PRIMARY KEY CHECK (length(login) BETWEEN 1 AND 100),
    password    TEXT NOT NULL,
    cmcas_code  TEXT NOT NULL REFERENCES cmcas(code),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (datetime('now'))
);

-- Every change made by staff: who, when, what, the values before and after (text, one
-- « champ : valeur » per line; NULL before a creation), in the transaction of the change.
CREATE TABLE cmcas_audit (
    id          INTEGER PRIMARY KEY,
    cmcas_code  TEXT NOT NULL REFERENCES cmcas(code),
    at          TEXT NOT NULL,          -- ISO 8601 UTC
    actor       TEXT NOT NULL,          -- the staff login
    action      TEXT NOT NULL,          -- what, in French (« Activité créée »)
    object      TEXT NOT NULL,          -- on what (« activité 12 », « commande ABCDEFGHI »)
    before      TEXT,
    after       TEXT
);
CREATE INDEX cmcas_audit_cmcas ON cmcas_audit(cmcas_code, id);

-- Money received at the CMCAS's desk for an order, or given back (a refund): means, amount
-- and day, recorded by staff. One of each kind per order at most.
CREATE TABLE cmcas_order_payment (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES cmcas_order(id),
    kind        TEXT NOT NULL CHECK (kind IN ('paiement', 'remboursement')),
    means       TEXT NOT NULL CHECK (means IN ('especes', 'cheque', 'cheques_vacances',
                                                'virement', 'carte')),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    on_date     TEXT NOT NULL CHECK (on_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT NOT NULL DEFAULT '',   -- e.g. the cheque's number
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,              -- ISO 8601 UTC, when it was recorded
    UNIQUE (order_id, kind)
);

-- An order « à rembourser » whose refund is recorded: the member sees « Remboursée ».
ALTER TABLE cmcas_order ADD COLUMN refunded_at TEXT;

-- Activity pictures uploaded by staff, kept in the database (every server of a cluster
-- serves them) under the name the pages link: the SHA-256 of the bytes and the extension.
CREATE TABLE cmcas_image (
    name         TEXT PRIMARY KEY CHECK (length(name) BETWEEN 5 AND 80),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    data         TEXT NOT NULL,             -- base64
    bytes        INTEGER NOT NULL CHECK (bytes > 0),
    created_at   TEXT NOT NULL
);

INSERT INTO cmcas_schema_version (version) VALUES (13);
