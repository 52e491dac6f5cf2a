#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_staff_draw.h"
#include "mod_cmcas_staff.h"
#include "cmcas_catalog_store.h"
#include "cmcas_date.h"
#include "cmcas_doc.h"
#include "cmcas_draw.h"
#include "cmcas_draw_board_store.h"
#include "cmcas_draw_change.h"
#include "cmcas_status.h"

/* The activity, if it is a « tour de rôle » of the staff member's CMCAS; otherwise the
 * 404 page is sent (DONE), as for a missing one. */
static int mod_cmcas_staff_draw_load(mod_cmcas_request_t *rq, apr_int64_t id,
                                     cmcas_activity_t **pact)
{
    const char *err = NULL;
    apr_status_t rv;

    rv = cmcas_catalog_store_activity(pact, rq->store, rq->r->pool, id, &err);
    if (APR_NOTFOUND == rv || (APR_SUCCESS == rv
                               && (strcmp((*pact)->cmcas_code, rq->staff->cmcas_code)
                                   || strcmp((*pact)->mode, "tour_de_role")))) {
        mod_cmcas_staff_not_found(rq, "no « tour de rôle » activity of the staff's CMCAS "
                                      "by that id");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "an activity's draw", err);
        return DONE;
    }
    return OK;
}

static const char *mod_cmcas_staff_draw_result(cmcas_draw_result_t r)
{
    return r == CMCAS_DRAW_RETENUE ? "retenue"
           : r == CMCAS_DRAW_ATTENTE ? "attente" : "non_retenue";
}

/* One request: its household and the criteria (a would-be or a drawn result). */
static xmlNodePtr mod_cmcas_staff_draw_request(xmlNodePtr list,
                                               const cmcas_draw_board_store_row_t *b,
                                               apr_int64_t registration_id)
{
    xmlNodePtr node = cmcas_doc_elem(list, "demande"), sub;

    cmcas_doc_attr_int(node, "registration", registration_id);
    if (b) {
        cmcas_doc_attr(node, "status", cmcas_status_reg_code(b->status));
        sub = cmcas_doc_text(node, "foyer", b->household ? b->household : "");
        cmcas_doc_attr_int(sub, "id", b->household_id);
    }
    return node;
}

static void mod_cmcas_staff_draw_criteria(xmlNodePtr node, apr_pool_t *p, int rank,
                                          const char *result, apr_int64_t waiting,
                                          apr_int64_t persons, double history,
                                          apr_int64_t coefficient, const char *tiebreak)
{
    cmcas_doc_attr_int(node, "rank", rank);
    cmcas_doc_attr(node, "result", result);
    if (waiting > 0) {
        cmcas_doc_attr_int(node, "waiting", waiting);
    }
    cmcas_doc_attr_int(node, "persons", persons);
    cmcas_doc_attr(node, "history", apr_psprintf(p, "%.6f", history));
    if (coefficient >= 0) {
        cmcas_doc_attr_int(node, "coefficient", coefficient);
    }
    cmcas_doc_attr(node, "tiebreak", tiebreak);
}

/* The activity's facts and the draw's state. */
static xmlNodePtr mod_cmcas_staff_draw_head(xmlNodePtr root, mod_cmcas_request_t *rq,
                                            const cmcas_activity_t *act,
                                            const cmcas_draw_change_rules_t *rules)
{
    apr_pool_t *p = rq->r->pool;
    const char *done = apr_table_get(rq->args, "fait");
    xmlNodePtr draw = cmcas_doc_elem(root, "tirage"), node;

    cmcas_doc_attr(draw, "etat", act->draw_published_at ? "publie"
                                 : act->draw_done_at ? "fait" : "apercu");
    cmcas_doc_attr_int(draw, "window-months", rules->window_months);
    cmcas_doc_attr_int(draw, "pay-days", rules->pay_days);
    if (done && (!strcmp(done, "lance") || !strcmp(done, "publie"))) {
        cmcas_doc_attr(draw, "fait", done);
    }
    node = cmcas_doc_text(draw, "activite", act->title);
    cmcas_doc_attr_int(node, "id", act->id);
    cmcas_doc_attr_int(node, "capacity", act->capacity);
    cmcas_doc_attr_int(node, "places-taken", act->places_taken);
    cmcas_doc_date(draw, "closing", act->closing_date, p);
    cmcas_doc_date(draw, "start", act->start_date, p);
    if (act->draw_done_at && strlen(act->draw_done_at) >= 10) {
        cmcas_doc_attr(draw, "done-at", cmcas_date_stamp_local(p, act->draw_done_at));
    }
    if (act->draw_published_at && strlen(act->draw_published_at) >= 10) {
        cmcas_doc_attr(draw, "published-at",
                       cmcas_date_stamp_local(p, act->draw_published_at));
    }
    return draw;
}

/* Before the draw: what it would decide now (written nowhere). */
static void mod_cmcas_staff_draw_preview(xmlNodePtr list, apr_pool_t *p,
                                         const apr_array_header_t *entries, int places,
                                         const apr_array_header_t *board)
{
    apr_hash_t *by_id = apr_hash_make(p);
    xmlNodePtr node;
    int i, waiting = 0;

    for (i = 0; i < board->nelts; i++) {
        cmcas_draw_board_store_row_t *b = &APR_ARRAY_IDX(board, i,
                                                         cmcas_draw_board_store_row_t);
        apr_hash_set(by_id, &b->registration_id, sizeof(b->registration_id), b);
    }
    cmcas_doc_attr_int(list, "places", places);
    for (i = 0; i < entries->nelts; i++) {
        const cmcas_draw_entry_t *e = &APR_ARRAY_IDX(entries, i, cmcas_draw_entry_t);
        node = mod_cmcas_staff_draw_request(list, apr_hash_get(by_id, &e->registration_id,
                                                               sizeof(e->registration_id)),
                                            e->registration_id);
        cmcas_doc_attr(node, "eligible", e->eligible ? "1" : "0");
        mod_cmcas_staff_draw_criteria(node, p, e->rank, mod_cmcas_staff_draw_result(e->result),
                                      e->result == CMCAS_DRAW_ATTENTE ? ++waiting : 0,
                                      e->persons, e->history, e->coefficient,
                                      e->tiebreak[0] ? e->tiebreak : NULL);
    }
}

/* Drawn: what it decided (a request validated since waits for a new draw). */
static void mod_cmcas_staff_draw_drawn(xmlNodePtr list, apr_pool_t *p,
                                       const cmcas_activity_t *act,
                                       const apr_array_header_t *board)
{
    xmlNodePtr node;
    int i;

    if (act->draw_places >= 0) {
        cmcas_doc_attr_int(list, "places", act->draw_places);
    }
    for (i = 0; i < board->nelts; i++) {
        const cmcas_draw_board_store_row_t *b =
            &APR_ARRAY_IDX(board, i, cmcas_draw_board_store_row_t);
        node = mod_cmcas_staff_draw_request(list, b, b->registration_id);
        if (!b->draw.selection || !b->draw.rank) {
            cmcas_doc_attr(node, "result", "nouvelle");
            continue;
        }
        mod_cmcas_staff_draw_criteria(node, p, (int)b->draw.rank, b->draw.selection,
                                      b->draw.waiting, b->draw.persons, b->draw.history,
                                      b->draw.coefficient, b->draw.tiebreak);
        if (b->draw.pay_by) {
            cmcas_doc_date(node, "pay-by", b->draw.pay_by, p);
        }
    }
}

int mod_cmcas_staff_draw_page(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    request_rec *r = rq->r;
    cmcas_draw_change_rules_t rules;
    cmcas_activity_t *act = NULL;
    apr_array_header_t *board = NULL, *entries = NULL;
    const char *err = NULL;
    xmlNodePtr root, list;
    xmlDocPtr doc;
    int places = 0;

    (void)ref;
    if (OK != mod_cmcas_staff_draw_load(rq, id, &act)) {
        return OK;
    }
    mod_cmcas_config_draw_rules(act->cmcas_code, &rules);
    if (APR_SUCCESS != cmcas_draw_board_store_list(&board, rq->store, r->pool, id, &err)
        || (!act->draw_done_at
            && APR_SUCCESS != cmcas_draw_change_preview(&entries, &places, rq->store, r->pool,
                                                        apr_time_now(), act, &rules, &err))) {
        return mod_cmcas_request_db_error(rq, "an activity's draw", err);
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_staff_page(rq, "gestion-tirage", &root);
    list = cmcas_doc_elem(mod_cmcas_staff_draw_head(root, rq, act, &rules), "demandes");
    if (entries) {
        mod_cmcas_staff_draw_preview(list, r->pool, entries, places, board);
    }
    else {
        mod_cmcas_staff_draw_drawn(list, r->pool, act, board);
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* A refused button: logged once, the French reason on a 409 page. */
static int mod_cmcas_staff_draw_refuse(mod_cmcas_request_t *rq, apr_int64_t id,
                                       const char *why, const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(163)
                  "back-office: draw of activity %" APR_INT64_T_FMT " by %s refused: %s",
                  id, rq->staff->login, why);
    return mod_cmcas_request_error(rq, HTTP_CONFLICT, message);
}

static int mod_cmcas_staff_draw_done(mod_cmcas_request_t *rq, apr_int64_t id,
                                     const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(164)
                  "back-office: activity %" APR_INT64_T_FMT " %s by %s", id,
                  !strcmp(what, "lance") ? "drawn" : "published", rq->staff->login);
    return mod_cmcas_request_redirect(rq, apr_psprintf(rq->r->pool,
                                                       "%s/gestion/activite/%" APR_INT64_T_FMT
                                                       "/tirage?fait=%s", rq->base, id,
                                                       what));
}

int mod_cmcas_staff_draw_run(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    cmcas_draw_change_rules_t rules;
    cmcas_activity_t *act = NULL;
    cmcas_result_t res;
    int drawn = 0;

    (void)ref;
    if (OK != mod_cmcas_staff_draw_load(rq, id, &act)) {
        return OK;
    }
    if (act->draw_published_at) {
        return mod_cmcas_staff_draw_refuse(rq, id, "results published",
                                           "Les résultats de ce tour de rôle sont publiés : "
                                           "il ne peut plus être refait.");
    }
    mod_cmcas_config_draw_rules(act->cmcas_code, &rules);
    cmcas_draw_change_staff_run(&res, &drawn, rq->store, rq->r->pool, apr_time_now(),
                                rq->staff, id, &rules);
    if (res.kind == CMCAS_RESULT_CONFLICT) {
        return mod_cmcas_staff_draw_refuse(rq, id, res.why, res.message);
    }
    if (res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &res, "a back-office draw");
    }
    return mod_cmcas_staff_draw_done(rq, id, "lance");
}

int mod_cmcas_staff_draw_publish(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    cmcas_draw_change_rules_t rules;
    cmcas_activity_t *act = NULL;
    cmcas_result_t res;
    int done = 0;

    (void)ref;
    if (OK != mod_cmcas_staff_draw_load(rq, id, &act)) {
        return OK;
    }
    if (act->draw_published_at || !act->draw_done_at) {
        return mod_cmcas_staff_draw_refuse(rq, id, act->draw_published_at
                                                       ? "published already" : "not drawn",
                                           act->draw_published_at
                                               ? "Les résultats de ce tour de rôle sont "
                                                 "déjà publiés."
                                               : "Le tour de rôle n'est pas encore "
                                                 "effectué : rien à publier.");
    }
    mod_cmcas_config_draw_rules(act->cmcas_code, &rules);
    cmcas_draw_change_staff_publish(&res, &done, rq->store, rq->r->pool, apr_time_now(),
                                    rq->staff, id, &rules);
    if (res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &res, "a back-office publication");
    }
    if (!done) {
        return mod_cmcas_staff_draw_refuse(rq, id, "nothing to publish any more",
                                           "Les résultats de ce tour de rôle sont déjà "
                                           "publiés.");
    }
    return mod_cmcas_staff_draw_done(rq, id, "publie");
}
