-- mod_cmcas schema, version 14: adjustment orders.

-- An order made when CMCAS staff change a paid registration at the member's request
-- (a person or an option added or removed): the difference, owed (« En attente de
-- paiement en CMCAS ») or to refund (« Remboursement à effectuer »). It does not hold the
-- registration, which stays paid: the expiry job never ends it (nor the registration),
-- the member cannot cancel it, and the registration's own payment never counts it as
-- its first order. A registration has at most one adjustment waiting (the flow refuses a
-- second change meanwhile), and no first order can wait beside it (a paid registration
-- takes none): the index cmcas_order_one_waiting stays as it is.
ALTER TABLE cmcas_order ADD COLUMN adjustment INTEGER NOT NULL DEFAULT 0
    CHECK (adjustment IN (0, 1));

INSERT INTO cmcas_schema_version (version) VALUES (14);
