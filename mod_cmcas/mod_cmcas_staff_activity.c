#include <apr_strings.h>
#include <http_protocol.h>
#include <http_connection.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_staff_activity.h"
#include "mod_cmcas_staff.h"
#include "cmcas_activity_change.h"
#include "cmcas_activity_store.h"
#include "cmcas_date.h"
#include "cmcas_doc.h"
#include "cmcas_image.h"
#include "cmcas_multipart.h"

/* Empty rows the option editor adds for new options. */
#define MOD_CMCAS_STAFF_ACTIVITY_NEW_ROWS 3
/* A picture's post: the picture and a few small fields. */
#define MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX (CMCAS_IMAGE_MAX_BYTES + 64 * 1024)
/* Past this, an oversized post is not read to its end: the connection closes. */
#define MOD_CMCAS_STAFF_ACTIVITY_DRAIN_MAX (16 * 1024 * 1024)

static const char *const mod_cmcas_staff_activity_option_fields[] = {
    "label", "price_beneficiary", "participation_beneficiary", "price_guest",
    "participation_guest", "min_age", "max_age", "position", NULL
};

static void mod_cmcas_staff_activity_field(xmlNodePtr parent, const char *name,
                                           const char *value)
{
    cmcas_doc_attr(cmcas_doc_text(parent, "champ", value ? value : ""), "nom", name);
}

static const char *mod_cmcas_staff_activity_option_value(
    const cmcas_activity_input_option_t *o, int i)
{
    const char *v[] = {o->label, o->price_beneficiary, o->participation_beneficiary,
                       o->price_guest, o->participation_guest, o->min_age, o->max_age,
                       o->position};
    return v[i];
}

/* The option editor: the rows of `in`, then empty ones. */
static void mod_cmcas_staff_activity_options(xmlNodePtr form, apr_pool_t *p,
                                             const cmcas_activity_input_t *in,
                                             const apr_array_header_t *usage)
{
    xmlNodePtr list = cmcas_doc_elem(form, "options"), node;
    int i, j, last = 0;

    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        node = cmcas_doc_elem(list, "option");
        cmcas_doc_attr_int(node, "n", o->row);
        if (o->id) {
            cmcas_doc_attr_int(node, "id", o->id);
        }
        if (o->remove) {
            cmcas_doc_attr(node, "delete", "1");
        }
        for (j = 0; usage && o->id && j < usage->nelts; j++) {
            const cmcas_activity_store_usage_t *u =
                &APR_ARRAY_IDX(usage, j, cmcas_activity_store_usage_t);
            if (u->option_id == o->id) {
                cmcas_doc_attr_int(node, "chosen", u->active);
                cmcas_doc_attr_int(node, "referenced", u->all);
            }
        }
        for (j = 0; mod_cmcas_staff_activity_option_fields[j]; j++) {
            mod_cmcas_staff_activity_field(node, mod_cmcas_staff_activity_option_fields[j],
                                           mod_cmcas_staff_activity_option_value(o, j));
        }
        last = o->row > last ? o->row : last;
    }
    for (i = 1; i <= MOD_CMCAS_STAFF_ACTIVITY_NEW_ROWS
                && last + i <= CMCAS_ACTIVITY_INPUT_OPTIONS_MAX; i++) {
        node = cmcas_doc_elem(list, "option");
        cmcas_doc_attr_int(node, "n", last + i);
        for (j = 0; mod_cmcas_staff_activity_option_fields[j]; j++) {
            mod_cmcas_staff_activity_field(node, mod_cmcas_staff_activity_option_fields[j],
                                           j == 7 ? apr_itoa(p, last + i) : "");
        }
    }
}

/* The page « gestion-activite »: the form of `in` (as stored or as typed), its messages,
 * and for a stored activity (`act`) what it has: publication, picture, registrations. */
static int mod_cmcas_staff_activity_page(mod_cmcas_request_t *rq, const cmcas_activity_t *act,
                                         const cmcas_activity_input_t *in,
                                         const apr_array_header_t *usage,
                                         apr_int64_t registrations, int status)
{
    request_rec *r = rq->r;
    static const char *const notices[] = {"creee", "enregistree", "publiee", "depubliee",
                                          "image", NULL};
    xmlNodePtr root, form, node;
    xmlDocPtr doc;
    int i;

    mod_cmcas_request_release(rq);
    doc = mod_cmcas_staff_page(rq, "gestion-activite", &root);
    cmcas_doc_themes(root, in->theme);
    form = cmcas_doc_elem(root, "activite-form");
    if (act) {
        cmcas_doc_attr_int(form, "id", act->id);
        cmcas_doc_attr(form, "action", apr_psprintf(r->pool, "%s/gestion/activite/%"
                                                    APR_INT64_T_FMT, rq->base, act->id));
        cmcas_doc_attr(form, "published", act->published_at ? "1" : "0");
        if (act->published_at) {
            cmcas_doc_date(form, "published-at", act->published_at, r->pool);
        }
        cmcas_doc_attr_int(form, "places-taken", act->places_taken);
        cmcas_doc_attr_int(form, "registrations", registrations);
        cmcas_doc_text(form, "image", act->image);
        cmcas_doc_text(form, "saved-title", act->title);
    }
    else {
        cmcas_doc_attr(form, "action",
                       apr_pstrcat(r->pool, rq->base, "/gestion/activites/nouvelle", NULL));
    }
    cmcas_doc_attr_int(form, "image-max", CMCAS_IMAGE_MAX_BYTES);
    mod_cmcas_staff_activity_field(form, "theme", in->theme);
    mod_cmcas_staff_activity_field(form, "title", in->title);
    mod_cmcas_staff_activity_field(form, "description", in->description);
    mod_cmcas_staff_activity_field(form, "place", in->place);
    mod_cmcas_staff_activity_field(form, "start_date", in->start_date);
    mod_cmcas_staff_activity_field(form, "end_date", in->end_date);
    mod_cmcas_staff_activity_field(form, "closing_date", in->closing_date);
    mod_cmcas_staff_activity_field(form, "capacity", in->capacity);
    mod_cmcas_staff_activity_field(form, "mode", in->mode);
    mod_cmcas_staff_activity_field(form, "open_to_others", in->open_to_others ? "1" : "");
    mod_cmcas_staff_activity_field(form, "guests_allowed", in->guests_allowed ? "1" : "");
    mod_cmcas_staff_activity_field(form, "max_guests", in->max_guests);
    mod_cmcas_staff_activity_field(form, "min_age", in->min_age);
    mod_cmcas_staff_activity_field(form, "max_age", in->max_age);
    mod_cmcas_staff_activity_options(form, r->pool, in, usage);
    if (in->errors->nelts) {
        node = cmcas_doc_elem(form, "erreurs");
        for (i = 0; i < in->errors->nelts; i++) {
            const cmcas_activity_input_error_t *e =
                &APR_ARRAY_IDX(in->errors, i, cmcas_activity_input_error_t);
            cmcas_doc_attr(cmcas_doc_text(node, "erreur", e->message), "champ", e->field);
        }
    }
    for (i = 0; status == HTTP_OK && notices[i]; i++) {
        if (apr_table_get(rq->args, notices[i])) {
            cmcas_doc_attr(form, "notice", notices[i]);
        }
    }
    return mod_cmcas_request_send(rq, doc, status);
}

/* A posted form that no page of ours sends: 400, logged once. */
static int mod_cmcas_staff_activity_malformed(mod_cmcas_request_t *rq, const char *why,
                                              const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(130)
                  "activity form of '%s' on %s malformed: %s", rq->r->user, rq->r->uri,
                  why);
    return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, message);
}

/* The form again with its messages: 409, logged once. */
static int mod_cmcas_staff_activity_refused(mod_cmcas_request_t *rq,
                                            const cmcas_activity_t *act,
                                            const cmcas_activity_input_t *in,
                                            const apr_array_header_t *usage,
                                            apr_int64_t registrations)
{
    const cmcas_activity_input_error_t *first =
        &APR_ARRAY_IDX(in->errors, 0, cmcas_activity_input_error_t);

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(131)
                  "activity form of '%s' on %s refused: %d message(s), the first on %s",
                  rq->r->user, rq->r->uri, in->errors->nelts, first->field);
    return mod_cmcas_staff_activity_page(rq, act, in, usage, registrations, HTTP_CONFLICT);
}

static const char *mod_cmcas_staff_activity_url(mod_cmcas_request_t *rq, apr_int64_t id,
                                                const char *notice)
{
    return apr_psprintf(rq->r->pool, "%s/gestion/activite/%" APR_INT64_T_FMT "?%s=1",
                        rq->base, id, notice);
}

int mod_cmcas_staff_activity_new(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    cmcas_activity_input_t in;
    const char *why, *message = NULL;
    cmcas_result_t res;
    apr_int64_t id = 0;

    if (r->method_number != M_POST) {
        cmcas_activity_input_empty(&in, r->pool);
        return mod_cmcas_staff_activity_page(rq, NULL, &in, NULL, 0, HTTP_OK);
    }
    if ((why = cmcas_activity_input_parse(&in, r->pool, rq->form, &message))) {
        return mod_cmcas_staff_activity_malformed(rq, why, message);
    }
    if (in.errors->nelts) {
        return mod_cmcas_staff_activity_refused(rq, NULL, &in, NULL, 0);
    }
    cmcas_activity_change_create(&res, &id, rq->store, r->pool, rq->staff, apr_time_now(),
                                 &in);
    if (CMCAS_RESULT_DONE != res.kind) {
        return mod_cmcas_request_result(rq, &res, "creating an activity");
    }
    return mod_cmcas_request_redirect(rq, mod_cmcas_staff_activity_url(rq, id, "creee"));
}

int mod_cmcas_staff_activity_edit(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    apr_array_header_t *options = NULL, *usage = NULL;
    apr_int64_t registrations = 0;
    cmcas_activity_t *act = NULL;
    cmcas_activity_input_t in;
    const char *why, *message = NULL;
    cmcas_result_t res;

    /* Another CMCAS's activity is "not found" before anything is read of the form. */
    if (CMCAS_RESULT_DONE != cmcas_activity_change_read(&res, &act, &options, &usage,
                                                        &registrations, rq->store, r->pool,
                                                        rq->staff->cmcas_code, id)) {
        return mod_cmcas_request_result(rq, &res, "the activity form");
    }
    if (r->method_number != M_POST) {
        cmcas_activity_input_from(&in, r->pool, act, options);
        return mod_cmcas_staff_activity_page(rq, act, &in, usage, registrations, HTTP_OK);
    }
    if ((why = cmcas_activity_input_parse(&in, r->pool, rq->form, &message))) {
        return mod_cmcas_staff_activity_malformed(rq, why, message);
    }
    if (!in.errors->nelts) {
        cmcas_activity_change_update(&res, rq->store, r->pool, rq->staff, apr_time_now(),
                                     id, &in);
        if (CMCAS_RESULT_DONE == res.kind) {
            return mod_cmcas_request_redirect(rq, mod_cmcas_staff_activity_url(
                                                      rq, id, "enregistree"));
        }
        if (CMCAS_RESULT_BAD_INPUT == res.kind) {
            return mod_cmcas_staff_activity_malformed(rq, res.why, res.message);
        }
        if (CMCAS_RESULT_REFUSED != res.kind || !in.errors->nelts) {
            return mod_cmcas_request_result(rq, &res, "saving an activity");
        }
    }
    return mod_cmcas_staff_activity_refused(rq, act, &in, usage, registrations);
}

int mod_cmcas_staff_activity_publish(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    const char *action = cmcas_form_single(rq->form, "action", 20);
    cmcas_result_t res;
    int publish;

    if (rq->form->err || !action
        || (strcmp(action, "publier") && strcmp(action, "depublier"))) {
        return mod_cmcas_staff_activity_malformed(rq, "bad publication action",
                                                  "Action inconnue : « publier » ou "
                                                  "« depublier ».");
    }
    publish = !strcmp(action, "publier");
    cmcas_activity_change_publish(&res, rq->store, r->pool, rq->staff, apr_time_now(), id,
                                  publish);
    if (CMCAS_RESULT_DONE != res.kind) {
        return mod_cmcas_request_result(rq, &res, "publishing an activity");
    }
    return mod_cmcas_request_redirect(rq, mod_cmcas_staff_activity_url(
                                              rq, id, publish ? "publiee" : "depubliee"));
}

/* A refused picture: the error page with `status`, logged once. */
static int mod_cmcas_staff_activity_image_refused(mod_cmcas_request_t *rq, int status,
                                                  const char *why, const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(132)
                  "picture from '%s' on %s refused (%d): %s", rq->r->user, rq->r->uri,
                  status, why);
    return mod_cmcas_request_error(rq, status, message);
}

/* Reads the post's body, at most MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX bytes of it. An
 * oversized one is read on (and dropped) to MOD_CMCAS_STAFF_ACTIVITY_DRAIN_MAX so that
 * the browser sees the answer, then the connection closes. HTTP_OK, or the status of
 * the refusal with *pwhy. */
static int mod_cmcas_staff_activity_read(request_rec *r, char **pbody, apr_size_t *plen,
                                         const char **pwhy)
{
    const char *clen = apr_table_get(r->headers_in, "Content-Length");
    char *body = apr_palloc(r->pool, MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX + 1);
    apr_size_t len = 0, total = 0;
    long got;

    if (clen && apr_atoi64(clen) > MOD_CMCAS_STAFF_ACTIVITY_DRAIN_MAX) {
        r->connection->keepalive = AP_CONN_CLOSE;
        *pwhy = apr_pstrcat(r->pool, "Content-Length ", clen, " over the limit", NULL);
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    if (OK != ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) {
        *pwhy = "unreadable body";
        return HTTP_BAD_REQUEST;
    }
    if (ap_should_client_block(r)) {
        while ((got = ap_get_client_block(r, body + len,
                                          MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX + 1 - len)) > 0) {
            total += (apr_size_t)got;
            if (len + (apr_size_t)got <= MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX) {
                len += (apr_size_t)got;
            }
            else {
                len = MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX;    /* the rest is dropped */
            }
            if (total > MOD_CMCAS_STAFF_ACTIVITY_DRAIN_MAX) {
                r->connection->keepalive = AP_CONN_CLOSE;
                break;
            }
        }
        if (got < 0) {
            *pwhy = "incomplete body";
            return HTTP_BAD_REQUEST;
        }
    }
    if (total > MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX) {
        *pwhy = apr_psprintf(r->pool, "a body of more than %d bytes",
                             MOD_CMCAS_STAFF_ACTIVITY_BODY_MAX);
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    *pbody = body;
    *plen = len;
    return HTTP_OK;
}

int mod_cmcas_staff_activity_image(mod_cmcas_request_t *rq, apr_int64_t id)
{
    static const char too_large[] =
        "L'image dépasse 2 Mio : réduisez-la avant de l'envoyer. Rien n'a été modifié.";
    request_rec *r = rq->r;
    apr_array_header_t *options = NULL, *usage = NULL, *fields = NULL;
    const cmcas_multipart_field_t *csrf, *file;
    apr_int64_t registrations = 0;
    cmcas_activity_t *act = NULL;
    const char *why = NULL, *message = NULL;
    cmcas_form_t form;
    cmcas_image_t img;
    cmcas_result_t res;
    char *body = NULL;
    apr_size_t len = 0;
    int status;

    if (CMCAS_RESULT_DONE != cmcas_activity_change_read(&res, &act, &options, &usage,
                                                        &registrations, rq->store, r->pool,
                                                        rq->staff->cmcas_code, id)) {
        return mod_cmcas_request_result(rq, &res, "the activity's picture");
    }
    /* No database connection of ours while the browser sends the file. */
    mod_cmcas_request_release(rq);
    if (!cmcas_multipart_is_form(apr_table_get(r->headers_in, "Content-Type"))) {
        return mod_cmcas_staff_activity_image_refused(
            rq, HTTP_BAD_REQUEST, "not multipart/form-data",
            "Le formulaire de l'image doit être envoyé en multipart/form-data.");
    }
    if (HTTP_OK != (status = mod_cmcas_staff_activity_read(r, &body, &len, &why))) {
        return mod_cmcas_staff_activity_image_refused(
            rq, status, why, status == HTTP_BAD_REQUEST ? "Le corps de la requête est "
                                                          "illisible." : too_large);
    }
    if (APR_SUCCESS != cmcas_multipart_parse(&fields, r->pool,
                                             apr_table_get(r->headers_in, "Content-Type"),
                                             body, len, 8, &message)) {
        return mod_cmcas_staff_activity_image_refused(rq, HTTP_BAD_REQUEST,
                                                      "bad multipart body", message);
    }
    /* The token is checked as for every form (mod_cmcas_request_csrf_check). */
    memset(&form, 0, sizeof(form));
    form.pool = r->pool;
    form.fields = apr_table_make(r->pool, 1);
    csrf = cmcas_multipart_get(fields, "csrf");
    if (csrf && !csrf->filename && strlen((const char *)csrf->data) == csrf->len) {
        apr_table_setn(form.fields, "csrf", (const char *)csrf->data);
    }
    if (OK != mod_cmcas_request_csrf_check(rq, &form)) {
        return OK;
    }
    file = cmcas_multipart_get(fields, "image");
    if (!file || !file->filename) {
        return mod_cmcas_staff_activity_image_refused(rq, HTTP_BAD_REQUEST, "no file field",
                                                      "Choisissez une image à envoyer.");
    }
    if (file->len > CMCAS_IMAGE_MAX_BYTES) {
        return mod_cmcas_staff_activity_image_refused(rq, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                                      "picture over the limit", too_large);
    }
    if (APR_SUCCESS != cmcas_image_check(&img, r->pool, file->data, file->len, &message)) {
        return mod_cmcas_staff_activity_image_refused(rq, HTTP_BAD_REQUEST,
                                                      "not a PNG nor a JPEG", message);
    }
    if (OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    cmcas_activity_change_image(&res, rq->store, r->pool, rq->staff, apr_time_now(), id,
                                &img, file->data, file->len);
    if (CMCAS_RESULT_DONE != res.kind) {
        return mod_cmcas_request_result(rq, &res, "the activity's picture");
    }
    return mod_cmcas_request_redirect(rq, mod_cmcas_staff_activity_url(rq, id, "image"));
}
