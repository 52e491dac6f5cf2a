#include <apr_strings.h>

#include "mod_cmcas_block_check.h"

static const char *const mod_cmcas_block_check_paybox[] = {
    "CMCASPayboxAccount", "CMCASPayboxKeyFile", "CMCASPayboxPublicKeyFile",
    "CMCASPayboxPlatform", "CMCASPayboxDirect", NULL};
static const char *const mod_cmcas_block_check_systempay[] = {
    "CMCASSystempayAccount", "CMCASSystempayKeyFile", NULL};
/* Card payment only: meaningless (and a sign of a mistake) while members pay at the
 * desk. The CGV and CMCASDeskHold apply to the desk too. */
static const char *const mod_cmcas_block_check_card[] = {
    "CMCASGateway", "CMCASInstalments", "CMCASCardHold", NULL};

static int mod_cmcas_block_check_in(const char *name, const char *const *list)
{
    for (; *list; list++) {
        if (!strcasecmp(name, *list)) {
            return 1;
        }
    }
    return 0;
}

static int mod_cmcas_block_check_is(const char *gateway, const char *name)
{
    return gateway && !strcmp(gateway, name);
}

const char *mod_cmcas_block_check(apr_pool_t *p, const ap_directive_t *block,
                                  const mod_cmcas_config_cmcas_t *c)
{
    const char *gateway = c->payment.gateway, *code = c->site.code;
    const ap_directive_t *d;

    for (d = block->first_child; d; d = d->next) {
        int paybox = mod_cmcas_block_check_in(d->directive, mod_cmcas_block_check_paybox);
        int systempay = mod_cmcas_block_check_in(d->directive,
                                                 mod_cmcas_block_check_systempay);

        if (paybox && !mod_cmcas_block_check_is(gateway, "paybox")) {
            return apr_psprintf(p, "<CMCAS %s>: %s is only for CMCASGateway paybox "
                                "(%s:%d)", code, d->directive, d->filename, d->line_num);
        }
        if (systempay && !mod_cmcas_block_check_is(gateway, "systempay")) {
            return apr_psprintf(p, "<CMCAS %s>: %s is only for CMCASGateway systempay "
                                "(%s:%d)", code, d->directive, d->filename, d->line_num);
        }
        if (c->payment.online != 1 && (paybox || systempay
            || mod_cmcas_block_check_in(d->directive, mod_cmcas_block_check_card))) {
            return apr_psprintf(p, "<CMCAS %s>: %s (%s:%d) is a card payment setting but "
                                "CMCASOnlinePayment is %s: set CMCASOnlinePayment On, or "
                                "remove the card payment settings", code, d->directive,
                                d->filename, d->line_num,
                                c->payment.online == 0 ? "Off" : "Off (the default)");
        }
    }
    return NULL;
}
