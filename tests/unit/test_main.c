#include <stdlib.h>
#include <apr_general.h>

#include "test_cmcas.h"

apr_pool_t *test_pool;

void test_setup(void)
{
    apr_pool_create(&test_pool, NULL);
}

void test_teardown(void)
{
    apr_pool_destroy(test_pool);
    test_pool = NULL;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(test_money_suite());
    srunner_add_suite(sr, test_date_suite());
    srunner_add_suite(sr, test_text_suite());
    srunner_add_suite(sr, test_query_suite());
    srunner_add_suite(sr, test_accept_suite());
    srunner_add_suite(sr, test_catalog_suite());
    srunner_add_suite(sr, test_render_suite());
    srunner_add_suite(sr, test_registration_suite());
    srunner_add_suite(sr, test_csrf_suite());
    srunner_add_suite(sr, test_payment_suite());
    srunner_add_suite(sr, test_paybox_direct_suite());
    srunner_add_suite(sr, test_flows_suite());
    srunner_add_suite(sr, test_page_cache_suite());
    srunner_add_suite(sr, test_store_suite());
    srunner_add_suite(sr, test_dbd_rules_suite());
    srunner_add_suite(sr, test_draw_suite());
    srunner_add_suite(sr, test_draw_change_suite());
    srunner_add_suite(sr, test_reconnect_suite());
    srunner_add_suite(sr, test_mail_suite());
    srunner_add_suite(sr, test_outbox_suite());
    srunner_add_suite(sr, test_audit_suite());
    srunner_add_suite(sr, test_csv_suite());
    srunner_add_suite(sr, test_staff_registration_suite());
    srunner_add_suite(sr, test_staff_dashboard_suite());
    srunner_add_suite(sr, test_desk_suite());
    srunner_add_suite(sr, test_amend_suite());
    srunner_add_suite(sr, test_activity_suite());
    srunner_add_suite(sr, test_invoice_suite());
    srunner_add_suite(sr, test_invoice_pdf_suite());
    srunner_add_suite(sr, test_account_suite());
    srunner_add_suite(sr, test_ratelimit_suite());
    srunner_add_suite(sr, test_schema_suite());
    srunner_add_suite(sr, test_status_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
