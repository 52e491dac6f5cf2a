-- mod_cmcas schema, version 10 (SQLite): the orders of a registration found by an index.
--
-- The payment page, a new order, a cancellation, the expiry job and every bank
-- notification look for a registration's orders in given states (cmcas_ord_holding:
-- waiting or refused). The only index on registration_id, cmcas_order_one_waiting, is
-- partial (the two waiting states), so that search read the whole table: 0.42 ms a call
-- at 1,500 orders on PostgreSQL, and growing with every order ever made
-- (docs/performance.md, « On PostgreSQL »).

CREATE INDEX cmcas_order_registration ON cmcas_order (registration_id, id);

INSERT INTO cmcas_schema_version (version) VALUES (10);
