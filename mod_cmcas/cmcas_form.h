/* Reading a posted form (application/x-www-form-urlencoded) strictly: which fields are
 * single, which repeat, what is a valid id. */
#ifndef cmcas_form_h
#define cmcas_form_h

#include <apr_pools.h>
#include <apr_tables.h>

#define CMCAS_FORM_MAX_BYTES (32 * 1024)
#define CMCAS_FORM_MAX_FIELDS 300

typedef struct {
    apr_pool_t *pool;
    apr_table_t *fields;        /* in posted order, names may repeat */
    const char *err;            /* the first problem found by a reader, in French */
} cmcas_form_t;

/* Parses `len` bytes of body. APR_EINVAL with *perr on bad escapes, invalid UTF-8,
 * control characters, too many fields or too long values. */
apr_status_t cmcas_form_parse(cmcas_form_t **pform, apr_pool_t *p, const char *body,
                              apr_size_t len, const char **perr);

/* A single field: NULL when absent; NULL and form->err set when it repeats or is
 * longer than max_chars characters. */
const char *cmcas_form_single(cmcas_form_t *form, const char *name, apr_size_t max_chars);

/* Every value of a repeatable field (array of const char *). */
apr_array_header_t *cmcas_form_all(cmcas_form_t *form, const char *name);

/* A positive decimal id of at most 15 digits, else 0. */
apr_int64_t cmcas_form_id(const char *s);

#endif
