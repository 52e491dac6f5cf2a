#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_accept.h"

START_TEST(test_accept_choice)
{
    ck_assert(!cmcas_accept_prefers_xml(NULL));
    ck_assert(!cmcas_accept_prefers_xml("*/*"));
    ck_assert(!cmcas_accept_prefers_xml(
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    ck_assert(cmcas_accept_prefers_xml("application/xml"));
    ck_assert(cmcas_accept_prefers_xml("text/xml"));
    ck_assert(cmcas_accept_prefers_xml("application/xml, text/html;q=0.5"));
    ck_assert(cmcas_accept_prefers_xml("application/xml;q=0.9, */*;q=0.1"));
    ck_assert(!cmcas_accept_prefers_xml("application/xml, text/html"));  /* tie: HTML */
    ck_assert(!cmcas_accept_prefers_xml("application/xml;q=0"));
    ck_assert(!cmcas_accept_prefers_xml("application/xmlfoo"));
    ck_assert(cmcas_accept_prefers_xml("application/xml;q=0.5, text/html;q=0.25"));
    ck_assert(!cmcas_accept_prefers_xml("application/xml;q=nan"));   /* fuzz finding */
    ck_assert(!cmcas_accept_prefers_xml("application/xml;q=1e3, text/html;q=0.1"));
    ck_assert(!cmcas_accept_prefers_xml("application/xml;q=2"));
}
END_TEST

Suite *test_accept_suite(void)
{
    Suite *s = suite_create("accept");
    TCase *tc = tcase_create("accept");
    tcase_add_test(tc, test_accept_choice);
    suite_add_tcase(s, tc);
    return s;
}
