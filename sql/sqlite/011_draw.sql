-- mod_cmcas schema, version 11 (SQLite): the « tour de rôle » selection (issue 10).
--
-- An activity in mode 'tour_de_role' is drawn after its closing date. Its seed (64 hex
-- digits) is drawn when registrations open; only its SHA-256 is shown until the results
-- are published, then the seed itself, so anyone can run the draw again (docs/draw.md).
-- draw_done_at: when the draw ran (NULL: not yet); draw_published_at: when its results
-- were published (members see them, e-mails leave); a draw not yet published may be run
-- again.
ALTER TABLE activity ADD COLUMN draw_seed TEXT;
ALTER TABLE activity ADD COLUMN draw_done_at TEXT;
ALTER TABLE activity ADD COLUMN draw_published_at TEXT;
-- The places the draw gave out (free at the draw), published with its data.
ALTER TABLE activity ADD COLUMN draw_places INTEGER;
UPDATE activity SET draw_seed = lower(hex(randomblob(32))) WHERE mode = 'tour_de_role';
-- And every « tour de rôle » activity from its creation (whoever writes it), before any
-- request can be made: SQLite's randomness comes from the system's.
CREATE TRIGGER activity_draw_seed_insert AFTER INSERT ON activity
    WHEN new.mode = 'tour_de_role' AND new.draw_seed IS NULL BEGIN
    UPDATE activity SET draw_seed = lower(hex(randomblob(32))) WHERE id = new.id;
END;
CREATE TRIGGER activity_draw_seed_update AFTER UPDATE OF mode, draw_seed ON activity
    WHEN new.mode = 'tour_de_role' AND new.draw_seed IS NULL BEGIN
    UPDATE activity SET draw_seed = lower(hex(randomblob(32))) WHERE id = new.id;
END;

-- The coefficient social of the household (the CMCAS's quotient), NULL when unknown: the
-- draw's second criterion.
ALTER TABLE household ADD COLUMN coefficient INTEGER CHECK (coefficient >= 0);

-- What the draw decided for a request, and why (the values of each criterion):
--   selection: NULL (not drawn), 'retenue' (holds places_held places, to pay by pay_by),
--   'attente' (waiting list, in draw_rank order), 'non_retenue' (not eligible any more),
--   'liberee' (selected, not paid by pay_by: released), 'renonce' (declined by the
--   household).
ALTER TABLE registration ADD COLUMN selection TEXT
    CHECK (selection IN ('retenue', 'attente', 'non_retenue', 'liberee', 'renonce'));
ALTER TABLE registration ADD COLUMN draw_rank INTEGER;
ALTER TABLE registration ADD COLUMN draw_history REAL;       -- weighted activities obtained
ALTER TABLE registration ADD COLUMN draw_coefficient INTEGER;  -- NULL: unknown
ALTER TABLE registration ADD COLUMN draw_tiebreak TEXT;      -- SHA-256("seed:id"), hex
ALTER TABLE registration ADD COLUMN draw_persons INTEGER;
ALTER TABLE registration ADD COLUMN pay_by TEXT;             -- ISO date, for 'retenue'
CREATE INDEX registration_selection ON registration(activity_id, selection, draw_rank);

-- The activity's page shows the seed's commitment, then the seed and the results.
CREATE TRIGGER cmcas_data_version_activity_draw AFTER UPDATE OF
    draw_seed, draw_published_at ON activity BEGIN
    UPDATE cmcas_data_version SET catalog = catalog + 1;
END;

INSERT INTO cmcas_schema_version (version) VALUES (11);
