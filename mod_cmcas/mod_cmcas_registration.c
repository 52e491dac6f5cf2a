#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_registration.h"
#include "cmcas_catalog.h"
#include "cmcas_doc.h"
#include "cmcas_form.h"
#include "cmcas_registration_doc.h"
#include "cmcas_registration_store.h"
#include "cmcas_order_store.h"

/* What a registration page needs, read before any change. */
typedef struct {
    mod_cmcas_request_t *rq;
    cmcas_catalog_ctx_t ctx;
    cmcas_store_activity_t *act;
    apr_array_header_t *options;
    apr_array_header_t *persons;
} mod_cmcas_registration_t;

/* The outcome of a post that is refused: the page again with a message. */
typedef struct {
    int status;                 /* 400 or 409 */
    const char *message;
    const char *guest_last, *guest_first, *guest_birth;    /* typed values, echoed */
} mod_cmcas_registration_refusal_t;

static int mod_cmcas_registration_bad(mod_cmcas_request_t *rq, const char *why,
                                      const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(41)
                  "bad registration post by '%s' on %s: %s", rq->r->user, rq->r->uri, why);
    return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, message);
}

/* Reads the activity (404 unless visible from this portal), its options and the
 * household. Returns OK, or DONE when it has sent an error page. */
static int mod_cmcas_registration_load(mod_cmcas_registration_t *rg, mod_cmcas_request_t *rq,
                                       apr_int64_t activity_id)
{
    request_rec *r = rq->r;
    const char *err = NULL;
    apr_status_t rv;

    memset(rg, 0, sizeof(*rg));
    rg->rq = rq;
    mod_cmcas_request_catalog_ctx(rq, &rg->ctx);
    rv = cmcas_store_activity(&rg->act, rq->store, r->pool, activity_id, &err);
    if (APR_NOTFOUND == rv) {
        mod_cmcas_request_not_found(rq, "no such activity");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "an activity", err);
        return DONE;
    }
    if (!cmcas_catalog_is_visible(rg->act, &rg->ctx)) {
        mod_cmcas_request_not_found(rq, "activity not visible from this portal");
        return DONE;
    }
    if (APR_SUCCESS != cmcas_store_options(&rg->options, rq->store, r->pool, activity_id,
                                           &err)) {
        mod_cmcas_request_db_error(rq, "an activity's options", err);
        return DONE;
    }
    if (APR_SUCCESS != cmcas_store_persons(&rg->persons, rq->store, r->pool,
                                           rq->household->id, &err)) {
        mod_cmcas_request_db_error(rq, "the household's persons", err);
        return DONE;
    }
    return OK;
}

static const char *mod_cmcas_registration_info(const char *code, const char *mode)
{
    if (!code) return NULL;
    if (!strcmp(code, "ajouter")) return "La personne a été ajoutée à votre inscription.";
    if (!strcmp(code, "retirer")) return "La personne a été retirée de votre inscription.";
    if (!strcmp(code, "enregistrer")) return "Votre inscription a été enregistrée.";
    if (!strcmp(code, "annuler")) return "Votre inscription est annulée.";
    if (!strcmp(code, "valider")) {
        return strcmp(mode, "tour_de_role")
            ? "Votre inscription est validée : vos places sont réservées."
            : "Votre demande d'inscription est enregistrée. À la date de clôture, une "
              "sélection est faite ; un e-mail vous dira si vous êtes retenu(e).";
    }
    return NULL;
}

/* Sends the registration page as it is in the database, with a message. */
static int mod_cmcas_registration_page(mod_cmcas_registration_t *rg, int status,
                                       const char *type, const char *message,
                                       const mod_cmcas_registration_refusal_t *echo)
{
    mod_cmcas_request_t *rq = rg->rq;
    request_rec *r = rq->r;
    cmcas_registration_doc_t d;
    cmcas_registration_t *reg = NULL;
    xmlNodePtr root, ins;
    xmlDocPtr doc;
    const char *err = NULL;
    apr_status_t rv;

    rv = cmcas_registration_store_get(&reg, rq->store, r->pool, rg->act->id,
                                      rq->household->id, &err);
    if (APR_NOTFOUND == rv) {
        reg = cmcas_registration_new(r->pool, rg->act->id, rq->household->id);
    }
    else if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "a registration", err);
    }
    d.act = rg->act;
    d.options = rg->options;
    d.reg = reg;
    d.persons = rg->persons;
    d.ctx = &rg->ctx;
    d.base = rq->base;
    d.csrf = mod_cmcas_request_csrf_token(rq);
    doc = mod_cmcas_request_page(rq, "inscription", rg->act->theme, &root);
    ins = cmcas_registration_doc_page(root, &d, r->pool);
    if (message) {
        cmcas_registration_doc_message(ins, type, message);
    }
    if (echo && (echo->guest_last || echo->guest_first || echo->guest_birth)) {
        xmlNodePtr gf = cmcas_doc_elem(ins, "guest-form");
        cmcas_doc_attr(gf, "nom", echo->guest_last);
        cmcas_doc_attr(gf, "prenom", echo->guest_first);
        cmcas_doc_attr(gf, "naissance", echo->guest_birth);
    }
    return mod_cmcas_request_send(rq, doc, status);
}

/* ------------------------------------------------------------------------------- */
/* The post */

/* Applies the posted check boxes to the participants listed in the form. Returns
 * NULL, or why the post is malformed (an unknown participant or option). */
static const char *mod_cmcas_registration_apply(mod_cmcas_registration_t *rg,
                                                cmcas_form_t *form,
                                                cmcas_registration_t *reg,
                                                apr_array_header_t **plisted)
{
    apr_pool_t *p = rg->rq->r->pool;
    apr_array_header_t *ids = cmcas_form_all(form, "participant");
    const apr_array_header_t *fields = apr_table_elts(form->fields);
    apr_table_entry_t *e = (apr_table_entry_t *)fields->elts;
    int i, j;

    *plisted = apr_array_make(p, ids->nelts + 1, sizeof(cmcas_registration_participant_t *));
    for (i = 0; i < ids->nelts; i++) {
        apr_int64_t id = cmcas_form_id(APR_ARRAY_IDX(ids, i, const char *));
        cmcas_registration_participant_t *pa = id ? cmcas_registration_find(reg, id) : NULL;
        apr_array_header_t *opts;
        const char *photo;

        if (!pa) {
            return "unknown participant";
        }
        for (j = 0; j < (*plisted)->nelts; j++) {
            if (APR_ARRAY_IDX(*plisted, j, cmcas_registration_participant_t *) == pa) {
                return "participant listed twice";
            }
        }
        *(cmcas_registration_participant_t **)apr_array_push(*plisted) = pa;
        opts = cmcas_form_all(form, apr_psprintf(p, "options-%" APR_INT64_T_FMT, pa->id));
        pa->options = apr_array_make(p, opts->nelts + 1, sizeof(apr_int64_t));
        /* In the activity's order, each once, whatever the post's order. */
        for (j = 0; j < rg->options->nelts; j++) {
            const cmcas_store_option_t *o =
                &APR_ARRAY_IDX(rg->options, j, cmcas_store_option_t);
            int k;
            for (k = 0; k < opts->nelts; k++) {
                if (cmcas_form_id(APR_ARRAY_IDX(opts, k, const char *)) == o->id) {
                    *(apr_int64_t *)apr_array_push(pa->options) = o->id;
                    break;
                }
            }
        }
        for (j = 0; j < opts->nelts; j++) {
            apr_int64_t oid = cmcas_form_id(APR_ARRAY_IDX(opts, j, const char *));
            if (!oid || !cmcas_registration_option(rg->options, oid)) {
                return "option of another activity";
            }
        }
        photo = cmcas_form_single(form, apr_psprintf(p, "photo-%" APR_INT64_T_FMT, pa->id),
                                  1);
        if (form->err || (photo && strcmp(photo, "1"))) {
            return "bad photo field";
        }
        pa->photo_optout = photo != NULL;
    }
    /* Check boxes of a participant the form does not list: a forged post. */
    for (i = 0; i < fields->nelts; i++) {
        const char *name = e[i].key, *idtext = NULL;
        apr_int64_t id;
        if (!strncmp(name, "options-", 8)) {
            idtext = name + 8;
        }
        else if (!strncmp(name, "photo-", 6)) {
            idtext = name + 6;
        }
        if (!idtext) {
            continue;
        }
        id = cmcas_form_id(idtext);
        for (j = 0; j < (*plisted)->nelts; j++) {
            if (APR_ARRAY_IDX(*plisted, j, cmcas_registration_participant_t *)->id == id) {
                break;
            }
        }
        if (!id || j == (*plisted)->nelts) {
            return "check box of a participant not in the form";
        }
    }
    return NULL;
}

/* « Ajouter »: a person of the household, or a guest. Returns NULL when added (or a
 * refusal filled in), or why the post is malformed. */
static const char *mod_cmcas_registration_add(mod_cmcas_registration_t *rg,
                                              cmcas_form_t *form,
                                              cmcas_registration_store_change_t *ch,
                                              cmcas_registration_t *reg,
                                              mod_cmcas_registration_refusal_t *refusal,
                                              apr_status_t *prv)
{
    apr_pool_t *p = rg->rq->r->pool;
    const char *who = cmcas_form_single(form, "personne", 20);
    cmcas_registration_participant_t pa;
    const char *name, *why;
    int i;

    *prv = APR_SUCCESS;
    memset(&pa, 0, sizeof(pa));
    pa.options = apr_array_make(p, 1, sizeof(apr_int64_t));
    if (!who) {
        return "no person to add";
    }
    if (!strcmp(who, "invite")) {
        const char *last = cmcas_form_single(form, "invite-nom", 200);
        const char *first = cmcas_form_single(form, "invite-prenom", 200);
        const char *birth = cmcas_form_single(form, "invite-naissance", 40);
        if (form->err) {
            return "guest field repeated or too long";
        }
        if ((why = cmcas_registration_check_guest_slot(p, rg->act, reg))) {
            refusal->status = HTTP_CONFLICT;
            refusal->message = why;
            return NULL;
        }
        why = cmcas_registration_parse_guest(p, last, first, birth, &rg->ctx.today,
                                             &pa.last_name, &pa.first_name,
                                             &pa.birth_date);
        if (why) {
            refusal->status = HTTP_BAD_REQUEST;
            refusal->message = why;
            refusal->guest_last = last;
            refusal->guest_first = first;
            refusal->guest_birth = birth;
            return NULL;
        }
        pa.kind = "guest";
    }
    else {
        apr_int64_t id = cmcas_form_id(who);
        const cmcas_store_person_t *pe = NULL;
        for (i = 0; id && i < rg->persons->nelts; i++) {
            if (APR_ARRAY_IDX(rg->persons, i, cmcas_store_person_t).id == id) {
                pe = &APR_ARRAY_IDX(rg->persons, i, cmcas_store_person_t);
            }
        }
        if (!pe) {
            return "person of another household";
        }
        if (cmcas_registration_has_person(reg, id)) {
            refusal->status = HTTP_CONFLICT;
            refusal->message = apr_psprintf(p, "%s %s est déjà inscrit(e).",
                                            pe->first_name, pe->last_name);
            return NULL;
        }
        pa.person_id = id;
        pa.kind = pe->role;
        pa.first_name = pe->first_name;
        pa.last_name = pe->last_name;
        pa.birth_date = pe->birth_date;
    }
    name = apr_pstrcat(p, pa.first_name, " ", pa.last_name, NULL);
    if ((why = cmcas_registration_check_age(p, rg->act, name, pa.birth_date))) {
        refusal->status = HTTP_CONFLICT;
        refusal->message = why;
        return NULL;
    }
    if (APR_SUCCESS != (*prv = cmcas_registration_store_add(ch, reg, &pa))) {
        return NULL;
    }
    *prv = cmcas_registration_store_status(ch, reg,
                                           strcmp(reg->status, "annulee") ? reg->status
                                                                          : "brouillon",
                                           apr_pstrcat(p, "Ajout de ", name, NULL));
    return NULL;
}

static int mod_cmcas_registration_post(mod_cmcas_registration_t *rg)
{
    mod_cmcas_request_t *rq = rg->rq;
    request_rec *r = rq->r;
    apr_pool_t *p = r->pool;
    mod_cmcas_registration_refusal_t refusal = {0, NULL, NULL, NULL, NULL};
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    apr_array_header_t *listed = NULL;
    cmcas_form_t *form = NULL;
    const char *action, *observations, *bad = NULL, *why, *waiting = NULL;
    apr_int64_t remove_id = 0;
    apr_status_t rv = APR_SUCCESS;
    int status, i, no_places = 0;

    if (OK != (status = mod_cmcas_request_form(rq, &form))) {
        return OK;
    }
    if (OK != (status = mod_cmcas_request_csrf_check(rq, form))) {
        return OK;
    }
    action = cmcas_form_single(form, "action", 40);
    /* Browsers send a textarea's line breaks as CRLF but count them as one character:
     * read twice the limit, then count after normalising. */
    observations = cmcas_form_single(form, "observations",
                                     2 * CMCAS_REGISTRATION_OBSERVATIONS_MAX);
    if (form->err) {
        return mod_cmcas_registration_bad(rq, "field repeated or too long", form->err);
    }
    if (observations
        && !(observations = cmcas_registration_observations(p, observations))) {
        return mod_cmcas_registration_bad(rq, "observations too long",
                                          "« Mes observations » : 2000 caractères au "
                                          "plus.");
    }
    if (!action) {
        return mod_cmcas_registration_bad(rq, "no action", "Aucune action demandée.");
    }
    if (!strncmp(action, "retirer-", 8)) {
        if (!(remove_id = cmcas_form_id(action + 8))) {
            return mod_cmcas_registration_bad(rq, "bad participant id",
                                              "Action inconnue.");
        }
    }
    else if (strcmp(action, "ajouter") && strcmp(action, "enregistrer")
             && strcmp(action, "valider") && strcmp(action, "annuler")) {
        return mod_cmcas_registration_bad(rq, "unknown action", "Action inconnue.");
    }
    if ((why = cmcas_registration_check_open(p, rg->act, &rg->ctx.today))
        || (why = cmcas_registration_check_household(p, rg->act,
                                                     rq->household->cmcas_code))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(42)
                      "registration change refused for '%s' on %s: closed or reserved",
                      r->user, r->uri);
        return mod_cmcas_registration_page(rg, HTTP_CONFLICT, "error", why, NULL);
    }

    cmcas_registration_store_change_init(&ch, rq->store, p, r->user);

    /* A registration is stored at its first person, not before. */
    rv = cmcas_registration_store_lock(&reg, &ch, rg->act->id, rq->household->id,
                                       !strcmp(action, "ajouter"));
    if (APR_NOTFOUND == rv) {
        cmcas_registration_store_finish(&ch, 0);
        if (!strcmp(action, "valider")) {
            return mod_cmcas_registration_page(rg, HTTP_CONFLICT, "error",
                                               "Ajoutez au moins une personne avant de "
                                               "valider votre inscription.", NULL);
        }
        return mod_cmcas_request_redirect(rq, apr_psprintf(p, "%s/activite/%"
                                          APR_INT64_T_FMT "/inscription", rq->base,
                                          rg->act->id));
    }
    if (APR_SUCCESS != rv) {
        goto db_error;
    }

    /* An order waiting for its payment fixes what it pays: cancelling the registration
     * cancels it too; any other change waits until it is paid or cancelled. */
    if (APR_SUCCESS != (rv = cmcas_order_store_waiting(&waiting, ch.st, p, reg->id,
                                                       &ch.err))) {
        goto db_error;
    }
    if (!strcmp(reg->status, "payee")) {
        cmcas_registration_store_finish(&ch, 0);
        return mod_cmcas_registration_page(rg, HTTP_CONFLICT, "error",
                                           "Votre inscription est payée : pour la modifier "
                                           "ou l'annuler, contactez la CMCAS.", NULL);
    }
    if (waiting && strcmp(action, "annuler")) {
        cmcas_registration_store_finish(&ch, 0);
        return mod_cmcas_registration_page(rg, HTTP_CONFLICT, "error",
                                           apr_psprintf(p, "La commande %s attend son "
                                                        "paiement : annulez-la pour modifier "
                                                        "votre inscription.", waiting),
                                           NULL);
    }
    if (waiting) {
        cmcas_order_t order;
        int moved = 0;
        memset(&order, 0, sizeof(order));
        if (APR_SUCCESS != (rv = cmcas_order_store_get_id(&order.id, ch.st, p, waiting,
                                                          &ch.err))
            || APR_SUCCESS != (rv = cmcas_order_store_move(&ch, &order, "attente_cmcas",
                                                           "annulee", "Inscription annulée",
                                                           &moved))
            || (!moved
                && APR_SUCCESS != (rv = cmcas_order_store_move(&ch, &order, "attente_cb",
                                                               "annulee",
                                                               "Inscription annulée",
                                                               &moved)))) {
            goto db_error;
        }
    }

    /* 1. What the form shows: options, photo choices, observations. */
    if ((bad = mod_cmcas_registration_apply(rg, form, reg, &listed))) {
        cmcas_registration_store_finish(&ch, 0);
        return mod_cmcas_registration_bad(rq, bad, "Le formulaire ne correspond pas à "
                                          "votre inscription : rechargez la page.");
    }
    if (!strcmp(reg->status, "validee")
        && (why = cmcas_registration_check_complete(p, reg, rg->options, 1))) {
        cmcas_registration_store_finish(&ch, 0);
        return mod_cmcas_registration_page(rg, HTTP_CONFLICT, "error", why, NULL);
    }
    for (i = 0; i < listed->nelts && APR_SUCCESS == rv; i++) {
        rv = cmcas_registration_store_save_participant(
            &ch, reg, APR_ARRAY_IDX(listed, i, cmcas_registration_participant_t *));
    }
    if (observations && APR_SUCCESS == rv) {
        reg->observations = observations;
        rv = cmcas_registration_store_save_observations(&ch, reg);
    }
    if (APR_SUCCESS != rv) {
        goto db_error;
    }

    /* 2. The action. A refusal keeps step 1 and writes nothing of its own. */
    if (!strcmp(action, "ajouter")) {
        if ((bad = mod_cmcas_registration_add(rg, form, &ch, reg, &refusal, &rv))) {
            cmcas_registration_store_finish(&ch, 0);
            return mod_cmcas_registration_bad(rq, bad, "Personne inconnue.");
        }
    }
    else if (remove_id) {
        cmcas_registration_participant_t *pa = cmcas_registration_find(reg, remove_id);
        if (!pa) {
            cmcas_registration_store_finish(&ch, 0);
            return mod_cmcas_registration_bad(rq, "unknown participant to remove",
                                              "Personne inconnue.");
        }
        rv = cmcas_registration_store_remove(&ch, reg, pa);
        if (APR_SUCCESS == rv) {
            const char *event = apr_pstrcat(p, "Retrait de ", pa->first_name, " ",
                                            pa->last_name, NULL);
            /* A validated registration left without anyone is a cancelled one. */
            int empty = reg->participants->nelts == 1;
            rv = cmcas_registration_store_status(&ch, reg,
                                                 empty && !strcmp(reg->status, "validee")
                                                     ? "annulee" : reg->status, event);
        }
    }
    else if (!strcmp(action, "valider")) {
        if ((why = cmcas_registration_check_complete(p, reg, rg->options, 0))) {
            refusal.status = HTTP_CONFLICT;
            refusal.message = why;
        }
        else if (strcmp(reg->status, "validee") || cmcas_registration_unconfirmed(reg)) {
            int immediate = strcmp(rg->act->mode, "tour_de_role") != 0;
            rv = cmcas_registration_store_confirm(&ch, reg, immediate, &no_places);
            if (APR_SUCCESS == rv && no_places) {
                refusal.status = HTTP_CONFLICT;
                refusal.message = apr_psprintf(p, "Il n'y a plus assez de places pour "
                                               "%d personne%s : votre inscription n'est "
                                               "pas validée, votre brouillon est conservé.",
                                               cmcas_registration_unconfirmed(reg),
                                               cmcas_registration_unconfirmed(reg) > 1
                                                   ? "s" : "");
            }
            else if (APR_SUCCESS == rv) {
                rv = cmcas_registration_store_status(
                    &ch, reg, "validee",
                    apr_psprintf(p, "Inscription validée (%d personne%s)",
                                 reg->participants->nelts,
                                 reg->participants->nelts > 1 ? "s" : ""));
            }
        }
    }
    else if (!strcmp(action, "annuler") && strcmp(reg->status, "annulee")) {
        rv = cmcas_registration_store_cancel(&ch, reg);
    }
    if (APR_SUCCESS != rv) {
        goto db_error;
    }
    /* A refused first person leaves no empty registration behind. */
    if (APR_SUCCESS != cmcas_registration_store_finish(&ch, !(refusal.status && ch.created))) {
        goto db_error;
    }
    if (refusal.status) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(43)
                      "registration %" APR_INT64_T_FMT " of '%s': %s refused (%d)",
                      reg->id, r->user, action, refusal.status);
        return mod_cmcas_registration_page(rg, refusal.status, "error", refusal.message,
                                           &refusal);
    }
    return mod_cmcas_request_redirect(rq, apr_psprintf(p, "%s/activite/%" APR_INT64_T_FMT
                                                       "/inscription?info=%s", rq->base,
                                                       rg->act->id,
                                                       remove_id ? "retirer" : action));
db_error:
    cmcas_registration_store_finish(&ch, 0);
    return mod_cmcas_request_db_error(rq, "a registration change", ch.err);
}

int mod_cmcas_registration_form(mod_cmcas_request_t *rq, apr_int64_t activity_id)
{
    mod_cmcas_registration_t rg;
    int status;

    if (OK != (status = mod_cmcas_registration_load(&rg, rq, activity_id))) {
        return OK;
    }
    if (rq->r->method_number == M_POST) {
        return mod_cmcas_registration_post(&rg);
    }
    return mod_cmcas_registration_page(
        &rg, HTTP_OK, "info",
        mod_cmcas_registration_info(apr_table_get(rq->args, "info"), rg.act->mode), NULL);
}

/* ------------------------------------------------------------------------------- */
/* « Mes inscriptions » */

int mod_cmcas_registration_list(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    apr_array_header_t *rows;
    xmlNodePtr root;
    xmlDocPtr doc;
    const char *err = NULL;

    if (APR_SUCCESS != cmcas_registration_store_list(&rows, rq->store, r->pool,
                                                     rq->household->id, &err)) {
        return mod_cmcas_request_db_error(rq, "the registrations", err);
    }
    doc = mod_cmcas_request_page(rq, "inscriptions", NULL, &root);
    cmcas_registration_doc_list(root, rows, rq->base, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

int mod_cmcas_registration_show(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    mod_cmcas_registration_t rg;
    cmcas_registration_doc_t d;
    cmcas_registration_t *reg = NULL;
    apr_array_header_t *events;
    xmlNodePtr root, ins;
    xmlDocPtr doc;
    const char *err = NULL;
    apr_status_t rv;
    int status;

    /* Another household's registration is "not found": ids are not confirmed. */
    rv = cmcas_registration_store_by_id(&reg, rq->store, r->pool, id, rq->household->id,
                                        &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "no such registration for this "
                                                    "household");
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "a registration", err);
    }
    if (OK != (status = mod_cmcas_registration_load(&rg, rq, reg->activity_id))) {
        return OK;
    }
    if (APR_SUCCESS != cmcas_registration_store_events(&events, rq->store, r->pool, id,
                                                       &err)) {
        return mod_cmcas_request_db_error(rq, "a registration's history", err);
    }
    d.act = rg.act;
    d.options = rg.options;
    d.reg = reg;
    d.persons = rg.persons;
    d.ctx = &rg.ctx;
    d.base = rq->base;
    d.csrf = NULL;
    doc = mod_cmcas_request_page(rq, "consultation", rg.act->theme, &root);
    ins = cmcas_registration_doc_page(root, &d, r->pool);
    cmcas_registration_doc_history(ins, events, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}
