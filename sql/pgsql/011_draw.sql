-- mod_cmcas schema, version 11 (PostgreSQL): the « tour de rôle » selection (issue 10).
-- The same as sql/sqlite/011_draw.sql, which says what each column means.
ALTER TABLE activity ADD COLUMN draw_seed TEXT;
ALTER TABLE activity ADD COLUMN draw_done_at TEXT;
ALTER TABLE activity ADD COLUMN draw_published_at TEXT;
ALTER TABLE activity ADD COLUMN draw_places INTEGER;
-- gen_random_uuid() draws from the server's strong random source (PostgreSQL 13+).
UPDATE activity
   SET draw_seed = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
 WHERE mode = 'tour_de_role';
CREATE FUNCTION activity_draw_seed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.mode = 'tour_de_role' AND NEW.draw_seed IS NULL THEN
        NEW.draw_seed := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER activity_draw_seed BEFORE INSERT OR UPDATE OF mode, draw_seed ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_draw_seed();

ALTER TABLE household ADD COLUMN coefficient INTEGER CHECK (coefficient >= 0);

ALTER TABLE registration ADD COLUMN selection TEXT
    CHECK (selection IN ('retenue', 'attente', 'non_retenue', 'liberee', 'renonce'));
ALTER TABLE registration ADD COLUMN draw_rank INTEGER;
ALTER TABLE registration ADD COLUMN draw_history DOUBLE PRECISION;
ALTER TABLE registration ADD COLUMN draw_coefficient INTEGER;
ALTER TABLE registration ADD COLUMN draw_tiebreak TEXT;
ALTER TABLE registration ADD COLUMN draw_persons INTEGER;
ALTER TABLE registration ADD COLUMN pay_by TEXT;
CREATE INDEX registration_selection ON registration(activity_id, selection, draw_rank);

CREATE TRIGGER cmcas_data_version_activity_draw AFTER UPDATE OF
    draw_seed, draw_published_at ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION cmcas_data_version_catalog_bump();

INSERT INTO cmcas_schema_version (version) VALUES (11);
