#include "cmcas_result.h"

void cmcas_result_done(cmcas_result_t *res)
{
    res->kind = CMCAS_RESULT_DONE;
    res->why = res->message = res->err = NULL;
}

cmcas_result_kind_t cmcas_result_set(cmcas_result_t *res, cmcas_result_kind_t kind,
                                     const char *why, const char *message)
{
    res->kind = kind;
    res->why = why;
    res->message = message;
    res->err = NULL;
    return kind;
}

cmcas_result_kind_t cmcas_result_error(cmcas_result_t *res, const char *what,
                                       const char *err)
{
    res->kind = CMCAS_RESULT_ERROR;
    res->why = what;
    res->message = NULL;
    res->err = err ? err : "unknown database error";
    return res->kind;
}

int cmcas_result_http_status(const cmcas_result_t *res)
{
    switch (res->kind) {
    case CMCAS_RESULT_DONE: return 200;
    case CMCAS_RESULT_REFUSED: return 409;
    case CMCAS_RESULT_CONFLICT: return 409;
    case CMCAS_RESULT_NOT_FOUND: return 404;
    case CMCAS_RESULT_BAD_INPUT: return 400;
    default: return 503;
    }
}
