/* A draw's published data, as CSV: what anyone needs to run the « tour de rôle » draw
 * again with the same rule (cmcas_draw_run) and check its ranks. Written by the portal
 * (GET /activite/{id}/tirage.csv, once the results are published), read by
 * `cmcas-draw verify`. No names: registration numbers, places asked, eligibility,
 * coefficient social (empty when unknown), weighted history, and the rank given.
 *
 *   # tirage,<activity id>
 *   # graine,<seed>
 *   # places,<places given out>
 *   inscription,personnes,eligible,coefficient,historique,rang
 *   1001,4,1,6200,0.000000,1
 */
#ifndef cmcas_draw_csv_h
#define cmcas_draw_csv_h

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    apr_int64_t activity_id;
    const char *seed;
    int places;
    apr_array_header_t *entries;    /* cmcas_draw_entry_t; rank: the published one */
} cmcas_draw_csv_t;

const char *cmcas_draw_csv_write(apr_pool_t *p, const cmcas_draw_csv_t *d);

/* Parses `text`; NULL when it is well formed, else what is wrong (in French, with the
 * line number). */
const char *cmcas_draw_csv_read(cmcas_draw_csv_t *d, apr_pool_t *p, const char *text);

#endif
