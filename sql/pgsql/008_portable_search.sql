-- mod_cmcas schema, version 8 (PostgreSQL): the catalog's search under the name and form
-- the module's statement uses on both engines, activity_search(q) returning rowid
-- (SQLite's FTS5 table queried as a function).
--
-- q is what the module builds (cmcas_catalog_match): "w1"* "w2"* ..., words of letters and
-- digits only; each becomes a prefix term of the tsquery, all required: every word typed
-- must begin a word of the title or description, accents and case aside.

CREATE FUNCTION activity_search(q text) RETURNS TABLE (rowid BIGINT)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT a.id FROM activity a
     WHERE a.search @@ to_tsquery('simple', (
               SELECT string_agg(quote_literal(cmcas_fold(w)) || ':*', ' & ')
                 FROM regexp_split_to_table(trim(translate(q, '"*', '  ')), '\s+') AS w
                WHERE w <> ''))
$$;

INSERT INTO cmcas_schema_version (version) VALUES (8);
