/* A temporary SQLite database with the real schema for the flow tests. */
#ifndef test_db_h
#define test_db_h

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_store.h"

typedef struct {
    apr_pool_t *pool;
    const char *path;
    cmcas_store_t st;       /* every statement of cmcas_store_registry prepared */
} test_db_t;

/* Households 1 (BN: Gael, adult, and Louane, 8 in 2027), 2 (BN: Martine), 3 (TO: Sophie);
 * activities 1 (BN, paid at once, 3 places, options 1 « Atelier » and 2 « Place enfant »
 * up to 11 years), 2 (BN, tour de rôle, option 3), 3 (TO, not open to others, option 4). */
void test_db_open(test_db_t *t, apr_pool_t *p);
void test_db_close(test_db_t *t);
/* A new connection (statements prepared again): after a test's own schema change. */
void test_db_reconnect(test_db_t *t);
/* The first column of the last row of a query (-1 when none, NULL). */
apr_int64_t test_db_int(test_db_t *t, const char *sql);
const char *test_db_str(test_db_t *t, const char *sql);
void test_db_exec(test_db_t *t, const char *sql);

#endif
