#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_staff_registration.h"
#include "mod_cmcas_staff.h"
#include "cmcas_catalog_store.h"
#include "cmcas_doc.h"
#include "cmcas_form.h"
#include "cmcas_staff_cancel.h"
#include "cmcas_staff_registration_doc.h"
#include "cmcas_staff_registration_store.h"

/* What the list and the export show. */
typedef struct {
    cmcas_activity_t *act;
    apr_array_header_t *options;
    apr_array_header_t *list;       /* filtered */
    cmcas_staff_registration_filter_t filter;
    int optouts_only;               /* ?refus-photo=1 */
} mod_cmcas_staff_registration_t;

/* Reads the activity `id` of the staff's CMCAS and its registrations under the query's
 * filter; sends the 404, 400 or 503 page (DONE) when it cannot. */
static int mod_cmcas_staff_registration_load(mod_cmcas_staff_registration_t *d,
                                             mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    const char *err = NULL, *statut = apr_table_get(rq->args, "statut");
    const char *optouts = apr_table_get(rq->args, "refus-photo");
    apr_array_header_t *all = NULL;
    apr_status_t rv;
    int filter;

    memset(d, 0, sizeof(*d));
    rv = cmcas_catalog_store_activity(&d->act, rq->store, r->pool, id, &err);
    if (APR_NOTFOUND == rv
        || (APR_SUCCESS == rv && strcmp(d->act->cmcas_code, rq->staff->cmcas_code))) {
        mod_cmcas_staff_not_found(rq, "no activity of this CMCAS by that id");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "an activity's registrations", err);
        return DONE;
    }
    filter = cmcas_staff_registration_filter_parse(statut);
    if (filter < 0 || (optouts && strcmp(optouts, "1") && strcmp(optouts, "0"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(145)
                      "registrations of activity %" APR_INT64_T_FMT ": unknown filter "
                      "(statut=%s, refus-photo=%s) asked by '%s'", id,
                      statut ? statut : "", optouts ? optouts : "", r->user);
        mod_cmcas_request_error(rq, HTTP_BAD_REQUEST,
                                "Ce filtre n'existe pas : choisissez un statut de la liste "
                                "(validee, attente-paiement, payee, annulee, brouillon, "
                                "toutes…).");
        return DONE;
    }
    d->filter = (cmcas_staff_registration_filter_t)filter;
    d->optouts_only = optouts && !strcmp(optouts, "1");
    if (APR_SUCCESS != (rv = cmcas_catalog_store_options(&d->options, rq->store, r->pool, id,
                                                         &err))
        || APR_SUCCESS != (rv = cmcas_staff_registration_store_list(
                               &all, rq->store, r->pool, id, rq->staff->cmcas_code, &err))) {
        mod_cmcas_request_db_error(rq, "an activity's registrations", err);
        return DONE;
    }
    mod_cmcas_request_release(rq);
    cmcas_staff_registration_rank_waiting(all);
    d->list = cmcas_staff_registration_select(r->pool, d->act, d->options, all, d->filter);
    return OK;
}

/* GET /gestion/activite/{id}/inscriptions[?statut=...][&annulee=ID] */
int mod_cmcas_staff_registration_list(mod_cmcas_request_t *rq, apr_int64_t id,
                                      const char *ref)
{
    mod_cmcas_staff_registration_t d;
    const char *cancelled = apr_table_get(rq->args, "annulee");
    xmlNodePtr root, node;
    xmlDocPtr doc;

    (void)ref;
    if (OK != mod_cmcas_staff_registration_load(&d, rq, id)) {
        return OK;
    }
    doc = mod_cmcas_staff_page(rq, "gestion-inscriptions", &root);
    cmcas_staff_registration_doc(root, rq->r->pool, d.act, d.options, d.list, d.filter);
    /* The cancellation just made (the post's redirect), for its message. */
    if (cancelled && cmcas_form_id(cancelled)) {
        node = cmcas_doc_elem(root, "annulation");
        cmcas_doc_attr_int(node, "inscription", cmcas_form_id(cancelled));
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET /gestion/activite/{id}/inscriptions.csv[?statut=...][&refus-photo=1] */
int mod_cmcas_staff_registration_csv(mod_cmcas_request_t *rq, apr_int64_t id,
                                     const char *ref)
{
    request_rec *r = rq->r;
    mod_cmcas_staff_registration_t d;
    apr_size_t len = 0;
    const char *body;

    (void)ref;
    if (OK != mod_cmcas_staff_registration_load(&d, rq, id)) {
        return OK;
    }
    body = cmcas_staff_registration_csv(r->pool, &len, d.act, d.options, d.list,
                                        d.optouts_only);
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_psprintf(r->pool, "attachment; filename=\"inscriptions-activite-%"
                                APR_INT64_T_FMT "%s.csv\"", id,
                                d.optouts_only ? "-refus-photo" : ""));
    mod_cmcas_request_send_text(rq, HTTP_OK, "text/csv; charset=utf-8", body, len);
    return OK;
}

/* POST /gestion/inscription/{id}/annuler (csrf, motif) */
int mod_cmcas_staff_registration_cancel(mod_cmcas_request_t *rq, apr_int64_t id,
                                        const char *ref)
{
    request_rec *r = rq->r;
    cmcas_staff_cancel_outcome_t out;
    cmcas_draw_change_rules_t rules;
    const char *reason;

    (void)ref;
    /* Bounded here by bytes; the flow bounds the trimmed reason by characters. */
    reason = cmcas_form_single(rq->form, "motif", CMCAS_STAFF_CANCEL_REASON_MAX * 4);
    if (rq->form->err) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(146)
                      "cancellation of registration %" APR_INT64_T_FMT " by '%s' refused: "
                      "%s", id, r->user, rq->form->err);
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, rq->form->err);
    }
    mod_cmcas_config_draw_rules(rq->staff->cmcas_code, &rules);
    cmcas_staff_cancel_run(&out, rq->store, r->pool, apr_time_now(), rq->staff, id, reason,
                           &rules);
    if (out.res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &out.res, "a cancellation by the CMCAS");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(147)
                  "staff '%s' cancelled registration %" APR_INT64_T_FMT " (activity %"
                  APR_INT64_T_FMT "): %d paid order(s) to refund, %d request(s) promoted "
                  "from the waiting list", r->user, id, out.activity_id, out.refunds,
                  out.promoted);
    if (out.fill_err) {
        /* The cancellation stands; the background job promotes at its next run. */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(148)
                      "waiting list of activity %" APR_INT64_T_FMT " not moved after a "
                      "cancellation by the CMCAS: %s", out.activity_id, out.fill_err);
    }
    return mod_cmcas_request_redirect(rq, apr_psprintf(r->pool, "%s/gestion/activite/%"
                                                       APR_INT64_T_FMT "/inscriptions"
                                                       "?annulee=%" APR_INT64_T_FMT,
                                                       rq->base, out.activity_id, id));
}
