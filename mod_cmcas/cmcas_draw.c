#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <openssl/evp.h>

#include "cmcas_draw.h"

double cmcas_draw_history(const int *ages, int n, int window_days)
{
    double sum = 0;
    int i;

    for (i = 0; i < n && window_days > 0; i++) {
        if (ages[i] < window_days) {
            sum += ages[i] <= 0 ? 1.0 : 1.0 - (double)ages[i] / window_days;
        }
    }
    /* Kept to the 6 decimals it is published with: the draw run again from the
     * published value orders the households as this one did. */
    return floor(sum * 1e6 + 0.5) / 1e6;
}

static void cmcas_draw_sha256_hex(char out[65], const char *text)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0, i;

    EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
    for (i = 0; i < len && i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * i] = '\0';
}

void cmcas_draw_commitment(char out[65], const char *seed)
{
    cmcas_draw_sha256_hex(out, seed);
}

/* The priority order: fewer activities obtained, then the lower known coefficient, then
 * the seeded draw; the id last, so that the order is total whatever the input's. */
static int cmcas_draw_cmp(const void *a, const void *b)
{
    const cmcas_draw_entry_t *x = a, *y = b;
    int c;

    /* Histories are sums of a few fractions: compared to a millionth, so that two equal
     * histories computed in another order are equal. */
    if (x->history < y->history - 1e-6) {
        return -1;
    }
    if (x->history > y->history + 1e-6) {
        return 1;
    }
    if ((x->coefficient < 0) != (y->coefficient < 0)) {
        return x->coefficient < 0 ? 1 : -1;
    }
    if (x->coefficient != y->coefficient) {
        return x->coefficient < y->coefficient ? -1 : 1;
    }
    if ((c = strcmp(x->tiebreak, y->tiebreak))) {
        return c;
    }
    return x->registration_id < y->registration_id ? -1
           : x->registration_id > y->registration_id;
}

void cmcas_draw_run(apr_array_header_t *entries, const char *seed, int capacity,
                    int *ptaken)
{
    cmcas_draw_entry_t *e = (cmcas_draw_entry_t *)entries->elts;
    int i, left = capacity > 0 ? capacity : 0, waiting = 0, rank = 0;

    for (i = 0; i < entries->nelts; i++) {
        char text[160];
        apr_snprintf(text, sizeof(text), "%s:%" APR_INT64_T_FMT, seed,
                     e[i].registration_id);
        cmcas_draw_sha256_hex(e[i].tiebreak, text);
    }
    qsort(e, entries->nelts, sizeof(*e), cmcas_draw_cmp);
    for (i = 0; i < entries->nelts; i++) {
        e[i].waiting = 0;
        if (!e[i].eligible || e[i].persons < 1) {
            e[i].rank = 0;
            e[i].result = CMCAS_DRAW_NON_RETENUE;
            continue;
        }
        e[i].rank = ++rank;
        if (e[i].persons <= left) {
            left -= e[i].persons;
            e[i].result = CMCAS_DRAW_RETENUE;
        }
        else {
            e[i].result = CMCAS_DRAW_ATTENTE;
            e[i].waiting = ++waiting;
        }
    }
    *ptaken = (capacity > 0 ? capacity : 0) - left;
}

const char *cmcas_draw_rule_fr(apr_pool_t *p, int window_months)
{
    return apr_psprintf(
        p, "Lorsque les demandes dépassent les places, la sélection a lieu à la date de "
        "clôture des inscriptions. Passent en premier les foyers qui ont obtenu le moins "
        "d'activités au cours des %d derniers mois (une activité compte d'autant moins "
        "qu'elle est ancienne), puis, à égalité, ceux dont le coefficient social est le "
        "plus bas, puis un tirage au sort. Le tirage utilise une valeur secrète choisie à "
        "l'ouverture des inscriptions, dont l'empreinte (SHA-256) est publiée dès ce "
        "moment et la valeur elle-même avec les résultats : chacun peut refaire le "
        "tirage. Chaque demande est retenue pour toutes ses personnes ou pas du tout ; "
        "une demande qui ne tient pas dans les places restantes laisse passer les "
        "suivantes et reste en tête de la liste d'attente.", window_months);
}
