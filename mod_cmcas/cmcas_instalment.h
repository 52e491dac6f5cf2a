/* Paying in several instalments (« paiement en 3 fois »): amounts and dates. */
#ifndef cmcas_instalment_h
#define cmcas_instalment_h

#include <apr_pools.h>

#include "cmcas_date.h"

#define CMCAS_INSTALMENT_MAX 4

typedef struct {
    int count;
    apr_int64_t amounts[CMCAS_INSTALMENT_MAX];  /* cents; the first is paid at once */
    cmcas_date_t dates[CMCAS_INSTALMENT_MAX];   /* the first is `today` */
} cmcas_instalment_plan_t;

/* Splits `total` cents into `count` (1..4) instalments a month apart from `today`; the
 * first takes the remainder, so it is the largest and they add up to the cent.
 * APR_EINVAL for a count out of range or a total that cannot give each one a cent. */
apr_status_t cmcas_instalment_plan(cmcas_instalment_plan_t *plan, apr_int64_t total,
                                   int count, const cmcas_date_t *today);

#endif
