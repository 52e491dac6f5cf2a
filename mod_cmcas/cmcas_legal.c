#include <string.h>
#include <apr_strings.h>

#include "cmcas_legal.h"
#include "cmcas_doc.h"
#include "cmcas_text.h"

const char *cmcas_legal_check(const char *text, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r'
                            || text[i] == '\t'); i++) {
    }
    if (i == len) {
        return "is empty";
    }
    if (len > CMCAS_LEGAL_MAX_BYTES) {
        return "is larger than 256 KiB";
    }
    if (!cmcas_text_xml_valid(text, len)) {
        return "is not UTF-8 text (or holds control characters)";
    }
    return NULL;
}

/* The block being built: its kind and its text so far. */
typedef struct {
    xmlNodePtr parent;
    xmlNodePtr list;            /* the <liste> open, or NULL */
    char *item;                 /* its item's text so far, or NULL */
    char *para;                 /* the paragraph's text so far, or NULL */
    apr_pool_t *pool;
} cmcas_legal_t;

static void cmcas_legal_flush(cmcas_legal_t *b)
{
    if (b->item) {
        cmcas_doc_text(b->list, "item", b->item);
        b->item = NULL;
    }
    if (b->para) {
        cmcas_doc_text(b->parent, "p", b->para);
        b->para = NULL;
    }
}

/* One line (no "\n", "\r" removed, trimmed of trailing blanks). */
static void cmcas_legal_line(cmcas_legal_t *b, const char *line, int first)
{
    if (!*line) {                                   /* a blank line ends a block */
        cmcas_legal_flush(b);
        b->list = NULL;
        return;
    }
    if (first && line[0] == '#' && (line[1] == ' ' || !line[1])) {
        cmcas_legal_flush(b);
        b->list = NULL;
        while (*line == '#' || *line == ' ') {
            line++;
        }
        if (*line) {
            cmcas_doc_text(b->parent, "titre", line);
        }
        return;
    }
    if (line[0] == '-' && line[1] == ' ') {
        cmcas_legal_flush(b);
        if (!b->list) {
            b->list = cmcas_doc_elem(b->parent, "liste");
        }
        for (line += 2; *line == ' '; line++) {
        }
        b->item = apr_pstrdup(b->pool, line);
        return;
    }
    if (b->item) {                                  /* a list item's next line */
        b->item = apr_pstrcat(b->pool, b->item, " ", line, NULL);
        return;
    }
    b->para = b->para ? apr_pstrcat(b->pool, b->para, " ", line, NULL)
                      : apr_pstrdup(b->pool, line);
}

void cmcas_legal_doc(xmlNodePtr parent, const char *text, apr_pool_t *p)
{
    cmcas_legal_t b = {parent, NULL, NULL, NULL, p};
    const char *s = text;
    int first = 1;

    while (*s) {
        apr_size_t n = strcspn(s, "\n");
        char *line = apr_pstrmemdup(p, s, n);
        apr_size_t len;
        int blank;

        while (*line == ' ' || *line == '\t') {       /* indentation means nothing */
            line++;
        }
        len = strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '
                       || line[len - 1] == '\t')) {
            line[--len] = '\0';
        }
        blank = !len;
        /* A heading is recognised only at the start of a block. */
        cmcas_legal_line(&b, line, first || (!b.para && !b.list));
        first = blank;
        s += n;
        if (*s == '\n') {
            s++;
        }
    }
    cmcas_legal_flush(&b);
}
