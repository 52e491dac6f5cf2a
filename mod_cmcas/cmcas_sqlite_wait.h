/* Every SQLite connection of the process waits for another connection's lock from its
 * very first statement. mod_dbd prepares its statements before DBDInitSQL can set
 * `PRAGMA busy_timeout`, and SQLite answers a prepare that meets a lock (another child's
 * checkpoint as it closes the last connection, a schema change, a write) with « database
 * is locked » at once: the new connection was dropped, a whole child's start-up with it
 * (mod_dbd's AH00632, AH00636). */
#ifndef cmcas_sqlite_wait_h
#define cmcas_sqlite_wait_h

#include <apr_pools.h>

/* From now until `p` is cleared, each SQLite connection opened in this process starts
 * with a busy timeout of `ms` milliseconds (a DBDInitSQL PRAGMA busy_timeout still
 * replaces it). The setting is SQLite's, global to the process: `p` must not outlive
 * this code (the module's configuration pool, cleared before the module is unloaded). */
apr_status_t cmcas_sqlite_wait_install(apr_pool_t *p, int ms);

/* apr_dbd_sqlite3 runs a statement that meets a lock up to `tries` times (16: it retries
 * 15 times, 100 ms apart), each waiting the connection's whole busy timeout: with the
 * documented 5 s, a write behind another process's lock waited 82 s before its 503.
 * Divides the busy timeout of the connection `native` (a sqlite3 *) by `tries`, so that
 * the whole wait is about the configured one. Returns the new timeout in ms (0 when
 * there was none). */
int cmcas_sqlite_wait_spread(void *native, int tries);

#endif
