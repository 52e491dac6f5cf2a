-- mod_cmcas schema, version 2 (SQLite): registrations.

-- Who may register (shown on the activity's page).
ALTER TABLE activity ADD COLUMN guests_allowed INTEGER NOT NULL DEFAULT 1
    CHECK (guests_allowed IN (0, 1));
ALTER TABLE activity ADD COLUMN max_guests INTEGER CHECK (max_guests >= 0);  -- per household; NULL: no limit
ALTER TABLE activity ADD COLUMN min_age INTEGER CHECK (min_age BETWEEN 0 AND 150);  -- on start_date
ALTER TABLE activity ADD COLUMN max_age INTEGER CHECK (max_age BETWEEN 0 AND 150);

-- One registration per household and activity: coming back reopens it.
-- places_held: the places this registration holds in activity.places_taken.
CREATE TABLE registration (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES activity(id),
    household_id INTEGER NOT NULL REFERENCES household(id),
    status       TEXT NOT NULL DEFAULT 'brouillon'
                 CHECK (status IN ('brouillon', 'validee', 'payee', 'annulee')),
    observations TEXT NOT NULL DEFAULT '',
    places_held  INTEGER NOT NULL DEFAULT 0 CHECK (places_held >= 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (activity_id, household_id)
);
CREATE INDEX registration_household ON registration(household_id);

-- The persons of a registration: a person of the household, or a guest (person_id NULL,
-- names and birth date typed by the member). confirmed: counted in places_held (or, for
-- a « tour de rôle » activity, part of the validated request).
CREATE TABLE registration_person (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registration(id),
    person_id       INTEGER REFERENCES person(id),
    last_name       TEXT,
    first_name      TEXT,
    birth_date      TEXT,
    photo_optout    INTEGER NOT NULL DEFAULT 0 CHECK (photo_optout IN (0, 1)),
    confirmed       INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    CHECK (person_id IS NOT NULL OR (last_name IS NOT NULL AND first_name IS NOT NULL
                                     AND birth_date IS NOT NULL))
);
CREATE INDEX registration_person_registration ON registration_person(registration_id);
CREATE UNIQUE INDEX registration_person_once ON registration_person(registration_id, person_id)
    WHERE person_id IS NOT NULL;

CREATE TABLE registration_option (
    registration_person_id INTEGER NOT NULL REFERENCES registration_person(id),
    option_id              INTEGER NOT NULL REFERENCES activity_option(id),
    PRIMARY KEY (registration_person_id, option_id)
);

-- Every change of a registration: when, who (the login), what.
CREATE TABLE registration_event (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registration(id),
    at              TEXT NOT NULL,        -- ISO 8601 UTC, e.g. 2026-11-28T10:14:03Z
    actor           TEXT NOT NULL,
    status          TEXT NOT NULL,        -- the registration's status after the change
    event           TEXT NOT NULL         -- what happened, in French
);
CREATE INDEX registration_event_registration ON registration_event(registration_id, id);

INSERT INTO cmcas_schema_version (version) VALUES (2);
