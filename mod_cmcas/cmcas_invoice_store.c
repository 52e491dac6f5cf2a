#include <string.h>
#include <apr_strings.h>

#include "cmcas_invoice_store.h"
#include "cmcas_date.h"
#include "cmcas_desk.h"
#include "cmcas_instalment.h"

#define CMCAS_INVOICE_STORE_FIELDS \
    "SELECT id, kind, number, issued_on, order_reference, credited_number, cmcas_code," \
    " cmcas_name, cmcas_street, cmcas_postcode, cmcas_city, cmcas_phone, cmcas_email," \
    " legal, household_name, street, postcode, city, country, activity_title," \
    " activity_start, activity_end, total_price, total_participation, total_amount," \
    " method, instalments FROM cmcas_invoice" \
    " WHERE order_reference = %s AND household_id = %lld "

const cmcas_store_stmt_t cmcas_invoice_store_statements[] = {
    {"cmcas_inv_existing",
     "SELECT kind, number FROM cmcas_invoice WHERE order_id = %lld"},
    {"cmcas_inv_counter_row",
     "INSERT INTO cmcas_invoice_counter (cmcas_code, kind, year, last)"
     " VALUES (%s, %s, %d, 0) ON CONFLICT (cmcas_code, kind, year) DO NOTHING"},
    /* Locks the counter's row until the commit: concurrent issues take turns. */
    {"cmcas_inv_counter_next",
     "UPDATE cmcas_invoice_counter SET last = last + 1"
     " WHERE cmcas_code = %s AND kind = %s AND year = %d RETURNING last"},
    /* A change's refund credits the registration's latest invoice. */
    {"cmcas_inv_registration_latest",
     "SELECT i.number FROM cmcas_invoice i JOIN cmcas_order o ON o.id = i.order_id"
     " WHERE o.registration_id = %lld AND i.kind = 'facture' ORDER BY i.id DESC LIMIT 1"},
    {"cmcas_inv_desk_means",
     "SELECT means FROM cmcas_order_payment WHERE order_id = %lld AND kind = 'paiement'"},
    /* Everything copied now: later changes of the household, the activity or the
     * order's lines never reach an issued document. */
    {"cmcas_inv_add",
     "INSERT INTO cmcas_invoice (kind, number, order_id, household_id, issued_on,"
     " issued_at, order_reference, credited_number, cmcas_code, cmcas_name, cmcas_street,"
     " cmcas_postcode, cmcas_city, cmcas_phone, cmcas_email, legal, household_name,"
     " street, postcode, city, country, activity_title, activity_start, activity_end,"
     " total_price, total_participation, total_amount, method, instalments)"
     " SELECT %s, %s, o.id, o.household_id, %s, %s, o.reference, %s, o.cmcas_code,"
     " %s, %s, %s, %s, %s, %s, %s,"
     " COALESCE((SELECT p.first_name || ' ' || p.last_name FROM person p"
     "   WHERE p.household_id = o.household_id AND p.role = 'OD'), ''),"
     " COALESCE(h.street, ''), COALESCE(h.postcode, ''), COALESCE(h.city, ''), h.country,"
     " a.title, a.start_date, a.end_date,"
     " COALESCE((SELECT SUM(l.amount + l.participation) FROM cmcas_order_line l"
     "   WHERE l.order_id = o.id), 0),"
     " COALESCE((SELECT SUM(l.participation) FROM cmcas_order_line l"
     "   WHERE l.order_id = o.id), 0),"
     " o.total, %s, %s"
     " FROM cmcas_order o JOIN registration r ON r.id = o.registration_id"
     " JOIN activity a ON a.id = r.activity_id JOIN household h ON h.id = o.household_id"
     " WHERE o.id = %lld RETURNING id"},
    {"cmcas_inv_add_lines",
     "INSERT INTO cmcas_invoice_line (invoice_id, position, person, label, price,"
     " participation, amount) SELECT %lld, position, person, option_label,"
     " amount + participation, participation, amount FROM cmcas_order_line"
     " WHERE order_id = %lld"},
    {"cmcas_inv_get", CMCAS_INVOICE_STORE_FIELDS "AND kind = %s"},
    {"cmcas_inv_list", CMCAS_INVOICE_STORE_FIELDS "ORDER BY id"},
    {"cmcas_inv_lines",
     "SELECT person, label, price, participation, amount FROM cmcas_invoice_line"
     " WHERE invoice_id = %lld ORDER BY position"},
    {NULL, NULL}
};

const char *cmcas_invoice_store_number(apr_pool_t *p, const char *code, const char *kind,
                                       int year, apr_int64_t seq)
{
    return apr_psprintf(p, "%s-%s%04d-%05" APR_INT64_T_FMT, code,
                        strcmp(kind, CMCAS_INVOICE_STORE_AVOIR) ? "" : "AV-", year, seq);
}

/* The next number of the series, in the change's transaction. */
static apr_status_t cmcas_invoice_store_next(const char **pnumber,
                                             cmcas_registration_store_change_t *ch,
                                             const char *code, const char *kind, int year)
{
    cmcas_store_cursor_t cur;
    const char *args[3];
    apr_dbd_row_t *row;
    apr_int64_t seq = 0;
    apr_status_t rv;

    args[0] = code;
    args[1] = kind;
    args[2] = cmcas_store_num(ch->pool, year);
    /* A failed insert would end the transaction (SQLite's driver): DO NOTHING. */
    if (APR_SUCCESS != (rv = cmcas_store_exec(NULL, ch->st, ch->pool,
                                              "cmcas_inv_counter_row", &ch->err, 3, args))
        || APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool,
                                                   "cmcas_inv_counter_next", &ch->err, 3,
                                                   args))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        seq = cmcas_store_int(&cur, row, 0);
    }
    if (seq <= 0) {
        ch->err = "no number from the invoice counter";
        return APR_EGENERAL;
    }
    *pnumber = cmcas_invoice_store_number(ch->pool, code, kind, year, seq);
    return APR_SUCCESS;
}

/* The numbers already issued for the order: its invoice's and its credit note's. */
static apr_status_t cmcas_invoice_store_existing(const char **pfacture, const char **pavoir,
                                                 cmcas_registration_store_change_t *ch,
                                                 apr_int64_t order_id)
{
    cmcas_store_cursor_t cur;
    const char *id = cmcas_store_num(ch->pool, order_id);
    apr_dbd_row_t *row;
    apr_status_t rv;

    *pfacture = *pavoir = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool, "cmcas_inv_existing",
                                                &ch->err, 1, &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        const char *kind = cmcas_store_str(&cur, row, 0);
        const char *number = cmcas_store_str(&cur, row, 1);
        if (kind && !strcmp(kind, CMCAS_INVOICE_STORE_AVOIR)) {
            *pavoir = number;
        }
        else {
            *pfacture = number;
        }
    }
    return APR_SUCCESS;
}

/* The registration's latest invoice (what an adjustment's credit note reduces). */
static apr_status_t cmcas_invoice_store_latest(const char **pnumber,
                                               cmcas_registration_store_change_t *ch,
                                               const cmcas_order_t *order)
{
    cmcas_store_cursor_t cur;
    const char *id = cmcas_store_num(ch->pool, order->registration_id);
    apr_dbd_row_t *row;
    apr_status_t rv;

    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool,
                                                "cmcas_inv_registration_latest", &ch->err,
                                                1, &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        *pnumber = cmcas_store_str(&cur, row, 0);
    }
    return APR_SUCCESS;
}

/* How it was paid, in French: the card and its gateway, or the desk's means. */
static apr_status_t cmcas_invoice_store_method(const char **pmethod,
                                               cmcas_registration_store_change_t *ch,
                                               const cmcas_order_t *order)
{
    cmcas_store_cursor_t cur;
    const char *id = cmcas_store_num(ch->pool, order->id), *means = NULL, *label;
    apr_dbd_row_t *row;
    apr_status_t rv;

    if (strcmp(order->method, "cmcas")) {
        *pmethod = apr_psprintf(ch->pool, "Carte bancaire (%s)%s",
                                !strcmp(order->method, "systempay") ? "Systempay" : "Paybox",
                                order->instalments > 1
                                    ? apr_psprintf(ch->pool, ", en %d fois",
                                                   order->instalments) : "");
        return APR_SUCCESS;
    }
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool,
                                                "cmcas_inv_desk_means", &ch->err, 1,
                                                &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        means = cmcas_store_str(&cur, row, 0);
    }
    label = cmcas_desk_means_label(means, CMCAS_DESK_PAYMENT);
    *pmethod = label ? apr_pstrcat(ch->pool, "En CMCAS : ", label, NULL) : "En CMCAS";
    return APR_SUCCESS;
}

/* The instalments as stored: « AAAA-MM-JJ=cents » lines. An invoice paid by card in
 * several times follows the bank's plan from today (cmcas_payment's); anything else is
 * one instalment today. */
static const char *cmcas_invoice_store_schedule(apr_pool_t *p, const cmcas_order_t *order,
                                                const char *kind, const cmcas_date_t *today)
{
    cmcas_instalment_plan_t plan;
    const char *s = "";
    int i;

    if (!strcmp(kind, CMCAS_INVOICE_STORE_FACTURE) && strcmp(order->method, "cmcas")
        && order->instalments > 1
        && APR_SUCCESS == cmcas_instalment_plan(&plan, order->total, order->instalments,
                                                today)) {
        for (i = 0; i < plan.count; i++) {
            s = apr_psprintf(p, "%s%s%s=%" APR_INT64_T_FMT, s, i ? "\n" : "",
                             cmcas_date_iso(p, &plan.dates[i]), plan.amounts[i]);
        }
        return s;
    }
    return apr_psprintf(p, "%s=%" APR_INT64_T_FMT, cmcas_date_iso(p, today), order->total);
}

static const char *cmcas_invoice_store_or_empty(const char *s)
{
    return s ? s : "";
}

apr_status_t cmcas_invoice_store_issue(const char **pnumber,
                                       cmcas_registration_store_change_t *ch,
                                       const cmcas_order_t *order, const char *kind,
                                       const cmcas_invoice_seller_t *seller)
{
    cmcas_invoice_seller_t none;
    cmcas_store_cursor_t cur;
    cmcas_date_t today;
    const char *facture = NULL, *avoir = NULL, *method, *number = NULL, *args[17];
    apr_dbd_row_t *row;
    apr_int64_t id = 0;
    apr_status_t rv;
    int avoir_kind = !strcmp(kind, CMCAS_INVOICE_STORE_AVOIR);

    *pnumber = NULL;
    if (!seller) {
        memset(&none, 0, sizeof(none));
        none.code = order->cmcas_code;
        seller = &none;
    }
    if (APR_SUCCESS != (rv = cmcas_invoice_store_existing(&facture, &avoir, ch, order->id))) {
        return rv;
    }
    if ((*pnumber = avoir_kind ? avoir : facture)) {
        return APR_SUCCESS;             /* issued before: once per order and kind */
    }
    if (avoir_kind) {
        method = "Remboursement par la CMCAS";
        if (!facture && APR_SUCCESS != (rv = cmcas_invoice_store_latest(&facture, ch,
                                                                       order))) {
            return rv;
        }
    }
    else if (APR_SUCCESS != (rv = cmcas_invoice_store_method(&method, ch, order))) {
        return rv;
    }
    cmcas_date_today(&today, ch->when);
    if (APR_SUCCESS != (rv = cmcas_invoice_store_next(&number, ch, order->cmcas_code, kind,
                                                      today.y))) {
        return rv;
    }
    args[0] = kind;
    args[1] = number;
    args[2] = cmcas_date_iso(ch->pool, &today);
    args[3] = ch->now;
    args[4] = avoir_kind ? cmcas_invoice_store_or_empty(facture) : "";
    args[5] = cmcas_invoice_store_or_empty(seller->name);
    args[6] = cmcas_invoice_store_or_empty(seller->street);
    args[7] = cmcas_invoice_store_or_empty(seller->postcode);
    args[8] = cmcas_invoice_store_or_empty(seller->city);
    args[9] = cmcas_invoice_store_or_empty(seller->phone);
    args[10] = cmcas_invoice_store_or_empty(seller->email);
    args[11] = cmcas_invoice_store_or_empty(seller->legal);
    args[12] = method;
    args[13] = cmcas_invoice_store_schedule(ch->pool, order, kind, &today);
    args[14] = cmcas_store_num(ch->pool, order->id);
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool, "cmcas_inv_add",
                                                &ch->err, 15, args))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        id = cmcas_store_int(&cur, row, 0);
    }
    if (!id) {
        ch->err = "no id returned for the new invoice";
        return APR_EGENERAL;
    }
    args[0] = cmcas_store_num(ch->pool, id);
    args[1] = cmcas_store_num(ch->pool, order->id);
    if (APR_SUCCESS != (rv = cmcas_store_exec(NULL, ch->st, ch->pool, "cmcas_inv_add_lines",
                                              &ch->err, 2, args))) {
        return rv;
    }
    ch->changed = 1;
    *pnumber = number;
    return APR_SUCCESS;
}

/* A stored '' is an absent value. */
static const char *cmcas_invoice_store_opt(cmcas_store_cursor_t *cur, apr_dbd_row_t *row,
                                           int col)
{
    const char *s = cmcas_store_str(cur, row, col);
    return s && *s ? s : NULL;
}

static apr_array_header_t *cmcas_invoice_store_instalments(apr_pool_t *p, const char *text)
{
    apr_array_header_t *a = apr_array_make(p, 4, sizeof(cmcas_invoice_instalment_t));
    char *s = apr_pstrdup(p, text ? text : ""), *last = NULL, *line;

    for (line = apr_strtok(s, "\n", &last); line; line = apr_strtok(NULL, "\n", &last)) {
        char *eq = strchr(line, '=');
        cmcas_invoice_instalment_t *i;
        if (!eq) {
            continue;
        }
        *eq = '\0';
        i = apr_array_push(a);
        i->due = line;
        i->amount = apr_atoi64(eq + 1);
    }
    return a;
}

typedef struct {
    apr_int64_t id;
    cmcas_invoice_t inv;
} cmcas_invoice_store_row_t;

static void cmcas_invoice_store_read(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    cmcas_invoice_store_row_t *r = elt;
    cmcas_invoice_t *v = &r->inv;

    r->id = cmcas_store_int(cur, row, 0);
    v->kind = cmcas_store_str(cur, row, 1);
    v->number = cmcas_store_str(cur, row, 2);
    v->issued_on = cmcas_store_str(cur, row, 3);
    v->order_reference = cmcas_store_str(cur, row, 4);
    v->credited_number = cmcas_invoice_store_opt(cur, row, 5);
    v->cmcas_code = cmcas_store_str(cur, row, 6);
    v->cmcas_name = cmcas_invoice_store_opt(cur, row, 7);
    v->cmcas_street = cmcas_invoice_store_opt(cur, row, 8);
    v->cmcas_postcode = cmcas_invoice_store_opt(cur, row, 9);
    v->cmcas_city = cmcas_invoice_store_opt(cur, row, 10);
    v->cmcas_phone = cmcas_invoice_store_opt(cur, row, 11);
    v->cmcas_email = cmcas_invoice_store_opt(cur, row, 12);
    v->legal = cmcas_invoice_store_opt(cur, row, 13);
    v->household_name = cmcas_invoice_store_opt(cur, row, 14);
    v->street = cmcas_invoice_store_opt(cur, row, 15);
    v->postcode = cmcas_invoice_store_opt(cur, row, 16);
    v->city = cmcas_invoice_store_opt(cur, row, 17);
    v->country = cmcas_invoice_store_opt(cur, row, 18);
    v->activity_title = cmcas_store_str(cur, row, 19);
    v->activity_start = cmcas_store_str(cur, row, 20);
    v->activity_end = cmcas_store_str(cur, row, 21);
    v->total_price = cmcas_store_int(cur, row, 22);
    v->total_participation = cmcas_store_int(cur, row, 23);
    v->total_amount = cmcas_store_int(cur, row, 24);
    v->method = cmcas_store_str(cur, row, 25);
    v->instalments = cmcas_invoice_store_instalments(cur->pool,
                                                      cmcas_store_str(cur, row, 26));
}

static void cmcas_invoice_store_read_line(void *elt, cmcas_store_cursor_t *cur,
                                          apr_dbd_row_t *row)
{
    cmcas_invoice_line_t *l = elt;

    l->person = cmcas_store_str(cur, row, 0);
    l->label = cmcas_store_str(cur, row, 1);
    l->price = cmcas_store_int(cur, row, 2);
    l->participation = cmcas_store_int(cur, row, 3);
    l->amount = cmcas_store_int(cur, row, 4);
}

/* Reads the documents `label` selects, each with its lines. */
static apr_status_t cmcas_invoice_store_read_all(apr_array_header_t **pinvs,
                                                 const cmcas_store_t *st, apr_pool_t *p,
                                                 const char *label, int nargs,
                                                 const char **args, const char **perr)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv;
    int i;

    rv = cmcas_store_all(&rows, st, p, label, nargs, args,
                         sizeof(cmcas_invoice_store_row_t), cmcas_invoice_store_read, perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    *pinvs = apr_array_make(p, rows->nelts, sizeof(cmcas_invoice_t));
    for (i = 0; i < rows->nelts; i++) {
        cmcas_invoice_store_row_t *r = &APR_ARRAY_IDX(rows, i, cmcas_invoice_store_row_t);
        const char *id = cmcas_store_num(p, r->id);
        rv = cmcas_store_all(&r->inv.lines, st, p, "cmcas_inv_lines", 1, &id,
                             sizeof(cmcas_invoice_line_t), cmcas_invoice_store_read_line,
                             perr);
        if (APR_SUCCESS != rv) {
            return rv;
        }
        APR_ARRAY_PUSH(*pinvs, cmcas_invoice_t) = r->inv;
    }
    return APR_SUCCESS;
}

apr_status_t cmcas_invoice_store_get(cmcas_invoice_t **pinv, const cmcas_store_t *st,
                                     apr_pool_t *p, const char *reference,
                                     apr_int64_t household_id, const char *kind,
                                     const char **perr)
{
    apr_array_header_t *invs = NULL;
    const char *args[3];
    apr_status_t rv;

    *pinv = NULL;
    args[0] = reference;
    args[1] = cmcas_store_num(p, household_id);
    args[2] = kind;
    rv = cmcas_invoice_store_read_all(&invs, st, p, "cmcas_inv_get", 3, args, perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    if (!invs->nelts) {
        return APR_NOTFOUND;
    }
    *pinv = &APR_ARRAY_IDX(invs, 0, cmcas_invoice_t);
    return APR_SUCCESS;
}

apr_status_t cmcas_invoice_store_list(apr_array_header_t **pinvs, const cmcas_store_t *st,
                                      apr_pool_t *p, const char *reference,
                                      apr_int64_t household_id, const char **perr)
{
    const char *args[2];

    args[0] = reference;
    args[1] = cmcas_store_num(p, household_id);
    return cmcas_invoice_store_read_all(pinvs, st, p, "cmcas_inv_list", 2, args, perr);
}
