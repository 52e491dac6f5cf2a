#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_headers.h"
#include "mod_cmcas_invoice.h"
#include "cmcas_invoice_pdf.h"
#include "cmcas_invoice_store.h"
#include "cmcas_order.h"

void mod_cmcas_invoice_child_init(apr_pool_t *p, server_rec *s)
{
    (void)p;
    (void)s;
    cmcas_invoice_pdf_init();
}

const char *mod_cmcas_invoice_kind(const char *rest)
{
    char ref[CMCAS_ORDER_REFERENCE_LEN + 1];
    apr_size_t n = 0;
    const char *file;

    while (n < CMCAS_ORDER_REFERENCE_LEN && rest[n]) {
        n++;
    }
    memcpy(ref, rest, n);
    ref[n] = '\0';
    file = rest + n;
    if (!cmcas_order_reference_ok(ref)) {
        return NULL;
    }
    if (!strcmp(file, "/facture.pdf")) {
        return "facture";
    }
    if (!strcmp(file, "/avoir.pdf")) {
        return "avoir";
    }
    return NULL;
}

int mod_cmcas_invoice_serve(mod_cmcas_request_t *rq, const char *rest)
{
    request_rec *r = rq->r;
    const char *kind = mod_cmcas_invoice_kind(rest);
    const char *ref, *err = NULL, *data = NULL;
    cmcas_invoice_t *inv = NULL;
    apr_size_t len = 0;
    apr_time_t t0;
    apr_status_t rv;

    if (!kind) {
        return mod_cmcas_request_not_found(rq, "not an invoice's path");
    }
    ref = apr_pstrmemdup(r->pool, rest, CMCAS_ORDER_REFERENCE_LEN);
    if (OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    rv = cmcas_invoice_store_get(&inv, rq->store, r->pool, ref, rq->household->id, kind,
                                 &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, apr_pstrcat(r->pool, "no ", kind,
                                                           " for this household's order ",
                                                           ref, NULL));
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "an invoice", err);
    }
    /* The document is frozen in the row: nothing more to ask the database. */
    mod_cmcas_request_release(rq);
    t0 = apr_time_now();
    rv = cmcas_invoice_pdf_render(inv, r->pool, &data, &len, &err);
    if (APR_SUCCESS != rv) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, CMCAS_LOGNO(180)
                      "%s %s of order %s could not be rendered as PDF: %s", kind,
                      inv->number ? inv->number : "?", ref, err ? err : "?");
        return mod_cmcas_request_error(rq, HTTP_SERVICE_UNAVAILABLE,
                                       "Ce document ne peut pas être produit pour le "
                                       "moment. Votre CMCAS peut vous le remettre.");
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, CMCAS_LOGNO(181)
                  "%s %s of order %s rendered: %" APR_SIZE_T_FMT " bytes in %"
                  APR_TIME_T_FMT " us", kind, inv->number, ref, len, apr_time_now() - t0);
    /* The household's own document: never kept by a shared cache. */
    apr_table_setn(r->headers_out, "Cache-Control", "private, no-cache");
    mod_cmcas_headers_file(r);
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_pstrcat(r->pool, "attachment; filename=\"",
                               cmcas_invoice_pdf_filename(r->pool, inv), "\"", NULL));
    ap_set_content_type(r, "application/pdf");
    ap_set_content_length(r, (apr_off_t)len);
    r->status = HTTP_OK;
    if (!r->header_only) {
        ap_rwrite(data, (int)len, r);
    }
    return OK;
}
