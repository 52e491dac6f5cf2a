/* The « tour de rôle » selection (issue 10), as a pure function: who gets the places of
 * an over-subscribed activity, in which order the others wait, and why. No database, no
 * httpd: the flows feed it the registrations and store what it decides; anyone can run it
 * again from the published seed and data and get the same result.
 *
 * The rule, like the national CCAS rotation:
 *  1. households that obtained fewer activities recently come first: each activity
 *     obtained in the window counts for 1 − (its age / the window), so an old one counts
 *     less and one older than the window not at all;
 *  2. then the lower coefficient social (a household whose coefficient is unknown after
 *     those whose coefficient is known);
 *  3. then the seeded draw: SHA-256 of "<seed>:<registration id>", smaller first. The seed
 *     is drawn when registrations open and only its SHA-256 is shown until the draw.
 * In that order, each registration takes its places if all its persons fit in what is
 * left (all or none); one that does not fit is passed over for the next ones that fit,
 * and stays first on the waiting list. */
#ifndef cmcas_draw_h
#define cmcas_draw_h

#include <apr_pools.h>
#include <apr_tables.h>

typedef enum {
    CMCAS_DRAW_RETENUE = 1,         /* selected: its places are taken */
    CMCAS_DRAW_ATTENTE,             /* on the waiting list, at `waiting` */
    CMCAS_DRAW_NON_RETENUE          /* not eligible any more (checked at draw time) */
} cmcas_draw_result_t;

/* One registration in the draw: filled by the caller (in), then by cmcas_draw_run (out). */
typedef struct {
    apr_int64_t registration_id;    /* in */
    int persons;                    /* in: places it needs, all or none (>= 1) */
    int eligible;                   /* in: still eligible at draw time */
    int coefficient;                /* in: coefficient social, -1 when unknown */
    double history;                 /* in: cmcas_draw_history of its obtained activities */
    char tiebreak[65];              /* out: hex SHA-256("<seed>:<id>") */
    int rank;                       /* out: 1-based place in the priority order */
    cmcas_draw_result_t result;     /* out */
    int waiting;                    /* out: position on the waiting list (1-based), or 0 */
} cmcas_draw_entry_t;

/* How much a household's past activities weigh: each obtained `ages[i]` days before the
 * draw counts 1 − ages[i] / window_days (0 at or beyond the window; a date after the
 * draw counts 1), rounded to 6 decimals (the published precision). */
double cmcas_draw_history(const int *ages, int n, int window_days);

/* The commitment shown before the draw: hex SHA-256 of the seed (65 bytes with the NUL). */
void cmcas_draw_commitment(char out[65], const char *seed);

/* Runs the draw over `entries` (an array of cmcas_draw_entry_t, reordered into rank
 * order) for `capacity` places; *ptaken gets the places given. */
void cmcas_draw_run(apr_array_header_t *entries, const char *seed, int capacity,
                    int *ptaken);

/* The rule in plain French, for the CGV and the activity's page. */
const char *cmcas_draw_rule_fr(apr_pool_t *p, int window_months);

#endif
