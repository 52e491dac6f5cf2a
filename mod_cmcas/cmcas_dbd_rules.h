/* What the module needs of mod_dbd's settings, per database engine: the mistakes that
 * pass Apache's own checks and then break the portal at run time (docs/operations.md,
 * « Database »). Free of httpd: the glue reads the configuration. */
#ifndef cmcas_dbd_rules_h
#define cmcas_dbd_rules_h

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    const char *driver;             /* DBDriver, NULL when not set */
    int min, keep, max;             /* DBDMin, DBDKeep, DBDMax; -1 when not set */
    int threaded;                   /* the MPM runs threads (mod_dbd then pools) */
    apr_array_header_t *init_sql;   /* DBDInitSQL statements (const char *), in order */
} cmcas_dbd_rules_t;

/* NULL when the settings suit the module, else why not (one sentence, in English, for
 * `apachectl -t`). */
const char *cmcas_dbd_rules_check(apr_pool_t *p, const cmcas_dbd_rules_t *dbd);

#endif
