/* The e-mail outbox against a real SQLite database: one row per event, written or
 * dropped with the caller's transaction, claimed by one connection of two, retried with
 * back-off, never due again once sent. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_outbox_store.h"
#include "../../mod_cmcas/cmcas_registration_change.h"

static test_db_t db;

static void test_outbox_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_outbox_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static cmcas_outbox_message_t test_outbox_msg(const char *kind, const char *key)
{
    cmcas_outbox_message_t m;

    memset(&m, 0, sizeof(m));
    m.kind = kind;
    m.household_id = 1;
    m.registration_id = 7;
    m.event_key = key;
    return m;
}

static void test_outbox_add(const cmcas_outbox_message_t *m)
{
    const char *err = NULL;
    ck_assert_msg(APR_SUCCESS == cmcas_outbox_store_add(&db.st, test_pool, m, &err), "%s",
                  err ? err : "?");
}

/* A second connection to the same file, its statements prepared (another server). */
static void test_outbox_second(cmcas_store_t *st)
{
    int i, n = 0;

    memset(st, 0, sizeof(*st));
    st->driver = db.st.driver;
    ck_assert_int_eq(apr_dbd_open(st->driver, test_pool, db.path, &st->handle), APR_SUCCESS);
    apr_dbd_query(st->driver, st->handle, &n, "PRAGMA busy_timeout = 5000");
    st->prepared = apr_hash_make(test_pool);
    for (i = 0; cmcas_store_registry[i]; i++) {
        const cmcas_store_stmt_t *s;
        for (s = cmcas_store_registry[i]; s->label; s++) {
            apr_dbd_prepared_t *stmt = NULL;
            ck_assert_int_eq(0, apr_dbd_prepare(st->driver, test_pool, st->handle, s->sql,
                                                s->label, &stmt));
            apr_hash_set(st->prepared, s->label, APR_HASH_KEY_STRING, stmt);
        }
    }
}

START_TEST(test_outbox_add_once)
{
    cmcas_outbox_message_t m = test_outbox_msg("validated", "validated:7:1");
    cmcas_outbox_message_t other = test_outbox_msg("cancelled", "cancelled:7:2");

    test_outbox_add(&m);
    test_outbox_add(&m);                    /* the same event: nothing more */
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox"));
    test_outbox_add(&other);
    ck_assert_int_eq(2, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox"));
    ck_assert_str_eq("validated", test_db_str(&db, "SELECT kind FROM cmcas_outbox "
                                                   "WHERE event_key = 'validated:7:1'"));
    /* 0 is no order, an absent detail no detail: SQL NULLs. */
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox WHERE "
                                         "order_id IS NULL AND detail IS NULL AND "
                                         "registration_id = 7 AND sent_at IS NULL "
                                         "AND event_key = 'validated:7:1'"));
}
END_TEST

START_TEST(test_outbox_add_refused)
{
    cmcas_outbox_message_t m = test_outbox_msg("spam", "x:1");
    const char *err = NULL;

    ck_assert_int_eq(APR_EINVAL, cmcas_outbox_store_add(&db.st, test_pool, &m, &err));
    m = test_outbox_msg("waiting", "waiting:1");
    ck_assert_int_eq(APR_EINVAL, cmcas_outbox_store_add(&db.st, test_pool, &m, &err));
    m.detail = "3";
    test_outbox_add(&m);
    m = test_outbox_msg("validated", NULL);
    ck_assert_int_eq(APR_EINVAL, cmcas_outbox_store_add(&db.st, test_pool, &m, &err));
    m = test_outbox_msg("validated", "v:1");
    m.household_id = 0;
    ck_assert_int_eq(APR_EINVAL, cmcas_outbox_store_add(&db.st, test_pool, &m, &err));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox"));
}
END_TEST

/* Written in the caller's transaction: a rollback drops the message with the change. */
START_TEST(test_outbox_same_transaction)
{
    cmcas_outbox_message_t m = test_outbox_msg("validated", "validated:7:1");
    cmcas_store_tx_t *tx = NULL;
    const char *err = NULL;

    ck_assert_int_eq(APR_SUCCESS, cmcas_store_begin(&tx, &db.st, test_pool, &err));
    test_outbox_add(&m);
    ck_assert_int_eq(APR_SUCCESS, cmcas_store_end(tx, 0, &err));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox"));
    ck_assert_int_eq(APR_SUCCESS, cmcas_store_begin(&tx, &db.st, test_pool, &err));
    test_outbox_add(&m);
    ck_assert_int_eq(APR_SUCCESS, cmcas_store_end(tx, 1, &err));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox"));
}
END_TEST

/* Two servers see the same due message: one claims it, the other gets nothing. */
START_TEST(test_outbox_claim_one_winner)
{
    cmcas_outbox_message_t m = test_outbox_msg("validated", "validated:7:1");
    apr_array_header_t *due = NULL, *due2 = NULL;
    cmcas_store_t other;
    const char *err = NULL;
    apr_int64_t id;
    int a = -1, b = -1;

    test_outbox_add(&m);
    test_outbox_second(&other);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due, &db.st, test_pool, 1000, 10,
                                                         &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due2, &other, test_pool, 1000, 10,
                                                         &err));
    ck_assert_int_eq(1, due->nelts);
    ck_assert_int_eq(1, due2->nelts);
    id = APR_ARRAY_IDX(due, 0, apr_int64_t);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_claim(&a, &db.st, test_pool, id, 1000,
                                                           1090, &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_claim(&b, &other, test_pool, id, 1000,
                                                           1090, &err));
    ck_assert_int_eq(1, a);
    ck_assert_int_eq(0, b);
    ck_assert_int_eq(1, test_db_int(&db, "SELECT attempts FROM cmcas_outbox"));
    /* Claimed: due for nobody until the claim runs out (a sender that died). */
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due, &other, test_pool, 1089, 10,
                                                         &err));
    ck_assert_int_eq(0, due->nelts);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due, &other, test_pool, 1090, 10,
                                                         &err));
    ck_assert_int_eq(1, due->nelts);
    apr_dbd_close(other.driver, other.handle);
}
END_TEST

/* A failure waits 1, 2, 4... intervals, at most an hour, and is never dropped; once
 * sent, a message is never due nor claimed again. */
START_TEST(test_outbox_retry_then_sent)
{
    cmcas_outbox_message_t m = test_outbox_msg("validated", "validated:7:1");
    apr_array_header_t *due = NULL;
    cmcas_outbox_store_row_t *row = NULL;
    const char *err = NULL;
    apr_int64_t id;
    int mine = 0;

    ck_assert_int_eq(60, cmcas_outbox_store_backoff(1, 60));
    ck_assert_int_eq(120, cmcas_outbox_store_backoff(2, 60));
    ck_assert_int_eq(240, cmcas_outbox_store_backoff(3, 60));
    ck_assert_int_eq(3600, cmcas_outbox_store_backoff(7, 60));
    ck_assert_int_eq(3600, cmcas_outbox_store_backoff(1000, 60));
    ck_assert_int_eq(4, cmcas_outbox_store_backoff(3, 1));
    ck_assert_int_eq(1, cmcas_outbox_store_backoff(1, 0));

    test_outbox_add(&m);
    id = test_db_int(&db, "SELECT id FROM cmcas_outbox");
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_claim(&mine, &db.st, test_pool, id, 1000,
                                                           1090, &err));
    ck_assert_int_eq(1, mine);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_retry(&db.st, test_pool, id,
                                                           1000 + cmcas_outbox_store_backoff(
                                                               1, 60),
                                                           "exit status 75\nmore", &err));
    ck_assert_str_eq("exit status 75 more", test_db_str(&db, "SELECT last_error FROM "
                                                             "cmcas_outbox"));
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due, &db.st, test_pool, 1059, 10,
                                                         &err));
    ck_assert_int_eq(0, due->nelts);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_claim(&mine, &db.st, test_pool, id, 1059,
                                                           1150, &err));
    ck_assert_int_eq(0, mine);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due, &db.st, test_pool, 1060, 10,
                                                         &err));
    ck_assert_int_eq(1, due->nelts);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_claim(&mine, &db.st, test_pool, id, 1060,
                                                           1150, &err));
    ck_assert_int_eq(1, mine);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_get(&row, &db.st, test_pool, id, &err));
    ck_assert_int_eq(2, row->attempts);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_sent(&db.st, test_pool, id,
                                                          apr_time_from_sec(1061), &err));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_outbox WHERE sent_at "
                                         "IS NOT NULL AND last_error IS NULL"));
    /* Sent: never due, never claimed, never released for another try. */
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_retry(&db.st, test_pool, id, 0, "late",
                                                           &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_due(&due, &db.st, test_pool, 999999, 10,
                                                         &err));
    ck_assert_int_eq(0, due->nelts);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_claim(&mine, &db.st, test_pool, id,
                                                           999999, 1000090, &err));
    ck_assert_int_eq(0, mine);
}
END_TEST

/* What the job reads to compose: the household, its OD, the order and its activity. */
START_TEST(test_outbox_get)
{
    cmcas_outbox_message_t m = test_outbox_msg("payment_accepted", "payment_accepted:1");
    cmcas_outbox_store_row_t *row = NULL;
    const char *err = NULL;

    test_db_exec(&db, "INSERT INTO registration (id, activity_id, household_id, status,"
                      " created_at, updated_at) VALUES (7, 1, 1, 'validee', '2027-05-01',"
                      " '2027-05-01')");
    test_db_exec(&db, "INSERT INTO cmcas_order (id, reference, registration_id, household_id,"
                      " cmcas_code, total, method, status, hold_until, created_at, updated_at)"
                      " VALUES (5, 'ABCDEFGHI', 7, 1, 'BN', 7000, 'paybox', 'payee',"
                      " '2027-05-01T10:30:00Z', '2027-05-01', '2027-05-01')");
    m.registration_id = 0;
    m.order_id = 5;
    test_outbox_add(&m);
    ck_assert_int_eq(APR_SUCCESS, cmcas_outbox_store_get(&row, &db.st, test_pool,
                                                         test_db_int(&db, "SELECT id FROM "
                                                                          "cmcas_outbox"),
                                                         &err));
    ck_assert_str_eq("payment_accepted", row->msg.kind);
    ck_assert_str_eq("payment_accepted:1", row->msg.event_key);
    ck_assert_int_eq(7, row->msg.registration_id);      /* the order's */
    ck_assert_int_eq(5, row->msg.order_id);
    ck_assert_ptr_null(row->msg.detail);
    ck_assert_str_eq("gael@example.org", row->email);
    ck_assert_str_eq("BN", row->cmcas_code);
    ck_assert_str_eq("Gael", row->first_name);
    ck_assert_str_eq("CLASSEN", row->last_name);
    ck_assert_str_eq("Atelier gourmand", row->activity_title);
    ck_assert_str_eq("2027-06-10", row->activity_start);
    ck_assert_str_eq("ABCDEFGHI", row->order_reference);
    ck_assert_int_eq(7000, row->order_total);
    ck_assert_str_eq("BN", row->order_cmcas_code);
    ck_assert_int_eq(APR_NOTFOUND, cmcas_outbox_store_get(&row, &db.st, test_pool, 999, &err));
}
END_TEST

Suite *test_outbox_suite(void)
{
    Suite *s = suite_create("outbox");
    TCase *tc = tcase_create("store");

    tcase_add_checked_fixture(tc, test_outbox_setup, test_outbox_teardown);
    tcase_add_test(tc, test_outbox_add_once);
    tcase_add_test(tc, test_outbox_add_refused);
    tcase_add_test(tc, test_outbox_same_transaction);
    tcase_add_test(tc, test_outbox_claim_one_winner);
    tcase_add_test(tc, test_outbox_retry_then_sent);
    tcase_add_test(tc, test_outbox_get);
    suite_add_tcase(s, tc);
    return s;
}
