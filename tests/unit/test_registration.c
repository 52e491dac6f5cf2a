#include <string.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_registration.h"

static cmcas_activity_t test_registration_act(void)
{
    cmcas_activity_t a;
    memset(&a, 0, sizeof(a));
    a.id = 1;
    a.cmcas_code = "BN";
    a.cmcas_name = "CMCAS Berry-Nivernais";
    a.title = "Atelier gourmand";
    a.start_date = "2026-12-17";
    a.end_date = "2026-12-17";
    a.closing_date = "2026-12-10";
    a.published_at = "2026-11-20";
    a.capacity = 10;
    a.mode = "immediat";
    a.guests_allowed = 1;
    a.max_guests = -1;
    a.min_age = -1;
    a.max_age = -1;
    return a;
}

static apr_array_header_t *test_registration_options(void)
{
    apr_array_header_t *opts = apr_array_make(test_pool, 2, sizeof(cmcas_activity_option_t));
    cmcas_activity_option_t *o = apr_array_push(opts);
    o->id = 1;
    o->label = "Atelier gourmand";
    o->price_beneficiary = 3000;
    o->participation_beneficiary = 1000;
    o->price_guest = 4000;
    o->participation_guest = 0;
    o = apr_array_push(opts);
    o->id = 7;
    o->label = "Repas";
    o->price_beneficiary = 1250;
    o->participation_beneficiary = 250;
    o->price_guest = 1500;
    o->participation_guest = 0;
    return opts;
}

static cmcas_registration_participant_t *test_registration_add(cmcas_registration_t *reg,
                                                               apr_int64_t id,
                                                               apr_int64_t person_id,
                                                               const char *birth)
{
    cmcas_registration_participant_t *pa = apr_array_push(reg->participants);
    memset(pa, 0, sizeof(*pa));
    pa->id = id;
    pa->person_id = person_id;
    pa->kind = person_id ? "AD" : "guest";
    pa->first_name = "Louane";
    pa->last_name = "CLASSEN";
    pa->birth_date = birth;
    pa->options = apr_array_make(test_pool, 2, sizeof(apr_int64_t));
    return pa;
}

START_TEST(test_registration_totals)
{
    apr_array_header_t *opts = test_registration_options();
    cmcas_registration_t *reg = cmcas_registration_new(test_pool, 1, 1);
    cmcas_registration_participant_t *od, *guest;

    ck_assert_int_eq(cmcas_registration_total(reg, opts), 0);
    od = test_registration_add(reg, 10, 1, "1980-01-01");
    *(apr_int64_t *)apr_array_push(od->options) = 1;
    ck_assert_int_eq(cmcas_registration_total(reg, opts), 3000);       /* 30 € */
    od = test_registration_add(reg, 11, 2, "1982-01-01");
    *(apr_int64_t *)apr_array_push(od->options) = 1;
    ck_assert_int_eq(cmcas_registration_total(reg, opts), 6000);       /* 60 € */
    guest = test_registration_add(reg, 12, 0, "1971-03-12");
    *(apr_int64_t *)apr_array_push(guest->options) = 1;
    ck_assert_int_eq(cmcas_registration_amount(guest, opts), 4000);
    ck_assert_int_eq(cmcas_registration_participation(guest, &APR_ARRAY_IDX(opts, 0,
                     cmcas_activity_option_t)), 0);
    ck_assert_int_eq(cmcas_registration_total(reg, opts), 10000);
    *(apr_int64_t *)apr_array_push(guest->options) = 7;
    ck_assert_int_eq(cmcas_registration_total(reg, opts), 11500);
    /* An option id the activity does not have costs nothing (and is refused earlier). */
    *(apr_int64_t *)apr_array_push(guest->options) = 99;
    ck_assert_int_eq(cmcas_registration_total(reg, opts), 11500);
    ck_assert_int_eq(cmcas_registration_guests(reg), 1);
    ck_assert_int_eq(cmcas_registration_unconfirmed(reg), 3);
    ck_assert(cmcas_registration_has_person(reg, 2));
    ck_assert(!cmcas_registration_has_person(reg, 0));
    ck_assert_ptr_nonnull(cmcas_registration_find(reg, 12));
    ck_assert_ptr_null(cmcas_registration_find(reg, 13));
}
END_TEST

START_TEST(test_registration_rules)
{
    cmcas_activity_t act = test_registration_act();
    apr_array_header_t *opts = test_registration_options();
    cmcas_registration_t *reg = cmcas_registration_new(test_pool, 1, 1);
    cmcas_date_t today = {2026, 11, 28};
    cmcas_registration_participant_t *pa;
    const char *why;

    ck_assert_ptr_null(cmcas_registration_check_open(test_pool, &act, &today));
    today.d = 10;
    today.m = 12;
    ck_assert_ptr_null(cmcas_registration_check_open(test_pool, &act, &today));
    today.d = 11;
    ck_assert_ptr_nonnull(strstr(cmcas_registration_check_open(test_pool, &act, &today),
                                 "closes"));
    today.m = 11;
    today.d = 28;

    ck_assert_ptr_null(cmcas_registration_check_household(test_pool, &act, "BN"));
    ck_assert_ptr_nonnull(cmcas_registration_check_household(test_pool, &act, "TOURAINE"));
    act.open_to_others = 1;
    ck_assert_ptr_null(cmcas_registration_check_household(test_pool, &act, "TOURAINE"));

    /* Ages on the start date (2026-12-17). */
    ck_assert_ptr_null(cmcas_registration_check_age(test_pool, &act, "X", "2020-01-01"));
    act.min_age = 6;
    act.max_age = 12;
    ck_assert_ptr_null(cmcas_registration_check_age(test_pool, &act, "X", "2020-12-17"));
    why = cmcas_registration_check_age(test_pool, &act, "Léo", "2020-12-18");
    ck_assert_ptr_nonnull(strstr(why, "Léo aura 5 ans"));
    ck_assert_ptr_null(cmcas_registration_check_age(test_pool, &act, "X", "2013-12-18"));
    ck_assert_ptr_nonnull(cmcas_registration_check_age(test_pool, &act, "X", "2013-12-17"));

    /* Guests. */
    ck_assert_ptr_null(cmcas_registration_check_guest_slot(test_pool, &act, reg));
    act.max_guests = 1;
    test_registration_add(reg, 1, 0, "1971-01-01");
    ck_assert_ptr_nonnull(cmcas_registration_check_guest_slot(test_pool, &act, reg));
    act.max_guests = 2;
    ck_assert_ptr_null(cmcas_registration_check_guest_slot(test_pool, &act, reg));
    act.guests_allowed = 0;
    ck_assert_ptr_nonnull(cmcas_registration_check_guest_slot(test_pool, &act, reg));

    /* Completeness: one option each, when the activity has options. */
    why = cmcas_registration_check_complete(test_pool, reg, opts, 0);
    ck_assert_ptr_nonnull(strstr(why, "Louane CLASSEN"));
    ck_assert_ptr_null(cmcas_registration_check_complete(test_pool, reg, opts, 1));
    pa = &APR_ARRAY_IDX(reg->participants, 0, cmcas_registration_participant_t);
    *(apr_int64_t *)apr_array_push(pa->options) = 1;
    ck_assert_ptr_null(cmcas_registration_check_complete(test_pool, reg, opts, 0));
    reg->participants->nelts = 0;
    ck_assert_ptr_nonnull(cmcas_registration_check_complete(test_pool, reg, opts, 0));
    opts->nelts = 0;
    ck_assert_ptr_nonnull(cmcas_registration_check_complete(test_pool, reg, opts, 0));
}
END_TEST

START_TEST(test_registration_guest_fields)
{
    cmcas_date_t today = {2026, 11, 28};
    const char *last, *first, *birth;
    char long_name[202];

    ck_assert_ptr_null(cmcas_registration_parse_guest(test_pool, " PETIT ", "Michel",
                                                      "12/03/1971", &today, &last, &first,
                                                      &birth));
    ck_assert_str_eq(last, "PETIT");
    ck_assert_str_eq(birth, "1971-03-12");
    ck_assert_ptr_null(cmcas_registration_parse_guest(test_pool, "Ñúñez", "Zoé",
                                                      "1971-03-12", &today, &last, &first,
                                                      &birth));
    ck_assert_ptr_nonnull(cmcas_registration_parse_guest(test_pool, "PETIT", "Michel",
                                                         "31/02/1971", &today, &last,
                                                         &first, &birth));
    ck_assert_ptr_nonnull(strstr(cmcas_registration_parse_guest(
        test_pool, "PETIT", "Michel", "29/11/2026", &today, &last, &first, &birth),
        "futur"));
    ck_assert_ptr_null(cmcas_registration_parse_guest(test_pool, "PETIT", "Michel",
                                                      "28/11/2026", &today, &last, &first,
                                                      &birth));
    ck_assert_ptr_nonnull(cmcas_registration_parse_guest(test_pool, "  ", "Michel",
                                                         "12/03/1971", &today, &last,
                                                         &first, &birth));
    ck_assert_ptr_nonnull(cmcas_registration_parse_guest(test_pool, "PETIT", NULL,
                                                         "12/03/1971", &today, &last,
                                                         &first, &birth));
    ck_assert_ptr_nonnull(cmcas_registration_parse_guest(test_pool, "A\tB", "Michel",
                                                         "12/03/1971", &today, &last,
                                                         &first, &birth));
    memset(long_name, 'a', 101);
    long_name[101] = '\0';
    ck_assert_ptr_nonnull(cmcas_registration_parse_guest(test_pool, long_name, "Michel",
                                                         "12/03/1971", &today, &last,
                                                         &first, &birth));
    /* 100 characters of two bytes each are fine: characters, not bytes. */
    memset(long_name, 0, sizeof(long_name));
    for (int i = 0; i < 100; i++) {
        memcpy(long_name + 2 * i, "é", 2);
    }
    ck_assert_ptr_null(cmcas_registration_parse_guest(test_pool, long_name, "Michel",
                                                      "12/03/1971", &today, &last, &first,
                                                      &birth));
    ck_assert_ptr_nonnull(cmcas_registration_parse_guest(test_pool, "PETIT", "Michel",
                                                         "12/03/1871", &today, &last,
                                                         &first, &birth));
    /* The field a refusal is about, in parse_guest's order (the page ties them). */
    ck_assert_str_eq(cmcas_registration_guest_field(test_pool, "  ", ""), "invite-nom");
    ck_assert_str_eq(cmcas_registration_guest_field(test_pool, "PETIT", NULL),
                     "invite-prenom");
    ck_assert_str_eq(cmcas_registration_guest_field(test_pool, "PETIT", "Michel"),
                     "invite-naissance");
    ck_assert_str_eq(cmcas_registration_observations(test_pool, "a\r\nb\rc"), "a\nb\nc");
    {
        /* 1000 × "x" CRLF: 3000 bytes posted, 2000 characters in the text area. */
        char obs[4100];
        int i;
        memset(obs, 0, sizeof(obs));
        for (i = 0; i < 1000; i++) {
            strcat(obs, "x\r\n");
        }
        ck_assert_ptr_nonnull(cmcas_registration_observations(test_pool, obs));
        strcat(obs, "y");
        ck_assert_ptr_null(cmcas_registration_observations(test_pool, obs));
    }
    ck_assert_str_eq(cmcas_status_reg_label(cmcas_status_reg_parse("validee")), "Validée");
    ck_assert_str_eq(cmcas_status_reg_label(cmcas_status_reg_parse("annulee")), "Annulée");
    ck_assert_str_eq(cmcas_status_reg_label(cmcas_status_reg_parse("payee")), "Payée");
    ck_assert_str_eq(cmcas_status_reg_label(cmcas_status_reg_parse("brouillon")),
                     "Brouillon");
}
END_TEST

Suite *test_registration_suite(void)
{
    Suite *s = suite_create("registration");
    TCase *tc = tcase_create("registration");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_registration_totals);
    tcase_add_test(tc, test_registration_rules);
    tcase_add_test(tc, test_registration_guest_fields);
    suite_add_tcase(s, tc);
    return s;
}
