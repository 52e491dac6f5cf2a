-- mod_cmcas schema, version 16 (SQLite): invoices (« factures ») and credit notes
-- (« avoirs »), issue 12. Each is issued once, in the transaction that records the
-- payment (or the refund), and never changes: every value the document shows is copied
-- here at the issue, so prices, addresses or the CMCAS's settings changed later do not
-- change it. Absent values are '' (never NULL).

-- The last number given, per organising CMCAS, kind and year: taken by
-- « UPDATE ... SET last = last + 1 ... RETURNING last » inside the issuing transaction,
-- so that numbers have no gap (a rollback gives the number back) and no duplicate (the
-- row is locked until the commit).
CREATE TABLE cmcas_invoice_counter (
    cmcas_code  TEXT NOT NULL REFERENCES cmcas(code),
    kind        TEXT NOT NULL CHECK (kind IN ('facture', 'avoir')),
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last        INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (cmcas_code, kind, year)
);

CREATE TABLE cmcas_invoice (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('facture', 'avoir')),
    number              TEXT NOT NULL UNIQUE,       -- BN-2026-00042, BN-AV-2026-00003
    order_id            INTEGER NOT NULL REFERENCES cmcas_order(id),
    household_id        INTEGER NOT NULL REFERENCES household(id),
    issued_on           TEXT NOT NULL,              -- ISO date
    issued_at           TEXT NOT NULL,              -- ISO 8601 UTC
    order_reference     TEXT NOT NULL,
    credited_number     TEXT NOT NULL DEFAULT '',   -- an avoir: the invoice it cancels
    cmcas_code          TEXT NOT NULL REFERENCES cmcas(code),  -- the seller, as it was
    cmcas_name          TEXT NOT NULL,
    cmcas_street        TEXT NOT NULL,
    cmcas_postcode      TEXT NOT NULL,
    cmcas_city          TEXT NOT NULL,
    cmcas_phone         TEXT NOT NULL,
    cmcas_email         TEXT NOT NULL,
    legal               TEXT NOT NULL,              -- CMCASInvoiceLegal lines, '\n' apart
    household_name      TEXT NOT NULL,              -- the buyer: its ouvrant droit
    street              TEXT NOT NULL,
    postcode            TEXT NOT NULL,
    city                TEXT NOT NULL,
    country             TEXT NOT NULL,
    activity_title      TEXT NOT NULL,
    activity_start      TEXT NOT NULL,
    activity_end        TEXT NOT NULL,
    total_price         INTEGER NOT NULL,
    total_participation INTEGER NOT NULL,
    total_amount        INTEGER NOT NULL,
    method              TEXT NOT NULL,              -- in French
    instalments         TEXT NOT NULL,              -- 'AAAA-MM-JJ=cents' lines, '\n' apart
    UNIQUE (order_id, kind)
);
CREATE INDEX cmcas_invoice_household ON cmcas_invoice(household_id, order_reference);

CREATE TABLE cmcas_invoice_line (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL REFERENCES cmcas_invoice(id),
    position      INTEGER NOT NULL,
    person        TEXT NOT NULL,
    label         TEXT NOT NULL,
    price         INTEGER NOT NULL,
    participation INTEGER NOT NULL,
    amount        INTEGER NOT NULL,
    UNIQUE (invoice_id, position)
);

INSERT INTO cmcas_schema_version (version) VALUES (16);
