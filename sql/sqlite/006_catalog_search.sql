-- mod_cmcas schema, version 6 (SQLite): the catalog's search index.
-- The catalog is searched, ordered and paged in the database, so that its cost does not
-- grow with the number of activities. Titles and descriptions are indexed with FTS5,
-- case- and accent-insensitive; the triggers keep the index in step with any writer
-- (the module, the sqlite3 shell, an import).

CREATE VIRTUAL TABLE activity_search USING fts5(
    title, description, content='activity', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');

INSERT INTO activity_search (activity_search) VALUES ('rebuild');

CREATE TRIGGER activity_search_insert AFTER INSERT ON activity BEGIN
    INSERT INTO activity_search (rowid, title, description)
        VALUES (new.id, new.title, new.description);
END;

CREATE TRIGGER activity_search_delete AFTER DELETE ON activity BEGIN
    INSERT INTO activity_search (activity_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
END;

CREATE TRIGGER activity_search_update AFTER UPDATE OF title, description ON activity BEGIN
    INSERT INTO activity_search (activity_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO activity_search (rowid, title, description)
        VALUES (new.id, new.title, new.description);
END;

-- The catalog's order: a CMCAS's (or the open) activities by start date.
CREATE INDEX activity_catalog ON activity(cmcas_code, start_date, id);

INSERT INTO cmcas_schema_version (version) VALUES (6);
