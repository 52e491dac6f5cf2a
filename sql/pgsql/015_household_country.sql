-- mod_cmcas schema, version 15 (PostgreSQL): the same as sql/sqlite/015_household_country.sql.
ALTER TABLE household ADD COLUMN country TEXT NOT NULL DEFAULT 'France'
    CHECK (length(country) BETWEEN 1 AND 60);

INSERT INTO cmcas_schema_version (version) VALUES (15);
