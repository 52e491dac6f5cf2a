#include <string.h>
#include <apr_strings.h>

#include "cmcas_audit.h"

#define CMCAS_AUDIT_VALUE_MAX 500

apr_array_header_t *cmcas_audit_fields(apr_pool_t *p)
{
    return apr_array_make(p, 16, sizeof(cmcas_audit_field_t));
}

void cmcas_audit_add(apr_array_header_t *fields, const char *name, const char *before,
                     const char *after)
{
    cmcas_audit_field_t *f = apr_array_push(fields);
    f->name = name;
    f->before = before;
    f->after = after;
}

void cmcas_audit_add_int(apr_array_header_t *fields, const char *name, apr_int64_t before,
                         apr_int64_t after)
{
    cmcas_audit_add(fields, name,
                    apr_psprintf(fields->pool, "%" APR_INT64_T_FMT, before),
                    apr_psprintf(fields->pool, "%" APR_INT64_T_FMT, after));
}

/* The value on one line, at most CMCAS_AUDIT_VALUE_MAX bytes of it. */
static const char *cmcas_audit_value(apr_pool_t *p, const char *v)
{
    apr_size_t len = strlen(v), cut = len, i, o = 0;
    char *out;

    if (cut > CMCAS_AUDIT_VALUE_MAX) {
        cut = CMCAS_AUDIT_VALUE_MAX;
        /* Never end inside a UTF-8 sequence. */
        while (cut > 0 && ((unsigned char)v[cut] & 0xC0) == 0x80) {
            cut--;
        }
    }
    out = apr_palloc(p, cut * 3 + 4);
    for (i = 0; i < cut; i++) {
        if (v[i] == '\r') {
            continue;
        }
        if (v[i] == '\n') {
            memcpy(out + o, "\xE2\x8F\x8E", 3);     /* ⏎ */
            o += 3;
            continue;
        }
        out[o++] = v[i];
    }
    if (cut < len) {
        memcpy(out + o, "\xE2\x80\xA6", 3);         /* … */
        o += 3;
    }
    out[o] = '\0';
    return out;
}

static int cmcas_audit_same(const char *a, const char *b)
{
    if (!a || !b) {
        return a == b;
    }
    return !strcmp(a, b);
}

int cmcas_audit_diff(const char **pbefore, const char **pafter, apr_pool_t *p,
                     const apr_array_header_t *fields)
{
    char *before = NULL, *after = NULL;
    int i, changed = 0;

    for (i = 0; i < fields->nelts; i++) {
        const cmcas_audit_field_t *f = &APR_ARRAY_IDX(fields, i, cmcas_audit_field_t);
        if (cmcas_audit_same(f->before, f->after)) {
            continue;
        }
        changed++;
        if (f->before) {
            before = apr_pstrcat(p, before ? before : "", before ? "\n" : "", f->name,
                                 " : ", cmcas_audit_value(p, f->before), NULL);
        }
        if (f->after) {
            after = apr_pstrcat(p, after ? after : "", after ? "\n" : "", f->name,
                                " : ", cmcas_audit_value(p, f->after), NULL);
        }
    }
    *pbefore = before;
    *pafter = after;
    return changed;
}
