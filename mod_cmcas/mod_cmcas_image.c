#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_headers.h"
#include "mod_cmcas_image.h"
#include "cmcas_image.h"
#include "cmcas_image_store.h"
#include "cmcas_date.h"
#include "cmcas_multipart.h"

void mod_cmcas_image_child_init(apr_pool_t *p, server_rec *s)
{
    (void)p;
    (void)s;
    cmcas_multipart_init();
}

int mod_cmcas_image_serve(mod_cmcas_request_t *rq, const char *name)
{
    request_rec *r = rq->r;
    const unsigned char *data = NULL;
    const char *ctype = NULL, *err = NULL;
    cmcas_date_t today;
    apr_size_t len = 0;
    apr_status_t rv;

    if (!cmcas_image_name_type(name)) {
        return mod_cmcas_request_not_found(rq, "not a picture's name");
    }
    if (OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    /* A picture of an activity not published yet is staff's, of its CMCAS only. */
    cmcas_date_today(&today, r->request_time);
    rv = cmcas_image_store_get(&data, &len, &ctype, rq->store, r->pool, name,
                               cmcas_date_iso(r->pool, &today),
                               rq->staff ? rq->staff->cmcas_code : NULL, &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "no such picture");
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "a picture", err);
    }
    mod_cmcas_request_release(rq);
    /* The name is the content's hash: it never changes. Members only: private. */
    apr_table_setn(r->headers_out, "Cache-Control", "private, max-age=31536000, immutable");
    mod_cmcas_headers_file(r);
    ap_set_content_type(r, ctype);
    ap_set_content_length(r, (apr_off_t)len);
    r->status = HTTP_OK;
    if (!r->header_only) {
        ap_rwrite(data, (int)len, r);
    }
    return OK;
}
