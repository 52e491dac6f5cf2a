#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_form.h"
#include "cmcas_query.h"

apr_status_t cmcas_form_parse(cmcas_form_t **pform, apr_pool_t *p, const char *body,
                              apr_size_t len, const char **perr)
{
    static const cmcas_query_limits_t limits = {CMCAS_FORM_MAX_FIELDS, 8000, 1};
    cmcas_form_t *form = apr_pcalloc(p, sizeof(*form));
    const char *text = apr_pstrmemdup(p, body, len);
    apr_status_t rv;

    *pform = NULL;
    if (strlen(text) != len) {
        *perr = "Formulaire mal formé (octet nul).";
        return APR_EINVAL;
    }
    form->pool = p;
    if (APR_SUCCESS != (rv = cmcas_query_parse(&form->fields, p, text, &limits, perr))) {
        return rv;
    }
    *pform = form;
    return APR_SUCCESS;
}

static apr_size_t cmcas_form_chars(const char *s)
{
    apr_size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

typedef struct {
    const char *name;
    const char *value;
    int count;
    apr_array_header_t *all;
} cmcas_form_scan_t;

static int cmcas_form_visit(void *data, const char *key, const char *value)
{
    cmcas_form_scan_t *scan = data;
    (void)key;
    scan->count++;
    if (!scan->value) {
        scan->value = value;
    }
    if (scan->all) {
        *(const char **)apr_array_push(scan->all) = value;
    }
    return 1;
}

const char *cmcas_form_single(cmcas_form_t *form, const char *name, apr_size_t max_chars)
{
    cmcas_form_scan_t scan = {name, NULL, 0, NULL};

    apr_table_do(cmcas_form_visit, &scan, form->fields, name, NULL);
    if (scan.count > 1) {
        if (!form->err) {
            form->err = apr_psprintf(form->pool, "Le champ « %s » est donné plusieurs "
                                     "fois.", name);
        }
        return NULL;
    }
    if (scan.value && cmcas_form_chars(scan.value) > max_chars) {
        if (!form->err) {
            form->err = apr_psprintf(form->pool, "Le champ « %s » est trop long "
                                     "(%" APR_SIZE_T_FMT " caractères au plus).", name,
                                     max_chars);
        }
        return NULL;
    }
    return scan.value;
}

apr_array_header_t *cmcas_form_all(cmcas_form_t *form, const char *name)
{
    cmcas_form_scan_t scan = {name, NULL, 0, NULL};
    scan.all = apr_array_make(form->pool, 4, sizeof(const char *));
    apr_table_do(cmcas_form_visit, &scan, form->fields, name, NULL);
    return scan.all;
}

apr_int64_t cmcas_form_id(const char *s)
{
    apr_int64_t id = 0;
    int n = 0;

    if (!s || !*s || *s == '0') {
        return 0;
    }
    for (; *s; s++, n++) {
        if (!apr_isdigit(*s) || n >= 15) {
            return 0;
        }
        id = id * 10 + (*s - '0');
    }
    return id;
}
