#include <apr_strings.h>
#include <apr_lib.h>
#include <stdlib.h>

#include "cmcas_text.h"

/* Decodes one UTF-8 character at s[0..len): its length, or 0 when the bytes there
 * are not a well-formed character (overlong, surrogate, truncated, NUL). */
static apr_size_t cmcas_text_decode(const unsigned char *s, apr_size_t len, unsigned *pcp)
{
    unsigned c = s[0], cp;
    apr_size_t n, k;

    if (c == 0) {
        return 0;
    }
    if (c < 0x80) {
        *pcp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
    }
    else {
        return 0;
    }
    if (len <= n) {
        return 0;
    }
    for (k = 1; k <= n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))
        || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    *pcp = cp;
    return n + 1;
}

int cmcas_text_utf8_valid(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, n;
    unsigned cp;

    while (i < len) {
        if (!(n = cmcas_text_decode(u + i, len - i, &cp))) {
            return 0;
        }
        i += n;
    }
    return 1;
}

/* Characters XML 1.0 allows (the C0 controls but tab and newlines are not). */
static int cmcas_text_xml_char(unsigned cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

int cmcas_text_xml_valid(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, n;
    unsigned cp;

    while (i < len) {
        if (!(n = cmcas_text_decode(u + i, len - i, &cp)) || !cmcas_text_xml_char(cp)) {
            return 0;
        }
        i += n;
    }
    return 1;
}

char *cmcas_text_xml_clean(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t len = strlen(s), i = 0, n;
    /* U+FFFD is 3 bytes and replaces at least 1 byte. */
    char *out = malloc(3 * len + 1), *o = out;
    unsigned cp;

    if (!out) {
        return NULL;
    }
    while (i < len) {
        n = cmcas_text_decode(u + i, len - i, &cp);
        if (n && cmcas_text_xml_char(cp)) {
            memcpy(o, u + i, n);
            o += n;
            i += n;
        }
        else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += n ? n : 1;
        }
    }
    *o = '\0';
    return out;
}

/* ASCII base letters of U+00C0..U+00FF ('*' = keep, '#' = two letters). */
static const char cmcas_text_latin1[64] =
    "aaaaaa#ceeeeiiii" "dnooooo*ouuuuy##"
    "aaaaaa#ceeeeiiii" "dnooooo*ouuuuy#y";
/* ASCII base letters of U+0100..U+017F (Œ œ are handled before). */
static const char cmcas_text_latin_a[128] =
    "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii"
    "iiiijjkkklllllll" "lllnnnnnnnnnoooo" "oo..rrrrrrssssss"
    "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

static const char *cmcas_text_pair(unsigned cp)
{
    switch (cp) {
    case 0xC6: case 0xE6: return "ae";
    case 0xDE: case 0xFE: return "th";
    case 0xDF: return "ss";
    case 0x152: case 0x153: return "oe";
    default: return NULL;
    }
}

char *cmcas_text_fold(apr_pool_t *p, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t len = strlen(s), i = 0;
    /* A folded character is never longer than its UTF-8 form (2-byte letters give
     * at most 2 ASCII letters; a bad byte becomes one '?'). */
    char *out = apr_palloc(p, len + 1), *o = out;

    while (i < len) {
        unsigned cp = 0;
        apr_size_t n = cmcas_text_decode(u + i, len - i, &cp);
        const char *two;

        if (!n) {
            *o++ = '?';         /* not UTF-8: matches nothing a member types */
            i++;
            continue;
        }
        if (cp < 0x80) {
            *o++ = (char)apr_tolower((int)cp);
        }
        else if ((two = cmcas_text_pair(cp))) {
            *o++ = two[0];
            *o++ = two[1];
        }
        else if (cp >= 0xC0 && cp <= 0xFF && cmcas_text_latin1[cp - 0xC0] != '*') {
            *o++ = cmcas_text_latin1[cp - 0xC0];
        }
        else if (cp >= 0x100 && cp <= 0x17F) {
            *o++ = cmcas_text_latin_a[cp - 0x100];
        }
        else if (cp == 0xA0) {
            *o++ = ' ';
        }
        else if (cp == 0x2019 || cp == 0x2018) {
            *o++ = '\'';
        }
        else {
            memcpy(o, u + i, n);
            o += n;
        }
        i += n;
    }
    *o = '\0';
    return out;
}
