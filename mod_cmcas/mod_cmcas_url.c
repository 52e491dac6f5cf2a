#include <apr_strings.h>
#include <http_protocol.h>
#include <http_core.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_url.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_gateway.h"

/* "scheme://authority" of an absolute URL checked at start-up (CMCASPortalURL). */
static const char *mod_cmcas_url_origin_of(apr_pool_t *p, const char *url)
{
    const char *host = ap_strstr_c(url, "://");
    return host ? apr_pstrndup(p, url, (apr_size_t)(host + 3 - url) + strcspn(host + 3, "/?#"))
                : NULL;
}

const char *mod_cmcas_url_origin(request_rec *r)
{
    const mod_cmcas_config_cmcas_t *portal = mod_cmcas_config_portal(r);
    const char *scheme = ap_http_scheme(r), *host = r->server->server_hostname;
    const char *origin = portal && portal->portal_url
                         ? mod_cmcas_url_origin_of(r->pool, portal->portal_url) : NULL;
    apr_port_t port = r->server->port;

    if (origin) {
        return origin;
    }
    /* ServerName without a port: the port of the listener (never the Host header's). */
    if (!port && r->connection->local_addr) {
        port = r->connection->local_addr->port;
    }
    if (!host) {
        host = "localhost";     /* httpd always sets one; a guard only */
    }
    if (strchr(host, ':') && *host != '[') {
        host = apr_pstrcat(r->pool, "[", host, "]", NULL);
    }
    if (!port || port == ap_default_port(r)) {
        return apr_pstrcat(r->pool, scheme, "://", host, NULL);
    }
    return apr_psprintf(r->pool, "%s://%s:%u", scheme, host, (unsigned)port);
}

const char *mod_cmcas_url_absolute(request_rec *r, const char *path)
{
    return apr_pstrcat(r->pool, mod_cmcas_url_origin(r), path, NULL);
}

/* Whether the directives of this scope (and of the blocks that only group directives,
 * <IfModule>, <IfDefine>...) set ServerName; virtual hosts are other scopes. */
static int mod_cmcas_url_has_name(const ap_directive_t *d)
{
    for (; d; d = d->next) {
        if (!strcasecmp(d->directive, "ServerName")) {
            return 1;
        }
        if (d->first_child && strcasecmp(d->directive, "<VirtualHost")
            && mod_cmcas_url_has_name(d->first_child)) {
            return 1;
        }
    }
    return 0;
}

/* The directives of the virtual host holding `d`, or the whole configuration's. */
static const ap_directive_t *mod_cmcas_url_scope(const ap_directive_t *d)
{
    for (d = d->parent; d; d = d->parent) {
        if (!strcasecmp(d->directive, "<VirtualHost")) {
            return d->first_child;
        }
    }
    return ap_conftree;
}

/* Whether a member of any declared CMCAS may be sent to a bank. */
static int mod_cmcas_url_any_gateway(apr_pool_t *p)
{
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(p, mod_cmcas_config_all()); hi; hi = apr_hash_next(hi)) {
        if (mod_cmcas_gateway_of(apr_hash_this_val(hi))) {
            return 1;
        }
    }
    return 0;
}

int mod_cmcas_url_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s)
{
    const apr_array_header_t *uses = mod_cmcas_config_uses();
    int i;

    (void)pconf;
    (void)plog;
    if (!uses || !mod_cmcas_config_all() || !mod_cmcas_url_any_gateway(ptemp)) {
        return OK;
    }
    for (i = 0; i < uses->nelts; i++) {
        const mod_cmcas_config_use_t *use = &APR_ARRAY_IDX(uses, i, mod_cmcas_config_use_t);
        const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(use->code);
        if ((c && c->portal_url)
            || mod_cmcas_url_has_name(mod_cmcas_url_scope(use->directive))) {
            continue;
        }
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(201)
                     "CMCASPortal %s (%s:%d): online payment needs the portal's public URL "
                     "for the bank's return and notification URLs, never taken from the "
                     "request: set CMCASPortalURL in <CMCAS %s>, or a ServerName in its "
                     "virtual host", use->code, use->file, use->line, use->code);
        return !OK;
    }
    return OK;
}
