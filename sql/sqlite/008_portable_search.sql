-- mod_cmcas schema, version 8 (SQLite): nothing changes here. The catalog's search is now
-- written activity_search(q) (FTS5's table-valued form, the same as MATCH) so that one
-- statement serves both engines; PostgreSQL gets a function of that name
-- (sql/pgsql/008_portable_search.sql). The version keeps both schemas in step.

INSERT INTO cmcas_schema_version (version) VALUES (8);
