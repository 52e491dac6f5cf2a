#include <apr_strings.h>

#include "cmcas_registration_amend_input.h"
#include "cmcas_staff_cancel.h"

#define CMCAS_REGISTRATION_AMEND_INPUT_RELOAD \
    "Le formulaire ne correspond pas à l'inscription : rechargez la page."

/* The option ids posted under `name`; NULL when one is not an id. */
static apr_array_header_t *cmcas_registration_amend_input_ids(apr_pool_t *p,
                                                              cmcas_form_t *form,
                                                              const char *name)
{
    apr_array_header_t *posted = cmcas_form_all(form, name), *ids;
    int i;

    ids = apr_array_make(p, posted->nelts + 1, sizeof(apr_int64_t));
    for (i = 0; i < posted->nelts; i++) {
        apr_int64_t id = cmcas_form_id(APR_ARRAY_IDX(posted, i, const char *));
        if (!id) {
            return NULL;
        }
        *(apr_int64_t *)apr_array_push(ids) = id;
    }
    return ids;
}

/* A check box of a participant the form does not list: a forged post. */
static const char *cmcas_registration_amend_input_strays(
    const cmcas_registration_amend_input_t *in, cmcas_form_t *form)
{
    const apr_array_header_t *fields = apr_table_elts(form->fields);
    const apr_table_entry_t *e = (const apr_table_entry_t *)fields->elts;
    int i, j;

    for (i = 0; i < fields->nelts; i++) {
        const char *idtext = !strncmp(e[i].key, "options-", 8) ? e[i].key + 8
                             : !strncmp(e[i].key, "retirer-", 8) ? e[i].key + 8 : NULL;
        apr_int64_t id;
        if (!idtext || !strcmp(e[i].key, "options-nouveau")) {
            continue;
        }
        id = cmcas_form_id(idtext);
        for (j = 0; id && j < in->choices->nelts; j++) {
            if (APR_ARRAY_IDX(in->choices, j,
                              cmcas_registration_amend_choice_t).participant_id == id) {
                break;
            }
        }
        if (!id || j == in->choices->nelts) {
            return "check box of a participant not in the form";
        }
    }
    return NULL;
}

static const char *cmcas_registration_amend_input_choices(
    cmcas_registration_amend_input_t *in, apr_pool_t *p, cmcas_form_t *form)
{
    apr_array_header_t *ids = cmcas_form_all(form, "participant");
    int i, j;

    in->choices = apr_array_make(p, ids->nelts + 1,
                                 sizeof(cmcas_registration_amend_choice_t));
    for (i = 0; i < ids->nelts; i++) {
        cmcas_registration_amend_choice_t *c = apr_array_push(in->choices);
        const char *remove;

        c->participant_id = cmcas_form_id(APR_ARRAY_IDX(ids, i, const char *));
        if (!c->participant_id) {
            return "bad participant id";
        }
        for (j = 0; j < i; j++) {
            if (APR_ARRAY_IDX(in->choices, j, cmcas_registration_amend_choice_t)
                    .participant_id == c->participant_id) {
                return "participant listed twice";
            }
        }
        c->options = cmcas_registration_amend_input_ids(
            p, form, apr_psprintf(p, "options-%" APR_INT64_T_FMT, c->participant_id));
        if (!c->options) {
            return "bad option id";
        }
        remove = cmcas_form_single(form, apr_psprintf(p, "retirer-%" APR_INT64_T_FMT,
                                                      c->participant_id), 1);
        if (form->err || (remove && strcmp(remove, "1"))) {
            return "bad « Retirer » field";
        }
        c->remove = remove != NULL;
    }
    return cmcas_registration_amend_input_strays(in, form);
}

const char *cmcas_registration_amend_input_parse(cmcas_registration_amend_input_t *in,
                                                 apr_pool_t *p, cmcas_form_t *form,
                                                 const char **pmessage)
{
    const char *who, *why;

    memset(in, 0, sizeof(*in));
    *pmessage = CMCAS_REGISTRATION_AMEND_INPUT_RELOAD;
    /* Bounded here by bytes; the flow bounds the trimmed reason by characters. */
    in->reason = cmcas_form_single(form, "motif", CMCAS_STAFF_CANCEL_REASON_MAX * 4);
    who = cmcas_form_single(form, "personne", 20);
    in->guest_last = cmcas_form_single(form, "invite-nom", 200);
    in->guest_first = cmcas_form_single(form, "invite-prenom", 200);
    in->guest_birth = cmcas_form_single(form, "invite-naissance", 40);
    if (form->err) {
        *pmessage = form->err;
        return "field repeated or too long";
    }
    if ((why = cmcas_registration_amend_input_choices(in, p, form))) {
        return why;
    }
    in->new_options = cmcas_registration_amend_input_ids(p, form, "options-nouveau");
    if (!in->new_options) {
        return "bad option id for the added person";
    }
    if (who && !strcmp(who, "invite")) {
        in->guest = 1;
    }
    else if (who && *who && !(in->person_id = cmcas_form_id(who))) {
        *pmessage = "Personne inconnue.";
        return "bad person id";
    }
    return NULL;
}

int cmcas_registration_amend_input_adds(const cmcas_registration_amend_input_t *in)
{
    return in->guest || in->person_id;
}
