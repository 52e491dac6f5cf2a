/* Turning page data documents into HTML with stylesheets compiled once at start-up.
 * The compiled set is read-only afterwards and shared by all threads. */
#ifndef cmcas_render_h
#define cmcas_render_h

#include <apr_pools.h>
#include <libxml/tree.h>

typedef struct cmcas_render_t cmcas_render_t;

/* The page stylesheets every template directory must hold ("<name>.xsl"). */
extern const char *const cmcas_render_pages[];

/* Compiles every page stylesheet of `dir`; they are freed with `p`. On failure
 * returns an error and sets *perr to a message naming the file and the cause.
 * Not thread-safe (sets libxml2's global error handler for its duration): call it
 * while reading the configuration only. */
apr_status_t cmcas_render_load(cmcas_render_t **prender, apr_pool_t *p, const char *dir,
                               const char **perr);

/* Transforms `doc` with the stylesheet named by its root's name attribute.
 * *pout is allocated from `p`. */
apr_status_t cmcas_render_html(const char **pout, apr_size_t *plen,
                               const cmcas_render_t *render, xmlDocPtr doc,
                               apr_pool_t *p, const char **perr);

/* Serialises the data document itself (UTF-8, with declaration). */
apr_status_t cmcas_render_xml(const char **pout, apr_size_t *plen, xmlDocPtr doc,
                              apr_pool_t *p);

#endif
