/* The unit test suites of the core files (no httpd). */
#ifndef test_cmcas_h
#define test_cmcas_h

#include <check.h>
#include <apr_pools.h>

/* The no-break space (U+00A0, UTF-8) amounts are written with: « 70,00 € ». */
#define TEST_NBSP "\xC2\xA0"

/* A fresh pool for each test, destroyed after it. */
extern apr_pool_t *test_pool;
void test_setup(void);
void test_teardown(void);

Suite *test_money_suite(void);
Suite *test_date_suite(void);
Suite *test_text_suite(void);
Suite *test_query_suite(void);
Suite *test_accept_suite(void);
Suite *test_catalog_suite(void);
Suite *test_render_suite(void);
Suite *test_registration_suite(void);
Suite *test_csrf_suite(void);
Suite *test_payment_suite(void);
Suite *test_paybox_direct_suite(void);
Suite *test_flows_suite(void);
Suite *test_page_cache_suite(void);
Suite *test_store_suite(void);
Suite *test_dbd_rules_suite(void);
Suite *test_draw_suite(void);
Suite *test_draw_change_suite(void);
Suite *test_reconnect_suite(void);
Suite *test_mail_suite(void);
Suite *test_outbox_suite(void);
Suite *test_audit_suite(void);
Suite *test_csv_suite(void);
Suite *test_staff_registration_suite(void);
Suite *test_staff_dashboard_suite(void);
Suite *test_desk_suite(void);
Suite *test_amend_suite(void);
Suite *test_activity_suite(void);
Suite *test_invoice_suite(void);
Suite *test_invoice_pdf_suite(void);
Suite *test_account_suite(void);
Suite *test_ratelimit_suite(void);
Suite *test_schema_suite(void);
Suite *test_status_suite(void);

#endif
