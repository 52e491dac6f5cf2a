/* cmcas-draw: the « tour de rôle » draw outside Apache (docs/operations.md, « Tour de
 * rôle »). The same core functions as the portal's background job.
 *
 *   cmcas-draw verify FILE           runs a draw again from its published data (the
 *                                    activity's « tirage.csv », or - for stdin), prints
 *                                    the ranks and results, exits 1 if a rank differs
 *   cmcas-draw run DRIVER PARAMS ID [--publish] [--rerun] [--window MONTHS] [--pay-days N]
 *                                    draws activity ID now (staff: early, or again while
 *                                    its results are not published)
 *   cmcas-draw publish DRIVER PARAMS ID [--pay-days N]
 *                                    publishes a draw made without --publish
 *
 * DRIVER and PARAMS are httpd.conf's DBDriver and DBDParams (sqlite3 or pgsql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_dbd.h>

#include "../mod_cmcas/cmcas_draw.h"
#include "../mod_cmcas/cmcas_draw_change.h"
#include "../mod_cmcas/cmcas_draw_csv.h"
#include "../mod_cmcas/cmcas_sqlite_wait.h"
#include "../mod_cmcas/cmcas_store.h"

static int cmcas_draw_tool_usage(void)
{
    fputs("usage: cmcas-draw verify FILE|-\n"
          "       cmcas-draw run DRIVER PARAMS ACTIVITY [--publish] [--rerun]"
          " [--window MONTHS] [--pay-days DAYS]\n"
          "       cmcas-draw publish DRIVER PARAMS ACTIVITY [--pay-days DAYS]\n", stderr);
    return 2;
}

static const char *cmcas_draw_tool_result(cmcas_draw_result_t r)
{
    return r == CMCAS_DRAW_RETENUE ? "retenue"
           : r == CMCAS_DRAW_ATTENTE ? "attente" : "non_retenue";
}

static int cmcas_draw_tool_verify(apr_pool_t *p, const char *path)
{
    apr_file_t *f = NULL;
    apr_array_header_t *published;
    cmcas_draw_csv_t d;
    const char *why;
    char buf[65536];
    char *text = "";
    apr_size_t n;
    int i, taken = 0, differ = 0;

    if (APR_SUCCESS != (strcmp(path, "-") ? apr_file_open(&f, path, APR_FOPEN_READ, 0, p)
                                          : apr_file_open_stdin(&f, p))) {
        fprintf(stderr, "cmcas-draw: cannot read %s\n", path);
        return 2;
    }
    do {
        n = sizeof(buf);
        if (APR_SUCCESS != apr_file_read(f, buf, &n) && !n) {
            break;
        }
        text = apr_pstrcat(p, text, apr_pstrndup(p, buf, n), NULL);
    } while (n);
    if ((why = cmcas_draw_csv_read(&d, p, text))) {
        fprintf(stderr, "cmcas-draw: %s: %s\n", path, why);
        return 2;
    }
    published = apr_array_copy(p, d.entries);
    cmcas_draw_run(d.entries, d.seed, d.places, &taken);
    printf("rang,inscription,resultat,attente,tirage\n");
    for (i = 0; i < d.entries->nelts; i++) {
        const cmcas_draw_entry_t *e = &APR_ARRAY_IDX(d.entries, i, cmcas_draw_entry_t);
        int j;
        printf("%d,%" APR_INT64_T_FMT ",%s,%d,%s\n", e->rank, e->registration_id,
               cmcas_draw_tool_result(e->result), e->waiting, e->tiebreak);
        for (j = 0; j < published->nelts; j++) {
            const cmcas_draw_entry_t *o = &APR_ARRAY_IDX(published, j, cmcas_draw_entry_t);
            if (o->registration_id == e->registration_id && o->rank != e->rank) {
                fprintf(stderr, "cmcas-draw: registration %" APR_INT64_T_FMT ": rank %d "
                        "here, %d published\n", e->registration_id, e->rank, o->rank);
                differ = 1;
            }
        }
    }
    fprintf(stderr, "cmcas-draw: %d place(s) of %d given; %s\n", taken, d.places,
            differ ? "the published ranks DIFFER" : "the published ranks are the same");
    return differ;
}

/* A connection with every statement of the module prepared, as mod_dbd makes one. */
static int cmcas_draw_tool_connect(cmcas_store_t *st, apr_pool_t *p, const char *driver,
                                   const char *params)
{
    const char *err = NULL;
    int i;

    memset(st, 0, sizeof(*st));
    apr_dbd_init(p);
    if (!strcmp(driver, "sqlite3")) {
        cmcas_sqlite_wait_install(p, 5000);   /* the portal may be writing */
    }
    if (APR_SUCCESS != apr_dbd_get_driver(p, driver, &st->driver)
        || APR_SUCCESS != apr_dbd_open_ex(st->driver, p, params, &st->handle, &err)) {
        fprintf(stderr, "cmcas-draw: cannot connect (%s %s): %s\n", driver, params,
                err ? err : "no such driver");
        return 0;
    }
    st->prepared = apr_hash_make(p);
    for (i = 0; cmcas_store_registry[i]; i++) {
        const cmcas_store_stmt_t *s;
        for (s = cmcas_store_registry[i]; s->label; s++) {
            apr_dbd_prepared_t *stmt = NULL;
            int rc = apr_dbd_prepare(st->driver, p, st->handle, s->sql, s->label, &stmt);
            if (rc) {
                fprintf(stderr, "cmcas-draw: %s does not prepare (is the schema at the "
                        "module's version?): %s\n", s->label,
                        apr_dbd_error(st->driver, st->handle, rc));
                return 0;
            }
            apr_hash_set(st->prepared, s->label, APR_HASH_KEY_STRING, stmt);
        }
    }
    return 1;
}

static int cmcas_draw_tool_change(apr_pool_t *p, int publish_only, int argc,
                                  const char *const *argv)
{
    cmcas_draw_change_rules_t rules = {24, 7, NULL};
    cmcas_result_t res;
    cmcas_store_t st;
    apr_int64_t id;
    int i, publish = publish_only, rerun = 0, done = 0;

    if (argc < 5 || (id = apr_atoi64(argv[4])) <= 0) {
        return cmcas_draw_tool_usage();
    }
    for (i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--publish")) {
            publish = 1;
        }
        else if (!strcmp(argv[i], "--rerun")) {
            rerun = 1;
        }
        else if (!strcmp(argv[i], "--window") && i + 1 < argc) {
            rules.window_months = atoi(argv[++i]);
        }
        else if (!strcmp(argv[i], "--pay-days") && i + 1 < argc) {
            rules.pay_days = atoi(argv[++i]);
        }
        else {
            return cmcas_draw_tool_usage();
        }
    }
    if (rules.window_months < 1 || rules.window_months > 120 || rules.pay_days < 1
        || rules.pay_days > 60) {
        fputs("cmcas-draw: --window is 1 to 120 months, --pay-days 1 to 60 days\n", stderr);
        return 2;
    }
    if (!cmcas_draw_tool_connect(&st, p, argv[2], argv[3])) {
        return 2;
    }
    if (publish_only) {
        cmcas_draw_change_publish(&res, &done, &st, p, apr_time_now(), "cmcas-draw", id,
                                  &rules);
    }
    else {
        cmcas_draw_change_run(&res, &done, &st, p, apr_time_now(), "cmcas-draw", id,
                              &rules, publish, rerun);
    }
    apr_dbd_close(st.driver, st.handle);
    if (res.kind == CMCAS_RESULT_ERROR) {
        fprintf(stderr, "cmcas-draw: nothing changed: %s\n", res.err);
        return 2;
    }
    if (!done) {
        fprintf(stderr, "cmcas-draw: activity %" APR_INT64_T_FMT ": %s\n", id,
                publish_only ? "nothing to publish (not drawn, or published already)"
                             : "not drawn (published already, drawn already without "
                               "--rerun, or not « tour de rôle »)");
        return 1;
    }
    printf("activity %" APR_INT64_T_FMT " %s\n", id,
           publish_only ? "published" : publish ? "drawn and published" : "drawn");
    return 0;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;
    int rc;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    if (argc == 3 && !strcmp(argv[1], "verify")) {
        rc = cmcas_draw_tool_verify(p, argv[2]);
    }
    else if (argc >= 5 && !strcmp(argv[1], "run")) {
        rc = cmcas_draw_tool_change(p, 0, argc, argv);
    }
    else if (argc >= 5 && !strcmp(argv[1], "publish")) {
        rc = cmcas_draw_tool_change(p, 1, argc, argv);
    }
    else {
        rc = cmcas_draw_tool_usage();
    }
    apr_pool_destroy(p);
    apr_terminate();
    return rc;
}
