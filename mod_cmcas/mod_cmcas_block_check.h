/* The settings of one <CMCAS> block that only make sense together: each gateway's own
 * directives under that gateway only, card payment settings only with online payment
 * on. Checked once the block is read, naming the line of the directive at fault. */
#ifndef mod_cmcas_block_check_h
#define mod_cmcas_block_check_h

#include <httpd.h>
#include <http_config.h>

#include "mod_cmcas_config.h"

/* NULL, or the message: the block's code, the directive, its file and line. */
const char *mod_cmcas_block_check(apr_pool_t *p, const ap_directive_t *block,
                                  const mod_cmcas_config_cmcas_t *c);

#endif
