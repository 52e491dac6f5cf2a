/* The back-office's activities: the form's values read and checked (cmcas_activity_input),
 * pictures known by their content (cmcas_image), a file's post split by GMime
 * (cmcas_multipart), and the flows (cmcas_activity_change) on a real SQLite database:
 * one transaction with its audit line, the CMCAS boundary, and what registered households
 * owe never changed by an edit. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_activity_input.h"
#include "../../mod_cmcas/cmcas_activity_change.h"
#include "../../mod_cmcas/cmcas_image.h"
#include "../../mod_cmcas/cmcas_image_store.h"
#include "../../mod_cmcas/cmcas_multipart.h"

static test_db_t db;
static const cmcas_staff_t test_activity_bn = {"gestion.bn", "BN", "Hélène FAURE"};

/* A form as the page posts it, from "name=value&..." (already urlencoded). */
static cmcas_form_t *test_activity_form(const char *body)
{
    cmcas_form_t *form = NULL;
    const char *err = NULL;
    ck_assert_int_eq(APR_SUCCESS, cmcas_form_parse(&form, test_pool, body, strlen(body),
                                                   &err));
    return form;
}

#define TEST_ACTIVITY_BASE \
    "csrf=x&theme=CULTURE&title=Concert&description=Un%0D%0Asoir&place=Bourges" \
    "&start_date=10%2F06%2F2027&end_date=11%2F06%2F2027&closing_date=01%2F06%2F2027" \
    "&capacity=20&mode=immediat&guests_allowed=1&max_guests=2&min_age=&max_age="
#define TEST_ACTIVITY_OPTION1 \
    "&option.1.label=Entr%C3%A9e&option.1.price_beneficiary=30%2C00" \
    "&option.1.participation_beneficiary=10&option.1.price_guest=40" \
    "&option.1.participation_guest=0&option.1.position=1"

static const char *test_activity_first_error(const cmcas_activity_input_t *in,
                                             const char *field)
{
    int i;
    for (i = 0; i < in->errors->nelts; i++) {
        const cmcas_activity_input_error_t *e =
            &APR_ARRAY_IDX(in->errors, i, cmcas_activity_input_error_t);
        if (!strcmp(e->field, field)) {
            return e->message;
        }
    }
    return NULL;
}

START_TEST(test_activity_money)
{
    apr_int64_t c;

    ck_assert_int_eq(APR_SUCCESS, cmcas_activity_input_money(&c, "30"));
    ck_assert_int_eq(3000, c);
    ck_assert_int_eq(APR_SUCCESS, cmcas_activity_input_money(&c, "30,5"));
    ck_assert_int_eq(3050, c);
    ck_assert_int_eq(APR_SUCCESS, cmcas_activity_input_money(&c, "1 234,56 €"));
    ck_assert_int_eq(123456, c);
    ck_assert_int_eq(APR_SUCCESS, cmcas_activity_input_money(&c, "1\xC2\xA0" "234.00"));
    ck_assert_int_eq(123400, c);
    ck_assert_int_eq(APR_SUCCESS, cmcas_activity_input_money(&c, "0"));
    ck_assert_int_eq(0, c);
    ck_assert_int_eq(APR_ERANGE, cmcas_activity_input_money(&c, "-5"));
    ck_assert_int_eq(APR_ERANGE, cmcas_activity_input_money(&c, "100000,01"));
    ck_assert_int_eq(APR_EINVAL, cmcas_activity_input_money(&c, "30,001"));
    ck_assert_int_eq(APR_EINVAL, cmcas_activity_input_money(&c, "trente"));
    ck_assert_int_eq(APR_EINVAL, cmcas_activity_input_money(&c, ""));
    ck_assert_int_eq(APR_EINVAL, cmcas_activity_input_money(&c, "30,"));
    ck_assert_int_eq(APR_EINVAL, cmcas_activity_input_money(&c, "3e4"));
}
END_TEST

START_TEST(test_activity_input_valid)
{
    cmcas_activity_input_t in;
    const char *msg = NULL;

    ck_assert_ptr_null(cmcas_activity_input_parse(&in, test_pool, test_activity_form(
        TEST_ACTIVITY_BASE TEST_ACTIVITY_OPTION1
        "&option.2.label=&option.2.price_beneficiary=&option.2.position=2"), &msg));
    ck_assert_int_eq(0, in.errors->nelts);
    ck_assert_str_eq("2027-06-10", in.value.start_date);
    ck_assert_str_eq("2027-06-01", in.value.closing_date);
    ck_assert_str_eq("Un\nsoir", in.value.description);
    ck_assert_int_eq(20, in.value.capacity);
    ck_assert_int_eq(2, in.value.max_guests);
    ck_assert_int_eq(-1, in.value.min_age);
    ck_assert_int_eq(1, in.value.guests_allowed);
    ck_assert_int_eq(0, in.value.open_to_others);
    /* The empty row is no option. */
    ck_assert_int_eq(1, in.options->nelts);
    ck_assert_int_eq(3000, APR_ARRAY_IDX(in.options, 0, cmcas_activity_input_option_t)
                               .value.price_beneficiary);
    ck_assert_int_eq(1000, APR_ARRAY_IDX(in.options, 0, cmcas_activity_input_option_t)
                               .value.participation_beneficiary);
}
END_TEST

START_TEST(test_activity_input_rules)
{
    cmcas_activity_input_t in;
    const char *msg = NULL;

    ck_assert_ptr_null(cmcas_activity_input_parse(&in, test_pool, test_activity_form(
        "theme=CULTURE&title=+&start_date=10%2F06%2F2027&end_date=09%2F06%2F2027"
        "&closing_date=11%2F06%2F2027&capacity=-1&mode=immediat&min_age=12&max_age=8"
        "&option.1.label=A&option.1.price_beneficiary=-5&option.1.price_guest=10"
        "&option.1.participation_guest=12&option.2.label=B&option.2.price_beneficiary=3x"
        "&option.2.price_guest=1&option.2.min_age=10&option.2.max_age=5"), &msg));
    ck_assert_ptr_nonnull(test_activity_first_error(&in, "title"));
    ck_assert_str_eq("La date de fin est avant la date de début.",
                     test_activity_first_error(&in, "end_date"));
    ck_assert_ptr_nonnull(strstr(test_activity_first_error(&in, "closing_date"),
                                 "après la date de début"));
    ck_assert_ptr_nonnull(test_activity_first_error(&in, "capacity"));
    ck_assert_ptr_nonnull(test_activity_first_error(&in, "max_age"));
    ck_assert_ptr_nonnull(strstr(test_activity_first_error(&in, "option.1.price_beneficiary"),
                                 "négatif"));
    ck_assert_ptr_nonnull(test_activity_first_error(&in, "option.1.participation_guest"));
    ck_assert_ptr_nonnull(test_activity_first_error(&in, "option.2.price_beneficiary"));
    ck_assert_ptr_nonnull(test_activity_first_error(&in, "option.2.max_age"));
    /* The values as typed, for the form shown again. */
    ck_assert_str_eq("-5", APR_ARRAY_IDX(in.options, 0, cmcas_activity_input_option_t)
                               .price_beneficiary);
    ck_assert_str_eq("09/06/2027", in.end_date);
}
END_TEST

START_TEST(test_activity_input_malformed)
{
    cmcas_activity_input_t in;
    const char *msg = NULL;

    ck_assert_str_eq("unknown theme", cmcas_activity_input_parse(&in, test_pool,
        test_activity_form("theme=CINEMA&title=x&mode=immediat"), &msg));
    ck_assert_str_eq("unknown mode", cmcas_activity_input_parse(&in, test_pool,
        test_activity_form("theme=SPORT&title=x&mode=gratuit"), &msg));
    ck_assert_str_eq("unknown field", cmcas_activity_input_parse(&in, test_pool,
        test_activity_form(TEST_ACTIVITY_BASE "&published_at=2020"), &msg));
    ck_assert_str_eq("option field of no row", cmcas_activity_input_parse(&in, test_pool,
        test_activity_form(TEST_ACTIVITY_BASE "&option.41.label=x"), &msg));
    ck_assert_ptr_nonnull(cmcas_activity_input_parse(&in, test_pool,
        test_activity_form(TEST_ACTIVITY_BASE "&title=deux"), &msg));
    ck_assert_str_eq("control character in a field", cmcas_activity_input_parse(
        &in, test_pool, test_activity_form("theme=SPORT&title=a%0Ab&mode=immediat"), &msg));
    ck_assert_str_eq("bad option id", cmcas_activity_input_parse(&in, test_pool,
        test_activity_form(TEST_ACTIVITY_BASE "&option.1.id=abc&option.1.label=x"), &msg));
}
END_TEST

/* A 1x1 PNG and a minimal JPEG header with a frame of 2x3. */
static const unsigned char test_activity_png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
    0, 0, 0, 13, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A,
    0x2D, 0xB4,
    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82
};
static const unsigned char test_activity_jpeg[] = {
    0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xFF, 0xC0, 0, 11, 8, 0, 3, 0, 2, 1, 1, 0x11, 0,
    0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0, 0xFF, 0xD9
};

START_TEST(test_activity_image_check)
{
    cmcas_image_t img;
    const char *msg = NULL;
    unsigned char *big;

    ck_assert_int_eq(APR_SUCCESS, cmcas_image_check(&img, test_pool, test_activity_png,
                                                    sizeof(test_activity_png), &msg));
    ck_assert_str_eq("image/png", img.content_type);
    ck_assert_uint_eq(64 + 4, strlen(img.name));
    ck_assert_str_eq("image/png", cmcas_image_name_type(img.name));
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_check(&img, test_pool, test_activity_jpeg,
                                                    sizeof(test_activity_jpeg), &msg));
    ck_assert_str_eq("image/jpeg", img.content_type);
    ck_assert_uint_eq(2, img.width);
    ck_assert_uint_eq(3, img.height);
    ck_assert_ptr_nonnull(strstr(img.name, ".jpg"));
    /* Text, even named .png; a PNG signature with no sane header; a truncated JPEG. */
    ck_assert_int_eq(APR_EINVAL, cmcas_image_check(&img, test_pool,
                     (const unsigned char *)"<html>hello</html>", 18, &msg));
    ck_assert_int_eq(APR_EINVAL, cmcas_image_check(&img, test_pool, test_activity_png, 40,
                                                   &msg));
    ck_assert_int_eq(APR_EINVAL, cmcas_image_check(&img, test_pool, test_activity_jpeg, 20,
                                                   &msg));
    big = apr_pcalloc(test_pool, CMCAS_IMAGE_MAX_BYTES + 1);
    memcpy(big, test_activity_png, sizeof(test_activity_png));
    ck_assert_int_eq(APR_EINVAL, cmcas_image_check(&img, test_pool, big,
                                                   CMCAS_IMAGE_MAX_BYTES + 1, &msg));
    ck_assert_ptr_nonnull(strstr(msg, "2 Mio"));
    ck_assert_ptr_null(cmcas_image_name_type("../../etc/passwd.png"));
    ck_assert_ptr_null(cmcas_image_name_type(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.svg"));
}
END_TEST

START_TEST(test_activity_multipart)
{
    static const char ctype[] = "multipart/form-data; boundary=XyZ";
    const cmcas_multipart_field_t *f;
    apr_array_header_t *fields;
    const char *err = NULL;
    char *body;
    apr_size_t len;

    cmcas_multipart_init();
    body = apr_psprintf(test_pool,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; "
        "filename=\"../../etc/passwd.png\"\r\nContent-Type: image/png\r\n\r\n");
    len = strlen(body);
    body = apr_pstrcat(test_pool, body, "", NULL);
    {
        char *all = apr_palloc(test_pool, len + sizeof(test_activity_png) + 16);
        memcpy(all, body, len);
        memcpy(all + len, test_activity_png, sizeof(test_activity_png));
        len += sizeof(test_activity_png);
        memcpy(all + len, "\r\n--XyZ--\r\n", 11);
        len += 11;
        body = all;
    }
    ck_assert_int_eq(APR_SUCCESS, cmcas_multipart_parse(&fields, test_pool, ctype, body, len,
                                                         8, &err));
    ck_assert_int_eq(2, fields->nelts);
    f = cmcas_multipart_get(fields, "csrf");
    ck_assert_str_eq("tok", (const char *)f->data);
    f = cmcas_multipart_get(fields, "image");
    ck_assert_str_eq("../../etc/passwd.png", f->filename);
    ck_assert_uint_eq(sizeof(test_activity_png), f->len);
    ck_assert(!memcmp(test_activity_png, f->data, f->len));
    /* Not multipart; no parts; a field twice. */
    ck_assert_int_eq(APR_EINVAL, cmcas_multipart_parse(&fields, test_pool,
                     "application/x-www-form-urlencoded", "a=b", 3, 8, &err));
    ck_assert_int_eq(APR_EINVAL, cmcas_multipart_parse(&fields, test_pool, ctype,
                     "garbage", 7, 8, &err));
    body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
           "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--XyZ--\r\n";
    ck_assert_int_eq(APR_EINVAL, cmcas_multipart_parse(&fields, test_pool, ctype, body,
                                                       strlen(body), 8, &err));
    /* A part of headers only (no blank line, no bytes): an empty field, not a copy from
     * GMime's empty array, whose data is NULL (found by fuzz_multipart under UBSan). */
    body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ--\r\n";
    ck_assert_int_eq(APR_SUCCESS, cmcas_multipart_parse(&fields, test_pool, ctype, body,
                                                        strlen(body), 8, &err));
    f = cmcas_multipart_get(fields, "a");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(0, f->len);
    ck_assert_str_eq("", (const char *)f->data);
}
END_TEST

static void test_activity_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_activity_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static cmcas_activity_input_t *test_activity_input(const char *body)
{
    cmcas_activity_input_t *in = apr_pcalloc(test_pool, sizeof(*in));
    const char *msg = NULL;
    const char *why = cmcas_activity_input_parse(in, test_pool, test_activity_form(body), &msg);
    ck_assert_msg(!why, "%s", why);
    ck_assert_msg(!in->errors->nelts, "%s", in->errors->nelts
                  ? APR_ARRAY_IDX(in->errors, 0, cmcas_activity_input_error_t).message : "");
    return in;
}

START_TEST(test_activity_create_with_audit)
{
    cmcas_result_t res;
    apr_int64_t id = 0;
    const char *after;

    cmcas_activity_change_create(&res, &id, &db.st, test_pool, &test_activity_bn,
                                 apr_time_now(), test_activity_input(
                                     TEST_ACTIVITY_BASE TEST_ACTIVITY_OPTION1));
    ck_assert_msg(CMCAS_RESULT_DONE == res.kind, "%s", res.err ? res.err : "?");
    ck_assert_int_gt(id, 3);
    ck_assert_str_eq("BN", test_db_str(&db, apr_psprintf(test_pool,
        "SELECT cmcas_code FROM activity WHERE id = %" APR_INT64_T_FMT
        " AND published_at IS NULL AND max_guests = 2 AND min_age IS NULL", id)));
    ck_assert_int_eq(3000, test_db_int(&db, apr_psprintf(test_pool,
        "SELECT price_beneficiary FROM activity_option WHERE activity_id = %"
        APR_INT64_T_FMT, id)));
    ck_assert_str_eq("Activité créée", test_db_str(&db, "SELECT action FROM cmcas_audit"));
    ck_assert_str_eq(apr_psprintf(test_pool, "activité %" APR_INT64_T_FMT, id),
                     test_db_str(&db, "SELECT object FROM cmcas_audit"));
    ck_assert_int_eq(-1, test_db_int(&db, "SELECT before FROM cmcas_audit"));
    after = test_db_str(&db, "SELECT after FROM cmcas_audit");
    ck_assert_ptr_nonnull(strstr(after, "Titre : Concert"));
    ck_assert_ptr_nonnull(strstr(after, "Début : 10/06/2027"));
    ck_assert_ptr_nonnull(strstr(after, "Entrée ; bénéficiaires 30,00" TEST_NBSP "€"));
}
END_TEST

START_TEST(test_activity_create_rolls_back)
{
    cmcas_result_t res;
    apr_int64_t id = 0;

    /* The audit line cannot be written: nothing of the activity stays. */
    test_db_exec(&db, "CREATE TRIGGER test_no_audit BEFORE INSERT ON cmcas_audit BEGIN"
                      " SELECT RAISE(ABORT, 'no audit'); END");
    cmcas_activity_change_create(&res, &id, &db.st, test_pool, &test_activity_bn,
                                 apr_time_now(), test_activity_input(
                                     TEST_ACTIVITY_BASE TEST_ACTIVITY_OPTION1));
    ck_assert_int_eq(CMCAS_RESULT_ERROR, res.kind);
    ck_assert_int_eq(0, id);
    ck_assert_int_eq(3, test_db_int(&db, "SELECT COUNT(*) FROM activity"));
    ck_assert_int_eq(4, test_db_int(&db, "SELECT COUNT(*) FROM activity_option"));
}
END_TEST

/* Household 1 registered for activity 1 with option 1 (« Atelier »), 1 place taken. */
static void test_activity_registered(const char *status)
{
    test_db_exec(&db, apr_psprintf(test_pool,
        "INSERT INTO registration (id, activity_id, household_id, status, places_held,"
        " created_at, updated_at) VALUES (1, 1, 1, '%s', 1, 'x', 'x');"
        "INSERT INTO registration_person (id, registration_id, person_id, confirmed)"
        " VALUES (1, 1, 1, 1);"
        "INSERT INTO registration_option (registration_person_id, option_id) VALUES (1, 1);"
        "UPDATE activity SET places_taken = 1 WHERE id = 1", status));
}

/* The edit form of activity 1 as stored, with changes. */
#define TEST_ACTIVITY_EDIT \
    "theme=LOISIR&title=Atelier+gourmand&start_date=10%2F06%2F2027" \
    "&end_date=10%2F06%2F2027&closing_date=01%2F06%2F2027&mode=immediat&open_to_others=1" \
    "&guests_allowed=1&option.1.id=1" \
    "&option.1.participation_beneficiary=10&option.1.price_guest=40" \
    "&option.1.participation_guest=0&option.2.id=2&option.2.label=Place+enfant" \
    "&option.2.participation_beneficiary=5" \
    "&option.2.price_guest=15&option.2.max_age=11"

START_TEST(test_activity_update_keeps_what_households_owe)
{
    cmcas_activity_input_t *in;
    cmcas_result_t res;

    test_activity_registered("validee");
    /* The chosen option's amount changes: refused, nothing written. */
    in = test_activity_input(TEST_ACTIVITY_EDIT "&option.2.price_beneficiary=10&capacity=3&option.1.price_beneficiary=35&option.1.label=Atelier");
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 1, in);
    ck_assert_int_eq(CMCAS_RESULT_REFUSED, res.kind);
    ck_assert_ptr_nonnull(test_activity_first_error(in, "option.1.price_beneficiary"));
    ck_assert_int_eq(3000, test_db_int(&db, "SELECT price_beneficiary FROM activity_option"
                                            " WHERE id = 1"));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_audit"));
    /* Deleting it, the mode, a capacity under the places taken: refused. */
    in = test_activity_input(TEST_ACTIVITY_EDIT "&option.2.price_beneficiary=10&capacity=0&option.1.price_beneficiary=30"
                             "&option.1.delete=1&option.1.label=Atelier");
    in->value.mode = "tour_de_role";
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 1, in);
    ck_assert_int_eq(CMCAS_RESULT_REFUSED, res.kind);
    ck_assert_ptr_nonnull(test_activity_first_error(in, "option.1.delete"));
    ck_assert_ptr_nonnull(test_activity_first_error(in, "mode"));
    ck_assert_ptr_nonnull(strstr(test_activity_first_error(in, "capacity"),
                                 "places déjà prises (1)"));
    /* The same amounts, another option's amounts, a new option, more places: done. */
    in = test_activity_input(TEST_ACTIVITY_EDIT "&capacity=5&option.1.price_beneficiary=30,00"
                             "&option.1.label=Atelier+du+chef&option.2.price_beneficiary=12"
                             "&option.3.label=Repas&option.3.price_beneficiary=8"
                             "&option.3.price_guest=8");
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 1, in);
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    ck_assert_int_eq(3000, test_db_int(&db, "SELECT price_beneficiary FROM activity_option"
                                            " WHERE id = 1"));
    ck_assert_str_eq("Atelier du chef", test_db_str(&db, "SELECT label FROM activity_option"
                                                         " WHERE id = 1"));
    ck_assert_int_eq(1200, test_db_int(&db, "SELECT price_beneficiary FROM activity_option"
                                            " WHERE id = 2"));
    ck_assert_int_eq(3, test_db_int(&db, "SELECT COUNT(*) FROM activity_option"
                                         " WHERE activity_id = 1"));
    ck_assert_int_eq(5, test_db_int(&db, "SELECT capacity FROM activity WHERE id = 1"));
    ck_assert_str_eq("Activité modifiée", test_db_str(&db, "SELECT action FROM cmcas_audit"));
    ck_assert_ptr_nonnull(strstr(test_db_str(&db, "SELECT before FROM cmcas_audit"),
                                 "Places : 3"));
    ck_assert_ptr_nonnull(strstr(test_db_str(&db, "SELECT after FROM cmcas_audit"),
                                 "Places : 5"));
    ck_assert_ptr_null(strstr(test_db_str(&db, "SELECT after FROM cmcas_audit"), "Titre"));
}
END_TEST

START_TEST(test_activity_update_cancelled_registration)
{
    cmcas_activity_input_t *in;
    cmcas_result_t res;

    /* A cancelled registration owes nothing: the amounts may change, but the option it
     * names stays (its history). */
    test_activity_registered("annulee");
    test_db_exec(&db, "UPDATE activity SET places_taken = 0 WHERE id = 1");
    in = test_activity_input(TEST_ACTIVITY_EDIT "&option.2.price_beneficiary=10&capacity=3&option.1.price_beneficiary=35&option.1.label=Atelier");
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 1, in);
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    ck_assert_int_eq(3500, test_db_int(&db, "SELECT price_beneficiary FROM activity_option"
                                            " WHERE id = 1"));
    in = test_activity_input(TEST_ACTIVITY_EDIT "&option.2.price_beneficiary=10&capacity=3&option.1.price_beneficiary=35"
                             "&option.1.delete=1&option.2.delete=1&option.1.label=A");
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 1, in);
    ck_assert_int_eq(CMCAS_RESULT_REFUSED, res.kind);
    ck_assert_ptr_nonnull(test_activity_first_error(in, "option.1.delete"));
    ck_assert_ptr_null(test_activity_first_error(in, "option.2.delete"));
    ck_assert_int_eq(2, test_db_int(&db, "SELECT COUNT(*) FROM activity_option"
                                         " WHERE activity_id = 1"));
}
END_TEST

START_TEST(test_activity_cmcas_boundary)
{
    cmcas_activity_input_t *in;
    cmcas_result_t res;
    cmcas_image_t img;
    const char *msg = NULL;

    /* Activity 3 is Touraine's: "not found" for BN's staff, nothing written. */
    in = test_activity_input(TEST_ACTIVITY_BASE);
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 3, in);
    ck_assert_int_eq(CMCAS_RESULT_NOT_FOUND, res.kind);
    cmcas_activity_change_publish(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                  3, 0);
    ck_assert_int_eq(CMCAS_RESULT_NOT_FOUND, res.kind);
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_check(&img, test_pool, test_activity_png,
                                                    sizeof(test_activity_png), &msg));
    cmcas_activity_change_image(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                3, &img, test_activity_png, sizeof(test_activity_png));
    ck_assert_int_eq(CMCAS_RESULT_NOT_FOUND, res.kind);
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 999, in);
    ck_assert_int_eq(CMCAS_RESULT_NOT_FOUND, res.kind);
    ck_assert_str_eq("Randonnée", test_db_str(&db, "SELECT title FROM activity WHERE id = 3"));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_image"));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_audit"));
    /* An option row of another activity in the form: malformed. */
    in = test_activity_input(TEST_ACTIVITY_EDIT "&option.2.price_beneficiary=10&capacity=3&option.1.price_beneficiary=30&option.1.label=A"
                             "&option.3.id=4&option.3.label=x&option.3.price_beneficiary=1"
                             "&option.3.price_guest=1");
    cmcas_activity_change_update(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                 1, in);
    ck_assert_int_eq(CMCAS_RESULT_BAD_INPUT, res.kind);
}
END_TEST

START_TEST(test_activity_publish_and_image)
{
    const unsigned char *data;
    const char *ctype, *err = NULL, *msg = NULL;
    cmcas_result_t res;
    cmcas_image_t img;
    apr_size_t len;

    cmcas_activity_change_publish(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                  1, 0);
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    ck_assert_int_eq(-1, test_db_int(&db, "SELECT published_at FROM activity WHERE id = 1"));
    cmcas_activity_change_publish(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                  1, 0);
    ck_assert_int_eq(CMCAS_RESULT_CONFLICT, res.kind);
    cmcas_activity_change_publish(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                  1, 1);
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    ck_assert_int_eq(1, test_db_int(&db, "SELECT COUNT(*) FROM activity WHERE id = 1"
                                         " AND published_at IS NOT NULL"));
    ck_assert_str_eq("Activité publiée", test_db_str(&db, "SELECT action FROM cmcas_audit"
                                                          " ORDER BY id"));
    ck_assert_str_eq("Activité dépubliée", test_db_str(&db, "SELECT action FROM cmcas_audit"
                                                            " ORDER BY id DESC"));
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_check(&img, test_pool, test_activity_png,
                                                    sizeof(test_activity_png), &msg));
    cmcas_activity_change_image(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                1, &img, test_activity_png, sizeof(test_activity_png));
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    /* The same picture again: one row. */
    cmcas_activity_change_image(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                2, &img, test_activity_png, sizeof(test_activity_png));
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    ck_assert_int_eq(1, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_image"));
    ck_assert_str_eq(apr_pstrcat(test_pool, "image/", img.name, NULL),
                     test_db_str(&db, "SELECT image FROM activity WHERE id = 1"));
    /* Shown to staff of its CMCAS; to members once published (here: never by 1970). */
    ck_assert_int_eq(APR_NOTFOUND, cmcas_image_store_get(&data, &len, &ctype, &db.st,
                                                         test_pool, img.name, "1970-01-01",
                                                         NULL, &err));
    ck_assert_int_eq(APR_NOTFOUND, cmcas_image_store_get(&data, &len, &ctype, &db.st,
                                                         test_pool, img.name, "1970-01-01",
                                                         "TOURAINE", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_store_get(&data, &len, &ctype, &db.st,
                                                        test_pool, img.name, "1970-01-01",
                                                        "BN", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_store_get(&data, &len, &ctype, &db.st,
                                                        test_pool, img.name, "9999-12-31",
                                                        NULL, &err));
    ck_assert_str_eq("image/png", ctype);
    ck_assert_uint_eq(sizeof(test_activity_png), len);
    ck_assert(!memcmp(data, test_activity_png, len));
    ck_assert_int_eq(APR_NOTFOUND, cmcas_image_store_get(&data, &len, &ctype, &db.st,
                                                         test_pool, "x.png", "9999-12-31",
                                                         "BN", &err));
    /* A picture replaced goes once no activity shows it; a site's file is left. */
    test_db_exec(&db, "UPDATE activity SET image = 'image/old.png' WHERE id = 3");
    test_db_exec(&db, "INSERT INTO cmcas_image (name, content_type, data, bytes, created_at)"
                      " VALUES ('old.png', 'image/png', 'AA==', 1, 'x')");
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_store_forget(&db.st, test_pool,
                                                           "image/old.png", &err));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_image"
                                         " WHERE name = 'old.png'"));
    test_db_exec(&db, "UPDATE activity SET image = NULL WHERE id = 3");
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_store_forget(&db.st, test_pool,
                                                           "/static/img/a.svg", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_image_store_forget(&db.st, test_pool,
                                                           "image/old.png", &err));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_image"
                                         " WHERE name = 'old.png'"));
    /* Through the flow: activity 2 showed « other.png » and takes the first picture
     * (activity 1's too): « other.png » goes, the first stays. */
    test_db_exec(&db, "INSERT INTO cmcas_image (name, content_type, data, bytes, created_at)"
                      " VALUES ('other.png', 'image/png', 'AA==', 1, 'x')");
    test_db_exec(&db, "UPDATE activity SET image = 'image/other.png' WHERE id = 2");
    cmcas_activity_change_image(&res, &db.st, test_pool, &test_activity_bn, apr_time_now(),
                                2, &img, test_activity_png, sizeof(test_activity_png));
    ck_assert_int_eq(CMCAS_RESULT_DONE, res.kind);
    ck_assert_int_eq(0, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_image"
                                         " WHERE name = 'other.png'"));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_image"));
}
END_TEST

Suite *test_activity_suite(void)
{
    Suite *s = suite_create("activity");
    TCase *tc = tcase_create("input");
    TCase *tcf = tcase_create("flows");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_activity_money);
    tcase_add_test(tc, test_activity_input_valid);
    tcase_add_test(tc, test_activity_input_rules);
    tcase_add_test(tc, test_activity_input_malformed);
    tcase_add_test(tc, test_activity_image_check);
    tcase_add_test(tc, test_activity_multipart);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tcf, test_activity_setup, test_activity_teardown);
    tcase_add_test(tcf, test_activity_create_with_audit);
    tcase_add_test(tcf, test_activity_create_rolls_back);
    tcase_add_test(tcf, test_activity_update_keeps_what_households_owe);
    tcase_add_test(tcf, test_activity_update_cancelled_registration);
    tcase_add_test(tcf, test_activity_cmcas_boundary);
    tcase_add_test(tcf, test_activity_publish_and_image);
    suite_add_tcase(s, tcf);
    return s;
}
