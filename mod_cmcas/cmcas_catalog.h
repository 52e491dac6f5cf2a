/* Catalog rules (what is visible, open, new; search and paging) and the catalog and
 * detail page documents. No httpd types. */
#ifndef cmcas_catalog_h
#define cmcas_catalog_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_date.h"
#include "cmcas_store.h"

typedef struct {
    int others;             /* 0: « Nos activités », 1: other CMCAS' activities */
    const char *theme;      /* NULL or a known theme code */
    const char *q;          /* NULL or the keywords as typed */
    int page;               /* 1-based */
} cmcas_catalog_query_t;

/* What the catalog needs to know about "now" and the portal. */
typedef struct {
    const char *portal_code;    /* the portal's CMCAS */
    const char *member_code;    /* « Nos activités »: the member's own CMCAS (NULL: the
                                 * portal's) */
    const char *member_elsewhere;   /* the member's CMCAS's name when it is not the
                                     * portal's, else NULL */
    cmcas_date_t today;
    int new_days;           /* « NOUVEAU » while published less than this many days ago */
    int page_size;
} cmcas_catalog_ctx_t;

/* Reads onglet, theme, q and page from decoded query arguments; unknown names are
 * ignored. APR_EINVAL with a French *perr on a bad value. */
apr_status_t cmcas_catalog_parse(cmcas_catalog_query_t *pq, apr_table_t *args,
                                 const char **perr);

int cmcas_catalog_is_open(const cmcas_activity_t *act, const cmcas_date_t *today);
int cmcas_catalog_is_new(const cmcas_activity_t *act, const cmcas_catalog_ctx_t *ctx);
/* The CMCAS whose activities are « Nos activités »: the member's. */
const char *cmcas_catalog_own(const cmcas_catalog_ctx_t *ctx);
/* May a member of this portal see the activity's page? The portal's and the member's
 * CMCAS's activities, and those open to others (a reserved one says so on its page). */
int cmcas_catalog_is_visible(const cmcas_activity_t *act,
                             const cmcas_catalog_ctx_t *ctx);
apr_int64_t cmcas_catalog_remaining(const cmcas_activity_t *act);

/* The search for the keywords of q as a full-text query of the catalog's index: every
 * word must begin a word of the title or description, case and accents aside
 * ("randonnee vass" finds « Randonnée au lac de Vassivière »). NULL when q has no word.
 * Words are quoted: nothing the member types is read as query syntax. */
const char *cmcas_catalog_match(apr_pool_t *p, const char *q);

/* Number of pages for `total` items (at least 1). */
int cmcas_catalog_pages(int total, int page_size);

#endif
