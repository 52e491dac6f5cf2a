#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_text.h"

int cmcas_text_utf8_valid(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0;

    while (i < len) {
        unsigned c = u[i];
        apr_size_t n, k;
        unsigned cp;

        if (c == 0) {
            return 0;
        }
        if (c < 0x80) {
            i++;
            continue;
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
        if (len - i <= n) {
            return 0;
        }
        for (k = 1; k <= n; k++) {
            if ((u[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))
            || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
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
    /* Folding never grows a character beyond its UTF-8 length, except
     * 2-byte letters that become 2 ASCII letters: same size. */
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;

    while (*u) {
        unsigned cp;
        apr_size_t n;
        const char *two;

        if (*u < 0x80) {
            *o++ = (char)apr_tolower(*u++);
            continue;
        }
        n = (*u >= 0xF0) ? 4 : (*u >= 0xE0) ? 3 : 2;
        cp = n == 2 ? ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu)
           : n == 3 ? ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu)
           : 0;
        two = cmcas_text_pair(cp);
        if (two) {
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
            memcpy(o, u, n);
            o += n;
        }
        u += n;
    }
    *o = '\0';
    return out;
}

static int cmcas_text_is_word(unsigned char c)
{
    return apr_isalnum(c) || c >= 0x80;
}

int cmcas_text_match(const char *haystack, const char *query)
{
    const char *q = query;

    for (;;) {
        const char *start;
        char word[256];
        apr_size_t len;

        while (*q && !cmcas_text_is_word((unsigned char)*q)) {
            q++;
        }
        if (!*q) {
            return 1;
        }
        start = q;
        while (*q && cmcas_text_is_word((unsigned char)*q)) {
            q++;
        }
        len = (apr_size_t)(q - start);
        if (len >= sizeof(word)) {
            return 0;       /* no title holds a 256-byte word */
        }
        memcpy(word, start, len);
        word[len] = '\0';
        if (!strstr(haystack, word)) {
            return 0;
        }
    }
}
