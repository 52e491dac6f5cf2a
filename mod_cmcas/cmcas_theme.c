#include <string.h>

#include "cmcas_theme.h"

const cmcas_theme_t cmcas_theme_all[] = {
    {"CULTURE", "CULTURE"},
    {"FORMATION", "FORMATION"},
    {"LOISIR", "LOISIR"},
    {"SANTE-PREVOYANCE", "SANTÉ-PRÉVOYANCE"},
    {"SPORT", "SPORT"},
    {"VIE-ORGANISME", "VIE DE L'ORGANISME"},
    {"VOYAGE-SEJOUR", "VOYAGE-SÉJOUR"},
    {NULL, NULL}
};

const cmcas_theme_t *cmcas_theme_find(const char *code)
{
    const cmcas_theme_t *t;
    for (t = cmcas_theme_all; code && t->code; t++) {
        if (!strcmp(t->code, code)) {
            return t;
        }
    }
    return NULL;
}
