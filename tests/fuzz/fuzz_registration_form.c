/* libFuzzer harness: the posted registration forms, member's and staff's, as the module
 * reads them: the body (cmcas_form_parse), then what the member asks for
 * (cmcas_registration_input_parse: action, check boxes, observations, the person or
 * guest to add), the guest's typed fields (cmcas_registration_parse_guest: names, birth
 * date JJ/MM/AAAA or AAAA-MM-JJ), what staff ask for on « Modifier l'inscription »
 * (cmcas_registration_amend_input_parse) and the reason of a cancellation
 * (cmcas_staff_cancel_reason).
 *
 * Properties checked on what is accepted: ids positive and each participant once, an
 * action the page offers, observations without CR within 2000 characters, a guest with
 * trimmed names of 1 to 100 characters without control characters and a real birth date
 * between 130 years ago and today, a reason on one line, trimmed, within 500 characters. */
#include <stdint.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_text.h"
#include "../../mod_cmcas/cmcas_registration.h"
#include "../../mod_cmcas/cmcas_registration_input.h"
#include "../../mod_cmcas/cmcas_registration_amend_input.h"
#include "../../mod_cmcas/cmcas_staff_cancel.h"
#include "fuzz_common.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_has_control(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 1;
        }
    }
    return 0;
}

/* A name as accepted: trimmed, 1 to 100 characters, valid UTF-8, no control character. */
static void fuzz_check_name(const char *s)
{
    size_t len = strlen(s);
    fuzz_common_assert(len && !apr_isspace(s[0]) && !apr_isspace(s[len - 1]));
    fuzz_common_assert(fuzz_common_chars(s) >= 1 && fuzz_common_chars(s) <= CMCAS_REGISTRATION_NAME_MAX);
    fuzz_common_assert(cmcas_text_utf8_valid(s, len) && !fuzz_has_control(s));
}

static void fuzz_guest(apr_pool_t *p, const char *last, const char *first, const char *birth)
{
    static const cmcas_date_t today = {2026, 11, 28};
    const char *l = NULL, *f = NULL, *b = NULL, *msg;
    cmcas_date_t d;

    msg = cmcas_registration_parse_guest(p, last, first, birth, &today, &l, &f, &b);
    if (msg) {
        fuzz_common_assert(*msg != '\0');
        return;
    }
    fuzz_check_name(l);
    fuzz_check_name(f);
    fuzz_common_assert(b && APR_SUCCESS == cmcas_date_parse_iso(&d, b));
    fuzz_common_assert(cmcas_date_cmp(&d, &today) <= 0 && d.y >= today.y - 130);
}

static void fuzz_ids(const apr_array_header_t *ids)
{
    int i;
    for (i = 0; i < ids->nelts; i++) {
        fuzz_common_assert(APR_ARRAY_IDX(ids, i, apr_int64_t) > 0);
    }
}

static void fuzz_member(apr_pool_t *p, cmcas_form_t *form)
{
    cmcas_registration_input_t in;
    const char *msg = NULL, *why;
    int i, j;

    why = cmcas_registration_input_parse(&in, p, form, &msg);
    if (why) {
        fuzz_common_assert(msg && *msg);
        return;
    }
    fuzz_common_assert((int)in.action >= CMCAS_REGISTRATION_INPUT_ADD
                && (int)in.action <= CMCAS_REGISTRATION_INPUT_CANCEL && in.code);
    for (i = 0; i < in.choices->nelts; i++) {
        const cmcas_registration_input_choice_t *c =
            &APR_ARRAY_IDX(in.choices, i, cmcas_registration_input_choice_t);
        fuzz_common_assert(c->participant_id > 0 && (c->photo_optout == 0 || c->photo_optout == 1));
        fuzz_ids(c->options);
        for (j = 0; j < i; j++) {
            fuzz_common_assert(APR_ARRAY_IDX(in.choices, j, cmcas_registration_input_choice_t)
                        .participant_id != c->participant_id);
        }
    }
    if (in.observations) {
        fuzz_common_assert(!strchr(in.observations, '\r')
                    && fuzz_common_chars(in.observations) <= CMCAS_REGISTRATION_OBSERVATIONS_MAX);
    }
    fuzz_common_assert(in.action != CMCAS_REGISTRATION_INPUT_REMOVE || in.remove_id > 0);
    if (in.action == CMCAS_REGISTRATION_INPUT_ADD) {
        fuzz_common_assert(in.guest ? in.person_id == 0 : in.person_id > 0);
        if (in.guest) {
            fuzz_guest(p, in.guest_last, in.guest_first, in.guest_birth);
        }
    }
}

static void fuzz_staff(apr_pool_t *p, cmcas_form_t *form)
{
    cmcas_registration_amend_input_t in;
    const char *msg = NULL, *why, *reason;
    int i, j;

    why = cmcas_registration_amend_input_parse(&in, p, form, &msg);
    if (why) {
        fuzz_common_assert(msg && *msg);
        return;
    }
    for (i = 0; i < in.choices->nelts; i++) {
        const cmcas_registration_amend_choice_t *c =
            &APR_ARRAY_IDX(in.choices, i, cmcas_registration_amend_choice_t);
        fuzz_common_assert(c->participant_id > 0 && (c->remove == 0 || c->remove == 1));
        fuzz_ids(c->options);
        for (j = 0; j < i; j++) {
            fuzz_common_assert(APR_ARRAY_IDX(in.choices, j, cmcas_registration_amend_choice_t)
                        .participant_id != c->participant_id);
        }
    }
    fuzz_ids(in.new_options);
    fuzz_common_assert(!(in.guest && in.person_id) && in.person_id >= 0);
    fuzz_common_assert(cmcas_registration_amend_input_adds(&in) == (in.guest || in.person_id > 0));
    if (in.guest) {
        fuzz_guest(p, in.guest_last, in.guest_first, in.guest_birth);
    }
    if ((reason = cmcas_staff_cancel_reason(p, in.reason))) {
        size_t len = strlen(reason);
        fuzz_common_assert(len && reason[0] != ' ' && reason[len - 1] != ' ');
        fuzz_common_assert(!strpbrk(reason, "\r\n\t")
                    && fuzz_common_chars(reason) <= CMCAS_STAFF_CANCEL_REASON_MAX);
        /* Already clean: the same again. */
        fuzz_common_assert(!strcmp(cmcas_staff_cancel_reason(p, reason), reason));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cmcas_form_t *form = NULL;
    const char *err = NULL;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    if (APR_SUCCESS == cmcas_form_parse(&form, p, (const char *)data, size, &err)) {
        /* Every name and value read is XML text (valid UTF-8, no control character but
         * tab, CR, LF: the parser's promise), and an id is what it says. */
        const apr_array_header_t *elts = apr_table_elts(form->fields);
        int i;
        for (i = 0; i < elts->nelts; i++) {
            const apr_table_entry_t *e = &APR_ARRAY_IDX(elts, i, apr_table_entry_t);
            apr_int64_t id = cmcas_form_id(e->val);
            fuzz_common_assert(*e->key && cmcas_text_xml_valid(e->key, strlen(e->key))
                        && cmcas_text_xml_valid(e->val, strlen(e->val)));
            fuzz_common_assert(!id || (strspn(e->val, "0123456789") == strlen(e->val)
                                && strlen(e->val) <= 15 && e->val[0] != '0'
                                && !strcmp(apr_psprintf(p, "%" APR_INT64_T_FMT, id), e->val)));
        }
        fuzz_common_assert(elts->nelts <= CMCAS_FORM_MAX_FIELDS);
        fuzz_member(p, form);
        form->err = NULL;
        fuzz_staff(p, form);
        form->err = NULL;
        /* The guest's fields as typed, whatever the action. */
        fuzz_guest(p, cmcas_form_single(form, "invite-nom", 200),
                   cmcas_form_single(form, "invite-prenom", 200),
                   cmcas_form_single(form, "invite-naissance", 40));
    }
    else {
        fuzz_common_assert(err && *err);
    }
    /* The raw bytes as a reason typed in the cancel form. */
    {
        const char *raw = apr_pstrmemdup(p, (const char *)data, size);
        const char *reason = cmcas_staff_cancel_reason(p, raw);
        if (reason) {
            fuzz_common_assert(!strpbrk(reason, "\r\n\t") && *reason
                        && fuzz_common_chars(reason) <= CMCAS_STAFF_CANCEL_REASON_MAX);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
