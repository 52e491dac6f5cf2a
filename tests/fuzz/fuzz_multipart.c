/* libFuzzer harness: a multipart/form-data body (a form with a file) split by GMime
 * (cmcas_multipart_parse). The input is the request's Content-Type up to the first line
 * feed, then the body. Invariants checked (abort() when one breaks): a body accepted
 * gives 1 to max_fields fields, each with a non-empty name given once (and found by
 * cmcas_multipart_get), bytes NUL-terminated and never more of them than the body had;
 * the content type was multipart/form-data; a refusal has a message and no fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_multipart.h"

#define FUZZ_MAX_FIELDS 8

static apr_pool_t *fuzz_root;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(int ok)
{
    if (!ok) {
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&fuzz_root, NULL);
    cmcas_multipart_init();         /* g_mime_init(), once per process */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_array_header_t *fields = NULL;
    const uint8_t *nl = memchr(data, '\n', size);
    const char *ctype, *err = NULL;
    char *body;
    size_t len;
    int i;

    if (!nl) {
        return 0;
    }
    apr_pool_create(&p, fuzz_root);
    ctype = apr_pstrmemdup(p, (const char *)data, (apr_size_t)(nl - data));
    len = size - (size_t)(nl + 1 - data);
    body = malloc(len ? len : 1);       /* its own allocation: ASan sees reads past it */
    memcpy(body, nl + 1, len);
    if (APR_SUCCESS == cmcas_multipart_parse(&fields, p, ctype, body, len, FUZZ_MAX_FIELDS,
                                             &err)) {
        fuzz_check(cmcas_multipart_is_form(ctype));
        fuzz_check(fields && fields->nelts >= 1 && fields->nelts <= FUZZ_MAX_FIELDS);
        for (i = 0; i < fields->nelts; i++) {
            const cmcas_multipart_field_t *f =
                &APR_ARRAY_IDX(fields, i, cmcas_multipart_field_t);
            fuzz_check(f->name && *f->name && f->data);
            fuzz_check(cmcas_multipart_get(fields, f->name) == f);
            fuzz_check(f->len <= len && f->data[f->len] == '\0');
        }
    }
    else {
        fuzz_check(!fields && err && *err);
    }
    free(body);
    apr_pool_destroy(p);
    return 0;
}
