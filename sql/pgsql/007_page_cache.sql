-- mod_cmcas schema, version 7 (PostgreSQL): what the page cache and the catalog's paging
-- need (sql/sqlite/007_page_cache.sql, which says why).
--
-- cmcas_data_version counts the changes to what the shared pages show (catalog) and to the
-- places taken (places), kept by triggers so that any writer is seen, in the writer's
-- transaction: a reader sees a new count only with the change it counts (a sequence,
-- which moves before the commit, would let a page of the old data be kept under the new
-- count). The places change with every validation: their count is spread over 64 rows
-- (by activity) so that validations of different activities do not wait for each
-- other's commit on one row; those of one activity already wait on its row. A migration
-- that adds a column the pages show must add it to the trigger's list below.

CREATE TABLE cmcas_catalog_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO cmcas_catalog_version (id, n) VALUES (1, 1);

CREATE TABLE cmcas_places_version (
    slot  INTEGER PRIMARY KEY CHECK (slot BETWEEN 0 AND 63),
    n     BIGINT NOT NULL
);
INSERT INTO cmcas_places_version (slot, n) SELECT s, 0 FROM generate_series(0, 63) AS s;

-- Read like the SQLite table: SELECT catalog, places FROM cmcas_data_version WHERE id = 1.
CREATE VIEW cmcas_data_version AS
    SELECT 1 AS id,
           (SELECT n FROM cmcas_catalog_version WHERE id = 1) AS catalog,
           (SELECT sum(n) FROM cmcas_places_version)::BIGINT AS places;

CREATE FUNCTION cmcas_data_version_catalog_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cmcas_catalog_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE FUNCTION cmcas_data_version_places_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.places_taken IS DISTINCT FROM OLD.places_taken THEN
        UPDATE cmcas_places_version SET n = n + 1 WHERE slot = NEW.id % 64;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER cmcas_data_version_activity AFTER INSERT OR DELETE ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION cmcas_data_version_catalog_bump();
CREATE TRIGGER cmcas_data_version_activity_update AFTER UPDATE OF
    cmcas_code, theme, title, description, image, place, start_date, end_date, closing_date,
    capacity, published_at, open_to_others, mode, guests_allowed, max_guests, min_age,
    max_age ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION cmcas_data_version_catalog_bump();
CREATE TRIGGER cmcas_data_version_places AFTER UPDATE OF places_taken ON activity
    FOR EACH ROW EXECUTE FUNCTION cmcas_data_version_places_bump();
CREATE TRIGGER cmcas_data_version_option AFTER INSERT OR UPDATE OR DELETE ON activity_option
    FOR EACH STATEMENT EXECUTE FUNCTION cmcas_data_version_catalog_bump();
CREATE TRIGGER cmcas_data_version_cmcas AFTER INSERT OR UPDATE OR DELETE ON cmcas
    FOR EACH STATEMENT EXECUTE FUNCTION cmcas_data_version_catalog_bump();

-- The catalog's lists, read in their order from an index that also holds every column
-- they filter on (see the SQLite file); they replace the older indexes.
DROP INDEX activity_cmcas;
DROP INDEX activity_open;
DROP INDEX activity_catalog;
CREATE INDEX activity_list_own ON activity(
    cmcas_code, start_date, id, end_date, published_at, closing_date, theme);
CREATE INDEX activity_list_others ON activity(
    open_to_others, start_date, id, cmcas_code, end_date, published_at, closing_date, theme);

INSERT INTO cmcas_schema_version (version) VALUES (7);
