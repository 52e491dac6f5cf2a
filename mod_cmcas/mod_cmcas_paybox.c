/* The Paybox System gateway: PBX_ fields signed with the account's HMAC key; returns
 * signed by the bank (RSA-SHA1, K last) over the raw query. */
#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_gateway.h"
#include "cmcas_date.h"
#include "cmcas_instalment.h"
#include "cmcas_paybox.h"
#include "cmcas_query.h"

static apr_status_t mod_cmcas_paybox_request(apr_table_t **pfields, mod_cmcas_request_t *rq,
                                             const cmcas_order_t *order,
                                             const mod_cmcas_config_cmcas_t *payee,
                                             int persons, const char **perr)
{
    apr_pool_t *p = rq->r->pool;
    const mod_cmcas_config_payment_t *pay = &payee->payment;
    const char *dates[CMCAS_INSTALMENT_MAX], *code = payee->site.code;
    cmcas_instalment_plan_t plan;
    cmcas_paybox_request_t req;
    apr_array_header_t *fields;
    cmcas_date_t today;
    apr_status_t rv;
    int i;

    *pfields = NULL;
    cmcas_date_today(&today, apr_time_now());
    if (APR_SUCCESS != cmcas_instalment_plan(&plan, order->total, order->instalments,
                                             &today)) {
        *perr = "no instalment plan for this total";
        return APR_EINVAL;
    }
    memset(&req, 0, sizeof(req));
    req.site = pay->paybox_site;
    req.rang = pay->paybox_rang;
    req.identifiant = pay->paybox_identifiant;
    req.hex_key = pay->paybox_key;
    req.reference = order->reference;
    req.email = rq->household->email;
    req.count = plan.count;
    req.amounts = plan.amounts;
    for (i = 1; i < plan.count; i++) {
        dates[i - 1] = cmcas_date_fr(p, &plan.dates[i]);
    }
    req.dates = dates;
    req.valmax = apr_psprintf(p, "%02d%02d", plan.dates[plan.count - 1].y % 100,
                              plan.dates[plan.count - 1].m);
    req.url_done = mod_cmcas_gateway_return_url(rq, "paybox", code, "effectue");
    req.url_refused = mod_cmcas_gateway_return_url(rq, "paybox", code, "refuse");
    req.url_cancelled = mod_cmcas_gateway_return_url(rq, "paybox", code, "annule");
    req.url_pending = mod_cmcas_gateway_return_url(rq, "paybox", code, "attente");
    req.url_notify = mod_cmcas_gateway_notify_url(rq, "paybox", code);
    req.first_name = rq->household->od_first_name;
    req.last_name = rq->household->od_last_name;
    req.street = rq->household->street;
    req.postcode = rq->household->postcode;
    req.city = rq->household->city;
    req.quantity = persons;
    req.time = apr_pstrcat(p, apr_pstrndup(p, cmcas_date_stamp(p, apr_time_now()), 19),
                           "+00:00", NULL);
    if (APR_SUCCESS != (rv = cmcas_paybox_request(&fields, p, &req, perr))) {
        return rv;
    }
    *pfields = apr_table_make(p, fields->nelts);
    for (i = 0; i < fields->nelts; i++) {
        const cmcas_paybox_field_t *f = &APR_ARRAY_IDX(fields, i, cmcas_paybox_field_t);
        apr_table_addn(*pfields, f->name, f->value);    /* posted in signed order */
    }
    return APR_SUCCESS;
}

static int mod_cmcas_paybox_verify(request_rec *r, const mod_cmcas_config_cmcas_t *payee,
                                   apr_table_t **pfields)
{
    const char *err = NULL;

    /* Over the raw query as received: re-encoding it would change the signed bytes. */
    return payee->payment.paybox_pubkey
        && cmcas_paybox_verify(payee->payment.paybox_pubkey, r->args, "Sign", r->pool)
        && APR_SUCCESS == cmcas_query_parse(pfields, r->pool, r->args,
                                            &cmcas_query_bank_limits, &err);
}

static apr_status_t mod_cmcas_paybox_result(cmcas_gateway_result_t *res, apr_table_t *fields,
                                            apr_pool_t *p)
{
    return cmcas_paybox_result(res, fields, p);
}

const mod_cmcas_gateway_t mod_cmcas_gateway_paybox = {
    "paybox", mod_cmcas_paybox_request, mod_cmcas_paybox_verify, mod_cmcas_paybox_result
};
