#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_query.h"
#include "cmcas_text.h"

const cmcas_query_limits_t cmcas_query_bank_limits = {200, 2048, 0};

int cmcas_query_hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static apr_status_t cmcas_query_decode(char *s, apr_size_t *plen, int plus_is_space)
{
    char *in = s, *out = s;

    while (*in) {
        if (*in == '+' && plus_is_space) {
            *out++ = ' ';
            in++;
        }
        else if (*in == '%') {
            int hi = cmcas_query_hexval(in[1]);
            int lo = hi < 0 ? -1 : cmcas_query_hexval(in[2]);
            if (lo < 0 || (hi == 0 && lo == 0)) {
                return APR_EINVAL;
            }
            *out++ = (char)(hi * 16 + lo);
            in += 3;
        }
        else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    *plen = (apr_size_t)(out - s);
    return APR_SUCCESS;
}

apr_status_t cmcas_query_unescape(char *s, apr_size_t *plen)
{
    return cmcas_query_decode(s, plen, 1);
}

apr_status_t cmcas_query_unescape_raw(char *s, apr_size_t *plen)
{
    return cmcas_query_decode(s, plen, 0);
}

apr_status_t cmcas_query_parse(apr_table_t **pargs, apr_pool_t *p, const char *qs,
                               const cmcas_query_limits_t *limits, const char **perr)
{
    apr_table_t *args = apr_table_make(p, 8);
    char *copy, *pair, *state = NULL;
    int count = 0;

    *pargs = NULL;
    *perr = NULL;
    if (!qs || !*qs) {
        *pargs = args;
        return APR_SUCCESS;
    }
    copy = apr_pstrdup(p, qs);
    for (pair = apr_strtok(copy, "&", &state); pair;
         pair = apr_strtok(NULL, "&", &state)) {
        char *name = pair, *value = strchr(pair, '=');
        apr_size_t nlen, vlen;

        if (++count > limits->max_pairs) {
            *perr = "Trop de paramètres dans l'adresse.";
            return APR_EINVAL;
        }
        if (value) {
            *value++ = '\0';
        }
        else {
            value = name + strlen(name);    /* "a" is "a=" */
        }
        if (APR_SUCCESS != cmcas_query_unescape(name, &nlen)
            || APR_SUCCESS != cmcas_query_unescape(value, &vlen)) {
            *perr = "Adresse mal formée (caractère échappé invalide).";
            return APR_EINVAL;
        }
        if (!cmcas_text_utf8_valid(name, nlen) || !cmcas_text_utf8_valid(value, vlen)) {
            *perr = "Adresse mal formée (texte qui n'est pas en UTF-8).";
            return APR_EINVAL;
        }
        if (!cmcas_text_xml_valid(name, nlen) || !cmcas_text_xml_valid(value, vlen)) {
            *perr = "Adresse mal formée (caractère de contrôle).";
            return APR_EINVAL;
        }
        if (nlen == 0) {
            continue;                       /* "&&" or "=x": nothing to name */
        }
        if (vlen > limits->max_value || nlen > limits->max_value) {
            *perr = apr_psprintf(p, "Le paramètre « %.40s » est trop long.", name);
            return APR_EINVAL;
        }
        if (!limits->allow_repeat && apr_table_get(args, name)) {
            *perr = apr_psprintf(p, "Le paramètre « %s » est donné plusieurs fois.", name);
            return APR_EINVAL;
        }
        apr_table_addn(args, name, value);
    }
    *pargs = args;
    return APR_SUCCESS;
}
