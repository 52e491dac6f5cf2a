/* The « tour de rôle » of an activity as its CMCAS's staff see it: every request (the
 * validated ones and those the draw decided on), with its household's name and what the
 * draw decided. Read only; the caller has checked the activity is the staff's CMCAS's. */
#ifndef cmcas_draw_board_store_h
#define cmcas_draw_board_store_h

#include "cmcas_registration.h"
#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_draw_board_store_statements[];

typedef struct {
    apr_int64_t registration_id;
    apr_int64_t household_id;
    const char *household;              /* « Prénom NOM » of the ouvrant droit */
    cmcas_status_reg_t status;
    cmcas_registration_draw_t draw;     /* selection NULL: not drawn (yet) */
} cmcas_draw_board_store_row_t;

/* The activity's requests: drawn ones in rank order, then the others by id
 * (cmcas_draw_board_store_row_t). */
apr_status_t cmcas_draw_board_store_list(apr_array_header_t **prows,
                                         const cmcas_store_t *st, apr_pool_t *p,
                                         apr_int64_t activity_id, const char **perr);

#endif
