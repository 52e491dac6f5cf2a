/* libFuzzer harness: a draw's published data (cmcas_draw_csv_read), which
 * `cmcas-draw verify` reads from whoever hands it a file; what parses is drawn again and
 * written back, which must parse to the same entries. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_draw.h"
#include "../../mod_cmcas/cmcas_draw_csv.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cmcas_draw_csv_t d, again;
    int taken = 0;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    if (!cmcas_draw_csv_read(&d, p, apr_pstrmemdup(p, (const char *)data, size))
        && strlen(d.seed) < 100) {
        const char *text;
        cmcas_draw_run(d.entries, d.seed, d.places, &taken);
        if (taken < 0 || taken > (d.places > 0 ? d.places : 0)) {
            abort();
        }
        text = cmcas_draw_csv_write(p, &d);
        if (cmcas_draw_csv_read(&again, p, text) || again.entries->nelts != d.entries->nelts) {
            abort();
        }
    }
    apr_pool_destroy(p);
    return 0;
}
