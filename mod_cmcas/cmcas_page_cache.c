#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <libxml/entities.h>

#include "cmcas_page_cache.h"
#include "cmcas_text.h"

/* "cmcas" + 32 hex digits of the nonce + "h" + the hole's digit. */
#define CMCAS_PAGE_CACHE_MARK_LEN (5 + 32 + 1)
#define CMCAS_PAGE_CACHE_HOLE_LEN (CMCAS_PAGE_CACHE_MARK_LEN + 1)
/* Enough for every tab, theme and page of a few CMCAS; searches come and go. */
#define CMCAS_PAGE_CACHE_MAX_PAGES 2048
#define CMCAS_PAGE_CACHE_MAX_HOLES 8

typedef struct {
    char *key;
    cmcas_page_cache_version_t v;
    apr_time_t made;
    int status;
    char *content_type;
    char *body;                             /* with the placeholders */
    apr_size_t len;
    int nholes;
    apr_size_t at[CMCAS_PAGE_CACHE_MAX_HOLES];
    int hole[CMCAS_PAGE_CACHE_MAX_HOLES];
} cmcas_page_cache_entry_t;

struct cmcas_page_cache_t {
    apr_hash_t *pages;                      /* key -> cmcas_page_cache_entry_t* */
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;
#endif
    apr_size_t bytes, max_bytes;
    char mark[CMCAS_PAGE_CACHE_MARK_LEN + 1];
    char holes[CMCAS_PAGE_CACHE_HOLES][CMCAS_PAGE_CACHE_HOLE_LEN + 1];
};

static void cmcas_page_cache_lock(cmcas_page_cache_t *c)
{
#if APR_HAS_THREADS
    apr_thread_mutex_lock(c->lock);
#else
    (void)c;
#endif
}

static void cmcas_page_cache_unlock(cmcas_page_cache_t *c)
{
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(c->lock);
#else
    (void)c;
#endif
}

static void cmcas_page_cache_free(cmcas_page_cache_entry_t *e)
{
    free(e->key);
    free(e->content_type);
    free(e->body);
    free(e);
}

static void cmcas_page_cache_drop(cmcas_page_cache_t *c, cmcas_page_cache_entry_t *e)
{
    apr_hash_set(c->pages, e->key, APR_HASH_KEY_STRING, NULL);
    c->bytes -= e->len;
    cmcas_page_cache_free(e);
}

static apr_status_t cmcas_page_cache_cleanup(void *data)
{
    cmcas_page_cache_t *c = data;
    apr_hash_index_t *hi;

    /* Deleting the current entry of an iteration is allowed by apr_hash. */
    for (hi = apr_hash_first(NULL, c->pages); hi; hi = apr_hash_next(hi)) {
        cmcas_page_cache_drop(c, apr_hash_this_val(hi));
    }
    return APR_SUCCESS;
}

apr_status_t cmcas_page_cache_create(cmcas_page_cache_t **pc, apr_pool_t *p,
                                     apr_size_t max_bytes, const unsigned char nonce[16])
{
    cmcas_page_cache_t *c = apr_pcalloc(p, sizeof(*c));
    char *m = c->mark;
    int i;

    *pc = NULL;
#if APR_HAS_THREADS
    {
        apr_status_t rv = apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p);
        if (APR_SUCCESS != rv) {
            return rv;
        }
    }
#endif
    c->pages = apr_hash_make(p);
    c->max_bytes = max_bytes;
    memcpy(m, "cmcas", 5);
    for (i = 0; i < 16; i++) {
        m[5 + 2 * i] = "0123456789abcdef"[nonce[i] >> 4];
        m[6 + 2 * i] = "0123456789abcdef"[nonce[i] & 15];
    }
    m[37] = 'h';
    m[38] = '\0';
    for (i = 0; i < CMCAS_PAGE_CACHE_HOLES; i++) {
        memcpy(c->holes[i], m, CMCAS_PAGE_CACHE_MARK_LEN);
        c->holes[i][CMCAS_PAGE_CACHE_MARK_LEN] = (char)('0' + i);
        c->holes[i][CMCAS_PAGE_CACHE_HOLE_LEN] = '\0';
    }
    apr_pool_cleanup_register(p, c, cmcas_page_cache_cleanup, apr_pool_cleanup_null);
    *pc = c;
    return APR_SUCCESS;
}

const char *cmcas_page_cache_hole(const cmcas_page_cache_t *c, int hole)
{
    return c->holes[hole];
}

/* Where the holes are in body: 0 when there are too many or an unknown one. */
static int cmcas_page_cache_find(const cmcas_page_cache_t *c, cmcas_page_cache_entry_t *e)
{
    const char *at = e->body, *end = e->body + e->len;

    e->nholes = 0;
    while ((at = memmem(at, (apr_size_t)(end - at), c->mark, CMCAS_PAGE_CACHE_MARK_LEN))) {
        int hole = at + CMCAS_PAGE_CACHE_MARK_LEN < end ? at[CMCAS_PAGE_CACHE_MARK_LEN] - '0'
                                                        : -1;
        if (hole < 0 || hole >= CMCAS_PAGE_CACHE_HOLES
            || e->nholes == CMCAS_PAGE_CACHE_MAX_HOLES) {
            return 0;
        }
        e->at[e->nholes] = (apr_size_t)(at - e->body);
        e->hole[e->nholes++] = hole;
        at += CMCAS_PAGE_CACHE_HOLE_LEN;
    }
    return 1;
}

/* Copies body into p with each hole replaced by its fill, escaped as libxml2 escapes
 * text and attribute values (&, <, >, "). */
static void cmcas_page_cache_copy(const cmcas_page_cache_entry_t *e, const char *const *fills,
                                  apr_pool_t *p, cmcas_page_cache_page_t *out)
{
    const char *esc[CMCAS_PAGE_CACHE_HOLES];
    apr_size_t esc_len[CMCAS_PAGE_CACHE_HOLES], len = e->len, from = 0;
    char *body, *to;
    int i;

    for (i = 0; i < CMCAS_PAGE_CACHE_HOLES; i++) {
        const char *fill = fills[i] ? fills[i] : "";
        char *clean = NULL;
        xmlChar *x;

        /* What cmcas_doc does with text that is not XML (bad bytes in the database). */
        if (!cmcas_text_xml_valid(fill, strlen(fill))) {
            fill = clean = cmcas_text_xml_clean(fill);
        }
        x = xmlEncodeSpecialChars(NULL, BAD_CAST (fill ? fill : ""));
        esc[i] = x ? apr_pstrdup(p, (const char *)x) : "";
        esc_len[i] = strlen(esc[i]);
        xmlFree(x);
        free(clean);
    }
    for (i = 0; i < e->nholes; i++) {
        len += esc_len[e->hole[i]] - CMCAS_PAGE_CACHE_HOLE_LEN;
    }
    to = body = apr_palloc(p, len + 1);
    for (i = 0; i < e->nholes; i++) {
        memcpy(to, e->body + from, e->at[i] - from);
        to += e->at[i] - from;
        memcpy(to, esc[e->hole[i]], esc_len[e->hole[i]]);
        to += esc_len[e->hole[i]];
        from = e->at[i] + CMCAS_PAGE_CACHE_HOLE_LEN;
    }
    memcpy(to, e->body + from, e->len - from);
    body[len] = '\0';
    out->status = e->status;
    out->content_type = apr_pstrdup(p, e->content_type);
    out->body = body;
    out->len = len;
}

int cmcas_page_cache_get(cmcas_page_cache_t *c, const char *key,
                         const cmcas_page_cache_version_t *v, apr_time_t now,
                         apr_interval_time_t max_stale, const char *const *fills,
                         apr_pool_t *p, cmcas_page_cache_page_t *page)
{
    cmcas_page_cache_entry_t *e;
    int hit = 0;

    cmcas_page_cache_lock(c);
    e = apr_hash_get(c->pages, key, APR_HASH_KEY_STRING);
    if (e && e->v.catalog == v->catalog) {
        if (e->v.places == v->places) {
            hit = 1;
        }
        else if (now >= e->made && now - e->made < max_stale) {
            hit = 1;
        }
    }
    if (hit) {
        cmcas_page_cache_copy(e, fills, p, page);
    }
    cmcas_page_cache_unlock(c);
    return hit;
}

void cmcas_page_cache_put(cmcas_page_cache_t *c, const char *key,
                          const cmcas_page_cache_version_t *v, apr_time_t now,
                          const cmcas_page_cache_page_t *page)
{
    cmcas_page_cache_entry_t *e, *old;
    apr_hash_index_t *hi;

    if (page->len > c->max_bytes / 4) {
        return;
    }
    e = calloc(1, sizeof(*e));
    if (!e || !(e->key = strdup(key)) || !(e->content_type = strdup(page->content_type))
        || !(e->body = malloc(page->len + 1))) {
        if (e) {
            cmcas_page_cache_free(e);
        }
        return;
    }
    memcpy(e->body, page->body, page->len);
    e->body[page->len] = '\0';
    e->len = page->len;
    e->status = page->status;
    e->v = *v;
    e->made = now;
    if (!cmcas_page_cache_find(c, e)) {
        cmcas_page_cache_free(e);
        return;
    }
    cmcas_page_cache_lock(c);
    if ((old = apr_hash_get(c->pages, key, APR_HASH_KEY_STRING))) {
        cmcas_page_cache_drop(c, old);
    }
    /* Full: first what can never be valid again, then everything. */
    if (c->bytes + e->len > c->max_bytes
        || apr_hash_count(c->pages) >= CMCAS_PAGE_CACHE_MAX_PAGES) {
        for (hi = apr_hash_first(NULL, c->pages); hi; hi = apr_hash_next(hi)) {
            cmcas_page_cache_entry_t *x = apr_hash_this_val(hi);
            if (x->v.catalog != v->catalog || x->v.places != v->places) {
                cmcas_page_cache_drop(c, x);
            }
        }
    }
    if (c->bytes + e->len > c->max_bytes
        || apr_hash_count(c->pages) >= CMCAS_PAGE_CACHE_MAX_PAGES) {
        cmcas_page_cache_cleanup(c);
    }
    apr_hash_set(c->pages, e->key, APR_HASH_KEY_STRING, e);
    c->bytes += e->len;
    cmcas_page_cache_unlock(c);
}

void cmcas_page_cache_fill(const cmcas_page_cache_t *c, const cmcas_page_cache_page_t *in,
                           const char *const *fills, apr_pool_t *p,
                           cmcas_page_cache_page_t *out)
{
    cmcas_page_cache_entry_t e;

    memset(&e, 0, sizeof(e));
    e.body = (char *)in->body;
    e.len = in->len;
    e.status = in->status;
    e.content_type = (char *)in->content_type;
    if (!cmcas_page_cache_find(c, &e)) {
        /* More holes than a page has: fill none rather than some. */
        e.nholes = 0;
    }
    cmcas_page_cache_copy(&e, fills, p, out);
}

void cmcas_page_cache_size(cmcas_page_cache_t *c, int *pcount, apr_size_t *pbytes)
{
    cmcas_page_cache_lock(c);
    *pcount = (int)apr_hash_count(c->pages);
    *pbytes = c->bytes;
    cmcas_page_cache_unlock(c);
}
