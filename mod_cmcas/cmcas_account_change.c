#include <apr_strings.h>

#include "cmcas_account_change.h"
#include "cmcas_account_store.h"
#include "cmcas_audit.h"
#include "cmcas_audit_store.h"

/* Reads the row before the change (NOT_FOUND: the household went, a 404). */
static apr_status_t cmcas_account_change_before(cmcas_result_t *res,
                                                cmcas_account_store_t **pacc,
                                                cmcas_store_t *st, apr_pool_t *p,
                                                apr_int64_t id, const char **perr)
{
    apr_status_t rv = cmcas_account_store_get(pacc, st, p, id, perr);

    if (APR_STATUS_IS_NOTFOUND(rv)) {
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "no such household", NULL);
    }
    return rv;
}

/* The audit line, by the member (their login), on « foyer LOGIN »; none when nothing
 * changed. */
static apr_status_t cmcas_account_change_audit(const cmcas_store_t *st, apr_pool_t *p,
                                               const cmcas_household_t *hh, apr_time_t now,
                                               const char *action,
                                               const apr_array_header_t *fields,
                                               const char **perr)
{
    const char *before, *after;

    if (!cmcas_audit_diff(&before, &after, p, fields)) {
        return APR_SUCCESS;
    }
    return cmcas_audit_store_add(st, p, now, hh->cmcas_code, hh->login, action,
                                 apr_pstrcat(p, "foyer ", hh->login, NULL), before, after,
                                 perr);
}

cmcas_result_kind_t cmcas_account_change_contact(cmcas_result_t *res, cmcas_store_t *st,
                                                 apr_pool_t *p,
                                                 const cmcas_household_t *hh,
                                                 const cmcas_account_input_contact_t *in,
                                                 apr_time_t now)
{
    apr_array_header_t *fields = cmcas_audit_fields(p);
    cmcas_account_store_t *old = NULL;
    cmcas_store_tx_t *tx = NULL;
    const char *err = NULL;
    apr_status_t rv;
    int one = 0;

    if (in->email_error || in->phone_error) {
        return cmcas_result_set(res, CMCAS_RESULT_BAD_INPUT, "the contact form has errors",
                                "Le formulaire contient des erreurs.");
    }
    if (APR_SUCCESS != (rv = cmcas_store_begin(&tx, st, p, &err))) {
        return cmcas_result_error(res, "changing a household's contact", err);
    }
    rv = cmcas_account_change_before(res, &old, st, p, hh->id, &err);
    if (APR_STATUS_IS_NOTFOUND(rv)) {
        cmcas_store_end(tx, 0, &err);
        return res->kind;
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_account_store_contact(&one, st, p, hh->id, in->email, in->phone, &err);
    }
    if (APR_SUCCESS == rv && !one) {
        rv = APR_EGENERAL;
        err = "the household's row did not change";
    }
    if (APR_SUCCESS == rv) {
        cmcas_audit_add(fields, "E-mail", old->email, in->email);
        cmcas_audit_add(fields, "Téléphone", *old->phone ? old->phone : NULL,
                        *in->phone ? in->phone : NULL);
        rv = cmcas_account_change_audit(st, p, hh, now, "Coordonnées modifiées par le foyer",
                                        fields, &err);
    }
    return cmcas_store_end_result(res, tx, rv, "changing a household's contact", err);
}

cmcas_result_kind_t cmcas_account_change_address(cmcas_result_t *res, cmcas_store_t *st,
                                                 apr_pool_t *p,
                                                 const cmcas_household_t *hh,
                                                 const cmcas_account_input_address_t *in,
                                                 apr_time_t now)
{
    apr_array_header_t *fields = cmcas_audit_fields(p);
    cmcas_account_store_t *old = NULL;
    cmcas_store_tx_t *tx = NULL;
    const char *err = NULL, *street;
    apr_status_t rv;
    int one = 0;

    if (in->street_error || in->postcode_error || in->city_error || in->country_error) {
        return cmcas_result_set(res, CMCAS_RESULT_BAD_INPUT, "the address form has errors",
                                "Le formulaire contient des erreurs.");
    }
    street = cmcas_account_input_street(in, p);
    if (APR_SUCCESS != (rv = cmcas_store_begin(&tx, st, p, &err))) {
        return cmcas_result_error(res, "changing a household's address", err);
    }
    rv = cmcas_account_change_before(res, &old, st, p, hh->id, &err);
    if (APR_STATUS_IS_NOTFOUND(rv)) {
        cmcas_store_end(tx, 0, &err);
        return res->kind;
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_account_store_address(&one, st, p, hh->id, street, in->postcode,
                                         in->city, in->country, &err);
    }
    if (APR_SUCCESS == rv && !one) {
        rv = APR_EGENERAL;
        err = "the household's row did not change";
    }
    if (APR_SUCCESS == rv) {
        cmcas_audit_add(fields, "Adresse", old->street, street);
        cmcas_audit_add(fields, "Code postal", old->postcode, in->postcode);
        cmcas_audit_add(fields, "Ville", old->city, in->city);
        cmcas_audit_add(fields, "Pays", old->country, in->country);
        rv = cmcas_account_change_audit(st, p, hh, now, "Adresse modifiée par le foyer",
                                        fields, &err);
    }
    return cmcas_store_end_result(res, tx, rv, "changing a household's address", err);
}
