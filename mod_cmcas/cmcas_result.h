/* What a flow did, and why: the small value every change of state returns (mod_md's
 * md_result_t, smaller). The glue turns it into a page: done, refused (the member is
 * told why), conflict (the state moved under the member's feet), not found, malformed
 * input, or a database error. No httpd types. */
#ifndef cmcas_result_h
#define cmcas_result_h

#include <apr_pools.h>

typedef enum {
    CMCAS_RESULT_DONE,
    CMCAS_RESULT_REFUSED,       /* a rule says no: message for the member (409) */
    CMCAS_RESULT_CONFLICT,      /* not in a state that allows it any more (409) */
    CMCAS_RESULT_NOT_FOUND,     /* nothing of this household's by that id (404) */
    CMCAS_RESULT_BAD_INPUT,     /* a form no page of ours can send (400) */
    CMCAS_RESULT_ERROR          /* the database failed: err (503), nothing written */
} cmcas_result_kind_t;

typedef struct {
    cmcas_result_kind_t kind;
    const char *why;            /* English, for the log */
    const char *message;        /* French, for the member; NULL: the page's default */
    const char *err;            /* the driver's message when kind is ERROR */
} cmcas_result_t;

void cmcas_result_done(cmcas_result_t *res);
/* Sets kind, why and message; returns res->kind so that flows can `return` it. */
cmcas_result_kind_t cmcas_result_set(cmcas_result_t *res, cmcas_result_kind_t kind,
                                     const char *why, const char *message);
/* A database failure with the driver's message. */
cmcas_result_kind_t cmcas_result_error(cmcas_result_t *res, const char *what,
                                       const char *err);
/* The HTTP status a page answers with for this result (200 for DONE). */
int cmcas_result_http_status(const cmcas_result_t *res);

#endif
