-- mod_cmcas schema, version 4 (PostgreSQL): options reserved to an age range, and the bank
-- messages already taken (sql/sqlite/004_flows.sql).

-- Years on the activity's start date, like activity.min_age/max_age; NULL: no limit.
ALTER TABLE activity_option ADD COLUMN min_age INTEGER CHECK (min_age BETWEEN 0 AND 150);
ALTER TABLE activity_option ADD COLUMN max_age INTEGER CHECK (max_age BETWEEN 0 AND 150);

CREATE TABLE cmcas_order_notice (
    order_id       BIGINT NOT NULL REFERENCES cmcas_order(id),
    code           TEXT NOT NULL,       -- the bank's response code
    transaction_id TEXT NOT NULL,       -- the bank's transaction number ("?" when none)
    at             TEXT NOT NULL,       -- ISO 8601 UTC
    PRIMARY KEY (order_id, code, transaction_id)
);

INSERT INTO cmcas_schema_version (version) VALUES (4);
