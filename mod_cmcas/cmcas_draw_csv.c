#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "cmcas_draw_csv.h"
#include "cmcas_draw.h"

#define CMCAS_DRAW_CSV_HEADER "inscription,personnes,eligible,coefficient,historique,rang"

const char *cmcas_draw_csv_write(apr_pool_t *p, const cmcas_draw_csv_t *d)
{
    apr_array_header_t *out = apr_array_make(p, d->entries->nelts + 5, sizeof(char *));
    int i;

    APR_ARRAY_PUSH(out, const char *) =
        apr_psprintf(p, "# tirage,%" APR_INT64_T_FMT "\n# graine,%s\n# places,%d\n"
                     CMCAS_DRAW_CSV_HEADER "\n", d->activity_id, d->seed, d->places);
    for (i = 0; i < d->entries->nelts; i++) {
        const cmcas_draw_entry_t *e = &APR_ARRAY_IDX(d->entries, i, cmcas_draw_entry_t);
        APR_ARRAY_PUSH(out, const char *) =
            apr_psprintf(p, "%" APR_INT64_T_FMT ",%d,%d,%s,%.6f,%d\n", e->registration_id,
                         e->persons, e->eligible,
                         e->coefficient >= 0 ? apr_itoa(p, e->coefficient) : "",
                         e->history, e->rank);
    }
    return apr_array_pstrcat(p, out, 0);
}

/* A whole decimal number of at most `digits` digits (optionally empty: *pempty). */
static int cmcas_draw_csv_int(const char *s, int digits, apr_int64_t *pv, int *pempty)
{
    char *end;

    if (pempty) {
        *pempty = !*s;
        if (!*s) {
            return 1;
        }
    }
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > (apr_size_t)digits) {
        return 0;
    }
    *pv = apr_strtoi64(s, &end, 10);
    return !*end;
}

static const char *cmcas_draw_csv_row(cmcas_draw_entry_t *e, apr_pool_t *p, char *line)
{
    char *f[6];
    apr_int64_t v[6] = {0, 0, 0, 0, 0, 0};
    int n = 0, empty = 0, i;
    char *tok;

    /* Fields may be empty: split by hand rather than with apr_strtok. */
    tok = line;
    while (n < 6) {
        f[n++] = tok;
        tok = strchr(tok, ',');
        if (!tok) {
            break;
        }
        *tok++ = '\0';
    }
    if (n != 6 || tok) {
        return "6 champs attendus";
    }
    for (i = 0; i < 6; i++) {
        if (i == 4) {
            char *end;
            double h = strtod(f[4], &end);
            /* A weighted count of activities: never negative, never huge. */
            if (!*f[4] || *end || !(h >= 0 && h <= 1e6)) {
                return apr_psprintf(p, "historique « %s » invalide", f[4]);
            }
            e->history = h;
            continue;
        }
        /* The registration number is a BIGINT; the others fit an int. */
        if (!cmcas_draw_csv_int(f[i], i ? 9 : 18, &v[i], i == 3 ? &empty : NULL)) {
            return apr_psprintf(p, "nombre « %s » invalide", f[i]);
        }
    }
    e->registration_id = v[0];
    e->persons = (int)v[1];
    e->eligible = v[2] != 0;
    e->coefficient = empty ? -1 : (int)v[3];
    e->rank = (int)v[5];
    return NULL;
}

const char *cmcas_draw_csv_read(cmcas_draw_csv_t *d, apr_pool_t *p, const char *text)
{
    char *copy = apr_pstrdup(p, text), *line, *state = NULL;
    int n = 0, header = 0;

    memset(d, 0, sizeof(*d));
    d->places = -1;
    d->entries = apr_array_make(p, 16, sizeof(cmcas_draw_entry_t));
    for (line = apr_strtok(copy, "\n", &state); line; line = apr_strtok(NULL, "\n", &state)) {
        apr_size_t len = strlen(line);
        const char *why;
        n++;
        if (len && line[len - 1] == '\r') {
            line[len - 1] = '\0';
        }
        if (!strncmp(line, "# tirage,", 9)) {
            d->activity_id = apr_atoi64(line + 9);
        }
        else if (!strncmp(line, "# graine,", 9)) {
            d->seed = line + 9;
        }
        else if (!strncmp(line, "# places,", 9)) {
            apr_int64_t places = 0;
            if (!cmcas_draw_csv_int(line + 9, 9, &places, NULL)) {
                return apr_psprintf(p, "ligne %d : nombre de places invalide", n);
            }
            d->places = (int)places;
        }
        else if (!strcmp(line, CMCAS_DRAW_CSV_HEADER)) {
            header = 1;
        }
        else if (*line && *line != '#') {
            cmcas_draw_entry_t *e = apr_array_push(d->entries);
            memset(e, 0, sizeof(*e));
            if (!header) {
                return apr_psprintf(p, "ligne %d : l'en-tête « %s » doit précéder les "
                                    "données", n, CMCAS_DRAW_CSV_HEADER);
            }
            if ((why = cmcas_draw_csv_row(e, p, line))) {
                return apr_psprintf(p, "ligne %d : %s", n, why);
            }
        }
    }
    if (!d->seed || d->places < 0) {
        return "les lignes « # graine, » et « # places, » sont nécessaires";
    }
    return NULL;
}
