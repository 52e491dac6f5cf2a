-- mod_cmcas schema, version 6 (PostgreSQL): the catalog's search index
-- (sql/sqlite/006_catalog_search.sql, which uses SQLite's FTS5).
--
-- Titles and descriptions are searched case- and accent-insensitively: every word typed
-- must begin a word ("randonnee vass" finds « Randonnée au lac de Vassivière »). Here a
-- generated tsvector of the unaccented, lower-cased text with the 'simple' configuration
-- (no stemming, no stop words: as FTS5's unicode61), searched with prefix terms
-- (word:*), under a GIN index. unaccent is a trusted extension: the database's owner may
-- create it (PostgreSQL 13 and later).

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); a generated column needs an
-- IMMUTABLE function: this one names its dictionary, the documented way to make it so.
CREATE FUNCTION cmcas_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

ALTER TABLE activity ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', cmcas_fold(title || ' ' || description)))
    STORED;
CREATE INDEX activity_search ON activity USING gin (search);

-- The catalog's order: a CMCAS's (or the open) activities by start date.
CREATE INDEX activity_catalog ON activity(cmcas_code, start_date, id);

INSERT INTO cmcas_schema_version (version) VALUES (6);
