/* A multipart/form-data body (a form with a file) split into its fields by GMime, not by
 * hand. The caller has bounded the body's size; nothing here touches the network or
 * httpd. */
#ifndef cmcas_multipart_h
#define cmcas_multipart_h

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    const char *name;           /* the field's name */
    const char *filename;       /* NULL for a field that is no file; never used as a path */
    const unsigned char *data;  /* the bytes (NUL-terminated too, for text fields) */
    apr_size_t len;
} cmcas_multipart_field_t;

/* Once per process, before any parse (GMime's own initialisation). */
void cmcas_multipart_init(void);

/* 1 when `content_type` is multipart/form-data. */
int cmcas_multipart_is_form(const char *content_type);

/* Splits `len` bytes of body sent with `content_type` into *pfields (array of
 * cmcas_multipart_field_t, in order). APR_EINVAL with *perr (French) when it is not a
 * multipart/form-data body of fields, or holds more than `max_fields` of them. */
apr_status_t cmcas_multipart_parse(apr_array_header_t **pfields, apr_pool_t *p,
                                   const char *content_type, const char *body,
                                   apr_size_t len, int max_fields, const char **perr);

/* The field named `name` (NULL when absent). */
const cmcas_multipart_field_t *cmcas_multipart_get(const apr_array_header_t *fields,
                                                   const char *name);

#endif
