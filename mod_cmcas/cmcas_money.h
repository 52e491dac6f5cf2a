/* Money is integer cents everywhere; this file turns cents into the text the pages show
 * and reads back the amounts staff type. */
#ifndef cmcas_money_h
#define cmcas_money_h

#include <apr_errno.h>
#include <apr_pools.h>

/* 3000 -> "30,00 €", 123456 -> "1 234,56 €", -150 -> "-1,50 €", with no-break spaces
 * (U+00A0) between digit groups and before « € », so that no line breaks inside an
 * amount (pages, e-mails, PDF alike). */
const char *cmcas_money_format(apr_pool_t *p, apr_int64_t cents);

/* 3000 -> "30,00", -150 -> "-1,50": the number alone, as the back-office's amount fields
 * show it and a French spreadsheet reads it (no « € », no space). */
const char *cmcas_money_plain(apr_pool_t *p, apr_int64_t cents);

/* An amount typed or pasted in euros: "30", "30,5", "30.00", "1 234,56 €" (spaces,
 * no-break or narrow no-break spaces between digit groups and before an optional « € »)
 * -> cents in *pcents. APR_SUCCESS; APR_ERANGE when negative (but "-0") or above `max`
 * cents; APR_EINVAL when it is no amount (NULL, empty, "30,", "30,001", "3e4"...). */
apr_status_t cmcas_money_parse(apr_int64_t *pcents, const char *text, apr_int64_t max);

#endif
