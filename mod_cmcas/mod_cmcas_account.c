#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_account.h"
#include "cmcas_doc.h"
#include "cmcas_account_change.h"
#include "cmcas_account_store.h"

/* The forms' fields in error, as <error field="...">message</error> children. */
static void mod_cmcas_account_error(xmlNodePtr form, const char *field,
                                    const char *message)
{
    if (message) {
        cmcas_doc_attr(cmcas_doc_text(form, "error", message), "field", field);
    }
}

/* The household's contact and address as stored (a 503 page sent: DONE). */
static int mod_cmcas_account_read(mod_cmcas_request_t *rq, cmcas_account_store_t **pacc)
{
    const char *err = NULL;
    apr_status_t rv = cmcas_account_store_get(pacc, rq->store, rq->r->pool,
                                              rq->household->id, &err);

    if (APR_STATUS_IS_NOTFOUND(rv)) {
        mod_cmcas_request_not_found(rq, "the member's household went");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "the household's contact and address", err);
        return DONE;
    }
    return OK;
}

/* A form that does not hold: logged once, the page again with 400. */
static void mod_cmcas_account_bad_input(mod_cmcas_request_t *rq, const char *what,
                                        int nerrors)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(190)
                  "%s of household '%s' refused: %d field(s) do not hold", what,
                  rq->household->login, nerrors);
}

/* GET, POST /mes-informations : the household as the CMCAS holds it (read-only), and
 * the contact e-mail and phone the member may change. */
int mod_cmcas_account_informations(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    const cmcas_household_t *hh = rq->household;
    cmcas_account_input_contact_t in;
    cmcas_account_store_t *acc = NULL;
    apr_array_header_t *persons;
    xmlNodePtr root, info, node, form;
    xmlDocPtr doc;
    cmcas_result_t res;
    const char *err = NULL;
    int i, nerrors = 0, status = HTTP_OK;

    memset(&in, 0, sizeof(in));
    if (r->method_number == M_POST) {
        nerrors = cmcas_account_input_contact(&in, r->pool, rq->form);
        if (!nerrors) {
            cmcas_account_change_contact(&res, rq->store, r->pool, hh, &in, apr_time_now());
            if (res.kind == CMCAS_RESULT_DONE) {
                return mod_cmcas_request_redirect(rq, apr_pstrcat(r->pool, rq->base,
                                                  "/mes-informations?enregistre=1", NULL));
            }
            return mod_cmcas_request_result(rq, &res, "contact change");
        }
        mod_cmcas_account_bad_input(rq, "contact change", nerrors);
        status = HTTP_BAD_REQUEST;
    }
    if (OK != mod_cmcas_account_read(rq, &acc)) {
        return OK;
    }
    if (APR_SUCCESS != cmcas_store_persons(&persons, rq->store, r->pool, hh->id, &err)) {
        return mod_cmcas_request_db_error(rq, "the household's persons", err);
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_request_page(rq, "informations", NULL, &root);
    info = cmcas_doc_elem(root, "informations");
    node = cmcas_doc_elem(info, "household");
    cmcas_doc_attr(node, "login", hh->login);
    cmcas_doc_attr(node, "email", acc->email);
    cmcas_doc_attr(node, "phone", acc->phone);
    cmcas_doc_text(node, "street", acc->street);
    cmcas_doc_text(node, "postcode", acc->postcode);
    cmcas_doc_text(node, "city", acc->city);
    cmcas_doc_text(node, "country", acc->country);
    for (i = 0; i < persons->nelts; i++) {
        const cmcas_household_person_t *pe = &APR_ARRAY_IDX(persons, i, cmcas_household_person_t);
        xmlNodePtr pn = cmcas_doc_elem(node, "person");
        cmcas_doc_attr_int(pn, "id", pe->id);
        cmcas_doc_attr(pn, "role", pe->role);
        cmcas_doc_text(pn, "first-name", pe->first_name);
        cmcas_doc_text(pn, "last-name", pe->last_name);
        cmcas_doc_date(pn, "birth", pe->birth_date, r->pool);
    }
    form = cmcas_doc_elem(info, "contact-form");
    cmcas_doc_attr(form, "action", apr_pstrcat(r->pool, rq->base, "/mes-informations",
                                               NULL));
    cmcas_doc_attr(form, "csrf", mod_cmcas_request_csrf_token(rq));
    cmcas_doc_attr(form, "email", nerrors ? in.email : acc->email);
    cmcas_doc_attr(form, "phone", nerrors ? in.phone : acc->phone);
    if (!nerrors && apr_table_get(rq->args, "enregistre")) {
        cmcas_doc_attr(form, "saved", "1");
    }
    mod_cmcas_account_error(form, "email", in.email_error);
    mod_cmcas_account_error(form, "telephone", in.phone_error);
    return mod_cmcas_request_send(rq, doc, status);
}

/* GET, POST /mes-adresses : the billing address printed on invoices. */
int mod_cmcas_account_addresses(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    cmcas_account_input_address_t in;
    cmcas_account_store_t *acc = NULL;
    xmlNodePtr root, form;
    xmlDocPtr doc;
    cmcas_result_t res;
    int nerrors = 0, status = HTTP_OK;

    memset(&in, 0, sizeof(in));
    if (r->method_number == M_POST) {
        nerrors = cmcas_account_input_address(&in, r->pool, rq->form);
        if (!nerrors) {
            cmcas_account_change_address(&res, rq->store, r->pool, rq->household, &in,
                                         apr_time_now());
            if (res.kind == CMCAS_RESULT_DONE) {
                return mod_cmcas_request_redirect(rq, apr_pstrcat(r->pool, rq->base,
                                                  "/mes-adresses?enregistre=1", NULL));
            }
            return mod_cmcas_request_result(rq, &res, "address change");
        }
        mod_cmcas_account_bad_input(rq, "address change", nerrors);
        status = HTTP_BAD_REQUEST;
    }
    else if (OK != mod_cmcas_account_read(rq, &acc)) {
        return OK;
    }
    mod_cmcas_request_release(rq);
    if (!nerrors) {
        /* The stored street's two lines back into the form's two fields. */
        const char *nl = strchr(acc->street, '\n');
        in.street1 = nl ? apr_pstrmemdup(r->pool, acc->street, nl - acc->street)
                        : acc->street;
        in.street2 = nl ? nl + 1 : "";
        in.postcode = acc->postcode;
        in.city = acc->city;
        in.country = *acc->country ? acc->country : "France";
    }
    doc = mod_cmcas_request_page(rq, "adresses", NULL, &root);
    form = cmcas_doc_elem(cmcas_doc_elem(root, "adresses"), "address-form");
    cmcas_doc_attr(form, "action", apr_pstrcat(r->pool, rq->base, "/mes-adresses", NULL));
    cmcas_doc_attr(form, "csrf", mod_cmcas_request_csrf_token(rq));
    cmcas_doc_attr(form, "street1", in.street1);
    cmcas_doc_attr(form, "street2", in.street2);
    cmcas_doc_attr(form, "postcode", in.postcode);
    cmcas_doc_attr(form, "city", in.city);
    cmcas_doc_attr(form, "country", in.country);
    if (!nerrors && apr_table_get(rq->args, "enregistre")) {
        cmcas_doc_attr(form, "saved", "1");
    }
    mod_cmcas_account_error(form, "rue1", in.street_error);
    mod_cmcas_account_error(form, "code_postal", in.postcode_error);
    mod_cmcas_account_error(form, "ville", in.city_error);
    mod_cmcas_account_error(form, "pays", in.country_error);
    return mod_cmcas_request_send(rq, doc, status);
}

/* GET /connexion : the login form (mod_auth_form checks it). */
int mod_cmcas_account_login(mod_cmcas_request_t *rq)
{
    xmlNodePtr root, node;
    xmlDocPtr doc = mod_cmcas_request_page(rq, "connexion", NULL, &root);

    node = cmcas_doc_elem(root, "connexion");
    cmcas_doc_attr(node, "action",
                   apr_pstrcat(rq->r->pool, rq->base, "/connexion/valider", NULL));
    if (apr_table_get(rq->args, "erreur")) {
        cmcas_doc_attr(node, "error", "1");
    }
    if (apr_table_get(rq->args, "deconnecte")) {
        cmcas_doc_attr(node, "logged-out", "1");
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET /mon-compte : the account menu. */
int mod_cmcas_account_menu(mod_cmcas_request_t *rq)
{
    xmlNodePtr root;
    xmlDocPtr doc = mod_cmcas_request_page(rq, "compte", NULL, &root);

    cmcas_doc_elem(root, "compte");
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}
