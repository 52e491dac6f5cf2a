#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_accept.h"

/* An RFC 9110 qvalue ("0", "0.5", "1.000") in thousandths; -1 when malformed
 * (strtod would accept "nan", "inf" and exponents). */
static int cmcas_accept_qvalue(const char *q, const char *end)
{
    int v, scale = 100;

    if (q >= end || (*q != '0' && *q != '1')) {
        return -1;
    }
    v = (*q++ - '0') * 1000;
    if (q < end && *q == '.') {
        for (q++; q < end && apr_isdigit(*q) && scale > 0; q++, scale /= 10) {
            v += (*q - '0') * scale;
        }
    }
    while (q < end && apr_isspace(*q)) {
        q++;
    }
    return (q == end || *q == ';') && v <= 1000 ? v : -1;
}

/* Quality (0..1000) of one media range "type/sub;q=0.5" (spaces allowed); a
 * malformed q counts as 0. */
static int cmcas_accept_quality(const char *range, apr_size_t len)
{
    const char *q = range, *end = range + len;

    while (q < end && *q != ';') {
        q++;
    }
    while (q < end) {
        q++;
        while (q < end && apr_isspace(*q)) q++;
        if (q + 1 < end && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
            int v = cmcas_accept_qvalue(q + 2, end);
            return v < 0 ? 0 : v;
        }
        while (q < end && *q != ';') q++;
    }
    return 1000;
}

static int cmcas_accept_is(const char *range, apr_size_t len, const char *type)
{
    apr_size_t tlen = strlen(type);
    while (len && apr_isspace(*range)) {
        range++;
        len--;
    }
    return len >= tlen && !strncasecmp(range, type, tlen)
        && (len == tlen || range[tlen] == ';' || apr_isspace(range[tlen]));
}

int cmcas_accept_prefers_xml(const char *accept)
{
    int html = -1, xml = -1, any = -1;
    const char *s = accept;

    if (!accept) {
        return 0;
    }
    while (*s) {
        const char *comma = strchr(s, ',');
        apr_size_t len = comma ? (apr_size_t)(comma - s) : strlen(s);
        int q = cmcas_accept_quality(s, len);

        if (cmcas_accept_is(s, len, "text/html")) {
            html = q > html ? q : html;
        }
        else if (cmcas_accept_is(s, len, "application/xml")
                 || cmcas_accept_is(s, len, "text/xml")) {
            xml = q > xml ? q : xml;
        }
        else if (cmcas_accept_is(s, len, "*/*") || cmcas_accept_is(s, len, "text/*")) {
            any = q > any ? q : any;
        }
        s += len;
        if (*s == ',') s++;
    }
    if (html < 0) {
        html = any;     /* an unnamed text/html takes the wildcard quality */
    }
    return xml > 0 && xml > html;
}
