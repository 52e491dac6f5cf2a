#include <string.h>

#include "cmcas_staff_dashboard.h"

static const struct {
    const char *code;
    const char *label;
} cmcas_staff_dashboard_filters[CMCAS_STAFF_DASHBOARD_FILTER_COUNT] = {
    {"", "Toutes les activités"},
    {"a-payer", "Activités avec des inscriptions en attente de paiement"},
    {"tirage-a-effectuer", "Tours de rôle à effectuer"},
    {"tirage-a-publier", "Tours de rôle à publier"},
};

int cmcas_staff_dashboard_filter_parse(const char *value)
{
    int f;

    if (!value) {
        return CMCAS_STAFF_DASHBOARD_ALL;
    }
    for (f = 0; f < CMCAS_STAFF_DASHBOARD_FILTER_COUNT; f++) {
        if (!strcmp(value, cmcas_staff_dashboard_filters[f].code)) {
            return f;
        }
    }
    return -1;
}

const char *cmcas_staff_dashboard_filter_code(cmcas_staff_dashboard_filter_t f)
{
    return cmcas_staff_dashboard_filters[f].code;
}

const char *cmcas_staff_dashboard_filter_label(cmcas_staff_dashboard_filter_t f)
{
    return cmcas_staff_dashboard_filters[f].label;
}

/* The conditions are the counters' (cmcas_staff_store.c, cmcas_staff_counts), the
 * drawing job's too (cmcas_draw_due): an activity not published is not drawn. */
const char *cmcas_staff_dashboard_draw(const cmcas_staff_store_activity_t *a,
                                       const char *today)
{
    if (strcmp(a->mode, "tour_de_role")) {
        return NULL;
    }
    if (a->draw_published_at) {
        return "publie";
    }
    if (a->draw_done_at) {
        return "fait";
    }
    return a->published_at && strcmp(a->closing_date, today) < 0 ? "a-faire" : "en-attente";
}

int cmcas_staff_dashboard_matches(const cmcas_staff_store_activity_t *a, const char *today,
                                  cmcas_staff_dashboard_filter_t f)
{
    const char *draw = cmcas_staff_dashboard_draw(a, today);

    switch (f) {
    case CMCAS_STAFF_DASHBOARD_TO_PAY:
        return a->awaiting_payment > 0;
    case CMCAS_STAFF_DASHBOARD_DRAW_TO_RUN:
        return draw && !strcmp(draw, "a-faire");
    case CMCAS_STAFF_DASHBOARD_DRAW_TO_PUBLISH:
        return draw && !strcmp(draw, "fait");
    default:
        return 1;
    }
}
