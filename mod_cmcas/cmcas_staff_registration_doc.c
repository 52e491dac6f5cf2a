#include <string.h>
#include <apr_strings.h>

#include "cmcas_staff_registration_doc.h"
#include "cmcas_doc.h"
#include "cmcas_order.h"

static void cmcas_staff_registration_doc_activity(xmlNodePtr parent, apr_pool_t *p,
                                                  const cmcas_activity_t *act)
{
    xmlNodePtr node = cmcas_doc_elem(parent, "activite");

    cmcas_doc_attr_int(node, "id", act->id);
    cmcas_doc_attr(node, "mode", act->mode);
    cmcas_doc_attr_int(node, "capacity", act->capacity);
    cmcas_doc_attr_int(node, "places-taken", act->places_taken);
    if (act->draw_published_at) {
        cmcas_doc_attr(node, "draw", "publie");
    }
    cmcas_doc_text(node, "title", act->title);
    cmcas_doc_date(node, "start", act->start_date, p);
    cmcas_doc_date(node, "end", act->end_date, p);
    cmcas_doc_date(node, "closing", act->closing_date, p);
}

static void cmcas_staff_registration_doc_person(xmlNodePtr parent, apr_pool_t *p,
                                                const cmcas_activity_t *act,
                                                const apr_array_header_t *options,
                                                const cmcas_registration_participant_t *pa)
{
    xmlNodePtr node = cmcas_doc_elem(parent, "personne"), opt;
    int age = cmcas_staff_registration_age(act, pa->birth_date), i;

    cmcas_doc_attr_int(node, "id", pa->id);
    cmcas_doc_attr(node, "kind", pa->kind);
    cmcas_doc_attr(node, "photo-optout", pa->photo_optout ? "1" : "0");
    cmcas_doc_attr(node, "confirmed", pa->confirmed ? "1" : "0");
    cmcas_doc_text(node, "first-name", pa->first_name);
    cmcas_doc_text(node, "last-name", pa->last_name);
    cmcas_doc_date(node, "birth", pa->birth_date, p);
    if (age >= 0) {
        cmcas_doc_attr_int(node, "age", age);
    }
    for (i = 0; i < pa->options->nelts; i++) {
        const cmcas_activity_option_t *o =
            cmcas_registration_option(options, APR_ARRAY_IDX(pa->options, i, apr_int64_t));
        if (o) {
            opt = cmcas_doc_text(node, "option", o->label);
            cmcas_doc_attr_int(opt, "id", o->id);
        }
    }
    cmcas_doc_money(node, "amount", cmcas_registration_amount(pa, options), p);
}

static void cmcas_staff_registration_doc_order(xmlNodePtr parent, apr_pool_t *p,
                                               const cmcas_order_t *o)
{
    xmlNodePtr node = cmcas_doc_elem(parent, "commande");

    cmcas_doc_attr_int(node, "id", o->id);
    cmcas_doc_attr(node, "reference", o->reference);
    cmcas_doc_attr(node, "status", cmcas_status_order_code(o->status));
    cmcas_doc_attr(node, "method", o->method);
    cmcas_doc_attr_int(node, "instalments", o->instalments);
    cmcas_doc_text(node, "method-label", cmcas_order_method_label(o->method));
    cmcas_doc_text(node, "status-label", cmcas_status_order_label(o->status));
    cmcas_doc_money(node, "total", o->total, p);
    cmcas_doc_date(node, "date", o->created_at ? apr_pstrndup(p, o->created_at, 10) : NULL,
                   p);
}

static void cmcas_staff_registration_doc_one(xmlNodePtr parent, apr_pool_t *p,
                                             const cmcas_activity_t *act,
                                             const apr_array_header_t *options,
                                             const cmcas_staff_registration_t *r)
{
    xmlNodePtr node = cmcas_doc_elem(parent, "inscription"), hh;
    const char *code, *label = cmcas_staff_registration_label(p, &code, act, r);
    int i;

    cmcas_doc_attr_int(node, "id", r->reg.id);
    cmcas_doc_attr(node, "status", cmcas_status_reg_code(r->reg.status));
    cmcas_doc_attr(node, "code", code);
    cmcas_doc_attr_int(node, "places-held", r->reg.places_held);
    if (r->reg.status != CMCAS_STATUS_REG_ANNULEE) {
        cmcas_doc_attr(node, "cancellable", "1");
    }
    cmcas_doc_text(node, "statut", label);
    cmcas_doc_date(node, "created",
                   r->reg.created_at ? apr_pstrndup(p, r->reg.created_at, 10) : NULL, p);
    hh = cmcas_doc_elem(node, "foyer");
    cmcas_doc_attr_int(hh, "id", r->reg.household_id);
    cmcas_doc_attr(hh, "login", r->login);
    cmcas_doc_text(hh, "name", apr_pstrcat(p, r->od_first_name ? r->od_first_name : "",
                                           " ", r->od_last_name ? r->od_last_name : "",
                                           NULL));
    cmcas_doc_text(hh, "email", r->email);
    cmcas_doc_text(hh, "phone", r->phone);
    for (i = 0; i < r->reg.participants->nelts; i++) {
        cmcas_staff_registration_doc_person(
            node, p, act, options,
            &APR_ARRAY_IDX(r->reg.participants, i, cmcas_registration_participant_t));
    }
    if (*r->reg.observations) {
        cmcas_doc_text(node, "observations", r->reg.observations);
    }
    cmcas_doc_money(node, "total", cmcas_registration_total(&r->reg, options), p);
    for (i = 0; i < r->orders->nelts; i++) {
        cmcas_staff_registration_doc_order(node, p,
                                           &APR_ARRAY_IDX(r->orders, i, cmcas_order_t));
    }
}

void cmcas_staff_registration_doc(xmlNodePtr root, apr_pool_t *p,
                                  const cmcas_activity_t *act,
                                  const apr_array_header_t *options,
                                  const apr_array_header_t *list,
                                  cmcas_staff_registration_filter_t filter)
{
    xmlNodePtr top = cmcas_doc_elem(root, "inscriptions"), node, optouts;
    int i, j, persons = 0, refusals = 0;

    cmcas_doc_attr(top, "statut", cmcas_staff_registration_filter_code(filter));
    cmcas_staff_registration_doc_activity(top, p, act);
    node = cmcas_doc_elem(top, "filtres");
    for (i = 0; i < CMCAS_STAFF_REGISTRATION_FILTER_COUNT; i++) {
        xmlNodePtr f;
        /* The « tour de rôle » filters only where there is a draw. */
        if (i >= CMCAS_STAFF_REGISTRATION_REQUEST && strcmp(act->mode, "tour_de_role")) {
            continue;
        }
        f = cmcas_doc_text(node, "filtre", cmcas_staff_registration_filter_label(i));
        cmcas_doc_attr(f, "code", cmcas_staff_registration_filter_code(i));
        if ((int)filter == i) {
            cmcas_doc_attr(f, "selected", "1");
        }
    }
    optouts = cmcas_doc_elem(top, "refus-photo");
    for (i = 0; i < list->nelts; i++) {
        const cmcas_staff_registration_t *r =
            &APR_ARRAY_IDX(list, i, cmcas_staff_registration_t);
        cmcas_staff_registration_doc_one(top, p, act, options, r);
        for (j = 0; j < r->reg.participants->nelts; j++) {
            const cmcas_registration_participant_t *pa =
                &APR_ARRAY_IDX(r->reg.participants, j, cmcas_registration_participant_t);
            persons++;
            if (pa->photo_optout) {
                xmlNodePtr who = cmcas_doc_elem(optouts, "personne");
                refusals++;
                cmcas_doc_attr_int(who, "inscription", r->reg.id);
                cmcas_doc_text(who, "first-name", pa->first_name);
                cmcas_doc_text(who, "last-name", pa->last_name);
            }
        }
    }
    node = cmcas_doc_elem(top, "compteurs");
    cmcas_doc_attr_int(node, "inscriptions", list->nelts);
    cmcas_doc_attr_int(node, "personnes", persons);
    cmcas_doc_attr_int(node, "refus-photo", refusals);
}
