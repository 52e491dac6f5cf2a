/* The background job that delivers the members' e-mails from the outbox
 * (cmcas_outbox_store.h) through CMCASMailCommand, run by mod_watchdog in one child at a
 * time on the server that holds the lease 'mail', each message claimed in the database
 * so that two servers never both send it. The command runs without a shell, the message
 * on its standard input: exit status 0 is sent; anything else, or no exit within 30 s,
 * is a failure retried later with back-off. */
#ifndef mod_cmcas_mail_h
#define mod_cmcas_mail_h

#include <httpd.h>

/* check_config: with CMCASMailCommand, every <CMCAS> needs CMCASEmail (the sender) and
 * CMCASPortalURL (the links); `apachectl -t` fails otherwise. */
int mod_cmcas_mail_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                         server_rec *s);

/* post_config: starts the job when a portal and CMCASMailCommand are configured; says
 * once, at notice level, that messages stay in the outbox when the command is not. */
int mod_cmcas_mail_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s);

#endif
