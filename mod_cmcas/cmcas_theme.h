/* The seven activity themes of the CMCAS portals: URL/database code and French label. */
#ifndef cmcas_theme_h
#define cmcas_theme_h

typedef struct {
    const char *code;       /* ASCII, as stored and as in URLs */
    const char *label;      /* as shown in the themes bar */
} cmcas_theme_t;

/* The themes in display order, terminated by an entry whose code is NULL. */
extern const cmcas_theme_t cmcas_theme_all[];

/* The theme with this code, or NULL. */
const cmcas_theme_t *cmcas_theme_find(const char *code);

#endif
