/* Money is integer cents everywhere; this file only turns cents into text. */
#ifndef cmcas_money_h
#define cmcas_money_h

#include <apr_pools.h>

/* 3000 -> "30,00 €", 123456 -> "1 234,56 €", -150 -> "-1,50 €". */
const char *cmcas_money_format(apr_pool_t *p, apr_int64_t cents);

#endif
