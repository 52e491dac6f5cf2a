/* An activity and its options (« prestations »), as the rules and pages see them (the
 * store reads them; nothing here knows the database). */
#ifndef cmcas_activity_h
#define cmcas_activity_h

#include <apr.h>

typedef struct {
    apr_int64_t id;
    const char *cmcas_code;
    const char *cmcas_name;
    const char *theme;
    const char *title;
    const char *description;
    const char *image;          /* NULL when none */
    const char *place;
    const char *start_date;     /* ISO dates */
    const char *end_date;
    const char *closing_date;
    const char *published_at;   /* NULL: not published */
    apr_int64_t capacity;
    apr_int64_t places_taken;
    int open_to_others;
    const char *mode;           /* "immediat" or "tour_de_role" */
    int guests_allowed;
    apr_int64_t max_guests;     /* per household; -1: no limit */
    apr_int64_t min_age;        /* years on the start date; -1: none */
    apr_int64_t max_age;
    /* « tour de rôle » (cmcas_draw.h): the seed (secret until the results are published:
     * pages show its SHA-256), when the draw ran and when its results were published;
     * NULL when not (and in lists, which do not read them). */
    const char *draw_seed;
    const char *draw_done_at;
    const char *draw_published_at;
    apr_int64_t draw_places;    /* the places the draw gave out; -1 before */
} cmcas_activity_t;

typedef struct {
    apr_int64_t id;
    const char *label;
    apr_int64_t price_beneficiary;
    apr_int64_t participation_beneficiary;
    apr_int64_t price_guest;
    apr_int64_t participation_guest;
    apr_int64_t min_age;        /* years on the activity's start date; -1: none */
    apr_int64_t max_age;
} cmcas_activity_option_t;

#endif
