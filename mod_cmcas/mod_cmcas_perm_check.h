/* File permissions checked at start-up (apachectl -t): key files no other user reads or
 * writes, and what the server's user (User, Group) must read, write or run. */
#ifndef mod_cmcas_perm_check_h
#define mod_cmcas_perm_check_h

#include <apr_pools.h>

#define MOD_CMCAS_PERM_CHECK_R 4
#define MOD_CMCAS_PERM_CHECK_W 2
#define MOD_CMCAS_PERM_CHECK_X 1

/* Why the key file at `file` (as typed: `path`) is refused, or NULL. A secret
 * (`secret` 1) must be a regular file neither readable by every user nor writable by
 * its group or every user (0600, 0640, 0400, 0440 pass); a public key (`secret` 0) must
 * only not be writable by its group or every user (who could replace it). */
const char *mod_cmcas_perm_check_key(apr_pool_t *p, const char *file, const char *path,
                                     int secret);

/* Whether the user the children run as (User and Group, with the user's other groups;
 * the current user when httpd does not start as root) may do `want` (R, W, X bits) on
 * `path`. */
int mod_cmcas_perm_check_user_may(apr_pool_t *p, const char *path, int want);

/* The name of that user, for messages. */
const char *mod_cmcas_perm_check_user_name(void);

#endif
