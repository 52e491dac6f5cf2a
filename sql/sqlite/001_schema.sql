-- mod_cmcas schema, version 1 (SQLite).
-- Money is integer cents; dates are ISO-8601 text (YYYY-MM-DD), compared as text.
-- Later issues add files 002_*.sql, 003_*.sql ... each ending with its version row.

PRAGMA foreign_keys = ON;

CREATE TABLE cmcas_schema_version (
    version     INTEGER PRIMARY KEY,
    applied_at  TEXT NOT NULL DEFAULT (datetime('now'))
);

-- One row per CMCAS known to the database. Contact details and payment settings are
-- the administrator's and live in httpd.conf (<CMCAS code> blocks); the code is the link.
CREATE TABLE cmcas (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 16),
    name        TEXT NOT NULL
);

-- A household: the ouvrant droit's account. One login per household; the password
-- column is read by mod_authn_dbd only (bcrypt), never by the module.
CREATE TABLE household (
    id          INTEGER PRIMARY KEY,
    cmcas_code  TEXT NOT NULL REFERENCES cmcas(code),
    login       TEXT NOT NULL UNIQUE,
    password    TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT,
    street      TEXT,
    postcode    TEXT,
    city        TEXT,
    created_at  TEXT NOT NULL DEFAULT (datetime('now'))
);

-- The persons of a household: exactly one ouvrant droit (OD) and its ayants droit (AD).
CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    role         TEXT NOT NULL CHECK (role IN ('OD', 'AD')),
    last_name    TEXT NOT NULL,
    first_name   TEXT NOT NULL,
    birth_date   TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
CREATE INDEX person_household ON person(household_id);
CREATE UNIQUE INDEX person_one_od ON person(household_id) WHERE role = 'OD';

CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    cmcas_code    TEXT NOT NULL REFERENCES cmcas(code),
    theme         TEXT NOT NULL CHECK (theme IN ('CULTURE', 'FORMATION', 'LOISIR',
                      'SANTE-PREVOYANCE', 'SPORT', 'VIE-ORGANISME', 'VOYAGE-SEJOUR')),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    image         TEXT,                     -- URL path of the picture, may be NULL
    place         TEXT NOT NULL DEFAULT '',
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    closing_date  TEXT NOT NULL,            -- last day registrations are accepted
    capacity      INTEGER NOT NULL CHECK (capacity >= 0),
    places_taken  INTEGER NOT NULL DEFAULT 0 CHECK (places_taken >= 0),
    published_at  TEXT,                     -- NULL: not published yet
    open_to_others INTEGER NOT NULL DEFAULT 0 CHECK (open_to_others IN (0, 1)),
    mode          TEXT NOT NULL CHECK (mode IN ('immediat', 'tour_de_role')),
    CHECK (end_date >= start_date),
    CHECK (places_taken <= capacity)
);
CREATE INDEX activity_cmcas ON activity(cmcas_code, published_at);
CREATE INDEX activity_open ON activity(open_to_others, published_at);

-- Prestations of an activity. "price" is what the person pays for the option,
-- "participation" the CMCAS subsidy, for a beneficiary (OD/AD) and for a guest.
CREATE TABLE activity_option (
    id                  INTEGER PRIMARY KEY,
    activity_id         INTEGER NOT NULL REFERENCES activity(id),
    position            INTEGER NOT NULL DEFAULT 0,
    label               TEXT NOT NULL,
    price_beneficiary   INTEGER NOT NULL CHECK (price_beneficiary >= 0),
    participation_beneficiary INTEGER NOT NULL DEFAULT 0 CHECK (participation_beneficiary >= 0),
    price_guest         INTEGER NOT NULL CHECK (price_guest >= 0),
    participation_guest INTEGER NOT NULL DEFAULT 0 CHECK (participation_guest >= 0)
);
CREATE INDEX activity_option_activity ON activity_option(activity_id, position);

INSERT INTO cmcas_schema_version (version) VALUES (1);
