/* libFuzzer harness: the query-string parser, the Accept negotiation, the date
 * parsers and the search folding all take bytes from the network. */
#include <stdint.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_query.h"
#include "../../mod_cmcas/cmcas_accept.h"
#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_text.h"
#include "../../mod_cmcas/cmcas_catalog.h"
#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_registration.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const cmcas_query_limits_t limits = {16, 200, 0};
    apr_pool_t *p;
    char *s;
    apr_table_t *args;
    const char *err;
    cmcas_date_t d;
    cmcas_catalog_query_t q;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    s = apr_pstrmemdup(p, (const char *)data, size);   /* stops at an embedded NUL */

    if (APR_SUCCESS == cmcas_query_parse(&args, p, s, &limits, &err)) {
        const char *v = apr_table_get(args, "q");
        if (v) {
            /* What the parser lets through is valid UTF-8; the search built from it
             * holds only quoted words, each of them a prefix. */
            const char *m;
            if (!cmcas_text_utf8_valid(v, strlen(v))) {
                __builtin_trap();
            }
            cmcas_text_fold(p, v);
            m = cmcas_catalog_match(p, v);
            if (m && (m[0] != '"' || m[strlen(m) - 1] != '*')) {
                __builtin_trap();
            }
        }
        cmcas_catalog_parse(&q, args, &err);
    }
    {
        /* The same bytes as a posted registration form. */
        cmcas_form_t *form;
        cmcas_date_t today = {2026, 11, 28};
        const char *last, *first, *birth;
        if (APR_SUCCESS == cmcas_form_parse(&form, p, (const char *)data, size, &err)) {
            apr_array_header_t *all = cmcas_form_all(form, "participant");
            int i;
            for (i = 0; i < all->nelts; i++) {
                cmcas_form_id(APR_ARRAY_IDX(all, i, const char *));
            }
            cmcas_registration_parse_guest(p, cmcas_form_single(form, "invite-nom", 200),
                                           cmcas_form_single(form, "invite-prenom", 200),
                                           cmcas_form_single(form, "invite-naissance", 40),
                                           &today, &last, &first, &birth);
        }
    }
    cmcas_accept_prefers_xml(s);
    if (APR_SUCCESS == cmcas_date_parse_iso(&d, s)) {
        if (strcmp(cmcas_date_iso(p, &d), s)) {
            __builtin_trap();           /* round trip */
        }
    }
    cmcas_date_parse_fr(&d, s);
    if (cmcas_text_utf8_valid(s, strlen(s))) {
        cmcas_text_fold(p, s);
    }
    apr_pool_destroy(p);
    return 0;
}
