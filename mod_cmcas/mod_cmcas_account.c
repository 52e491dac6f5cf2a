#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_account.h"
#include "cmcas_doc.h"

/* GET /mes-informations : the household. */
int mod_cmcas_account_informations(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    const cmcas_household_t *hh = rq->household;
    apr_array_header_t *persons;
    xmlNodePtr root, node;
    xmlDocPtr doc;
    const char *err = NULL;
    int i;

    if (APR_SUCCESS != cmcas_store_persons(&persons, rq->store, r->pool, hh->id, &err)) {
        return mod_cmcas_request_db_error(rq, "the household's persons", err);
    }
    doc = mod_cmcas_request_page(rq, "informations", NULL, &root);
    node = cmcas_doc_elem(cmcas_doc_elem(root, "informations"), "household");
    cmcas_doc_attr(node, "login", hh->login);
    cmcas_doc_attr(node, "email", hh->email);
    cmcas_doc_attr(node, "phone", hh->phone);
    cmcas_doc_text(node, "street", hh->street);
    cmcas_doc_text(node, "postcode", hh->postcode);
    cmcas_doc_text(node, "city", hh->city);
    for (i = 0; i < persons->nelts; i++) {
        const cmcas_household_person_t *pe = &APR_ARRAY_IDX(persons, i, cmcas_household_person_t);
        xmlNodePtr pn = cmcas_doc_elem(node, "person");
        cmcas_doc_attr_int(pn, "id", pe->id);
        cmcas_doc_attr(pn, "role", pe->role);
        cmcas_doc_text(pn, "first-name", pe->first_name);
        cmcas_doc_text(pn, "last-name", pe->last_name);
        cmcas_doc_date(pn, "birth", pe->birth_date, r->pool);
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
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
