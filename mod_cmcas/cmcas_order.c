#include <apr_strings.h>
#include <openssl/rand.h>

#include "cmcas_order.h"

apr_status_t cmcas_order_reference(char out[CMCAS_ORDER_REFERENCE_LEN + 1])
{
    int n = 0;

    while (n < CMCAS_ORDER_REFERENCE_LEN) {
        unsigned char buf[16];
        size_t i;
        if (RAND_bytes(buf, sizeof(buf)) != 1) {
            return APR_EGENERAL;
        }
        for (i = 0; i < sizeof(buf) && n < CMCAS_ORDER_REFERENCE_LEN; i++) {
            /* 26 * 9 = 234: bytes above are dropped so every letter is equally likely. */
            if (buf[i] < 234) {
                out[n++] = (char)('A' + buf[i] % 26);
            }
        }
    }
    out[n] = '\0';
    return APR_SUCCESS;
}

int cmcas_order_reference_ok(const char *s)
{
    int i;
    for (i = 0; i < CMCAS_ORDER_REFERENCE_LEN; i++) {
        if (s[i] < 'A' || s[i] > 'Z') {
            return 0;
        }
    }
    return s[i] == '\0';
}

apr_array_header_t *cmcas_order_lines(apr_pool_t *p, const cmcas_registration_t *reg,
                                      const apr_array_header_t *options)
{
    apr_array_header_t *lines = apr_array_make(p, 4, sizeof(cmcas_order_line_t));
    int i, j;

    for (i = 0; i < reg->participants->nelts; i++) {
        const cmcas_registration_participant_t *pa =
            &APR_ARRAY_IDX(reg->participants, i, cmcas_registration_participant_t);
        for (j = 0; pa->options && j < pa->options->nelts; j++) {
            const cmcas_activity_option_t *o =
                cmcas_registration_option(options, APR_ARRAY_IDX(pa->options, j, apr_int64_t));
            cmcas_order_line_t *line;
            if (!o) {
                continue;
            }
            line = apr_array_push(lines);
            line->person = apr_pstrcat(p, pa->first_name, " ", pa->last_name, NULL);
            line->option = o->label;
            line->amount = cmcas_registration_price(pa, o);
            line->participation = cmcas_registration_participation(pa, o);
        }
    }
    return lines;
}

apr_int64_t cmcas_order_total(const apr_array_header_t *lines)
{
    apr_int64_t total = 0;
    int i;
    for (i = 0; i < lines->nelts; i++) {
        total += APR_ARRAY_IDX(lines, i, cmcas_order_line_t).amount;
    }
    return total;
}

const char *cmcas_order_method_label(const char *method)
{
    if (!strcmp(method, "paybox")) return "Paybox";
    if (!strcmp(method, "systempay")) return "Systempay";
    return "En CMCAS";
}

const char *cmcas_order_status_label(const cmcas_order_t *order)
{
    if (order->status == CMCAS_STATUS_ORDER_A_REMBOURSER && order->refunded_at
        && *order->refunded_at) {
        return "Remboursée";
    }
    return cmcas_status_order_label(order->status);
}
