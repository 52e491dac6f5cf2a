/* Log lines an outsider can cause (probes without a session, forged forms, bank
 * notifications that do not verify): written at info, at most a few per minute and per
 * message in each child process (docs/operations.md, « Log levels »). */
#ifndef mod_cmcas_ratelimit_h
#define mod_cmcas_ratelimit_h

#include <httpd.h>

/* child_init: the child's limiter. */
void mod_cmcas_ratelimit_child_init(apr_pool_t *pchild, server_rec *s);

/* Whether line CMCAS`logno` may be written now; when it may, *pnote is "" or what to add
 * to it (" [N more like this not logged]"). */
int mod_cmcas_ratelimit_ok(request_rec *r, int logno, const char **pnote);

#endif
