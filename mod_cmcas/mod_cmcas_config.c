#include <apr_strings.h>
#include <apr_lib.h>
#include <apr_file_info.h>
#include <unistd.h>
#include <http_core.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_block_check.h"
#include "mod_cmcas_perm_check.h"
#include "cmcas_legal.h"
#include "cmcas_money.h"
#include "cmcas_paybox.h"
#include "cmcas_store.h"
#include "cmcas_registration_store.h"
#include "cmcas_order_store.h"

#define MOD_CMCAS_CONFIG_UNSET (-1)
#define MOD_CMCAS_CONFIG_PAGE_SIZE 12
#define MOD_CMCAS_CONFIG_NEW_DAYS 15
#define MOD_CMCAS_CONFIG_CARD_HOLD 30       /* minutes */
#define MOD_CMCAS_CONFIG_DESK_HOLD 7        /* days */
#define MOD_CMCAS_CONFIG_DRAW_WINDOW 24     /* months */
#define MOD_CMCAS_CONFIG_DRAW_PAY_DAYS 7

/* Global settings (GLOBAL_ONLY directives) of the configuration being read. They are
 * rebuilt from scratch in pre_config on every (re)start, from pconf. */
static struct {
    apr_hash_t *cmcas;                  /* code -> mod_cmcas_config_cmcas_t* */
    apr_array_header_t *uses;           /* mod_cmcas_config_use_t */
    const char *template_dir;           /* NULL: the installed templates */
    const char *template_where;         /* file:line of CMCASTemplateDir */
    cmcas_csrf_key_t csrf_key;          /* from CMCASSecretFile; key NULL: unset */
    server_rec *job_server;             /* the first portal's: its database for the jobs */
    int expiry_seconds;                 /* CMCASExpiryInterval; -1: unset */
    char **mail_argv;                   /* CMCASMailCommand; NULL: unset */
    const char *mail_where;             /* its file:line */
    int mail_seconds;                   /* CMCASMailInterval; -1: unset */
    int page_cache_seconds;             /* CMCASPageCache: places' staleness; -1: unset
                                         * (1 s), -2: Off */
    cmcas_render_t *render;             /* compiled in check_config */
    const char *static_version;         /* of the CSS and script, for their URLs */
} mod_cmcas_config_global;

/* A version of the static files the pages link to, from their sizes and times: their
 * URLs carry it (?v=…), so browsers may keep them a year and still see a new one. */
static const char *mod_cmcas_config_version(apr_pool_t *p, const char *dir)
{
    static const char *const files[] = {"static/cmcas.css", "static/cmcas.js", NULL};
    apr_uint64_t h = 1469598103934665603ULL;    /* FNV-1a over (mtime, size) */
    apr_finfo_t fi;
    int i;

    for (i = 0; files[i]; i++) {
        if (APR_SUCCESS == apr_stat(&fi, apr_pstrcat(p, dir, "/", files[i], NULL),
                                    APR_FINFO_MTIME | APR_FINFO_SIZE, p)) {
            h = (h ^ (apr_uint64_t)fi.mtime) * 1099511628211ULL;
            h = (h ^ (apr_uint64_t)fi.size) * 1099511628211ULL;
        }
    }
    return apr_psprintf(p, "%08x", (unsigned)(h ^ (h >> 32)));
}

const char *mod_cmcas_config_static_version(void)
{
    return mod_cmcas_config_global.static_version ? mod_cmcas_config_global.static_version
                                                  : "0";
}

int mod_cmcas_config_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    mod_cmcas_config_global.cmcas = apr_hash_make(pconf);
    mod_cmcas_config_global.uses = apr_array_make(pconf, 4, sizeof(mod_cmcas_config_use_t));
    mod_cmcas_config_global.template_dir = NULL;
    mod_cmcas_config_global.template_where = NULL;
    mod_cmcas_config_global.render = NULL;
    mod_cmcas_config_global.csrf_key.key = NULL;
    mod_cmcas_config_global.csrf_key.key_len = 0;
    mod_cmcas_config_global.job_server = NULL;
    mod_cmcas_config_global.expiry_seconds = MOD_CMCAS_CONFIG_UNSET;
    mod_cmcas_config_global.mail_argv = NULL;
    mod_cmcas_config_global.mail_where = NULL;
    mod_cmcas_config_global.mail_seconds = MOD_CMCAS_CONFIG_UNSET;
    mod_cmcas_config_global.page_cache_seconds = MOD_CMCAS_CONFIG_UNSET;
    return OK;
}

void *mod_cmcas_config_create_srv(apr_pool_t *p, server_rec *s)
{
    mod_cmcas_config_srv_t *conf = apr_pcalloc(p, sizeof(*conf));
    (void)s;
    conf->page_size = MOD_CMCAS_CONFIG_UNSET;
    conf->new_days = MOD_CMCAS_CONFIG_UNSET;
    return conf;
}

void *mod_cmcas_config_merge_srv(apr_pool_t *p, void *basev, void *addv)
{
    mod_cmcas_config_srv_t *base = basev, *add = addv;
    mod_cmcas_config_srv_t *conf = apr_pcalloc(p, sizeof(*conf));

    conf->page_size = add->page_size != MOD_CMCAS_CONFIG_UNSET ? add->page_size
                                                               : base->page_size;
    conf->new_days = add->new_days != MOD_CMCAS_CONFIG_UNSET ? add->new_days
                                                             : base->new_days;
    /* mod_dbd gives a virtual host its base's statements as well as its own. */
    conf->statements_registered = add->statements_registered
                                  || base->statements_registered;
    return conf;
}

void *mod_cmcas_config_create_dir(apr_pool_t *p, char *dir)
{
    (void)dir;
    return apr_pcalloc(p, sizeof(mod_cmcas_config_dir_t));
}

void *mod_cmcas_config_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    mod_cmcas_config_dir_t *base = basev, *add = addv;
    mod_cmcas_config_dir_t *conf = apr_pcalloc(p, sizeof(*conf));

    /* The prefix goes with the CMCASPortal line it was set by. */
    conf->portal = add->portal ? add->portal : base->portal;
    conf->base = add->portal ? add->base : base->base;
    conf->portal_where = add->portal ? add->portal_where : base->portal_where;
    return conf;
}

/* ------------------------------------------------------------------------------- */
/* Directives */

static const char *mod_cmcas_config_where(cmd_parms *cmd)
{
    return apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename,
                        cmd->directive->line_num);
}

/* CMCAS codes are short upper-case identifiers: they appear in URLs and logs. */
static int mod_cmcas_config_code_ok(const char *code)
{
    const char *c;
    if (!*code || strlen(code) > 16) {
        return 0;
    }
    for (c = code; *c; c++) {
        if (!(apr_isupper(*c) || apr_isdigit(*c) || *c == '_' || *c == '-')) {
            return 0;
        }
    }
    return 1;
}

static const char *mod_cmcas_config_payment_check(apr_pool_t *p,
                                                  const mod_cmcas_config_cmcas_t *c);

static const char *mod_cmcas_config_block(cmd_parms *cmd, void *dconf, const char *arg)
{
    /* At server level, or in the <VirtualHost> of its portal (a provider keeps each
     * CMCAS with its site); codes are one namespace for the whole server. */
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_LOC_FILE);
    const char *endp = ap_strrchr_c(arg, '>');
    const ap_directive_t *block = cmd->directive;
    mod_cmcas_config_cmcas_t *c;
    char *code;

    (void)dconf;
    if (err) {
        return err;
    }
    if (!endp) {
        return "<CMCAS> directive missing closing '>'";
    }
    code = apr_pstrmemdup(cmd->pool, arg, (apr_size_t)(endp - arg));
    code = ap_getword_conf(cmd->pool, (const char **)&code);
    if (!mod_cmcas_config_code_ok(code)) {
        return apr_psprintf(cmd->pool, "<CMCAS %s>: the code must be 1 to 16 upper-case "
                            "letters, digits, '-' or '_'", code);
    }
    if (apr_hash_get(mod_cmcas_config_global.cmcas, code, APR_HASH_KEY_STRING)) {
        return apr_psprintf(cmd->pool, "<CMCAS %s>: this CMCAS is already declared", code);
    }
    c = apr_pcalloc(cmd->pool, sizeof(*c));
    c->site.code = code;
    c->payment.online = MOD_CMCAS_CONFIG_UNSET;
    c->payment.instalments = MOD_CMCAS_CONFIG_UNSET;
    c->payment.card_hold_minutes = MOD_CMCAS_CONFIG_UNSET;
    c->payment.desk_hold_days = MOD_CMCAS_CONFIG_UNSET;
    c->draw_window_months = MOD_CMCAS_CONFIG_UNSET;
    c->draw_pay_days = MOD_CMCAS_CONFIG_UNSET;
    c->payment.paybox_test = MOD_CMCAS_CONFIG_UNSET;
    c->file = cmd->directive->filename;
    c->line = cmd->directive->line_num;
    c->vhost = cmd->server->is_virtual ? cmd->server : NULL;
    apr_hash_set(mod_cmcas_config_global.cmcas, code, APR_HASH_KEY_STRING, c);

    /* The section's own config vector: Apache indexes it by module number (our dconf
     * there wrote past it, depending on which modules are loaded). */
    if ((err = ap_walk_config(cmd->directive->first_child, cmd, cmd->context))) {
        return err;
    }
    if (!c->site.name) {
        return apr_psprintf(cmd->pool, "<CMCAS %s> needs a CMCASName", code);
    }
    c->seller.code = c->site.code;
    c->seller.name = c->site.name;
    c->seller.street = c->site.street;
    c->seller.postcode = c->site.postcode;
    c->seller.city = c->site.city;
    c->seller.phone = c->site.phone;
    c->seller.email = c->site.email;
    c->seller.legal = c->invoice_legal;
    if ((err = mod_cmcas_block_check(cmd->pool, block, c))) {
        return err;
    }
    return mod_cmcas_config_payment_check(cmd->pool, c);
}

/* The <CMCAS> block a directive sits in, or an error naming the directive. */
static const char *mod_cmcas_config_inside(cmd_parms *cmd, mod_cmcas_config_cmcas_t **pc)
{
    const ap_directive_t *parent = cmd->directive->parent;
    const char *code;

    *pc = NULL;
    if (!parent || strcasecmp(parent->directive, "<CMCAS")) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           " is only valid inside a <CMCAS code> block", NULL);
    }
    code = apr_pstrndup(cmd->pool, parent->args, strcspn(parent->args, "> \t"));
    *pc = apr_hash_get(mod_cmcas_config_global.cmcas, code, APR_HASH_KEY_STRING);
    return *pc ? NULL : apr_pstrcat(cmd->pool, cmd->cmd->name, ": unknown block", NULL);
}

static const char *mod_cmcas_config_site_text(cmd_parms *cmd, void *dconf, const char *v)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    const char **slot;

    (void)dconf;
    if (err) {
        return err;
    }
    if (!*v) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, " must not be empty", NULL);
    }
    slot = cmd->info == (void *)0 ? &c->site.name
         : cmd->info == (void *)1 ? &c->site.phone : &c->site.email;
    if (*slot) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, " is given twice in <CMCAS ",
                           c->site.code, ">", NULL);
    }
    if (cmd->info == (void *)2 && !ap_strchr_c(v, '@')) {
        return apr_psprintf(cmd->pool, "CMCASEmail: '%s' is not an e-mail address", v);
    }
    *slot = v;
    return NULL;
}

static const char *mod_cmcas_config_address(cmd_parms *cmd, void *dconf, const char *street,
                                            const char *postcode, const char *city)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);

    (void)dconf;
    if (err) {
        return err;
    }
    if (c->site.street) {
        return apr_pstrcat(cmd->pool, "CMCASAddress is given twice in <CMCAS ",
                           c->site.code, ">", NULL);
    }
    c->site.street = street;
    c->site.postcode = postcode;
    c->site.city = city;
    return NULL;
}

/* One more line of the legal mentions printed on the CMCAS's invoices (SIRET, VAT
 * exemption...): the directive may be repeated, its lines kept in order. */
static const char *mod_cmcas_config_invoice_legal(cmd_parms *cmd, void *dconf,
                                                  const char *v)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);

    (void)dconf;
    if (err) {
        return err;
    }
    if (!*v || strlen(v) > 300 || strpbrk(v, "\r\n")) {
        return apr_pstrcat(cmd->pool, "CMCASInvoiceLegal: a line of 1 to 300 characters, "
                           "in <CMCAS ", c->site.code, ">", NULL);
    }
    c->invoice_legal = c->invoice_legal ? apr_pstrcat(cmd->pool, c->invoice_legal, "\n", v,
                                                      NULL)
                                        : v;
    return NULL;
}

/* CMCASWelcomeMembersOf CODE...: households of these other CMCAS may use this CMCAS's
 * portals (by default a portal serves its own CMCAS's households only). */
static const char *mod_cmcas_config_welcome(cmd_parms *cmd, void *dconf, const char *code)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);

    (void)dconf;
    if (err) {
        return err;
    }
    if (!mod_cmcas_config_code_ok(code)) {
        return apr_psprintf(cmd->pool, "CMCASWelcomeMembersOf: '%s' is not a CMCAS code",
                            code);
    }
    if (!strcmp(code, c->site.code) || mod_cmcas_config_serves(c, code)) {
        return apr_psprintf(cmd->pool, "CMCASWelcomeMembersOf: %s is named twice (or is "
                            "<CMCAS %s> itself)", code, c->site.code);
    }
    if (!c->welcome) {
        c->welcome = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(c->welcome, const char *) = code;
    return NULL;
}

/* A whole number from min to max; NULL, or the error naming the directive. */
static const char *mod_cmcas_config_range(cmd_parms *cmd, const char *v, long min, long max,
                                          const char *unit, int *pn)
{
    char *end;
    long n = strtol(v, &end, 10);

    if (!*v || *end || n < min || n > max) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number%s from %ld to %ld",
                            cmd->cmd->name, v, unit, min, max);
    }
    *pn = (int)n;
    return NULL;
}

/* ------------------------------------------------------------------------------- */
/* Payment settings, inside <CMCAS> */

/* Online payment needs a complete merchant account for its gateway. */
static const char *mod_cmcas_config_payment_check(apr_pool_t *p,
                                                  const mod_cmcas_config_cmcas_t *c)
{
    const mod_cmcas_config_payment_t *pay = &c->payment;
    const char *missing = NULL;

    /* The other gateway's settings, or card settings with desk payment only:
     * mod_cmcas_block_check.c said so already. */
    if (pay->online != 1) {
        return NULL;
    }
    if (!pay->gateway) {
        missing = "CMCASGateway";
    }
    else if (!strcmp(pay->gateway, "paybox")) {
        missing = !pay->paybox_site ? "CMCASPayboxAccount"
                : !pay->paybox_key ? "CMCASPayboxKeyFile"
                : !pay->paybox_pubkey ? "CMCASPayboxPublicKeyFile" : NULL;
    }
    else {
        missing = !pay->systempay_site ? "CMCASSystempayAccount"
                : !pay->systempay_key ? "CMCASSystempayKeyFile" : NULL;
    }
    if (!missing && !pay->cgv_url && !c->cgv_text) {
        missing = "CMCASCGVFile or CMCASCGV";
    }
    return missing ? apr_psprintf(p, "<CMCAS %s>: CMCASOnlinePayment On needs %s",
                                  c->site.code, missing)
                   : NULL;
}

/* A setting of the block given a second time: refused (the last would silently win). */
static const char *mod_cmcas_config_twice(cmd_parms *cmd, const mod_cmcas_config_cmcas_t *c,
                                          int set)
{
    return set ? apr_pstrcat(cmd->pool, cmd->cmd->name, " is given twice in <CMCAS ",
                             c->site.code, ">", NULL)
               : NULL;
}

static const char *mod_cmcas_config_online(cmd_parms *cmd, void *dconf, int flag)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.online
                                                     != MOD_CMCAS_CONFIG_UNSET))) {
        return err;
    }
    c->payment.online = flag;
    return NULL;
}

/* An absolute http(s) URL: the bank posts and redirects to such URLs only. */
static int mod_cmcas_config_url_ok(const char *url)
{
    return (!strncmp(url, "https://", 8) && url[8]) || (!strncmp(url, "http://", 7) && url[7]);
}

static const char *mod_cmcas_config_gateway(cmd_parms *cmd, void *dconf, const char *name,
                                            const char *url)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.gateway != NULL))) {
        return err;
    }
    if (strcmp(name, "paybox") && strcmp(name, "systempay")) {
        return apr_psprintf(cmd->pool, "CMCASGateway: '%s' is not a gateway (paybox or "
                            "systempay)", name);
    }
    if (!mod_cmcas_config_url_ok(url)) {
        return apr_psprintf(cmd->pool, "CMCASGateway: '%s' is not an absolute http(s) URL",
                            url);
    }
    c->payment.gateway = name;
    c->payment.gateway_url = url;
    return NULL;
}

static int mod_cmcas_config_digits(const char *s, apr_size_t min, apr_size_t max)
{
    apr_size_t n = strlen(s), i;
    for (i = 0; i < n; i++) {
        if (!apr_isdigit(s[i])) {
            return 0;
        }
    }
    return n >= min && n <= max;
}

static const char *mod_cmcas_config_paybox_account(cmd_parms *cmd, void *dconf,
                                                   const char *site, const char *rang,
                                                   const char *ident)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.paybox_site != NULL))) {
        return err;
    }
    /* Sent as given: the bank compares them byte for byte, and so does the HMAC. */
    if (!mod_cmcas_config_digits(site, 7, 7) || !mod_cmcas_config_digits(rang, 2, 3)
        || !mod_cmcas_config_digits(ident, 1, 9)) {
        return "CMCASPayboxAccount: site (7 digits), rang (2 or 3 digits) and identifiant "
               "(1 to 9 digits) expected";
    }
    c->payment.paybox_site = site;
    c->payment.paybox_rang = rang;
    c->payment.paybox_identifiant = ident;
    return NULL;
}

/* A secret read from a file at start-up (as root); the trailing newline is not part of
 * it. The secret itself never appears in a message. */
static const char *mod_cmcas_config_secret(cmd_parms *cmd, const char *path,
                                           const char **psecret)
{
    const char *file = ap_server_root_relative(cmd->pool, path);
    apr_file_t *f = NULL;
    char buf[1025];
    apr_size_t len = sizeof(buf) - 1;
    apr_status_t rv;
    const char *bad = mod_cmcas_perm_check_key(cmd->temp_pool, file, path, 1);

    if (bad) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", bad, NULL);
    }
    if (!file || APR_SUCCESS != (rv = apr_file_open(&f, file, APR_FOPEN_READ,
                                                    APR_OS_DEFAULT, cmd->temp_pool))) {
        return apr_psprintf(cmd->pool, "%s: cannot read %s", cmd->cmd->name, path);
    }
    rv = apr_file_read_full(f, buf, len, &len);
    apr_file_close(f);
    if (APR_SUCCESS != rv && APR_EOF != rv) {
        return apr_psprintf(cmd->pool, "%s: cannot read %s", cmd->cmd->name, path);
    }
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ')) {
        len--;
    }
    buf[len] = '\0';
    if (len == 0 || len >= sizeof(buf) - 1) {
        return apr_psprintf(cmd->pool, "%s: %s is empty or too long", cmd->cmd->name, path);
    }
    *psecret = apr_pstrmemdup(cmd->pool, buf, len);
    memset(buf, 0, sizeof(buf));
    return NULL;
}

static const char *mod_cmcas_config_paybox_key(cmd_parms *cmd, void *dconf, const char *path)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    const char *key = NULL;
    apr_size_t i, n;

    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.paybox_key != NULL))
        || (err = mod_cmcas_config_secret(cmd, path, &key))) {
        return err;
    }
    n = strlen(key);
    for (i = 0; i < n && apr_isxdigit(key[i]); i++)
        ;
    /* The back office's keys are 128 hex digits; a merchant's own at least 40. */
    if (i != n || n % 2 || n < 40) {
        return apr_psprintf(cmd->pool, "CMCASPayboxKeyFile: %s must hold the HMAC key as "
                            "an even number (40 or more) of hexadecimal digits", path);
    }
    c->payment.paybox_key = key;
    return NULL;
}

static const char *mod_cmcas_config_paybox_pubkey(cmd_parms *cmd, void *dconf,
                                                  const char *path)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    const char *file;

    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.paybox_pubkey != NULL))) {
        return err;
    }
    file = ap_server_root_relative(cmd->pool, path);
    /* Public, but whoever replaces it signs the bank's returns. */
    if ((err = mod_cmcas_perm_check_key(cmd->temp_pool, file, path, 0))) {
        return apr_pstrcat(cmd->pool, "CMCASPayboxPublicKeyFile: ", err, NULL);
    }
    if (APR_SUCCESS != cmcas_paybox_load_key(&c->payment.paybox_pubkey, cmd->pool,
                                                      file, &err)) {
        return apr_psprintf(cmd->pool, "CMCASPayboxPublicKeyFile: %s", file ? err : path);
    }
    return NULL;
}

static const char *mod_cmcas_config_paybox_platform(cmd_parms *cmd, void *dconf,
                                                    const char *v)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);

    (void)dconf;
    if (err) {
        return err;
    }
    if (c->payment.paybox_test != MOD_CMCAS_CONFIG_UNSET) {
        return apr_pstrcat(cmd->pool, "CMCASPayboxPlatform is given twice in <CMCAS ",
                           c->site.code, ">", NULL);
    }
    if (strcmp(v, "production") && strcmp(v, "test")) {
        return apr_psprintf(cmd->pool, "CMCASPayboxPlatform: '%s' is not production or "
                            "test", v);
    }
    c->payment.paybox_test = !strcmp(v, "test");
    return NULL;
}

/* The bank's Paybox Direct endpoint and the account's authentication for it: the HMAC
 * key of the back office (hex, as for CMCASPayboxKeyFile) or the CLE of older contracts.
 * Either can move money (refunds): the file must not be readable by every user. */
static const char *mod_cmcas_config_paybox_direct(cmd_parms *cmd, void *dconf,
                                                  const char *url, const char *path)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    const char *file, *secret = NULL;
    apr_finfo_t finfo;
    apr_size_t i, n;

    (void)dconf;
    if (err) {
        return err;
    }
    if (c->payment.paybox_direct_url) {
        return apr_pstrcat(cmd->pool, "CMCASPayboxDirect is given twice in <CMCAS ",
                           c->site.code, ">", NULL);
    }
    if (!mod_cmcas_config_url_ok(url)) {
        return apr_psprintf(cmd->pool, "CMCASPayboxDirect: '%s' is not an absolute http(s) "
                            "URL", url);
    }
    file = ap_server_root_relative(cmd->pool, path);
    if (!file || APR_SUCCESS != apr_stat(&finfo, file, APR_FINFO_TYPE | APR_FINFO_PROT,
                                         cmd->temp_pool)
        || finfo.filetype != APR_REG) {
        return apr_psprintf(cmd->pool, "CMCASPayboxDirect: cannot read %s", path);
    }
    if ((err = mod_cmcas_config_secret(cmd, path, &secret))) {
        return err;
    }
    n = strlen(secret);
    for (i = 0; i < n && apr_isxdigit(secret[i]); i++)
        ;
    if (i == n && n % 2 == 0 && n >= 40) {
        c->payment.paybox_direct_key = secret;
    }
    else {
        for (i = 0; i < n && apr_isgraph(secret[i]); i++)
            ;
        if (i != n || n < 6 || n > 32) {
            return apr_psprintf(cmd->pool, "CMCASPayboxDirect: %s must hold the account's "
                                "HMAC key (an even number, 40 or more, of hexadecimal "
                                "digits) or its Paybox Direct CLE (6 to 32 characters, no "
                                "space)", path);
        }
        c->payment.paybox_direct_cle = secret;
    }
    c->payment.paybox_direct_url = url;
    return NULL;
}

static const char *mod_cmcas_config_systempay_account(cmd_parms *cmd, void *dconf,
                                                      const char *site, const char *mode)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.systempay_site != NULL))) {
        return err;
    }
    if (!mod_cmcas_config_digits(site, 8, 8)) {
        return "CMCASSystempayAccount: the site id is 8 digits";
    }
    if (strcmp(mode, "TEST") && strcmp(mode, "PRODUCTION")) {
        return "CMCASSystempayAccount: the mode is TEST or PRODUCTION";
    }
    c->payment.systempay_site = site;
    c->payment.systempay_mode = mode;
    return NULL;
}

static const char *mod_cmcas_config_systempay_key(cmd_parms *cmd, void *dconf,
                                                  const char *path)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.systempay_key != NULL))
        || (err = mod_cmcas_config_secret(cmd, path, &c->payment.systempay_key))) {
        return err;
    }
    return NULL;
}

/* An amount in euros (cmcas_money_parse: "100", "100,00", "1 000,50 €"), or -1. */
static apr_int64_t mod_cmcas_config_euros(const char *s)
{
    apr_int64_t cents;

    return APR_SUCCESS == cmcas_money_parse(&cents, s, APR_INT64_C(99999999999)) ? cents
                                                                                : -1;
}

static const char *mod_cmcas_config_instalments(cmd_parms *cmd, void *dconf,
                                                const char *count, const char *from)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    apr_int64_t cents = mod_cmcas_config_euros(from);

    (void)dconf;
    if (err || (err = mod_cmcas_config_twice(cmd, c, c->payment.instalments
                                                     != MOD_CMCAS_CONFIG_UNSET))) {
        return err;
    }
    /* 1 would be no instalment at all: leave the directive out instead. */
    if (strlen(count) != 1 || count[0] < '2' || count[0] > '4') {
        return apr_psprintf(cmd->pool, "CMCASInstalments: '%s' instalments: the number is "
                            "2 to 4 (without CMCASInstalments, cards pay at once)", count);
    }
    if (cents < 0) {
        return apr_psprintf(cmd->pool, "CMCASInstalments: '%s' is not an amount in euros "
                            "(100 or 100,00)", from);
    }
    c->payment.instalments = count[0] - '0';
    c->payment.instalments_from = cents;
    return NULL;
}

static const char *mod_cmcas_config_cgv(cmd_parms *cmd, void *dconf, const char *url)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    (void)dconf;
    if (err) {
        return err;
    }
    if (!mod_cmcas_config_url_ok(url) && *url != '/') {
        return apr_psprintf(cmd->pool, "CMCASCGV: '%s' is not an http(s) URL or a path", url);
    }
    c->payment.cgv_url = url;
    return NULL;
}

/* CMCASTermsFile, CMCASCGVFile: a text the module shows as a page, read at start-up so
 * that a missing or unreadable file stops apachectl -t, not a member's request. */
static const char *mod_cmcas_config_legal_file(cmd_parms *cmd, void *dconf,
                                               const char *path)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    const char *file, *bad;
    apr_finfo_t finfo;
    apr_file_t *f = NULL;
    apr_size_t len;
    char *text;

    (void)dconf;
    if (err) {
        return err;
    }
    file = ap_server_root_relative(cmd->pool, path);
    if (!file || APR_SUCCESS != apr_file_open(&f, file, APR_FOPEN_READ, APR_OS_DEFAULT,
                                              cmd->temp_pool)
        || APR_SUCCESS != apr_file_info_get(&finfo, APR_FINFO_SIZE | APR_FINFO_TYPE, f)
        || finfo.filetype != APR_REG) {
        return apr_psprintf(cmd->pool, "%s: cannot read %s", cmd->cmd->name, path);
    }
    if (finfo.size > CMCAS_LEGAL_MAX_BYTES) {
        apr_file_close(f);
        return apr_psprintf(cmd->pool, "%s: %s is larger than 256 KiB", cmd->cmd->name,
                            path);
    }
    len = (apr_size_t)finfo.size;
    text = apr_palloc(cmd->pool, len + 1);
    if (len && APR_SUCCESS != apr_file_read_full(f, text, len, &len)) {
        apr_file_close(f);
        return apr_psprintf(cmd->pool, "%s: cannot read %s", cmd->cmd->name, path);
    }
    apr_file_close(f);
    text[len] = '\0';
    if ((bad = cmcas_legal_check(text, len))) {
        return apr_psprintf(cmd->pool, "%s: %s %s", cmd->cmd->name, path, bad);
    }
    if (cmd->info == (void *)0) {
        c->terms_text = text;
    }
    else {
        c->cgv_text = text;
    }
    return NULL;
}

static const char *mod_cmcas_config_hold(cmd_parms *cmd, void *dconf, const char *v)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);
    int card = cmd->info == (void *)0;

    (void)dconf;
    if (err) {
        return err;
    }
    return card
        ? mod_cmcas_config_range(cmd, v, 1, 1440, "", &c->payment.card_hold_minutes)
        : mod_cmcas_config_range(cmd, v, 1, 60, "", &c->payment.desk_hold_days);
}

static const char *mod_cmcas_config_draw(cmd_parms *cmd, void *dconf, const char *v)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);

    (void)dconf;
    if (err) {
        return err;
    }
    return cmd->info == (void *)0
        ? mod_cmcas_config_range(cmd, v, 1, 120, "", &c->draw_window_months)
        : mod_cmcas_config_range(cmd, v, 1, 60, "", &c->draw_pay_days);
}

/* Registers our statements with mod_dbd for this server, at configuration time
 * (mod_dbd prepares them on every pooled connection; never per request). */
static const char *mod_cmcas_config_statements(cmd_parms *cmd)
{
    mod_cmcas_config_srv_t *sconf = ap_get_module_config(cmd->server->module_config,
                                                         &cmcas_module);
    APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *prepare;
    const cmcas_store_stmt_t *st;
    int i;

    if (sconf->statements_registered) {
        return NULL;
    }
    prepare = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    if (!prepare) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, " needs mod_dbd: load it "
                           "(LoadModule dbd_module) before mod_cmcas", NULL);
    }
    for (i = 0; cmcas_store_registry[i]; i++) {
        for (st = cmcas_store_registry[i]; st->label; st++) {
            prepare(cmd->server, st->sql, st->label);
        }
    }
    sconf->statements_registered = 1;
    return NULL;
}

static const char *mod_cmcas_config_portal_set(cmd_parms *cmd, void *dconf, const char *code)
{
    mod_cmcas_config_dir_t *conf = dconf;
    mod_cmcas_config_use_t *use;
    const ap_directive_t *parent = cmd->directive->parent;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    char *base = "";

    if (err) {
        return err;
    }
    /* A portal is a virtual host or a plain <Location>: its pages link from there. */
    if (cmd->path) {
        apr_size_t n;
        if (!parent || strcasecmp(parent->directive, "<Location") || *cmd->path != '/') {
            return "CMCASPortal is valid at server or virtual host level or directly "
                   "inside a <Location /path> block";
        }
        base = apr_pstrdup(cmd->pool, cmd->path);
        for (n = strlen(base); n > 0 && base[n - 1] == '/'; n--) {
            base[n - 1] = '\0';
        }
    }
    if (!mod_cmcas_config_code_ok(code)) {
        return apr_psprintf(cmd->pool, "CMCASPortal: '%s' is not a CMCAS code", code);
    }
    if (conf->portal) {
        return apr_psprintf(cmd->pool, "CMCASPortal %s: this scope is already the portal "
                            "of CMCAS %s (%s): one CMCASPortal per virtual host or "
                            "<Location>", code, conf->portal, conf->portal_where);
    }
    if ((err = mod_cmcas_config_statements(cmd))) {
        return err;
    }
    conf->portal = code;
    conf->base = base;
    conf->portal_where = mod_cmcas_config_where(cmd);
    if (!mod_cmcas_config_global.job_server) {
        mod_cmcas_config_global.job_server = cmd->server;
    }
    use = apr_array_push(mod_cmcas_config_global.uses);
    use->code = code;
    use->file = cmd->directive->filename;
    use->line = cmd->directive->line_num;
    use->directive = cmd->directive;
    use->server = cmd->server;
    return NULL;
}

static const char *mod_cmcas_config_template_dir(cmd_parms *cmd, void *dconf, const char *v)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    const char *dir;
    apr_finfo_t finfo;

    (void)dconf;
    if (err) {
        return err;
    }
    dir = ap_server_root_relative(cmd->pool, v);
    if (!dir || APR_SUCCESS != apr_stat(&finfo, dir, APR_FINFO_TYPE, cmd->temp_pool)
        || finfo.filetype != APR_DIR) {
        return apr_psprintf(cmd->pool, "CMCASTemplateDir: '%s' is not a directory", v);
    }
    mod_cmcas_config_global.template_dir = dir;
    mod_cmcas_config_global.template_where = mod_cmcas_config_where(cmd);
    return NULL;
}

static const char *mod_cmcas_config_secret_file(cmd_parms *cmd, void *dconf, const char *v)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    const char *path;

    (void)dconf;
    if (err) {
        return err;
    }
    path = ap_server_root_relative(cmd->pool, v);
    if ((err = mod_cmcas_perm_check_key(cmd->temp_pool, path, v, 1))) {
        return apr_pstrcat(cmd->pool, "CMCASSecretFile: ", err, NULL);
    }
    if (APR_SUCCESS != cmcas_csrf_key_load(&mod_cmcas_config_global.csrf_key,
                                                    cmd->pool, path, &err)) {
        return apr_psprintf(cmd->pool, "CMCASSecretFile: %s", path ? err : v);
    }
    return NULL;
}

static const char *mod_cmcas_config_expiry(cmd_parms *cmd, void *dconf, const char *v)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dconf;
    if (err) {
        return err;
    }
    return mod_cmcas_config_range(cmd, v, 1, 3600, " of seconds",
                                  &mod_cmcas_config_global.expiry_seconds);
}

/* CMCASMailCommand "/usr/sbin/sendmail -t -i": split once here into argv (quotes as in
 * the configuration), run without a shell; the program must be an executable file
 * named by its absolute path (no PATH search in a server). */
static const char *mod_cmcas_config_mail_command(cmd_parms *cmd, void *dconf, const char *v)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    char **argv = NULL;
    apr_finfo_t fi;

    (void)dconf;
    if (err) {
        return err;
    }
    if (mod_cmcas_config_global.mail_argv) {
        return "CMCASMailCommand is given twice";
    }
    if (APR_SUCCESS != apr_tokenize_to_argv(v, &argv, cmd->pool) || !argv || !argv[0]
        || !*argv[0]) {
        return "CMCASMailCommand: a command is expected, e.g. \"/usr/sbin/sendmail -t -i\"";
    }
    if (*argv[0] != '/') {
        return apr_psprintf(cmd->pool, "CMCASMailCommand: '%s' is not an absolute path",
                            argv[0]);
    }
    if (APR_SUCCESS != apr_stat(&fi, argv[0], APR_FINFO_TYPE, cmd->temp_pool)
        || fi.filetype != APR_REG || access(argv[0], X_OK)) {
        return apr_psprintf(cmd->pool, "CMCASMailCommand: '%s' is not an executable file",
                            argv[0]);
    }
    mod_cmcas_config_global.mail_argv = argv;
    mod_cmcas_config_global.mail_where = mod_cmcas_config_where(cmd);
    return NULL;
}

static const char *mod_cmcas_config_mail_interval_set(cmd_parms *cmd, void *dconf,
                                                      const char *v)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dconf;
    if (err) {
        return err;
    }
    return mod_cmcas_config_range(cmd, v, 1, 3600, " of seconds",
                                  &mod_cmcas_config_global.mail_seconds);
}

/* CMCASPortalURL: the base of every link in this CMCAS's members' e-mails. */
static const char *mod_cmcas_config_portal_url(cmd_parms *cmd, void *dconf, const char *url)
{
    mod_cmcas_config_cmcas_t *c;
    const char *err = mod_cmcas_config_inside(cmd, &c);

    (void)dconf;
    if (err) {
        return err;
    }
    if (c->portal_url) {
        return apr_pstrcat(cmd->pool, "CMCASPortalURL is given twice in <CMCAS ",
                           c->site.code, ">", NULL);
    }
    if (!mod_cmcas_config_url_ok(url) || strpbrk(url, " \t\"'<>\\`")) {
        return apr_psprintf(cmd->pool, "CMCASPortalURL: '%s' is not an absolute http(s) URL",
                            url);
    }
    c->portal_url = url;
    return NULL;
}

/* CMCASPageCache Off | seconds the remaining places of a kept page may lag behind. */
static const char *mod_cmcas_config_page_cache_set(cmd_parms *cmd, void *dconf,
                                                   const char *v)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dconf;
    if (err) {
        return err;
    }
    if (mod_cmcas_config_global.page_cache_seconds != MOD_CMCAS_CONFIG_UNSET) {
        return "CMCASPageCache is given twice";
    }
    if (!strcasecmp(v, "Off")) {
        mod_cmcas_config_global.page_cache_seconds = -2;
        return NULL;
    }
    return mod_cmcas_config_range(cmd, v, 0, 60, " of seconds (or Off)",
                                  &mod_cmcas_config_global.page_cache_seconds);
}

static const char *mod_cmcas_config_number(cmd_parms *cmd, void *dconf, const char *v)
{
    mod_cmcas_config_srv_t *sconf = ap_get_module_config(cmd->server->module_config,
                                                         &cmcas_module);
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_LOC_FILE);

    (void)dconf;
    if (err) {
        return err;
    }
    return cmd->info == (void *)0
        ? mod_cmcas_config_range(cmd, v, 1, 100, "", &sconf->page_size)
        : mod_cmcas_config_range(cmd, v, 1, 365, "", &sconf->new_days);
}

const command_rec mod_cmcas_config_cmds[] = {
    AP_INIT_RAW_ARGS("<CMCAS", mod_cmcas_config_block, NULL, RSRC_CONF,
        "Declares a CMCAS: <CMCAS code> ... </CMCAS>, at server level or in the "
        "<VirtualHost> of its portal"),
    AP_INIT_TAKE1("CMCASName", mod_cmcas_config_site_text, (void *)0, RSRC_CONF,
        "Inside <CMCAS>: the CMCAS's name as shown to members (required)"),
    AP_INIT_TAKE1("CMCASPhone", mod_cmcas_config_site_text, (void *)1, RSRC_CONF,
        "Inside <CMCAS>: the CMCAS's phone number"),
    AP_INIT_TAKE1("CMCASEmail", mod_cmcas_config_site_text, (void *)2, RSRC_CONF,
        "Inside <CMCAS>: the CMCAS's contact e-mail address"),
    AP_INIT_TAKE3("CMCASAddress", mod_cmcas_config_address, NULL, RSRC_CONF,
        "Inside <CMCAS>: postal address as three arguments: street, postcode, city"),
    AP_INIT_FLAG("CMCASOnlinePayment", mod_cmcas_config_online, NULL, RSRC_CONF,
        "Inside <CMCAS>: whether members may pay by card online (default Off: desk only)"),
    AP_INIT_TAKE2("CMCASGateway", mod_cmcas_config_gateway, NULL, RSRC_CONF,
        "Inside <CMCAS>: the card gateway (paybox or systempay) and its payment page URL"),
    AP_INIT_TAKE3("CMCASPayboxAccount", mod_cmcas_config_paybox_account, NULL, RSRC_CONF,
        "Inside <CMCAS>: the Paybox merchant account: site, rang, identifiant"),
    AP_INIT_TAKE1("CMCASPayboxKeyFile", mod_cmcas_config_paybox_key, NULL, RSRC_CONF,
        "Inside <CMCAS>: file holding the Paybox HMAC key (hexadecimal)"),
    AP_INIT_TAKE1("CMCASPayboxPublicKeyFile", mod_cmcas_config_paybox_pubkey, NULL,
        RSRC_CONF, "Inside <CMCAS>: the bank's public key (PEM) that signs its returns"),
    AP_INIT_TAKE1("CMCASPayboxPlatform", mod_cmcas_config_paybox_platform, NULL, RSRC_CONF,
        "Inside <CMCAS>: the Paybox platform of the account: production (default) or test"),
    AP_INIT_TAKE2("CMCASPayboxDirect", mod_cmcas_config_paybox_direct, NULL, RSRC_CONF,
        "Inside <CMCAS>: the bank's Paybox Direct URL and the file of the account's HMAC "
        "key or CLE, to confirm each payment server to server"),
    AP_INIT_TAKE2("CMCASSystempayAccount", mod_cmcas_config_systempay_account, NULL,
        RSRC_CONF, "Inside <CMCAS>: the Systempay site id and mode (TEST or PRODUCTION)"),
    AP_INIT_TAKE1("CMCASSystempayKeyFile", mod_cmcas_config_systempay_key, NULL, RSRC_CONF,
        "Inside <CMCAS>: file holding the Systempay key of the mode"),
    AP_INIT_TAKE2("CMCASInstalments", mod_cmcas_config_instalments, NULL, RSRC_CONF,
        "Inside <CMCAS>: card payment in up to N instalments (2 to 4) from an amount in "
        "euros, e.g. CMCASInstalments 3 100 (default: none, cards pay at once)"),
    AP_INIT_TAKE1("CMCASCGV", mod_cmcas_config_cgv, NULL, RSRC_CONF,
        "Inside <CMCAS>: the URL of the CMCAS's conditions générales de vente"),
    AP_INIT_TAKE1("CMCASTermsFile", mod_cmcas_config_legal_file, (void *)0, RSRC_CONF,
        "Inside <CMCAS>: text file of the portal's « Conditions d'utilisation »"),
    AP_INIT_TAKE1("CMCASCGVFile", mod_cmcas_config_legal_file, (void *)1, RSRC_CONF,
        "Inside <CMCAS>: text file of the CMCAS's conditions générales de vente, "
        "served at /cgv/{code} (and linked from the payment page)"),
    AP_INIT_TAKE1("CMCASCardHold", mod_cmcas_config_hold, (void *)0, RSRC_CONF,
        "Inside <CMCAS>: minutes an unpaid card order holds its places (default 30)"),
    AP_INIT_TAKE1("CMCASDeskHold", mod_cmcas_config_hold, (void *)1, RSRC_CONF,
        "Inside <CMCAS>: days an order to pay at the desk holds its places (default 7)"),
    AP_INIT_TAKE1("CMCASInvoiceLegal", mod_cmcas_config_invoice_legal, NULL, RSRC_CONF,
        "Inside <CMCAS>: a line of legal mentions printed on its invoices (repeatable)"),
    AP_INIT_TAKE1("CMCASDrawWindow", mod_cmcas_config_draw, (void *)0, RSRC_CONF,
        "Inside <CMCAS>: months of obtained « tour de rôle » activities a draw counts "
        "(default 24)"),
    AP_INIT_TAKE1("CMCASDrawPayDays", mod_cmcas_config_draw, (void *)1, RSRC_CONF,
        "Inside <CMCAS>: days a household selected by a draw has to pay (default 7)"),
    AP_INIT_ITERATE("CMCASWelcomeMembersOf", mod_cmcas_config_welcome, NULL, RSRC_CONF,
        "Inside <CMCAS>: codes of the other CMCAS whose households may also use this "
        "CMCAS's portals (default: none, its own households only)"),
    AP_INIT_TAKE1("CMCASPortal", mod_cmcas_config_portal_set, NULL, RSRC_CONF | ACCESS_CONF,
        "The code of the CMCAS whose portal this server or location is"),
    AP_INIT_TAKE1("CMCASTemplateDir", mod_cmcas_config_template_dir, NULL, RSRC_CONF,
        "Directory of the page stylesheets (default: the installed ones)"),
    AP_INIT_TAKE1("CMCASSecretFile", mod_cmcas_config_secret_file, NULL, RSRC_CONF,
        "File of at least 32 random bytes that signs the forms' CSRF tokens"),
    AP_INIT_TAKE1("CMCASExpiryInterval", mod_cmcas_config_expiry, NULL, RSRC_CONF,
        "Seconds between two checks for unpaid orders whose hold ran out (default 60)"),
    AP_INIT_TAKE1("CMCASMailCommand", mod_cmcas_config_mail_command, NULL, RSRC_CONF,
        "The sendmail-compatible command that sends the members' e-mails, message on its "
        "standard input, e.g. \"/usr/sbin/sendmail -t -i\" (default: none, kept in the "
        "outbox)"),
    AP_INIT_TAKE1("CMCASMailInterval", mod_cmcas_config_mail_interval_set, NULL, RSRC_CONF,
        "Seconds between two runs of the job that sends e-mails, 1 to 3600 (default 60)"),
    AP_INIT_TAKE1("CMCASPortalURL", mod_cmcas_config_portal_url, NULL, RSRC_CONF,
        "Inside <CMCAS>: the absolute URL of its members' portal, base of every link in "
        "their e-mails"),
    AP_INIT_TAKE1("CMCASPageCache", mod_cmcas_config_page_cache_set, NULL, RSRC_CONF,
        "Off, or the seconds a kept catalog or activity page may show remaining places "
        "that changed since, 0 to 60 (default 1)"),
    AP_INIT_TAKE1("CMCASPageSize", mod_cmcas_config_number, (void *)0, RSRC_CONF,
        "Activities per catalog page, 1 to 100 (default 12)"),
    AP_INIT_TAKE1("CMCASNewDays", mod_cmcas_config_number, (void *)1, RSRC_CONF,
        "Days an activity is badged NOUVEAU after publication, 1 to 365 (default 15)"),
    {NULL}
};

/* ------------------------------------------------------------------------------- */
/* Start-up validation: runs for `apachectl -t` too. */

/* A production Paybox account without CMCASPayboxDirect is allowed (the bank sells
 * Paybox Direct separately), but a payment made to another merchant account of the same
 * bank, with our reference and amount, then goes undetected: said by apachectl -t and
 * in the error log at every start. */
static void mod_cmcas_config_direct_warning(apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(ptemp, mod_cmcas_config_global.cmcas); hi;
         hi = apr_hash_next(hi)) {
        const mod_cmcas_config_cmcas_t *c = apr_hash_this_val(hi);
        const mod_cmcas_config_payment_t *pay = &c->payment;

        if (pay->online == 1 && pay->gateway && !strcmp(pay->gateway, "paybox")
            && mod_cmcas_config_paybox_production(c) && !pay->paybox_direct_url) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, CMCAS_LOGNO(81)
                         "<CMCAS %s> (%s:%d) takes Paybox payments without "
                         "CMCASPayboxDirect: a payment made to another merchant account "
                         "with this CMCAS's order reference and amount cannot be told "
                         "from a real one", c->site.code, c->file, c->line);
        }
    }
}

/* A <CMCAS> block inside a <VirtualHost> belongs to that host: another host naming it
 * as its portal is a mistake (two sites serving one CMCAS, one of them by accident). */
static int mod_cmcas_config_vhost_ok(const mod_cmcas_config_use_t *use, server_rec *s)
{
    const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(use->code);

    if (!c->vhost || c->vhost == use->server) {
        return 1;
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(250)
                 "CMCASPortal %s (%s:%d): <CMCAS %s> is declared inside another "
                 "<VirtualHost> (%s:%d), which alone may serve it: declare it at server "
                 "level to serve it from several virtual hosts", use->code, use->file,
                 use->line, use->code, c->file, c->line);
    return 0;
}

int mod_cmcas_config_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                           server_rec *s)
{
    const char *dir = mod_cmcas_config_global.template_dir;
    const char *err = NULL;
    int i;

    (void)plog;
    for (i = 0; i < mod_cmcas_config_global.uses->nelts; i++) {
        const mod_cmcas_config_use_t *use =
            &APR_ARRAY_IDX(mod_cmcas_config_global.uses, i, mod_cmcas_config_use_t);
        if (!apr_hash_get(mod_cmcas_config_global.cmcas, use->code, APR_HASH_KEY_STRING)) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(1)
                         "CMCASPortal %s (%s:%d): no <CMCAS %s> block declares this CMCAS",
                         use->code, use->file, use->line, use->code);
            return !OK;
        }
        if (!mod_cmcas_config_vhost_ok(use, s)) {
            return !OK;
        }
    }
    if (!mod_cmcas_config_global.uses->nelts) {
        return OK;      /* loaded but no portal: nothing to render */
    }
    if (ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST) {
        mod_cmcas_config_direct_warning(ptemp, s);
    }
    if (!mod_cmcas_config_global.csrf_key.key) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(3)
                     "CMCASSecretFile is required when a CMCASPortal is configured: "
                     "it signs the forms (create it readable by root only with: (umask 077; "
                     "head -c 48 /dev/urandom | base64 > FILE))");
        return !OK;
    }
    if (!dir) {
        dir = CMCAS_DEFAULT_TEMPLATE_DIR;
    }
    if (APR_SUCCESS != cmcas_render_load(&mod_cmcas_config_global.render, pconf, dir,
                                         &err)) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(2)
                     "CMCASTemplateDir %s%s%s: %s", dir,
                     mod_cmcas_config_global.template_where ? " at " : " (default)",
                     mod_cmcas_config_global.template_where
                         ? mod_cmcas_config_global.template_where : "", err);
        return !OK;
    }
    mod_cmcas_config_global.static_version = mod_cmcas_config_version(pconf, dir);
    return OK;
}

int mod_cmcas_config_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)pconf;
    (void)plog;
    /* The first of httpd's two start-up passes writes where no one reads (check_config
     * of the second one too: the daemon's stderr is /dev/null until the logs open). */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG
        && mod_cmcas_config_global.uses->nelts) {
        mod_cmcas_config_direct_warning(ptemp, s);
    }
    return OK;
}

/* ------------------------------------------------------------------------------- */
/* Accessors */

const mod_cmcas_config_cmcas_t *mod_cmcas_config_portal(request_rec *r)
{
    const mod_cmcas_config_dir_t *conf = ap_get_module_config(r->per_dir_config,
                                                              &cmcas_module);
    if (!conf || !conf->portal) {
        return NULL;
    }
    return apr_hash_get(mod_cmcas_config_global.cmcas, conf->portal, APR_HASH_KEY_STRING);
}

int mod_cmcas_config_serves(const mod_cmcas_config_cmcas_t *portal, const char *code)
{
    int i;

    if (!strcmp(portal->site.code, code)) {
        return 1;
    }
    for (i = 0; portal->welcome && i < portal->welcome->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(portal->welcome, i, const char *), code)) {
            return 1;
        }
    }
    return 0;
}

const mod_cmcas_config_cmcas_t *mod_cmcas_config_cmcas(const char *code)
{
    return code ? apr_hash_get(mod_cmcas_config_global.cmcas, code, APR_HASH_KEY_STRING)
                : NULL;
}

const apr_array_header_t *mod_cmcas_config_uses(void)
{
    return mod_cmcas_config_global.uses;
}

apr_hash_t *mod_cmcas_config_all(void)
{
    return mod_cmcas_config_global.cmcas;
}

int mod_cmcas_config_card_hold_minutes(const mod_cmcas_config_cmcas_t *c)
{
    return c->payment.card_hold_minutes != MOD_CMCAS_CONFIG_UNSET
        ? c->payment.card_hold_minutes : MOD_CMCAS_CONFIG_CARD_HOLD;
}

int mod_cmcas_config_paybox_production(const mod_cmcas_config_cmcas_t *c)
{
    return c->payment.paybox_test != 1;
}

int mod_cmcas_config_desk_hold_days(const mod_cmcas_config_cmcas_t *c)
{
    return c->payment.desk_hold_days != MOD_CMCAS_CONFIG_UNSET
        ? c->payment.desk_hold_days : MOD_CMCAS_CONFIG_DESK_HOLD;
}

void mod_cmcas_config_draw_rules(const char *code, cmcas_draw_change_rules_t *rules)
{
    const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(code);

    rules->window_months = c && c->draw_window_months != MOD_CMCAS_CONFIG_UNSET
        ? c->draw_window_months : MOD_CMCAS_CONFIG_DRAW_WINDOW;
    rules->pay_days = c && c->draw_pay_days != MOD_CMCAS_CONFIG_UNSET
        ? c->draw_pay_days : MOD_CMCAS_CONFIG_DRAW_PAY_DAYS;
    rules->seller = c ? &c->seller : NULL;
}

const cmcas_invoice_seller_t *mod_cmcas_config_invoice_seller(const char *code)
{
    const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(code);

    return c ? &c->seller : NULL;
}

server_rec *mod_cmcas_config_job_server(void)
{
    return mod_cmcas_config_global.job_server;
}

apr_interval_time_t mod_cmcas_config_expiry_interval(void)
{
    int n = mod_cmcas_config_global.expiry_seconds;
    return apr_time_from_sec(n != MOD_CMCAS_CONFIG_UNSET ? n : 60);
}

const char *const *mod_cmcas_config_mail_argv(const char **pwhere)
{
    if (pwhere) {
        *pwhere = mod_cmcas_config_global.mail_where;
    }
    return (const char *const *)mod_cmcas_config_global.mail_argv;
}

apr_interval_time_t mod_cmcas_config_mail_interval(void)
{
    int n = mod_cmcas_config_global.mail_seconds;
    return apr_time_from_sec(n != MOD_CMCAS_CONFIG_UNSET ? n : 60);
}

int mod_cmcas_config_page_cache(apr_interval_time_t *pmax_stale)
{
    int n = mod_cmcas_config_global.page_cache_seconds;

    if (pmax_stale) {
        *pmax_stale = apr_time_from_sec(n >= 0 ? n : 1);
    }
    return n != -2;
}

const char *mod_cmcas_config_base(request_rec *r)
{
    const mod_cmcas_config_dir_t *conf = ap_get_module_config(r->per_dir_config,
                                                              &cmcas_module);
    return conf && conf->base ? conf->base : "";
}

const cmcas_csrf_key_t *mod_cmcas_config_csrf_key(void)
{
    return &mod_cmcas_config_global.csrf_key;
}

const cmcas_render_t *mod_cmcas_config_render(void)
{
    return mod_cmcas_config_global.render;
}

int mod_cmcas_config_page_size(const server_rec *s)
{
    const mod_cmcas_config_srv_t *c = ap_get_module_config(s->module_config, &cmcas_module);
    return c->page_size != MOD_CMCAS_CONFIG_UNSET ? c->page_size
                                                  : MOD_CMCAS_CONFIG_PAGE_SIZE;
}

int mod_cmcas_config_new_days(const server_rec *s)
{
    const mod_cmcas_config_srv_t *c = ap_get_module_config(s->module_config, &cmcas_module);
    return c->new_days != MOD_CMCAS_CONFIG_UNSET ? c->new_days : MOD_CMCAS_CONFIG_NEW_DAYS;
}
