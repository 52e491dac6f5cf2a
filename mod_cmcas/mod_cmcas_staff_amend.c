#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_staff_amend.h"
#include "mod_cmcas_staff.h"
#include "cmcas_date.h"
#include "cmcas_order.h"
#include "cmcas_order_store.h"
#include "cmcas_registration_amend.h"
#include "cmcas_registration_amend_doc.h"

/* GET: the form, and after a change (?modifiee=REF, or 0 when it cost nothing) its
 * adjustment order as it is now. */
static int mod_cmcas_staff_amend_page(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    const char *done = apr_table_get(rq->args, "modifiee"), *err = NULL;
    cmcas_registration_amend_view_t v;
    cmcas_order_t *order = NULL;
    cmcas_result_t res;
    xmlNodePtr root;
    xmlDocPtr doc;

    cmcas_registration_amend_load(&res, &v, rq->store, r->pool, rq->staff, id);
    if (res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &res, "the form changing a paid registration");
    }
    if (done && cmcas_order_reference_ok(done)) {
        apr_status_t rv = cmcas_order_store_get(&order, rq->store, r->pool, done,
                                                v.reg->household_id, &err);
        if (APR_SUCCESS != rv && APR_NOTFOUND != rv) {
            return mod_cmcas_request_db_error(rq, "an adjustment order", err);
        }
        if (order && order->registration_id != id) {
            order = NULL;
        }
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_staff_page(rq, "gestion-inscription-modifier", &root);
    cmcas_registration_amend_doc(root, &v, rq->base, order, done != NULL, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET and POST /gestion/inscription/{id}/modifier */
int mod_cmcas_staff_amend(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    request_rec *r = rq->r;
    cmcas_registration_amend_outcome_t out;
    cmcas_registration_amend_input_t in;
    cmcas_draw_change_rules_t rules;
    const char *why, *message = NULL;
    apr_time_t now = apr_time_now();
    cmcas_date_t today;

    (void)ref;
    if (r->method_number != M_POST) {
        return mod_cmcas_staff_amend_page(rq, id);
    }
    if ((why = cmcas_registration_amend_input_parse(&in, r->pool, rq->form, &message))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(166)
                      "change of paid registration %" APR_INT64_T_FMT " by '%s': malformed "
                      "form (%s)", id, r->user, why);
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, message);
    }
    cmcas_date_today(&today, now);
    mod_cmcas_config_draw_rules(rq->staff->cmcas_code, &rules);
    cmcas_registration_amend_run(&out, rq->store, r->pool, now, &today, rq->staff, id, &in,
                                 &rules);
    if (out.res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &out.res, "a change of a paid registration");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(167)
                  "staff '%s' changed paid registration %" APR_INT64_T_FMT " (activity %"
                  APR_INT64_T_FMT "): %s; total %" APR_INT64_T_FMT " -> %" APR_INT64_T_FMT
                  " cents, adjustment order %s, %d request(s) promoted", r->user, id,
                  out.activity_id, out.changes, out.before, out.after,
                  out.order ? out.order->reference : "none", out.promoted);
    if (out.fill_err) {
        /* The change stands; the background job promotes at its next run. */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(168)
                      "waiting list of activity %" APR_INT64_T_FMT " not moved after a "
                      "change of paid registration %" APR_INT64_T_FMT ": %s",
                      out.activity_id, id, out.fill_err);
    }
    return mod_cmcas_request_redirect(rq, apr_psprintf(r->pool, "%s/gestion/inscription/%"
                                                       APR_INT64_T_FMT "/modifier"
                                                       "?modifiee=%s", rq->base, id,
                                                       out.order ? out.order->reference
                                                                 : "0"));
}
