#include <apr_strings.h>

#include "cmcas_registration_amend_doc.h"
#include "cmcas_doc.h"
#include "cmcas_order.h"

static void cmcas_registration_amend_doc_option(xmlNodePtr parent,
                                                const cmcas_activity_option_t *o,
                                                const cmcas_registration_participant_t *pa,
                                                apr_pool_t *p)
{
    xmlNodePtr opt = cmcas_doc_elem(parent, "option");

    cmcas_doc_attr_int(opt, "id", o->id);
    if (pa && cmcas_registration_has_option(pa, o->id)) {
        cmcas_doc_attr(opt, "selected", "1");
    }
    cmcas_doc_text(opt, "label", o->label);
    if (pa) {
        cmcas_doc_money(opt, "price", cmcas_registration_price(pa, o), p);
    }
    else {
        cmcas_doc_money(opt, "price-beneficiary", o->price_beneficiary, p);
        cmcas_doc_money(opt, "price-guest", o->price_guest, p);
    }
}

static void cmcas_registration_amend_doc_participant(xmlNodePtr parent,
                                                     const cmcas_registration_amend_view_t *v,
                                                     const cmcas_registration_participant_t *pa,
                                                     apr_pool_t *p)
{
    xmlNodePtr node = cmcas_doc_elem(parent, "participant");
    int i;

    cmcas_doc_attr_int(node, "id", pa->id);
    cmcas_doc_attr(node, "kind", pa->kind);
    cmcas_doc_text(node, "first-name", pa->first_name);
    cmcas_doc_text(node, "last-name", pa->last_name);
    cmcas_doc_date(node, "birth", pa->birth_date, p);
    for (i = 0; i < v->options->nelts; i++) {
        const cmcas_activity_option_t *o =
            &APR_ARRAY_IDX(v->options, i, cmcas_activity_option_t);
        /* An option reserved to an age range is not offered outside it. */
        if (cmcas_registration_option_fits(v->act, o, pa->birth_date)
            || cmcas_registration_has_option(pa, o->id)) {
            cmcas_registration_amend_doc_option(node, o, pa, p);
        }
    }
    cmcas_doc_money(node, "amount", cmcas_registration_amount(pa, v->options), p);
}

/* The drop-down of who may be added: household persons not registered (those the age
 * limits exclude are not offered), and « Invité(s) » while guests are allowed. */
static void cmcas_registration_amend_doc_choices(xmlNodePtr parent,
                                                 const cmcas_registration_amend_view_t *v,
                                                 apr_pool_t *p)
{
    xmlNodePtr choices = cmcas_doc_elem(parent, "choices");
    int i;

    for (i = 0; i < v->persons->nelts; i++) {
        const cmcas_household_person_t *pe =
            &APR_ARRAY_IDX(v->persons, i, cmcas_household_person_t);
        xmlNodePtr node;
        if (cmcas_registration_has_person(v->reg, pe->id)
            || cmcas_registration_check_age(p, v->act, apr_pstrcat(p, pe->first_name, " ",
                                                                   pe->last_name, NULL),
                                            pe->birth_date)) {
            continue;
        }
        node = cmcas_doc_elem(choices, "person");
        cmcas_doc_attr_int(node, "id", pe->id);
        cmcas_doc_attr(node, "role", pe->role);
        cmcas_doc_text(node, "first-name", pe->first_name);
        cmcas_doc_text(node, "last-name", pe->last_name);
    }
    if (!cmcas_registration_check_guest_slot(p, v->act, v->reg)) {
        cmcas_doc_elem(choices, "guest");
    }
    for (i = 0; i < v->options->nelts; i++) {
        cmcas_registration_amend_doc_option(choices, &APR_ARRAY_IDX(v->options, i,
                                                                    cmcas_activity_option_t),
                                            NULL, p);
    }
}

xmlNodePtr cmcas_registration_amend_doc(xmlNodePtr root,
                                        const cmcas_registration_amend_view_t *v,
                                        const char *base, const cmcas_order_t *done,
                                        int changed, apr_pool_t *p)
{
    xmlNodePtr node = cmcas_doc_elem(root, "modification"), act, res;
    int i;

    cmcas_doc_attr_int(node, "inscription", v->reg->id);
    cmcas_doc_attr(node, "status", cmcas_status_reg_code(v->reg->status));
    cmcas_doc_attr(node, "status-label", cmcas_status_reg_label(v->reg->status));
    cmcas_doc_attr(node, "action", apr_psprintf(p, "%s/gestion/inscription/%" APR_INT64_T_FMT
                                                "/modifier", base, v->reg->id));
    cmcas_doc_attr(node, "back", apr_psprintf(p, "%s/gestion/activite/%" APR_INT64_T_FMT
                                              "/inscriptions", base, v->act->id));
    act = cmcas_doc_text(node, "activite", v->act->title);
    cmcas_doc_attr_int(act, "id", v->act->id);
    cmcas_doc_attr(act, "mode", v->act->mode);
    cmcas_doc_attr_int(node, "places-held", v->reg->places_held);
    cmcas_doc_money(node, "total", v->total, p);
    if (v->waiting) {
        cmcas_doc_attr(cmcas_doc_elem(node, "waiting"), "ref", v->waiting);
    }
    if (changed) {
        res = cmcas_doc_elem(node, "resultat");
        if (done) {
            cmcas_doc_attr(res, "ref", done->reference);
            cmcas_doc_attr(res, "status", cmcas_status_order_code(done->status));
            cmcas_doc_attr(res, "status-label", cmcas_order_status_label(done));
            cmcas_doc_money(res, "total", done->total, p);
        }
    }
    for (i = 0; i < v->reg->participants->nelts; i++) {
        cmcas_registration_amend_doc_participant(
            node, v, &APR_ARRAY_IDX(v->reg->participants, i,
                                    cmcas_registration_participant_t), p);
    }
    cmcas_registration_amend_doc_choices(node, v, p);
    return node;
}
