#include <apr_strings.h>

#include "cmcas_account_store.h"

const cmcas_store_stmt_t cmcas_account_store_statements[] = {
    {"cmcas_account_get",
     "SELECT email, phone, street, postcode, city, country FROM household"
     " WHERE id = %lld"},
    {"cmcas_account_contact",
     "UPDATE household SET email = %s, phone = NULLIF(%s, '') WHERE id = %lld"},
    {"cmcas_account_address",
     "UPDATE household SET street = %s, postcode = %s, city = %s, country = %s"
     " WHERE id = %lld"},
    {NULL, NULL}
};

static const char *cmcas_account_store_col(cmcas_store_cursor_t *cur, apr_dbd_row_t *row,
                                           int col)
{
    const char *s = cmcas_store_str(cur, row, col);

    return s ? s : "";
}

apr_status_t cmcas_account_store_get(cmcas_account_store_t **pacc, const cmcas_store_t *st,
                                     apr_pool_t *p, apr_int64_t household_id,
                                     const char **perr)
{
    const char *id = cmcas_store_num(p, household_id);
    cmcas_store_cursor_t cur;
    cmcas_account_store_t *acc = NULL;
    apr_dbd_row_t *row;
    apr_status_t rv;

    *pacc = NULL;
    rv = cmcas_store_select(&cur, st, p, "cmcas_account_get", perr, 1, &id);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (!acc) {
            acc = apr_pcalloc(p, sizeof(*acc));
            acc->email = cmcas_account_store_col(&cur, row, 0);
            acc->phone = cmcas_account_store_col(&cur, row, 1);
            acc->street = cmcas_account_store_col(&cur, row, 2);
            acc->postcode = cmcas_account_store_col(&cur, row, 3);
            acc->city = cmcas_account_store_col(&cur, row, 4);
            acc->country = cmcas_account_store_col(&cur, row, 5);
        }
    }
    *pacc = acc;
    return acc ? APR_SUCCESS : APR_NOTFOUND;
}

apr_status_t cmcas_account_store_contact(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                         apr_int64_t household_id, const char *email,
                                         const char *phone, const char **perr)
{
    const char *args[3];

    args[0] = email;
    args[1] = phone;
    args[2] = cmcas_store_num(p, household_id);
    return cmcas_store_exec_one(pone, st, p, "cmcas_account_contact", perr, 3, args);
}

apr_status_t cmcas_account_store_address(int *pone, const cmcas_store_t *st,
                                         apr_pool_t *p, apr_int64_t household_id,
                                         const char *street, const char *postcode,
                                         const char *city, const char *country,
                                         const char **perr)
{
    const char *args[5];

    args[0] = street;
    args[1] = postcode;
    args[2] = city;
    args[3] = country;
    args[4] = cmcas_store_num(p, household_id);
    return cmcas_store_exec_one(pone, st, p, "cmcas_account_address", perr, 5, args);
}
