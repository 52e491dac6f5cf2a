-- mod_cmcas schema, version 5 (SQLite): the members' sessions, kept by Apache's
-- mod_session_dbd (docs/operations.md, « Authentication »). The cookie holds only the id;
-- every node of a cluster reads the same rows, and logging out deletes the row.
--
-- mod_session_dbd's statements, prepared in httpd.conf (DBDPrepareSQL), bind in this
-- order: select (id, now), insert (data, expiry, id), update (data, expiry, new id, old
-- id), delete (id). Times are Apache's: microseconds since 1970 (apr_time_t), 64 bits.
-- Plain SQL types and statements, so that the PostgreSQL schema is the same table; only
-- the triggers are written in each engine's dialect.

CREATE TABLE cmcas_session (
    id        VARCHAR(64) PRIMARY KEY,  -- the cookie's value: a random UUID, new at login
    data      TEXT NOT NULL,            -- mod_session's encoded session (key=value&...)
    expiry    BIGINT NOT NULL,          -- idle end: last write + SessionMaxAge
    deadline  BIGINT NOT NULL           -- absolute end, set once when the row is created
);

-- Expired rows are deleted by expiry (mod_session_dbd itself never does it).
CREATE INDEX cmcas_session_expiry ON cmcas_session (expiry);

-- A session never outlives its deadline: each write that pushes the idle end further
-- stops at the deadline, so the plain `expiry > now` test of the select ends both.
CREATE TRIGGER cmcas_session_deadline AFTER UPDATE OF expiry ON cmcas_session
WHEN new.expiry > new.deadline BEGIN
    UPDATE cmcas_session SET expiry = new.deadline WHERE id = new.id;
END;

-- No password at rest. mod_auth_form keeps the login's password in the session beside the
-- hash of the login with AuthFormSitePassphrase ("<AuthName>-site"), and with that hash
-- it never reads the password again (it only needs one). Where the hash is present, the
-- password's value ("<AuthName>-pw=", up to the next '&': mod_session URL-encodes keys
-- and values, so '=' and '&' are separators only) is replaced by '*'. Without a site
-- passphrase the password is what mod_auth_form checks on each request: left alone.
-- (PostgreSQL: a BEFORE trigger, regexp_replace(data, '-pw=[^&]*', '-pw=*').)
CREATE TRIGGER cmcas_session_insert_no_password AFTER INSERT ON cmcas_session
WHEN instr(new.data, '-site=') > 0 AND instr(new.data, '-pw=') > 0
     AND instr(new.data || '&', '-pw=*&') = 0 BEGIN
    UPDATE cmcas_session
       SET data = substr(new.data, 1, instr(new.data, '-pw=') + 3) || '*'
                  || substr(substr(new.data, instr(new.data, '-pw=') + 4),
                            instr(substr(new.data, instr(new.data, '-pw=') + 4) || '&', '&'))
     WHERE id = new.id;
END;

CREATE TRIGGER cmcas_session_update_no_password AFTER UPDATE OF data ON cmcas_session
WHEN instr(new.data, '-site=') > 0 AND instr(new.data, '-pw=') > 0
     AND instr(new.data || '&', '-pw=*&') = 0 BEGIN
    UPDATE cmcas_session
       SET data = substr(new.data, 1, instr(new.data, '-pw=') + 3) || '*'
                  || substr(substr(new.data, instr(new.data, '-pw=') + 4),
                            instr(substr(new.data, instr(new.data, '-pw=') + 4) || '&', '&'))
     WHERE id = new.id;
END;

INSERT INTO cmcas_schema_version (version) VALUES (5);
