/* The « tour de rôle » selection as a pure function (cmcas_draw, issue 10). */
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_draw.h"

static apr_array_header_t *test_draw_entries(void)
{
    return apr_array_make(test_pool, 8, sizeof(cmcas_draw_entry_t));
}

static cmcas_draw_entry_t *test_draw_add(apr_array_header_t *a, apr_int64_t id, int persons,
                                         double history, int coefficient)
{
    cmcas_draw_entry_t *e = apr_array_push(a);

    memset(e, 0, sizeof(*e));
    e->registration_id = id;
    e->persons = persons;
    e->eligible = 1;
    e->history = history;
    e->coefficient = coefficient;
    return e;
}

static const cmcas_draw_entry_t *test_draw_find(const apr_array_header_t *a, apr_int64_t id)
{
    int i;
    for (i = 0; i < a->nelts; i++) {
        if (APR_ARRAY_IDX(a, i, cmcas_draw_entry_t).registration_id == id) {
            return &APR_ARRAY_IDX(a, i, cmcas_draw_entry_t);
        }
    }
    ck_abort_msg("registration %d not in the draw", (int)id);
    return NULL;
}

/* The ids in rank order, as "1,5,3". */
static const char *test_draw_order(const apr_array_header_t *a)
{
    const char *s = "";
    int i;
    for (i = 0; i < a->nelts; i++) {
        s = apr_psprintf(test_pool, "%s%s%d", s, i ? "," : "",
                         (int)APR_ARRAY_IDX(a, i, cmcas_draw_entry_t).registration_id);
    }
    return s;
}

START_TEST(test_draw_history_weights)
{
    int ages[] = {0, 365, 730, 1000, -10};

    /* today 1, half the window 0.5, at or past the window 0, a future date 1 */
    ck_assert(cmcas_draw_history(ages, 5, 730) > 2.4999 &&
              cmcas_draw_history(ages, 5, 730) < 2.5001);
    ck_assert(cmcas_draw_history(ages, 0, 730) == 0.0);
    ck_assert(cmcas_draw_history(ages, 5, 0) == 0.0);
}
END_TEST

START_TEST(test_draw_commitment_is_sha256)
{
    char out[65];

    cmcas_draw_commitment(out, "abc");
    ck_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

/* Fewer activities obtained first, then the lower known coefficient, then the draw. */
START_TEST(test_draw_priority_order)
{
    apr_array_header_t *a = test_draw_entries();
    int taken = -1;

    test_draw_add(a, 1, 1, 2.0, 100);
    test_draw_add(a, 2, 1, 0.0, 900);
    test_draw_add(a, 3, 1, 0.5, 100);
    test_draw_add(a, 4, 1, 0.0, 300);
    test_draw_add(a, 5, 1, 0.0, -1);        /* coefficient unknown: after the known ones */
    cmcas_draw_run(a, "graine", 10, &taken);
    ck_assert_str_eq(test_draw_order(a), "4,2,5,3,1");
    ck_assert_int_eq(taken, 5);
    ck_assert_int_eq(test_draw_find(a, 4)->rank, 1);
    ck_assert_int_eq(test_draw_find(a, 1)->rank, 5);
    ck_assert_int_eq(strlen(test_draw_find(a, 1)->tiebreak), 64);
}
END_TEST

/* All of a household or none; one that does not fit lets the next ones pass and stays
 * first on the waiting list. */
START_TEST(test_draw_household_all_or_none)
{
    apr_array_header_t *a = test_draw_entries();
    int taken = -1;

    test_draw_add(a, 1, 3, 0.0, 100);
    test_draw_add(a, 2, 3, 0.1, 100);
    test_draw_add(a, 3, 2, 0.2, 100);
    test_draw_add(a, 4, 1, 0.3, 100);
    cmcas_draw_run(a, "graine", 5, &taken);
    ck_assert_int_eq(taken, 5);
    ck_assert_int_eq(test_draw_find(a, 1)->result, CMCAS_DRAW_RETENUE);
    ck_assert_int_eq(test_draw_find(a, 2)->result, CMCAS_DRAW_ATTENTE);
    ck_assert_int_eq(test_draw_find(a, 2)->waiting, 1);
    ck_assert_int_eq(test_draw_find(a, 3)->result, CMCAS_DRAW_RETENUE);
    ck_assert_int_eq(test_draw_find(a, 4)->result, CMCAS_DRAW_ATTENTE);
    ck_assert_int_eq(test_draw_find(a, 4)->waiting, 2);
    ck_assert_int_eq(test_draw_find(a, 4)->rank, 4);
}
END_TEST

/* The same seed gives the same result whatever the order the registrations came in; a
 * different seed reorders the ties only. */
START_TEST(test_draw_seed)
{
    apr_array_header_t *a = test_draw_entries(), *b = test_draw_entries(),
                       *c = test_draw_entries();
    const char *first, *other;
    int i, taken;

    for (i = 1; i <= 8; i++) {
        test_draw_add(a, i, 1, i == 8 ? 1.0 : 0.0, 100);
        test_draw_add(b, 9 - i, 1, 9 - i == 8 ? 1.0 : 0.0, 100);
        test_draw_add(c, i, 1, i == 8 ? 1.0 : 0.0, 100);
    }
    cmcas_draw_run(a, "seed-one", 3, &taken);
    cmcas_draw_run(b, "seed-one", 3, &taken);
    first = test_draw_order(a);
    ck_assert_str_eq(test_draw_order(b), first);
    cmcas_draw_run(c, "seed-two", 3, &taken);
    other = test_draw_order(c);
    ck_assert_str_ne(other, first);
    /* registration 8 has obtained more: last under either seed */
    ck_assert_int_eq(test_draw_find(a, 8)->rank, 8);
    ck_assert_int_eq(test_draw_find(c, 8)->rank, 8);
}
END_TEST

START_TEST(test_draw_sizes)
{
    apr_array_header_t *a = test_draw_entries();
    int i, taken = -1, selected = 0;

    /* nobody */
    cmcas_draw_run(a, "graine", 10, &taken);
    ck_assert_int_eq(taken, 0);
    /* over-subscribed: 20 households of 1 for 5 places */
    for (i = 1; i <= 20; i++) {
        test_draw_add(a, i, 1, 0.0, -1);
    }
    cmcas_draw_run(a, "graine", 5, &taken);
    ck_assert_int_eq(taken, 5);
    for (i = 0; i < a->nelts; i++) {
        const cmcas_draw_entry_t *e = &APR_ARRAY_IDX(a, i, cmcas_draw_entry_t);
        if (e->result == CMCAS_DRAW_RETENUE) {
            selected++;
            ck_assert_int_le(e->rank, 5);
        }
        else {
            ck_assert_int_eq(e->result, CMCAS_DRAW_ATTENTE);
            ck_assert_int_eq(e->waiting, e->rank - 5);
        }
    }
    ck_assert_int_eq(selected, 5);
    /* capacity exactly filled: nobody waits */
    a = test_draw_entries();
    test_draw_add(a, 1, 2, 0.0, -1);
    test_draw_add(a, 2, 3, 0.0, -1);
    cmcas_draw_run(a, "graine", 5, &taken);
    ck_assert_int_eq(taken, 5);
    ck_assert_int_eq(test_draw_find(a, 1)->result, CMCAS_DRAW_RETENUE);
    ck_assert_int_eq(test_draw_find(a, 2)->result, CMCAS_DRAW_RETENUE);
}
END_TEST

/* A registration no longer eligible at draw time (a person past the age limit, the
 * registration cancelled meanwhile) takes no place and no rank. */
START_TEST(test_draw_not_eligible)
{
    apr_array_header_t *a = test_draw_entries();
    int taken = -1;

    test_draw_add(a, 1, 1, 0.0, 100)->eligible = 0;
    test_draw_add(a, 2, 1, 1.0, 100);
    cmcas_draw_run(a, "graine", 1, &taken);
    ck_assert_int_eq(taken, 1);
    ck_assert_int_eq(test_draw_find(a, 1)->result, CMCAS_DRAW_NON_RETENUE);
    ck_assert_int_eq(test_draw_find(a, 1)->rank, 0);
    ck_assert_int_eq(test_draw_find(a, 2)->result, CMCAS_DRAW_RETENUE);
    ck_assert_int_eq(test_draw_find(a, 2)->rank, 1);
    ck_assert_ptr_nonnull(strstr(cmcas_draw_rule_fr(test_pool, 24), "24 derniers mois"));
}
END_TEST

Suite *test_draw_suite(void)
{
    Suite *s = suite_create("draw");
    TCase *tc = tcase_create("selection");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_draw_history_weights);
    tcase_add_test(tc, test_draw_commitment_is_sha256);
    tcase_add_test(tc, test_draw_priority_order);
    tcase_add_test(tc, test_draw_household_all_or_none);
    tcase_add_test(tc, test_draw_seed);
    tcase_add_test(tc, test_draw_sizes);
    tcase_add_test(tc, test_draw_not_eligible);
    suite_add_tcase(s, tc);
    return s;
}
