/* The Systempay / PayZen gateway: vads_ fields signed with the shop's key (HMAC-SHA-256);
 * returns signed the same way: the notification as a posted form, the browser returns
 * in the query. */
#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_gateway.h"
#include "cmcas_date.h"
#include "cmcas_form.h"
#include "cmcas_instalment.h"
#include "cmcas_query.h"
#include "cmcas_systempay.h"

static apr_status_t mod_cmcas_systempay_request(apr_table_t **pfields,
                                                mod_cmcas_request_t *rq,
                                                const cmcas_order_t *order,
                                                const mod_cmcas_config_cmcas_t *payee,
                                                int persons, const char **perr)
{
    apr_pool_t *p = rq->r->pool;
    const char *code = payee->site.code, *stamp = cmcas_date_stamp(p, apr_time_now());
    cmcas_instalment_plan_t plan;
    cmcas_systempay_request_t req;
    cmcas_date_t today;

    (void)persons;
    cmcas_date_today(&today, apr_time_now());
    if (APR_SUCCESS != cmcas_instalment_plan(&plan, order->total, order->instalments,
                                             &today)) {
        *perr = "no instalment plan for this total";
        return APR_EINVAL;
    }
    memset(&req, 0, sizeof(req));
    req.site_id = payee->payment.systempay_site;
    req.mode = payee->payment.systempay_mode;
    req.key = payee->payment.systempay_key;
    req.reference = order->reference;
    req.email = rq->household->email;
    req.total = order->total;
    req.count = plan.count;
    req.first = plan.amounts[0];
    /* Unique for the shop on a day: from the order's number. */
    req.trans_id = apr_psprintf(p, "%06" APR_INT64_T_FMT, order->id % 900000);
    req.trans_date = apr_psprintf(p, "%.4s%.2s%.2s%.2s%.2s%.2s", stamp, stamp + 5,
                                  stamp + 8, stamp + 11, stamp + 14, stamp + 17);
    req.url_check = mod_cmcas_gateway_notify_url(rq, "systempay", code);
    req.url_success = mod_cmcas_gateway_return_url(rq, "systempay", code, "effectue");
    req.url_refused = mod_cmcas_gateway_return_url(rq, "systempay", code, "refuse");
    req.url_cancel = mod_cmcas_gateway_return_url(rq, "systempay", code, "annule");
    req.url_return = mod_cmcas_gateway_return_url(rq, "systempay", code, "attente");
    *pfields = cmcas_systempay_request(p, &req);
    return APR_SUCCESS;
}

static int mod_cmcas_systempay_verify(request_rec *r, const mod_cmcas_config_cmcas_t *payee,
                                      apr_table_t **pfields)
{
    const char *err = NULL;

    if (!payee->payment.systempay_key) {
        return 0;
    }
    /* The notification posts its fields; the browser comes back with them in the query. */
    if (r->method_number == M_POST) {
        cmcas_form_t *form = NULL;
        if (APR_SUCCESS != mod_cmcas_request_read_form(r, &form, &err)) {
            return 0;
        }
        *pfields = form->fields;
    }
    else if (APR_SUCCESS != cmcas_query_parse(pfields, r->pool, r->args,
                                              &cmcas_query_bank_limits, &err)) {
        return 0;
    }
    return cmcas_systempay_verify(r->pool, payee->payment.systempay_key, *pfields);
}

static apr_status_t mod_cmcas_systempay_result(cmcas_gateway_result_t *res,
                                               apr_table_t *fields, apr_pool_t *p)
{
    return cmcas_systempay_result(res, fields, p);
}

const mod_cmcas_gateway_t mod_cmcas_gateway_systempay = {
    "systempay", mod_cmcas_systempay_request, mod_cmcas_systempay_verify,
    mod_cmcas_systempay_result
};
