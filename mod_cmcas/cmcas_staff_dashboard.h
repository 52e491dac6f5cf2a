/* The back-office's dashboard: the state of each activity's « tour de rôle », and the
 * filters of its list of activities (?activites=...), each the list behind one of its
 * counters (cmcas_staff_store_counts): the same rules, so a counter's number is what
 * its list shows. Plain values; no httpd types. */
#ifndef cmcas_staff_dashboard_h
#define cmcas_staff_dashboard_h

#include "cmcas_staff_store.h"

typedef enum {
    CMCAS_STAFF_DASHBOARD_ALL,              /* no ?activites */
    CMCAS_STAFF_DASHBOARD_TO_PAY,           /* a-payer */
    CMCAS_STAFF_DASHBOARD_DRAW_TO_RUN,      /* tirage-a-effectuer */
    CMCAS_STAFF_DASHBOARD_DRAW_TO_PUBLISH,  /* tirage-a-publier */
    CMCAS_STAFF_DASHBOARD_FILTER_COUNT
} cmcas_staff_dashboard_filter_t;

/* The filter of a ?activites value (NULL or "": all); -1 when it is none. */
int cmcas_staff_dashboard_filter_parse(const char *value);
/* Its ?activites value ("" for all) and its French label. */
const char *cmcas_staff_dashboard_filter_code(cmcas_staff_dashboard_filter_t f);
const char *cmcas_staff_dashboard_filter_label(cmcas_staff_dashboard_filter_t f);

/* Where the activity's « tour de rôle » is on `today` (ISO): "publie", "fait" (drawn,
 * not published), "a-faire" (published, closed, not drawn: the job draws it),
 * "en-attente"; NULL for an activity of another mode. */
const char *cmcas_staff_dashboard_draw(const cmcas_staff_store_activity_t *a,
                                       const char *today);

/* Whether the activity is listed under the filter. */
int cmcas_staff_dashboard_matches(const cmcas_staff_store_activity_t *a, const char *today,
                                  cmcas_staff_dashboard_filter_t f);

#endif
