#include <string.h>
#include <apr_strings.h>

#include "cmcas_csv.h"

cmcas_csv_t *cmcas_csv_new(apr_pool_t *p)
{
    cmcas_csv_t *csv = apr_pcalloc(p, sizeof(*csv));

    csv->pool = p;
    csv->parts = apr_array_make(p, 256, sizeof(const char *));
    APR_ARRAY_PUSH(csv->parts, const char *) = CMCAS_CSV_BOM;
    return csv;
}

const char *cmcas_csv_quote(apr_pool_t *p, const char *value)
{
    const char *v = value ? value : "", *c;
    apr_size_t n = 0;
    char *out, *o;

    /* A spreadsheet reads these first characters as the start of a formula. */
    if (*v && strchr("=+-@\t\r", *v)) {
        v = apr_pstrcat(p, "'", v, NULL);
    }
    if (!strpbrk(v, ";\"\r\n")) {
        return v;
    }
    for (c = v; *c; c++) {
        n += *c == '"' ? 2 : 1;
    }
    o = out = apr_palloc(p, n + 3);
    *o++ = '"';
    for (c = v; *c; c++) {
        if (*c == '"') {
            *o++ = '"';
        }
        *o++ = *c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

void cmcas_csv_field(cmcas_csv_t *csv, const char *value)
{
    if (csv->fields++) {
        APR_ARRAY_PUSH(csv->parts, const char *) = ";";
    }
    APR_ARRAY_PUSH(csv->parts, const char *) = cmcas_csv_quote(csv->pool, value);
}

void cmcas_csv_int(cmcas_csv_t *csv, apr_int64_t value)
{
    cmcas_csv_field(csv, apr_psprintf(csv->pool, "%" APR_INT64_T_FMT, value));
}

void cmcas_csv_end_line(cmcas_csv_t *csv)
{
    APR_ARRAY_PUSH(csv->parts, const char *) = "\r\n";
    csv->fields = 0;
}

const char *cmcas_csv_text(const cmcas_csv_t *csv, apr_size_t *plen)
{
    const char *text = apr_array_pstrcat(csv->pool, csv->parts, 0);

    *plen = strlen(text);
    return text;
}
