-- mod_cmcas schema, version 7 (SQLite): what the page cache and the catalog's paging need.
--
-- The catalog and the activities' pages are the same for every member of a CMCAS (but for
-- their name): each Apache process keeps them rendered (docs/performance.md) and must
-- know when one is out of date. cmcas_data_version counts the changes, kept by triggers
-- so that any writer (the module, the sqlite3 shell, an import) is seen:
--   catalog: anything those pages show but the places taken (activities, options, CMCAS
--            names);
--   places:  the places taken (CMCASPageCache lets a page show them a little late).
-- A migration that adds a column to activity, activity_option or cmcas that the pages
-- show must add it to the triggers' column lists below.

CREATE TABLE cmcas_data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    catalog  BIGINT NOT NULL,
    places   BIGINT NOT NULL
);
INSERT INTO cmcas_data_version (id, catalog, places) VALUES (1, 1, 1);

CREATE TRIGGER cmcas_data_version_activity_insert AFTER INSERT ON activity BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_activity_delete AFTER DELETE ON activity BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_activity_update AFTER UPDATE OF
    cmcas_code, theme, title, description, image, place, start_date, end_date, closing_date,
    capacity, published_at, open_to_others, mode, guests_allowed, max_guests, min_age,
    max_age ON activity BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_places AFTER UPDATE OF places_taken ON activity
    WHEN new.places_taken IS NOT old.places_taken BEGIN
    UPDATE cmcas_data_version SET places = places + 1;
END;

CREATE TRIGGER cmcas_data_version_option_insert AFTER INSERT ON activity_option BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_option_update AFTER UPDATE ON activity_option BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_option_delete AFTER DELETE ON activity_option BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;

CREATE TRIGGER cmcas_data_version_cmcas_insert AFTER INSERT ON cmcas BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_cmcas_update AFTER UPDATE ON cmcas BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;
CREATE TRIGGER cmcas_data_version_cmcas_delete AFTER DELETE ON cmcas BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;

-- The catalog's lists, read in their order (start date, id) from an index that also
-- holds every column they filter on: a page reads its own rows, not every activity's,
-- and counting the listed ones reads only the index. They replace the older indexes on
-- the same first columns (the planner would otherwise take those and sort).
DROP INDEX activity_cmcas;
DROP INDEX activity_open;
DROP INDEX activity_catalog;
CREATE INDEX activity_list_own ON activity(
    cmcas_code, start_date, id, end_date, published_at, closing_date, theme);
CREATE INDEX activity_list_others ON activity(
    open_to_others, start_date, id, cmcas_code, end_date, published_at, closing_date, theme);

INSERT INTO cmcas_schema_version (version) VALUES (7);
