/* mod_dbd connections whose prepared statements went bad (a schema change on SQLite, a
 * server restart on PostgreSQL: cmcas_reconnect.h says why), repaired on the same
 * handle for every module that uses them (ours, mod_authn_dbd, mod_session_dbd), and a
 * 503 page instead of a login's 500 while the database is away. */
#ifndef mod_cmcas_reconnect_h
#define mod_cmcas_reconnect_h

#include <httpd.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

#include "cmcas_store.h"

/* Registers the hook on mod_dbd's new connections (at register_hooks time). */
void mod_cmcas_reconnect_register(void);

/* post_config: new SQLite connections wait for a lock from their first statement
 * (cmcas_sqlite_wait.h), in the parent and so in every child it starts. */
int mod_cmcas_reconnect_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                    server_rec *s);

/* Makes a connection just taken from mod_dbd usable: its statements prepared again
 * after a schema change (SQLite), or after the server it spoke to went away and came
 * back (PostgreSQL). Fails only when that server cannot be reached (*perr, in English,
 * with libpq's message); statements that do not prepare are logged (CMCAS87) and fail
 * where they are used. Cheap when nothing happened: one PRAGMA on SQLite, one poll()
 * on PostgreSQL. */
apr_status_t mod_cmcas_reconnect_check(ap_dbd_t *dbd, apr_pool_t *p, const char **perr);

/* Binds the store `st` to mod_dbd's connection `dbd`, and lets it try a failed read once
 * more after repairing the connection (`p` holds what the repair needs; it must live as
 * long as `st`). */
void mod_cmcas_reconnect_store(cmcas_store_t *st, ap_dbd_t *dbd, apr_pool_t *p);

/* header_parser hook, after the early form: for the portal's pages and the login and
 * logout handlers, a connection is checked (and repaired) before authentication, so that
 * mod_authn_dbd and mod_session_dbd meet a good one, and while the database is away the
 * member gets the 503 page rather than mod_authn_dbd's 500. */
int mod_cmcas_reconnect_before_auth(request_rec *r);

#endif
