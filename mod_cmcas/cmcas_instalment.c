#include "cmcas_instalment.h"

apr_status_t cmcas_instalment_plan(cmcas_instalment_plan_t *plan, apr_int64_t total,
                                   int count, const cmcas_date_t *today)
{
    apr_int64_t step;
    int i;

    if (count < 1 || count > CMCAS_INSTALMENT_MAX || total < count) {
        return APR_EINVAL;
    }
    step = total / count;
    plan->count = count;
    plan->amounts[0] = total - step * (count - 1);
    plan->dates[0] = *today;
    for (i = 1; i < count; i++) {
        plan->amounts[i] = step;
        cmcas_date_add_months(&plan->dates[i], today, i);
    }
    return APR_SUCCESS;
}
