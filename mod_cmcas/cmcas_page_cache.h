/* Rendered pages that every member of a CMCAS sees alike (the catalog, an activity's
 * page), kept per process so that a registration rush does not run the SQL and the XSLT
 * of the same page thousands of times a second. No httpd types.
 *
 * A page is stored with "holes" where the member's login and name go (the page is
 * rendered with placeholders there) and filled, escaped, for each member. An entry is
 * valid while the database's catalog version is the one it was rendered at; the
 * remaining places (the places version) may be up to `max_stale` old. */
#ifndef cmcas_page_cache_h
#define cmcas_page_cache_h

#include <apr_pools.h>
#include <apr_time.h>

/* The database's versions (table cmcas_data_version, bumped by triggers). */
typedef struct {
    apr_int64_t catalog;    /* anything a shared page shows but the places taken */
    apr_int64_t places;     /* the places taken */
} cmcas_page_cache_version_t;

enum { CMCAS_PAGE_CACHE_LOGIN, CMCAS_PAGE_CACHE_NAME, CMCAS_PAGE_CACHE_HOLES };

typedef struct cmcas_page_cache_t cmcas_page_cache_t;

typedef struct {
    int status;
    const char *content_type;
    const char *body;
    apr_size_t len;
} cmcas_page_cache_page_t;

/* A cache of at most max_bytes of pages, its memory in p's lifetime (and malloc). The
 * holes' placeholders are made from `nonce` (random bytes, so that no text of the
 * database can pass for one). */
apr_status_t cmcas_page_cache_create(cmcas_page_cache_t **pc, apr_pool_t *p,
                                     apr_size_t max_bytes, const unsigned char nonce[16]);

/* The text to render instead of a member's login or name. */
const char *cmcas_page_cache_hole(const cmcas_page_cache_t *c, int hole);

/* The page stored under key, its holes filled with fills[] (escaped for HTML and XML),
 * in p; 0 when there is none valid at version v and time now. */
int cmcas_page_cache_get(cmcas_page_cache_t *c, const char *key,
                         const cmcas_page_cache_version_t *v, apr_time_t now,
                         apr_interval_time_t max_stale, const char *const *fills,
                         apr_pool_t *p, cmcas_page_cache_page_t *page);

/* Stores a page rendered with the holes at version v (replacing any under key). */
void cmcas_page_cache_put(cmcas_page_cache_t *c, const char *key,
                          const cmcas_page_cache_version_t *v, apr_time_t now,
                          const cmcas_page_cache_page_t *page);

/* The page's holes filled, in p (for the page just rendered). */
void cmcas_page_cache_fill(const cmcas_page_cache_t *c, const cmcas_page_cache_page_t *in,
                           const char *const *fills, apr_pool_t *p,
                           cmcas_page_cache_page_t *out);

/* Number of pages and bytes held (tests, logs). */
void cmcas_page_cache_size(cmcas_page_cache_t *c, int *pcount, apr_size_t *pbytes);

#endif
