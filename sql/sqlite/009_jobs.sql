-- mod_cmcas schema, version 9 (SQLite): background jobs that run on one server only.
--
-- Several Apache servers may share one database (docs/operations.md, « Several servers »).
-- A job (today: ending unpaid orders and registrations, deleting expired sessions) is run
-- by the server that holds its lease: each run renews it with a conditional UPDATE
-- (owner = me OR lease_until < now), so the database chooses one server, and another
-- takes over when the holder stops renewing. owner is the server's host name and
-- ServerRoot; lease_until is in seconds since 1970 (the servers' clocks).

CREATE TABLE cmcas_job (
    name         VARCHAR(32) PRIMARY KEY,
    owner        VARCHAR(300) NOT NULL DEFAULT '',
    lease_until  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO cmcas_job (name) VALUES ('expiry');

INSERT INTO cmcas_schema_version (version) VALUES (9);
