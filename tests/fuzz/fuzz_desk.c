/* libFuzzer harness: what CMCAS staff type at the desk (cmcas_desk_entry_read: means,
 * amount in euros, day, note) and the amount parser alone (cmcas_desk_amount_parse), on
 * the input's bytes. The input: one byte for the kind (its low bit: a refund), then the
 * four fields separated by NUL bytes (a field missing is NULL). Invariants checked
 * (abort() when one breaks): an amount accepted is 0 to 1 000 000,00 € in cents and,
 * written back as « euros,cents » or as the pages show it (« 1 070,00 € », no-break
 * spaces), parses to the same cents; an entry accepted has a
 * means its kind takes, an amount above 0 for a payment (-1 for a refund, which gives
 * the order's total back), the day typed in ISO form and not after today, a note on one
 * line as long as the one typed; its event line is written; a refusal has a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_desk.h"
#include "../../mod_cmcas/cmcas_money.h"

/* The largest amount taken: 1 000 000,00 €. */
#define FUZZ_DESK_MAX 100000000

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(int ok)
{
    if (!ok) {
        abort();
    }
}

static void fuzz_amount(apr_pool_t *p, const char *s)
{
    apr_int64_t cents = cmcas_desk_amount_parse(s);

    fuzz_check(cents >= -1 && cents <= FUZZ_DESK_MAX);
    if (cents >= 0) {
        const char *again = apr_psprintf(p, "%" APR_INT64_T_FMT ",%02d", cents / 100,
                                         (int)(cents % 100));
        fuzz_check(cmcas_desk_amount_parse(again) == cents);
        fuzz_check(cmcas_desk_amount_parse(cmcas_money_format(p, cents)) == cents);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* 2027-05-01 10:00 UTC: the server's local day is the 1st of May (UTC+0..+2). */
    const apr_time_t now = apr_time_from_sec(1809165600);
    apr_pool_t *p;
    const char *field[4] = {NULL, NULL, NULL, NULL}, *message;
    cmcas_desk_kind_t kind;
    cmcas_desk_entry_t e;
    size_t i, start;
    int n = 0;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    fuzz_amount(p, apr_pstrmemdup(p, (const char *)data, size));
    if (!size) {
        apr_pool_destroy(p);
        return 0;
    }
    kind = (data[0] & 1) ? CMCAS_DESK_REFUND : CMCAS_DESK_PAYMENT;
    for (i = start = 1; i <= size && n < 4; i++) {
        if (i == size || !data[i]) {
            field[n++] = apr_pstrmemdup(p, (const char *)data + start, i - start);
            start = i + 1;
        }
    }
    if (field[1]) {
        fuzz_amount(p, field[1]);
    }
    message = cmcas_desk_entry_read(&e, p, kind, field[0], field[1], field[2], field[3], now);
    if (!message) {
        cmcas_date_t day, today;
        const char *c;
        fuzz_check(e.kind == kind && e.means && cmcas_desk_means_label(e.means, kind));
        fuzz_check(!strcmp(e.means, field[0]));
        if (kind == CMCAS_DESK_PAYMENT) {
            fuzz_check(e.amount > 0 && e.amount <= FUZZ_DESK_MAX
                       && e.amount == cmcas_desk_amount_parse(field[1]));
        }
        else {
            fuzz_check(e.amount == -1);
        }
        fuzz_check(APR_SUCCESS == cmcas_date_parse_fr(&day, field[2]));
        fuzz_check(e.on_date && !strcmp(e.on_date, cmcas_date_iso(p, &day)));
        cmcas_date_today(&today, now);
        fuzz_check(cmcas_date_cmp(&day, &today) <= 0);
        fuzz_check(e.note && strlen(e.note) == (field[3] ? strlen(field[3]) : 0));
        for (c = e.note; *c; c++) {
            fuzz_check(*c != '\r' && *c != '\n' && *c != '\t');
        }
        fuzz_check(cmcas_desk_entry_event(p, &e, e.amount < 0 ? 7000 : e.amount) != NULL);
    }
    else {
        fuzz_check(*message);
    }
    apr_pool_destroy(p);
    return 0;
}
