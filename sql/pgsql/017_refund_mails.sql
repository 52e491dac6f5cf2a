-- mod_cmcas schema, version 17 (PostgreSQL): two more kinds of message in the outbox, so
-- that a member hears of the money the CMCAS owes back: 'refund_due' (a change of a paid
-- registration made by the CMCAS lowers its price: the difference will be refunded) and
-- 'refunded' (the CMCAS's staff recorded the refund).

ALTER TABLE cmcas_outbox DROP CONSTRAINT cmcas_outbox_kind_check;
ALTER TABLE cmcas_outbox ADD CONSTRAINT cmcas_outbox_kind_check
    CHECK (kind IN ('validated', 'request', 'order_desk', 'payment_accepted',
                    'payment_refused', 'cancelled', 'selected', 'waiting', 'promoted',
                    'not_selected', 'released', 'refund_due', 'refunded'));

INSERT INTO cmcas_schema_version (version) VALUES (17);
