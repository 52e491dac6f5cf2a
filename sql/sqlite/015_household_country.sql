-- mod_cmcas schema, version 15 (SQLite): the country of a household's (billing) address,
-- printed on its invoices (issue 12). France unless the member says otherwise.
ALTER TABLE household ADD COLUMN country TEXT NOT NULL DEFAULT 'France'
    CHECK (length(country) BETWEEN 1 AND 60);

INSERT INTO cmcas_schema_version (version) VALUES (15);
