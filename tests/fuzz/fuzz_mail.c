/* libFuzzer harness: the e-mails' composer (cmcas_mail_compose) fed hostile values: the
 * names, the activity's title, the desk's address, the reason of a cancellation, the
 * addresses and the portal's URL, as staff, members or the configuration may type them
 * (CR/LF, quotes, <script>, invalid UTF-8, anything).
 *
 * Input: its first byte picks the kind of message, then NUL-separated values in the
 * order of fuzz_fields below; a value absent keeps the valid default.
 *
 * Properties of a message composed: 7-bit, LF line ends, no CR; a header block of exactly
 * the nine headers the composer writes, each once, no other line in it than their
 * folded continuations (nothing typed added a header), no line longer than 998 bytes and
 * body lines within quoted-printable's 76; the MIME boundary exactly where it belongs;
 * From and To carry the checked addresses. And the HTML part, decoded, has the same tags
 * and attribute names as the message composed from the same values with every typed
 * byte made a letter: no text became markup. A message refused says why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_mail.h"
#include "fuzz_common.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_kinds[] = {
    "validated", "request", "order_desk", "payment_accepted", "payment_refused",
    "cancelled", "selected", "waiting", "promoted", "not_selected", "released", "nope"
};

/* The values the input may replace, in its order; `free_text`: typed by a person (made
 * letters in the plain twin), else a value whose form the composer checks. */
typedef struct {
    size_t offset;
    int free_text;
} fuzz_field_t;

#define FUZZ_F(name, free) {offsetof(cmcas_mail_t, name), free}
static const fuzz_field_t fuzz_fields[] = {
    FUZZ_F(to_name, 1), FUZZ_F(activity_title, 1), FUZZ_F(detail, 1),
    FUZZ_F(from_name, 1), FUZZ_F(desk_street, 1), FUZZ_F(desk_city, 1),
    FUZZ_F(desk_name, 1), FUZZ_F(desk_phone, 1), FUZZ_F(desk_postcode, 1),
    FUZZ_F(order_reference, 1), FUZZ_F(to_email, 0), FUZZ_F(from_email, 0),
    FUZZ_F(portal_url, 0), FUZZ_F(activity_start, 0), FUZZ_F(activity_end, 0),
    FUZZ_F(order_hold_until, 0), FUZZ_F(event_key, 0),
};
#define FUZZ_NFIELDS (sizeof(fuzz_fields) / sizeof(fuzz_fields[0]))

#define FUZZ_FIELD(m, i) (*(const char **)((char *)(m) + fuzz_fields[i].offset))

/* Every byte a letter, the length kept (so that what is empty stays empty). */
static const char *fuzz_letters(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *c;
    for (c = out; *c; c++) {
        *c = 'x';
    }
    return out;
}

/* Quoted-printable decoded (soft breaks removed). */
static char *fuzz_unqp(apr_pool_t *p, const char *s, size_t len)
{
    char *out = apr_palloc(p, len + 1), *o = out;
    size_t i;
    for (i = 0; i < len; i++) {
        if (s[i] == '=' && i + 1 < len && s[i + 1] == '\n') {
            i++;
        }
        else if (s[i] == '=' && i + 2 < len) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            i += 2;
        }
        else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* The tags of an HTML text, with attribute values dropped: "<p>|<a href=>|</a>|...". */
static const char *fuzz_tags(apr_pool_t *p, const char *html)
{
    apr_size_t len = strlen(html);
    char *out = apr_palloc(p, len + 1), *o = out;
    const char *c = html;
    while ((c = strchr(c, '<'))) {
        char quote = 0;
        for (; *c && (quote || *c != '>'); c++) {
            if (quote) {
                if (*c == quote) {
                    quote = 0;
                    *o++ = *c;
                }
            }
            else {
                if (*c == '"' || *c == '\'') {
                    quote = *c;
                }
                *o++ = *c;
            }
        }
        if (*c) {
            *o++ = *c++;
        }
        *o++ = '|';
    }
    *o = '\0';
    return out;
}

/* The decoded HTML part of a message. */
static const char *fuzz_html(apr_pool_t *p, const char *msg)
{
    const char *start = strstr(msg, "Content-Type: text/html; charset=utf-8\n"
                                    "Content-Transfer-Encoding: quoted-printable\n\n");
    const char *end;
    fuzz_common_assert(start != NULL);
    start = strstr(start, "\n\n") + 2;
    end = strstr(start, "\n--=_cmcas_");
    fuzz_common_assert(end != NULL);
    return fuzz_unqp(p, start, (size_t)(end - start));
}

static void fuzz_check_message(apr_pool_t *p, const char *msg, const cmcas_mail_t *m)
{
    static const char *const names[] = {
        "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Language",
        "Auto-Submitted", "Content-Type"
    };
    int seen[9] = {0}, i;
    const char *c, *line, *body, *bnd;
    char *boundary;
    size_t n;

    /* 7-bit, no CR, lines within 998 (headers) and 76 (quoted-printable body). */
    for (c = msg; *c; c++) {
        fuzz_common_assert((*c >= ' ' && *c < 127) || *c == '\n');
    }
    body = strstr(msg, "\n\n");
    fuzz_common_assert(body != NULL);
    for (line = msg; line < body + 1; line = strchr(line, '\n') + 1) {
        n = strcspn(line, "\n");
        fuzz_common_assert(n <= 998 && n > 0);
        if (*line == ' ') {
            fuzz_common_assert(line != msg);           /* a continuation */
            continue;
        }
        for (i = 0; i < 9; i++) {
            size_t k = strlen(names[i]);
            if (!strncmp(line, names[i], k) && line[k] == ':' && line[k + 1] == ' ') {
                break;
            }
        }
        fuzz_common_assert(i < 9 && !seen[i]);
        seen[i] = 1;
    }
    for (i = 0; i < 9; i++) {
        fuzz_common_assert(seen[i]);
    }
    for (line = body + 2; *line; line += n + 1) {
        n = strcspn(line, "\n");
        fuzz_common_assert(n <= 76);
        if (!line[n]) {
            break;
        }
    }
    /* The addresses as checked. */
    fuzz_common_assert(cmcas_mail_address_ok(m->from_email) && cmcas_mail_address_ok(m->to_email));
    line = strstr(msg, "\nTo: ") + 5;
    n = strcspn(line, "\n");
    while (line[n] == '\n' && line[n + 1] == ' ') {
        n += 1 + strcspn(line + n + 1, "\n");
    }
    fuzz_common_assert(n >= strlen(m->to_email)
                && !strncmp(line + n - strlen(m->to_email) - (line[n - 1] == '>'),
                            m->to_email, strlen(m->to_email)));
    /* The boundary: twice as a delimiter and once closing, nowhere else. */
    bnd = strstr(msg, "\nContent-Type: multipart/alternative;\n boundary=\"");
    fuzz_common_assert(bnd != NULL);
    bnd += 49;
    boundary = apr_pstrndup(p, bnd, strcspn(bnd, "\""));
    fuzz_common_assert(!strncmp(boundary, "=_cmcas_", 8));
    for (i = 0, c = body; (c = strstr(c, boundary)); c++, i++) {
    }
    fuzz_common_assert(i == 3);                        /* 2 delimiters and the end (a typed
                                                 * name may hold it in a header: harmless) */
    fuzz_common_assert(strstr(msg, apr_pstrcat(p, "\n--", boundary, "--\n", NULL)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cmcas_mail_t m, plain;
    const char *msg = NULL, *plain_msg = NULL, *err = NULL, *perr = NULL;
    size_t at = 1, i;
    apr_status_t rv, prv;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    if (!size) {
        return 0;
    }
    apr_pool_create(&p, fuzz_root);
    memset(&m, 0, sizeof(m));
    m.kind = fuzz_kinds[data[0] % (sizeof(fuzz_kinds) / sizeof(fuzz_kinds[0]))];
    m.event_key = "registration:12:validated";
    m.date = apr_time_from_sec(1796000000);
    m.from_name = "CMCAS de Bourges";
    m.from_email = "activites@cmcas-bourges.fr";
    m.to_email = "gael.classen@exemple.fr";
    m.portal_url = "https://portail.cmcas-bourges.fr/";
    m.registration_id = data[0];
    m.order_total = (apr_int64_t)size * 1234 - 5000;
    m.detail = !strcmp(m.kind, "waiting") ? "3"
             : (!strcmp(m.kind, "selected") || !strcmp(m.kind, "promoted")
                || !strcmp(m.kind, "request")) ? "2027-06-10" : NULL;
    for (i = 0; i < FUZZ_NFIELDS && at <= size; i++) {
        const char *v = apr_pstrmemdup(p, (const char *)data + at, size - at);
        FUZZ_FIELD(&m, i) = v;
        at += strlen(v) + 1;
    }
    rv = cmcas_mail_compose(&msg, p, &m, &err);
    if (rv != APR_SUCCESS) {
        fuzz_common_assert(err && *err && !msg);
        apr_pool_destroy(p);
        return 0;
    }
    fuzz_common_assert(msg != NULL);
    fuzz_check_message(p, msg, &m);

    /* The twin whose typed values are plain letters: the same markup. */
    plain = m;
    for (i = 0; i < FUZZ_NFIELDS; i++) {
        if (fuzz_fields[i].free_text && FUZZ_FIELD(&plain, i)
            && !(FUZZ_FIELD(&plain, i) == m.detail && (!strcmp(m.kind, "waiting")
                 || !strcmp(m.kind, "selected") || !strcmp(m.kind, "promoted")
                 || !strcmp(m.kind, "request")))) {
            FUZZ_FIELD(&plain, i) = fuzz_letters(p, FUZZ_FIELD(&plain, i));
        }
    }
    prv = cmcas_mail_compose(&plain_msg, p, &plain, &perr);
    fuzz_common_assert(prv == APR_SUCCESS);
    fuzz_common_assert(!strcmp(fuzz_tags(p, fuzz_html(p, msg)), fuzz_tags(p, fuzz_html(p, plain_msg))));
    apr_pool_destroy(p);
    return 0;
}
