#include <string.h>
#include <apr_strings.h>
#include <apr_escape.h>
#include <apr_lib.h>

#include "cmcas_status_page.h"

/* An ISO 8601 time or « never » for ?auto (one word: scripts split on spaces). */
static const char *cmcas_status_page_when(const char *at)
{
    return at && *at ? at : "never";
}

/* A CMCAS code as part of a key: letters, digits, '-' and '_' kept, others '_'. */
static const char *cmcas_status_page_key(apr_pool_t *p, const char *code)
{
    char *k = apr_pstrdup(p, code ? code : "?"), *c;
    for (c = k; *c; c++) {
        if (!apr_isalnum(*c) && *c != '-' && *c != '_') {
            *c = '_';
        }
    }
    return k;
}

/* The sums over every CMCAS, and the latest times. */
static void cmcas_status_page_total(const cmcas_status_store_report_t *rep,
                                    cmcas_status_store_cmcas_t *t)
{
    int i;

    memset(t, 0, sizeof(*t));
    for (i = 0; rep && rep->cmcas && i < rep->cmcas->nelts; i++) {
        const cmcas_status_store_cmcas_t *c =
            &APR_ARRAY_IDX(rep->cmcas, i, cmcas_status_store_cmcas_t);
        t->desk_orders += c->desk_orders;
        t->refunds_due += c->refunds_due;
        t->draws_due += c->draws_due;
        t->outbox_unsent += c->outbox_unsent;
        t->outbox_failed += c->outbox_failed;
        if (c->last_draw && (!t->last_draw || strcmp(c->last_draw, t->last_draw) > 0)) {
            t->last_draw = c->last_draw;
        }
        if (c->last_payment
            && (!t->last_payment || strcmp(c->last_payment, t->last_payment) > 0)) {
            t->last_payment = c->last_payment;
        }
    }
}

static const char *cmcas_status_page_counts(apr_pool_t *p, const char *prefix,
                                            const cmcas_status_store_cmcas_t *c)
{
    return apr_psprintf(p,
        "%sDeskOrders: %" APR_INT64_T_FMT "\n%sRefundsDue: %" APR_INT64_T_FMT "\n"
        "%sDrawsDue: %" APR_INT64_T_FMT "\n%sOutboxUnsent: %" APR_INT64_T_FMT "\n"
        "%sOutboxFailed: %" APR_INT64_T_FMT "\n%sLastDraw: %s\n%sLastPayment: %s\n",
        prefix, c->desk_orders, prefix, c->refunds_due, prefix, c->draws_due,
        prefix, c->outbox_unsent, prefix, c->outbox_failed,
        prefix, cmcas_status_page_when(c->last_draw),
        prefix, cmcas_status_page_when(c->last_payment));
}

/* The error line's text on one line, for ?auto. */
static const char *cmcas_status_page_oneline(apr_pool_t *p, const char *s)
{
    char *o = apr_pstrdup(p, s), *c;
    for (c = o; *c; c++) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
    return o;
}

const char *cmcas_status_page_auto(apr_pool_t *p, const cmcas_status_page_t *sp)
{
    const cmcas_status_store_report_t *rep = sp->rep;
    cmcas_status_store_cmcas_t total;
    const char *out;
    int i;

    out = apr_psprintf(p, "Version: %s\nDatabaseEngine: %s\nDatabaseReachable: %s\n",
                       sp->version, sp->engine ? sp->engine : "unknown",
                       sp->reachable ? "yes" : "no");
    if (sp->db_error) {
        out = apr_pstrcat(p, out, "DatabaseError: ",
                          cmcas_status_page_oneline(p, sp->db_error), "\n", NULL);
    }
    if (sp->errors) {
        out = apr_psprintf(p, "%sErrorsLastHour: %u\n", out,
                           (unsigned)cmcas_error_count_hour(sp->errors, sp->now));
    }
    if (!rep) {
        return out;
    }
    out = apr_psprintf(p, "%sSchemaVersion: %" APR_INT64_T_FMT "\n", out,
                       rep->schema_version);
    for (i = 0; rep->jobs && i < rep->jobs->nelts; i++) {
        const cmcas_status_store_job_t *j =
            &APR_ARRAY_IDX(rep->jobs, i, cmcas_status_store_job_t);
        const char *k = cmcas_status_page_key(p, j->name);
        out = apr_psprintf(p, "%sJob.%s.Running: %s\nJob.%s.LeaseUntil: %" APR_INT64_T_FMT
                           "\n", out, k,
                           j->lease_until >= apr_time_sec(sp->now) ? "yes" : "no", k,
                           j->lease_until);
    }
    cmcas_status_page_total(rep, &total);
    out = apr_pstrcat(p, out, cmcas_status_page_counts(p, "", &total), NULL);
    for (i = 0; rep->cmcas && i < rep->cmcas->nelts; i++) {
        const cmcas_status_store_cmcas_t *c =
            &APR_ARRAY_IDX(rep->cmcas, i, cmcas_status_store_cmcas_t);
        out = apr_pstrcat(p, out, cmcas_status_page_counts(
            p, apr_pstrcat(p, "CMCAS.", cmcas_status_page_key(p, c->code), ".", NULL), c),
            NULL);
    }
    return out;
}

static const char *cmcas_status_page_esc(apr_pool_t *p, const char *s)
{
    return s ? apr_pescape_entity(p, s, 0) : "";
}

/* « jamais » or the time as stored (UTC). */
static const char *cmcas_status_page_fr_when(apr_pool_t *p, const char *at)
{
    return at && *at ? apr_pstrcat(p, cmcas_status_page_esc(p, at), " UTC", NULL)
                     : "jamais";
}

static const char *cmcas_status_page_row(apr_pool_t *p,
                                         const cmcas_status_store_cmcas_t *c,
                                         const char *code)
{
    return apr_psprintf(p,
        "<tr><th>%s</th><td>%" APR_INT64_T_FMT "</td><td>%" APR_INT64_T_FMT "</td>"
        "<td>%" APR_INT64_T_FMT "</td><td>%" APR_INT64_T_FMT "</td><td>%" APR_INT64_T_FMT
        "</td><td>%s</td><td>%s</td></tr>\n",
        code, c->desk_orders, c->refunds_due, c->draws_due, c->outbox_unsent,
        c->outbox_failed, cmcas_status_page_fr_when(p, c->last_draw),
        cmcas_status_page_fr_when(p, c->last_payment));
}

/* The background jobs and the last errors' tags. */
static const char *cmcas_status_page_html_jobs(apr_pool_t *p, const cmcas_status_page_t *sp)
{
    const char *out = "";
    apr_time_exp_t tm;
    int i;

    for (i = 0; sp->rep && sp->rep->jobs && i < sp->rep->jobs->nelts; i++) {
        const cmcas_status_store_job_t *j =
            &APR_ARRAY_IDX(sp->rep->jobs, i, cmcas_status_store_job_t);
        if (!j->lease_until) {
            out = apr_pstrcat(p, out, "<li>", cmcas_status_page_esc(p, j->name),
                              " : jamais lancée</li>\n", NULL);
            continue;
        }
        apr_time_exp_gmt(&tm, apr_time_from_sec(j->lease_until));
        out = apr_psprintf(p, "%s<li>%s : %s, bail jusqu'à %04d-%02d-%02d %02d:%02d:%02d "
                           "UTC%s%s</li>\n", out, cmcas_status_page_esc(p, j->name),
                           j->lease_until >= apr_time_sec(sp->now) ? "en cours"
                           : "arrêtée",
                           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                           tm.tm_min, tm.tm_sec, *j->owner ? ", par " : "",
                           cmcas_status_page_esc(p, j->owner));
    }
    out = *out ? apr_pstrcat(p, "<h2>Tâches de fond</h2>\n<ul>\n", out, "</ul>\n", NULL)
               : "";
    if (sp->errors) {
        out = apr_psprintf(p, "%s<h2>Erreurs</h2>\n<p>Erreurs du module dans la dernière "
                           "heure (ce serveur) : %u</p>\n<ul>\n", out,
                           (unsigned)cmcas_error_count_hour(sp->errors, sp->now));
        for (i = 0; i < CMCAS_ERROR_COUNT_RECENT; i++) {
            apr_uint32_t at = sp->errors->recent_at[i], tag = sp->errors->recent_tag[i];
            if (!at) {
                continue;
            }
            apr_time_exp_gmt(&tm, apr_time_from_sec(at));
            out = apr_psprintf(p, "%s<li>%04d-%02d-%02d %02d:%02d:%02d UTC : CMCAS%u</li>\n",
                               out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                               tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)tag);
        }
        out = apr_pstrcat(p, out, "</ul>\n", NULL);
    }
    return out;
}

const char *cmcas_status_page_html_section(apr_pool_t *p, const cmcas_status_page_t *sp)
{
    const cmcas_status_store_report_t *rep = sp->rep;
    cmcas_status_store_cmcas_t total;
    const char *out, *rows = "";
    int i;

    out = apr_psprintf(p,
        "<p>Version : %s<br>\nBase de données : %s, %s</p>\n",
        cmcas_status_page_esc(p, sp->version),
        sp->engine ? cmcas_status_page_esc(p, sp->engine) : "moteur inconnu",
        sp->reachable ? "joignable" : "<strong>injoignable</strong>");
    if (sp->db_error) {
        out = apr_pstrcat(p, out, "<p>Erreur : ", cmcas_status_page_esc(p, sp->db_error),
                          "</p>\n", NULL);
    }
    if (rep) {
        out = apr_psprintf(p, "%s<p>Version du schéma : %" APR_INT64_T_FMT "</p>\n", out,
                           rep->schema_version);
        for (i = 0; rep->cmcas && i < rep->cmcas->nelts; i++) {
            const cmcas_status_store_cmcas_t *c =
                &APR_ARRAY_IDX(rep->cmcas, i, cmcas_status_store_cmcas_t);
            rows = apr_pstrcat(p, rows, cmcas_status_page_row(p, c,
                               cmcas_status_page_esc(p, c->code)), NULL);
        }
        cmcas_status_page_total(rep, &total);
        out = apr_pstrcat(p, out, "<table border=\"1\">\n<tr><th>CMCAS</th>"
                          "<th>Commandes en attente au guichet</th>"
                          "<th>Remboursements à faire</th><th>Tirages à faire</th>"
                          "<th>Courriels non envoyés</th><th>dont en échec</th>"
                          "<th>Dernier tirage</th><th>Dernier paiement</th></tr>\n",
                          rows, cmcas_status_page_row(p, &total, "Total"), "</table>\n",
                          NULL);
    }
    return apr_pstrcat(p, out, cmcas_status_page_html_jobs(p, sp), NULL);
}

const char *cmcas_status_page_html(apr_pool_t *p, const cmcas_status_page_t *sp)
{
    return apr_pstrcat(p, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
                       "<title>État de mod_cmcas</title></head><body>\n"
                       "<h1>État de mod_cmcas</h1>\n", cmcas_status_page_html_section(p, sp),
                       "</body></html>\n", NULL);
}
