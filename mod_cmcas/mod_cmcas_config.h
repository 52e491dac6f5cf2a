/* Directives, per-server and per-directory configuration, start-up validation. */
#ifndef mod_cmcas_config_h
#define mod_cmcas_config_h

#include <httpd.h>
#include <http_config.h>
#include <apr_hash.h>

#include <openssl/evp.h>

#include "cmcas_csrf.h"
#include "cmcas_doc.h"
#include "cmcas_draw_change.h"
#include "cmcas_invoice.h"
#include "cmcas_render.h"

/* How a CMCAS is paid (the settings of its <CMCAS> block). Payment always goes to the
 * organising CMCAS, with its own merchant account. */
typedef struct {
    int online;                 /* CMCASOnlinePayment; -1: unset (Off) */
    const char *gateway;        /* "paybox" or "systempay" */
    const char *gateway_url;    /* the bank's hosted payment page */
    const char *paybox_site;    /* CMCASPayboxAccount */
    const char *paybox_rang;
    const char *paybox_identifiant;
    const char *paybox_key;     /* hex HMAC key, from CMCASPayboxKeyFile: never logged */
    EVP_PKEY *paybox_pubkey;    /* the bank's key, from CMCASPayboxPublicKeyFile */
    int paybox_test;            /* CMCASPayboxPlatform: 1 test, 0 production; -1: unset
                                 * (production) */
    const char *paybox_direct_url;  /* CMCASPayboxDirect: the bank's PPPS endpoint */
    const char *paybox_direct_key;  /* its hex HMAC key, or NULL: never logged */
    const char *paybox_direct_cle;  /* or its CLE (older contracts): never logged */
    const char *systempay_site; /* CMCASSystempayAccount */
    const char *systempay_mode; /* TEST or PRODUCTION */
    const char *systempay_key;  /* from CMCASSystempayKeyFile: never logged */
    int instalments;            /* CMCASInstalments count; -1: unset (1, no instalments) */
    apr_int64_t instalments_from;   /* cents */
    const char *cgv_url;        /* CMCASCGV */
    int card_hold_minutes;      /* CMCASCardHold; -1: unset */
    int desk_hold_days;         /* CMCASDeskHold; -1: unset */
} mod_cmcas_config_payment_t;

/* One <CMCAS code> block. */
typedef struct {
    cmcas_doc_site_t site;
    mod_cmcas_config_payment_t payment;
    int draw_window_months;     /* CMCASDrawWindow; -1: unset */
    int draw_pay_days;          /* CMCASDrawPayDays; -1: unset */
    const char *portal_url;     /* CMCASPortalURL: absolute base of its members' portal,
                                 * for the links of e-mails; NULL: unset */
    const char *invoice_legal;  /* CMCASInvoiceLegal lines, '\n' apart; NULL: none */
    cmcas_invoice_seller_t seller;  /* the block's values an invoice freezes */
    const char *terms_text;     /* CMCASTermsFile's text, read at start-up; NULL: unset */
    const char *cgv_text;       /* CMCASCGVFile's text; NULL: unset */
    apr_array_header_t *welcome;    /* CMCASWelcomeMembersOf: codes (const char *) of
                                     * the other CMCAS whose households its portals
                                     * serve; NULL: its own households only */
    const char *file;           /* where it was declared, for messages */
    int line;
    server_rec *vhost;          /* the <VirtualHost> it is declared in; NULL: server
                                 * level (any portal of the server may serve it) */
} mod_cmcas_config_cmcas_t;

typedef struct {
    int page_size;              /* -1: unset */
    int new_days;               /* -1: unset */
    int statements_registered;  /* our SQL is registered with this server's mod_dbd */
} mod_cmcas_config_srv_t;

/* A CMCASPortal line, checked once every <CMCAS> block has been read. */
typedef struct {
    const char *code;
    const char *file;
    int line;
    const ap_directive_t *directive;    /* where it is: its virtual host's settings */
    server_rec *server;                 /* its virtual host (or the main server) */
} mod_cmcas_config_use_t;

typedef struct {
    const char *portal;         /* CMCAS code of the portal; NULL: unset */
    const char *base;           /* URL prefix of the portal: "" or "/path" (<Location>) */
    const char *portal_where;   /* file:line of its CMCASPortal (a second one is refused) */
} mod_cmcas_config_dir_t;

extern const command_rec mod_cmcas_config_cmds[];

void *mod_cmcas_config_create_srv(apr_pool_t *p, server_rec *s);
void *mod_cmcas_config_merge_srv(apr_pool_t *p, void *basev, void *addv);
void *mod_cmcas_config_create_dir(apr_pool_t *p, char *dir);
void *mod_cmcas_config_merge_dir(apr_pool_t *p, void *basev, void *addv);

/* Hooks: forget the previous configuration; validate and compile stylesheets. */
int mod_cmcas_config_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int mod_cmcas_config_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                           server_rec *s);
/* post_config: the start-up warnings, in the error log (once per start or restart). */
int mod_cmcas_config_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);

/* Accessors, defaults applied. */
/* The declared CMCAS with this code (the organiser of an activity), or NULL. */
const mod_cmcas_config_cmcas_t *mod_cmcas_config_cmcas(const char *code);
/* Every declared CMCAS: code -> mod_cmcas_config_cmcas_t*. */
apr_hash_t *mod_cmcas_config_all(void);
/* Every CMCASPortal line read (mod_cmcas_config_use_t). */
const apr_array_header_t *mod_cmcas_config_uses(void);
int mod_cmcas_config_card_hold_minutes(const mod_cmcas_config_cmcas_t *c);
/* 1 unless CMCASPayboxPlatform test: the bank's production platform, where an
 * authorisation number is never the test platform's XXXXXX. */
int mod_cmcas_config_paybox_production(const mod_cmcas_config_cmcas_t *c);
int mod_cmcas_config_desk_hold_days(const mod_cmcas_config_cmcas_t *c);
/* The « tour de rôle » settings of the organising CMCAS `code` (the defaults when it is
 * not declared). */
void mod_cmcas_config_draw_rules(const char *code, cmcas_draw_change_rules_t *rules);
/* The seller of CMCAS `code`'s invoices (its <CMCAS> block), or NULL for no such block. */
const cmcas_invoice_seller_t *mod_cmcas_config_invoice_seller(const char *code);
const mod_cmcas_config_cmcas_t *mod_cmcas_config_portal(request_rec *r);
/* Whether the portal of `portal` serves the households of CMCAS `code`: its own, and
 * those its CMCASWelcomeMembersOf names. */
int mod_cmcas_config_serves(const mod_cmcas_config_cmcas_t *portal, const char *code);
/* The URL prefix of the portal serving r: "" for a whole virtual host. */
const char *mod_cmcas_config_base(request_rec *r);
const cmcas_render_t *mod_cmcas_config_render(void);
/* The version the URLs of the CSS and script carry (?v=…). */
const char *mod_cmcas_config_static_version(void);
const cmcas_csrf_key_t *mod_cmcas_config_csrf_key(void);
/* The server whose database the background jobs use (the first CMCASPortal's), or NULL
 * when no portal is configured; and how often they run. */
server_rec *mod_cmcas_config_job_server(void);
apr_interval_time_t mod_cmcas_config_expiry_interval(void);
/* CMCASMailCommand as argv (NULL-terminated; argv[0] absolute), NULL when unset; the
 * file:line that set it; and how often the mail job runs (CMCASMailInterval). */
const char *const *mod_cmcas_config_mail_argv(const char **pwhere);
apr_interval_time_t mod_cmcas_config_mail_interval(void);
/* Whether pages are kept (CMCASPageCache), and how late their remaining places may be. */
int mod_cmcas_config_page_cache(apr_interval_time_t *pmax_stale);
int mod_cmcas_config_page_size(const server_rec *s);
int mod_cmcas_config_new_days(const server_rec *s);

#endif
