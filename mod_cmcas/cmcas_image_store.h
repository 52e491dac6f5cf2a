/* The pictures' rows (cmcas_image): kept in the database, base64, so that every server of
 * a cluster serves them; a name is the content's hash, so a row never changes. */
#ifndef cmcas_image_store_h
#define cmcas_image_store_h

#include "cmcas_image.h"
#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_image_store_statements[];

/* Keeps the picture (nothing when a row of that name is there already). */
apr_status_t cmcas_image_store_add(const cmcas_store_t *st, apr_pool_t *p,
                                   const cmcas_image_t *img, const unsigned char *data,
                                   apr_size_t len, const char *created_at,
                                   const char **perr);

/* The picture's bytes, if an activity shows it that is published by `today` (ISO) or
 * belongs to `cmcas_code` (staff; NULL for a member): else APR_NOTFOUND, as for a name
 * no picture has. */
apr_status_t cmcas_image_store_get(const unsigned char **pdata, apr_size_t *plen,
                                   const char **pctype, const cmcas_store_t *st,
                                   apr_pool_t *p, const char *name, const char *today,
                                   const char *cmcas_code, const char **perr);

/* Deletes the picture at `path` ("image/<name>", as activity.image holds it) if no
 * activity shows it any more; any other path (a file of the site, NULL) is left. */
apr_status_t cmcas_image_store_forget(const cmcas_store_t *st, apr_pool_t *p,
                                      const char *path, const char **perr);

#endif
