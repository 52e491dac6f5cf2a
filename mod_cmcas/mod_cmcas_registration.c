#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_registration.h"
#include "mod_cmcas_catalog.h"
#include "mod_cmcas_config.h"
#include "cmcas_catalog_store.h"
#include "cmcas_catalog.h"
#include "cmcas_doc.h"
#include "cmcas_form.h"
#include "cmcas_registration_change.h"
#include "cmcas_draw_change.h"
#include "cmcas_registration_doc.h"
#include "cmcas_registration_store.h"

/* What a registration page needs, read before any change. */
typedef struct {
    mod_cmcas_request_t *rq;
    cmcas_catalog_ctx_t ctx;
    cmcas_activity_t *act;
    apr_array_header_t *options;
    apr_array_header_t *persons;
} mod_cmcas_registration_t;

/* Reads the activity (404 unless visible from this portal), its options and the
 * household. Returns OK, or DONE when it has sent an error page. */
static int mod_cmcas_registration_load(mod_cmcas_registration_t *rg, mod_cmcas_request_t *rq,
                                       apr_int64_t activity_id)
{
    request_rec *r = rq->r;
    const char *err = NULL;

    memset(rg, 0, sizeof(*rg));
    rg->rq = rq;
    if (OK != mod_cmcas_catalog_load(rq, activity_id, &rg->ctx, &rg->act)) {
        return DONE;
    }
    if (APR_SUCCESS != cmcas_catalog_store_options(&rg->options, rq->store, r->pool, activity_id,
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

/* What the page says after a change; a draft is never called registered. */
static const char *mod_cmcas_registration_info(const char *code, const char *mode,
                                               int draft)
{
    if (!code) return NULL;
    if (!strcmp(code, "ajouter")) {
        return draft ? "La personne a été ajoutée à votre brouillon : validez votre "
                       "inscription pour la confirmer."
                     : "La personne a été ajoutée à votre inscription.";
    }
    if (!strcmp(code, "retirer")) return "La personne a été retirée de votre inscription.";
    if (!strcmp(code, "enregistrer")) {
        return draft ? "Votre brouillon est enregistré. Il n'est pas encore une "
                       "inscription : cliquez sur « Valider votre inscription »."
                     : "Vos modifications sont enregistrées.";
    }
    if (!strcmp(code, "annuler")) return "Votre inscription est annulée.";
    if (!strcmp(code, "valider")) {
        return strcmp(mode, "tour_de_role")
            ? "Votre inscription est validée : vos places sont réservées."
            : "Votre demande d'inscription est enregistrée. À la date de clôture, une "
              "sélection est faite ; un e-mail vous dira si vous êtes retenu(e).";
    }
    return NULL;
}

/* The organiser's draw window, for the rule shown with a « tour de rôle » activity. */
static int mod_cmcas_registration_window(const cmcas_activity_t *act)
{
    cmcas_draw_change_rules_t rules;
    mod_cmcas_config_draw_rules(act->cmcas_code, &rules);
    return rules.window_months;
}

/* Sends the registration page as it is in the database, with a message. */
static int mod_cmcas_registration_page(mod_cmcas_registration_t *rg, int status,
                                       const char *type, const char *message,
                                       const char *info,
                                       const cmcas_registration_input_t *echo)
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
    d.renounce_csrf = NULL;
    d.window_months = mod_cmcas_registration_window(rg->act);
    doc = mod_cmcas_request_page(rq, "inscription", rg->act->theme, &root);
    ins = cmcas_registration_doc_page(root, &d, r->pool);
    if (info) {
        message = mod_cmcas_registration_info(info, rg->act->mode,
                                              reg->status == CMCAS_STATUS_REG_BROUILLON
                                              || cmcas_registration_unconfirmed(reg));
    }
    if (message) {
        xmlNodePtr msg = cmcas_registration_doc_message(ins, type, message);
        if (echo) {             /* a guest refused: the message is about one field */
            cmcas_doc_attr(msg, "field", cmcas_registration_guest_field(r->pool,
                                                                        echo->guest_last,
                                                                        echo->guest_first));
        }
    }
    if (echo) {
        xmlNodePtr gf = cmcas_doc_elem(ins, "guest-form");
        cmcas_doc_attr(gf, "nom", echo->guest_last);
        cmcas_doc_attr(gf, "prenom", echo->guest_first);
        cmcas_doc_attr(gf, "naissance", echo->guest_birth);
    }
    return mod_cmcas_request_send(rq, doc, status);
}

/* ------------------------------------------------------------------------------- */
/* The post: read, one flow, render. */

static int mod_cmcas_registration_post(mod_cmcas_registration_t *rg)
{
    mod_cmcas_request_t *rq = rg->rq;
    request_rec *r = rq->r;
    cmcas_registration_change_outcome_t out;
    cmcas_registration_change_who_t who;
    cmcas_registration_input_t in;
    const char *bad, *message = NULL;

    if ((bad = cmcas_registration_input_parse(&in, r->pool, rq->form, &message))) {
        cmcas_result_set(&out.res, CMCAS_RESULT_BAD_INPUT, bad, message);
        return mod_cmcas_request_result(rq, &out.res, "registration post");
    }
    who.household = rq->household;
    who.persons = rg->persons;
    who.act = rg->act;
    who.options = rg->options;
    who.today = &rg->ctx.today;
    who.actor = r->user;
    who.now = apr_time_now();
    cmcas_registration_change_post(&out, rq->store, r->pool, &who, &in);
    if (out.res.kind == CMCAS_RESULT_DONE) {
        /* Ids only: never a person's name, a guest's or the household's. */
        ap_log_rerror(APLOG_MARK, (in.action == CMCAS_REGISTRATION_INPUT_VALIDATE
                                   || in.action == CMCAS_REGISTRATION_INPUT_CANCEL)
                                  ? APLOG_DEBUG : APLOG_TRACE1, 0, r, CMCAS_LOGNO(283)
                      "registration %" APR_INT64_T_FMT " of household %" APR_INT64_T_FMT
                      " for activity %" APR_INT64_T_FMT ": %s done",
                      out.registration_id, rq->household->id, rg->act->id, in.code);
        return mod_cmcas_request_redirect(rq, apr_psprintf(r->pool, "%s/activite/%"
                                                           APR_INT64_T_FMT "/inscription"
                                                           "?info=%s", rq->base,
                                                           rg->act->id, in.code));
    }
    if ((out.res.kind == CMCAS_RESULT_BAD_INPUT && !out.echo_guest)
        || out.res.kind == CMCAS_RESULT_ERROR || out.res.kind == CMCAS_RESULT_NOT_FOUND) {
        return mod_cmcas_request_result(rq, &out.res, "registration post");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(43)
                  "registration of '%s' for activity %" APR_INT64_T_FMT ": %s refused (%s)",
                  r->user, rg->act->id, in.code, out.res.why);
    return mod_cmcas_registration_page(rg, cmcas_result_http_status(&out.res), "error",
                                       out.res.message, NULL, out.echo_guest ? &in : NULL);
}

int mod_cmcas_registration_form(mod_cmcas_request_t *rq, apr_int64_t activity_id)
{
    mod_cmcas_registration_t rg;

    if (OK != mod_cmcas_registration_load(&rg, rq, activity_id)) {
        return OK;
    }
    if (rq->r->method_number == M_POST) {
        return mod_cmcas_registration_post(&rg);
    }
    return mod_cmcas_registration_page(&rg, HTTP_OK, "info", NULL,
                                       apr_table_get(rq->args, "info"), NULL);
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
    if (OK != mod_cmcas_registration_load(&rg, rq, reg->activity_id)) {
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
    d.renounce_csrf = mod_cmcas_request_csrf_token(rq);
    d.window_months = mod_cmcas_registration_window(rg.act);
    doc = mod_cmcas_request_page(rq, "consultation", rg.act->theme, &root);
    ins = cmcas_registration_doc_page(root, &d, r->pool);
    cmcas_registration_doc_history(ins, events, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* « Je renonce » (POST /mes-inscriptions/ID/renoncer): the place or the rank goes to
 * the next household at once. */
int mod_cmcas_registration_renounce(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    cmcas_registration_t *reg = NULL;
    cmcas_draw_change_rules_t rules;
    cmcas_activity_t *act = NULL;
    cmcas_result_t res, fill;
    const char *err = NULL;
    apr_status_t rv;
    int promoted = 0;

    rv = cmcas_registration_store_by_id(&reg, rq->store, r->pool, id, rq->household->id,
                                        &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "no such registration for this household");
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&act, rq->store, r->pool,
                                                             reg->activity_id, &err))) {
        return mod_cmcas_request_db_error(rq, "a registration", err);
    }
    cmcas_draw_change_renounce(&res, rq->store, r->pool, apr_time_now(), r->user,
                               reg->activity_id, rq->household->id);
    if (res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &res, "renouncement");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(109)
                  "'%s' renounced registration %" APR_INT64_T_FMT " (activity %"
                  APR_INT64_T_FMT ")", r->user, id, reg->activity_id);
    mod_cmcas_config_draw_rules(act->cmcas_code, &rules);
    cmcas_draw_change_fill(&fill, &promoted, rq->store, r->pool, apr_time_now(),
                           reg->activity_id, &rules);
    if (fill.kind != CMCAS_RESULT_DONE) {
        /* The renouncement stands; the background job promotes at its next run. */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(110)
                      "waiting list of activity %" APR_INT64_T_FMT " not moved after a "
                      "renouncement: %s", reg->activity_id, fill.err);
    }
    return mod_cmcas_request_redirect(rq, apr_psprintf(r->pool, "%s/mes-inscriptions/%"
                                                       APR_INT64_T_FMT, rq->base, id));
}
