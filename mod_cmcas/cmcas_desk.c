#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_desk.h"
#include "cmcas_date.h"
#include "cmcas_money.h"

static const struct {
    const char *code;
    const char *label;
    int refund_only;
} cmcas_desk_means[] = {
    {"especes", "espèces", 0},
    {"cheque", "chèque", 0},
    {"cheques_vacances", "chèques-vacances", 0},
    {"virement", "virement", 1},
    {"carte", "carte bancaire", 1},
};

const char *cmcas_desk_kind_code(cmcas_desk_kind_t kind)
{
    return kind == CMCAS_DESK_REFUND ? "remboursement" : "paiement";
}

const char *cmcas_desk_means_label(const char *code, cmcas_desk_kind_t kind)
{
    size_t i;

    for (i = 0; code && i < sizeof(cmcas_desk_means) / sizeof(cmcas_desk_means[0]); i++) {
        if (!strcmp(code, cmcas_desk_means[i].code)) {
            return !cmcas_desk_means[i].refund_only || kind == CMCAS_DESK_REFUND
                       ? cmcas_desk_means[i].label : NULL;
        }
    }
    return NULL;
}

apr_int64_t cmcas_desk_amount_parse(const char *s)
{
    apr_int64_t cents;

    /* Not above 1 000 000,00 € (1 000 000,01 € is above it too). */
    return APR_SUCCESS == cmcas_money_parse(&cents, s, 100000000) ? cents : -1;
}

const char *cmcas_desk_entry_read(cmcas_desk_entry_t *e, apr_pool_t *p,
                                  cmcas_desk_kind_t kind, const char *means,
                                  const char *amount, const char *date, const char *note,
                                  apr_time_t now)
{
    cmcas_date_t day, today;

    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->amount = -1;
    if (!cmcas_desk_means_label(means, kind)) {
        return kind == CMCAS_DESK_REFUND
                   ? "Choisissez le moyen de remboursement : espèces, chèque, "
                     "chèques-vacances, virement ou carte bancaire."
                   : "Choisissez le moyen de paiement : espèces, chèque ou "
                     "chèques-vacances.";
    }
    e->means = means;
    if (kind == CMCAS_DESK_PAYMENT) {
        if (!amount || !*amount) {
            return "Indiquez le montant reçu, en euros (par exemple 70,00).";
        }
        if ((e->amount = cmcas_desk_amount_parse(amount)) <= 0) {
            return "Le montant reçu n'est pas un montant en euros (par exemple 70,00).";
        }
    }
    if (!date || !*date) {
        return "Indiquez la date, au format JJ/MM/AAAA.";
    }
    if (APR_SUCCESS != cmcas_date_parse_fr(&day, date)) {
        return "La date n'est pas une date valide au format JJ/MM/AAAA.";
    }
    cmcas_date_today(&today, now);
    if (cmcas_date_cmp(&day, &today) > 0) {
        return "La date ne peut pas être dans le futur.";
    }
    e->on_date = cmcas_date_iso(p, &day);
    e->note = "";
    if (note) {
        /* One line: the note is shown in lists and in the audit log. */
        char *n = apr_pstrdup(p, note), *c;
        for (c = n; *c; c++) {
            if (*c == '\r' || *c == '\n' || *c == '\t') {
                *c = ' ';
            }
        }
        e->note = n;
    }
    return NULL;
}

const char *cmcas_desk_entry_event(apr_pool_t *p, const cmcas_desk_entry_t *e,
                                   apr_int64_t amount)
{
    return apr_psprintf(p, "%s : %s, %s%s%s%s",
                        e->kind == CMCAS_DESK_REFUND ? "Remboursement enregistré"
                                                     : "Paiement en CMCAS enregistré",
                        cmcas_desk_means_label(e->means, e->kind),
                        cmcas_money_format(p, amount),
                        *e->note ? " (" : "", e->note, *e->note ? ")" : "");
}
