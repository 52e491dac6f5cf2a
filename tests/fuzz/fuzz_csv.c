/* libFuzzer harness: the CSV exports (cmcas_csv), whose fields are members' and staff's
 * text, whatever bytes it holds. The input is a table: fields end at a NUL byte, lines at
 * a byte 0x01 (every other byte is a field's). The file written is read back as a
 * spreadsheet would (« ; », CRLF, RFC 4180 quotes). Invariants checked (abort() when one
 * breaks): the file starts with the BOM and ends each line with CRLF; each field is
 * either bare (no « ; », quote, CR or LF in it) or quoted with its quotes doubled; it
 * reads back to the value given, with a « ' » put first when the value starts with
 * = + - @ tab or CR; no field as read starts with one of those; the lines and fields are
 * those given; the file is valid UTF-8 when the fields were. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "../../mod_cmcas/cmcas_csv.h"
#include "../../mod_cmcas/cmcas_text.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(int ok)
{
    if (!ok) {
        abort();
    }
}

static int fuzz_formula(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Reads one field at *pc (just past the previous separator): its value, *pc past it. */
static const char *fuzz_read_field(apr_pool_t *p, const char **pc, const char *end)
{
    const char *c = *pc;
    char *out = apr_palloc(p, (apr_size_t)(end - c) + 1), *o = out;

    if (c < end && *c == '"') {
        for (c++;; c++) {
            fuzz_check(c < end);                    /* a quoted field is closed */
            if (*c == '"') {
                if (c + 1 < end && c[1] == '"') {
                    *o++ = '"';
                    c++;
                    continue;
                }
                c++;
                break;
            }
            *o++ = *c;
        }
        fuzz_check(c < end && (*c == ';' || *c == '\r'));   /* nothing after the quote */
    }
    else {
        for (; c < end && *c != ';' && *c != '\r'; c++) {
            fuzz_check(*c != '"' && *c != '\n');
            *o++ = *c;
        }
    }
    *o = '\0';
    *pc = c;
    fuzz_check(!fuzz_formula(*out));
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cmcas_csv_t *csv;
    apr_array_header_t *lines, *line;
    const char *text, *c, *end;
    apr_size_t len;
    size_t i, start;
    int l, valid = 1;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);

    /* The table given: arrays of const char *. */
    lines = apr_array_make(p, 8, sizeof(apr_array_header_t *));
    line = apr_array_make(p, 8, sizeof(const char *));
    for (i = start = 0; i <= size; i++) {
        if (i == size || data[i] == 0 || data[i] == 1) {
            const char *v = apr_pstrmemdup(p, (const char *)data + start, i - start);
            if (i > start || i == size || data[i] == 0) {
                valid = valid && cmcas_text_utf8_valid(v, strlen(v));
                APR_ARRAY_PUSH(line, const char *) = v;
            }
            if (i == size || data[i] == 1) {
                APR_ARRAY_PUSH(lines, apr_array_header_t *) = line;
                line = apr_array_make(p, 8, sizeof(const char *));
            }
            start = i + 1;
        }
    }
    csv = cmcas_csv_new(p);
    for (l = 0; l < lines->nelts; l++) {
        apr_array_header_t *fields = APR_ARRAY_IDX(lines, l, apr_array_header_t *);
        int f;
        for (f = 0; f < fields->nelts; f++) {
            const char *v = APR_ARRAY_IDX(fields, f, const char *);
            /* An empty field also as NULL, and a number now and then. */
            if (!*v && (f & 1)) {
                v = NULL;
            }
            if (v && (f % 5) == 4) {
                apr_int64_t n = (apr_int64_t)strlen(v);
                cmcas_csv_int(csv, n);
                APR_ARRAY_IDX(fields, f, const char *) =
                    apr_psprintf(p, "%" APR_INT64_T_FMT, n);
                continue;
            }
            cmcas_csv_field(csv, v);
        }
        cmcas_csv_end_line(csv);
    }
    text = cmcas_csv_text(csv, &len);
    fuzz_check(strlen(text) == len);
    fuzz_check(!valid || cmcas_text_utf8_valid(text, len));

    /* Read it back. */
    fuzz_check(len >= 3 && !memcmp(text, CMCAS_CSV_BOM, 3));
    c = text + 3;
    end = text + len;
    for (l = 0; l < lines->nelts; l++) {
        apr_array_header_t *fields = APR_ARRAY_IDX(lines, l, apr_array_header_t *);
        int f, n = 0;
        for (;;) {
            const char *got = fuzz_read_field(p, &c, end), *want;
            if (n < fields->nelts) {
                want = APR_ARRAY_IDX(fields, n, const char *);
                want = want ? want : "";
                if (fuzz_formula(*want)) {
                    want = apr_pstrcat(p, "'", want, NULL);
                }
                fuzz_check(!strcmp(got, want));
            }
            else {
                /* A line of no field reads as one empty field. */
                fuzz_check(fields->nelts == 0 && n == 0 && !*got);
            }
            n++;
            if (*c == ';') {
                c++;
                continue;
            }
            fuzz_check(c + 2 <= end && c[0] == '\r' && c[1] == '\n');
            c += 2;
            break;
        }
        f = fields->nelts ? fields->nelts : 1;
        fuzz_check(n == f);
    }
    fuzz_check(c == end);
    apr_pool_destroy(p);
    return 0;
}
