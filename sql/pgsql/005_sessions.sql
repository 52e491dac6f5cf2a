-- mod_cmcas schema, version 5 (PostgreSQL): the members' sessions, kept by Apache's
-- mod_session_dbd (sql/sqlite/005_sessions.sql; docs/operations.md, « Authentication »).
-- The same table; the triggers are PostgreSQL's (BEFORE: the row is corrected as it is
-- written).

CREATE TABLE cmcas_session (
    id        VARCHAR(64) PRIMARY KEY,  -- the cookie's value: a random UUID, new at login
    data      TEXT NOT NULL,            -- mod_session's encoded session (key=value&...)
    expiry    BIGINT NOT NULL,          -- idle end: last write + SessionMaxAge
    deadline  BIGINT NOT NULL           -- absolute end, set once when the row is created
);

-- Expired rows are deleted by expiry (mod_session_dbd itself never does it).
CREATE INDEX cmcas_session_expiry ON cmcas_session (expiry);

-- A session never outlives its deadline, and no password rests in it: where mod_auth_form
-- keeps the hash of the login with AuthFormSitePassphrase ("-site="), the password's value
-- ("-pw=", up to the next '&') is replaced by '*' (see the SQLite file for why).
CREATE FUNCTION cmcas_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.expiry > NEW.deadline THEN
        NEW.expiry := NEW.deadline;
    END IF;
    IF position('-site=' IN NEW.data) > 0 AND position('-pw=' IN NEW.data) > 0 THEN
        NEW.data := regexp_replace(NEW.data, '-pw=[^&]*', '-pw=*');
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER cmcas_session_guard BEFORE INSERT OR UPDATE ON cmcas_session
    FOR EACH ROW EXECUTE FUNCTION cmcas_session_guard();

INSERT INTO cmcas_schema_version (version) VALUES (5);
