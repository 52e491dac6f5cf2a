#include <apr_strings.h>

#include "cmcas_registration_input.h"
#include "cmcas_registration.h"

#define CMCAS_REGISTRATION_INPUT_RELOAD \
    "Le formulaire ne correspond pas à votre inscription : rechargez la page."

/* Check boxes of a participant the form does not list: a forged post. */
static const char *cmcas_registration_input_strays(const cmcas_registration_input_t *in,
                                                   cmcas_form_t *form)
{
    const apr_array_header_t *fields = apr_table_elts(form->fields);
    const apr_table_entry_t *e = (const apr_table_entry_t *)fields->elts;
    int i, j;

    for (i = 0; i < fields->nelts; i++) {
        const char *idtext = !strncmp(e[i].key, "options-", 8) ? e[i].key + 8
                             : !strncmp(e[i].key, "photo-", 6) ? e[i].key + 6 : NULL;
        apr_int64_t id = idtext ? cmcas_form_id(idtext) : 0;
        if (!idtext) {
            continue;
        }
        for (j = 0; id && j < in->choices->nelts; j++) {
            if (APR_ARRAY_IDX(in->choices, j,
                              cmcas_registration_input_choice_t).participant_id == id) {
                break;
            }
        }
        if (!id || j == in->choices->nelts) {
            return "check box of a participant not in the form";
        }
    }
    return NULL;
}

static const char *cmcas_registration_input_choices(cmcas_registration_input_t *in,
                                                    apr_pool_t *p, cmcas_form_t *form)
{
    apr_array_header_t *ids = cmcas_form_all(form, "participant");
    int i, j;

    in->choices = apr_array_make(p, ids->nelts + 1, sizeof(cmcas_registration_input_choice_t));
    for (i = 0; i < ids->nelts; i++) {
        cmcas_registration_input_choice_t *c = apr_array_push(in->choices);
        apr_array_header_t *opts;
        const char *photo;

        c->participant_id = cmcas_form_id(APR_ARRAY_IDX(ids, i, const char *));
        if (!c->participant_id) {
            return "bad participant id";
        }
        for (j = 0; j < i; j++) {
            if (APR_ARRAY_IDX(in->choices, j, cmcas_registration_input_choice_t)
                    .participant_id == c->participant_id) {
                return "participant listed twice";
            }
        }
        opts = cmcas_form_all(form, apr_psprintf(p, "options-%" APR_INT64_T_FMT,
                                                 c->participant_id));
        c->options = apr_array_make(p, opts->nelts + 1, sizeof(apr_int64_t));
        for (j = 0; j < opts->nelts; j++) {
            apr_int64_t oid = cmcas_form_id(APR_ARRAY_IDX(opts, j, const char *));
            if (!oid) {
                return "bad option id";
            }
            *(apr_int64_t *)apr_array_push(c->options) = oid;
        }
        photo = cmcas_form_single(form, apr_psprintf(p, "photo-%" APR_INT64_T_FMT,
                                                     c->participant_id), 1);
        if (form->err || (photo && strcmp(photo, "1"))) {
            return "bad photo field";
        }
        c->photo_optout = photo != NULL;
    }
    return cmcas_registration_input_strays(in, form);
}

static const char *cmcas_registration_input_add(cmcas_registration_input_t *in,
                                                cmcas_form_t *form)
{
    const char *who = cmcas_form_single(form, "personne", 20);

    if (!who) {
        return "no person to add";
    }
    if (!strcmp(who, "invite")) {
        in->guest = 1;
        in->guest_last = cmcas_form_single(form, "invite-nom", 200);
        in->guest_first = cmcas_form_single(form, "invite-prenom", 200);
        in->guest_birth = cmcas_form_single(form, "invite-naissance", 40);
        return form->err ? "guest field repeated or too long" : NULL;
    }
    in->person_id = cmcas_form_id(who);
    return in->person_id ? NULL : "bad person id";
}

const char *cmcas_registration_input_parse(cmcas_registration_input_t *in, apr_pool_t *p,
                                           cmcas_form_t *form, const char **pmessage)
{
    const char *action, *observations, *why;

    memset(in, 0, sizeof(*in));
    *pmessage = CMCAS_REGISTRATION_INPUT_RELOAD;
    action = cmcas_form_single(form, "action", 40);
    /* Browsers send a textarea's line breaks as CRLF but count them as one character:
     * read twice the limit, then count after normalising. */
    observations = cmcas_form_single(form, "observations",
                                     2 * CMCAS_REGISTRATION_OBSERVATIONS_MAX);
    if (form->err) {
        *pmessage = form->err;
        return "field repeated or too long";
    }
    if (observations
        && !(in->observations = cmcas_registration_observations(p, observations))) {
        *pmessage = "« Mes observations » : 2000 caractères au plus.";
        return "observations too long";
    }
    if (!action) {
        *pmessage = "Aucune action demandée.";
        return "no action";
    }
    in->code = action;
    if (!strncmp(action, "retirer-", 8)) {
        in->action = CMCAS_REGISTRATION_INPUT_REMOVE;
        in->code = "retirer";
        if (!(in->remove_id = cmcas_form_id(action + 8))) {
            *pmessage = "Action inconnue.";
            return "bad participant id";
        }
    }
    else if (!strcmp(action, "ajouter")) in->action = CMCAS_REGISTRATION_INPUT_ADD;
    else if (!strcmp(action, "enregistrer")) in->action = CMCAS_REGISTRATION_INPUT_SAVE;
    else if (!strcmp(action, "valider")) in->action = CMCAS_REGISTRATION_INPUT_VALIDATE;
    else if (!strcmp(action, "annuler")) in->action = CMCAS_REGISTRATION_INPUT_CANCEL;
    else {
        *pmessage = "Action inconnue.";
        return "unknown action";
    }
    if ((why = cmcas_registration_input_choices(in, p, form))) {
        return why;
    }
    if (in->action == CMCAS_REGISTRATION_INPUT_ADD
        && (why = cmcas_registration_input_add(in, form))) {
        *pmessage = "Personne inconnue.";
        return why;
    }
    return NULL;
}
