#include <string.h>
#include <apr_strings.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "cmcas_invoice_pdf.h"
#include "cmcas_date.h"
#include "cmcas_money.h"

/* A4 in points (the PDF's unit: pango and cairo both work in it here). */
#define PDF_W 595.28
#define PDF_H 841.89
#define PDF_MARGIN 42.52                /* 15 mm */
#define PDF_WIDTH (PDF_W - 2 * PDF_MARGIN)
#define PDF_PAD 4.0                     /* inside a table cell */
#define PDF_LEGAL_LINES 8               /* of the legal mentions at the foot */

/* The table's columns: left edge (from the margin) and width. */
static const double cmcas_invoice_pdf_col_x[5] = { 0, 130, 300, 370, 445 };
static const double cmcas_invoice_pdf_col_w[5] = { 130, 170, 70, 75, PDF_WIDTH - 445 };

typedef enum {
    CMCAS_INVOICE_PDF_LEFT = PANGO_ALIGN_LEFT,
    CMCAS_INVOICE_PDF_RIGHT = PANGO_ALIGN_RIGHT
} cmcas_invoice_pdf_align_t;

/* One pass over the document: the first only measures (how many pages), the second
 * draws, knowing the count for « Page n / m ». The same code does both, so they agree. */
typedef struct {
    const cmcas_invoice_t *inv;
    apr_pool_t *p;
    cairo_t *cr;
    PangoContext *pc;
    int draw;
    int page, pages;
    double y, bottom;
    const char *legal;                  /* at most PDF_LEGAL_LINES lines */
    double footer_h;
} cmcas_invoice_pdf_t;

/* The PDF's bytes, gathered in the pool (no temporary file). */
typedef struct {
    apr_pool_t *p;
    unsigned char *buf;
    apr_size_t len, cap;
    int too_big;
} cmcas_invoice_pdf_sink_t;

void cmcas_invoice_pdf_init(void)
{
    /* fontconfig reads its configuration and font cache once per process; pango would
     * do it on the first render otherwise. */
    FcInit();
}

static cairo_status_t cmcas_invoice_pdf_write(void *closure, const unsigned char *data,
                                              unsigned int length)
{
    cmcas_invoice_pdf_sink_t *s = closure;

    if (length > CMCAS_INVOICE_PDF_MAX_BYTES - s->len) {
        s->too_big = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (s->len + length > s->cap) {
        apr_size_t cap = s->cap ? s->cap : 64 * 1024;
        unsigned char *buf;
        while (cap < s->len + length) {
            cap *= 2;
        }
        buf = apr_palloc(s->p, cap);
        if (s->len) {
            memcpy(buf, s->buf, s->len);
        }
        s->buf = buf;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, length);
    s->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* `s` laid out in a box of width `w`. Text, never markup: names and labels are the
 * members' and staff's. Wrapped at word (or character) boundaries, and cut with « … »
 * past `maxlines` lines per paragraph, so a cell is never taller than a page. */
static PangoLayout *cmcas_invoice_pdf_layout(cmcas_invoice_pdf_t *d, double w, const char *s,
                                             double size, int bold,
                                             cmcas_invoice_pdf_align_t align, int maxlines)
{
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *fd = pango_font_description_new();

    pango_font_description_set_family_static(fd, CMCAS_INVOICE_PDF_FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (maxlines > 0) {
        pango_layout_set_height(l, -maxlines);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_alignment(l, (PangoAlignment)align);
    pango_layout_set_text(l, s ? s : "", -1);
    return l;
}

static double cmcas_invoice_pdf_height(PangoLayout *l)
{
    int h = 0;
    pango_layout_get_size(l, NULL, &h);
    return (double)h / PANGO_SCALE;
}

/* Draws a layout at (x, y) in the drawing pass. */
static void cmcas_invoice_pdf_show(cmcas_invoice_pdf_t *d, PangoLayout *l, double x, double y,
                                   double gray)
{
    if (d->draw) {
        cairo_set_source_rgb(d->cr, gray, gray, gray);
        cairo_move_to(d->cr, x, y);
        pango_cairo_show_layout(d->cr, l);
    }
}

/* Lays `s` out at (x, y), draws it when `draw` (and the pass draws); its height. */
static double cmcas_invoice_pdf_text(cmcas_invoice_pdf_t *d, int draw, double x, double y,
                                     double w, const char *s, double size, int bold,
                                     cmcas_invoice_pdf_align_t align, int maxlines,
                                     double gray)
{
    PangoLayout *l = cmcas_invoice_pdf_layout(d, w, s, size, bold, align, maxlines);
    double h = cmcas_invoice_pdf_height(l);

    if (draw) {
        cmcas_invoice_pdf_show(d, l, x, y, gray);
    }
    g_object_unref(l);
    return h;
}

static void cmcas_invoice_pdf_rule(cmcas_invoice_pdf_t *d, double y, double gray)
{
    if (d->draw) {
        cairo_set_source_rgb(d->cr, gray, gray, gray);
        cairo_set_line_width(d->cr, 0.5);
        cairo_move_to(d->cr, PDF_MARGIN, y);
        cairo_line_to(d->cr, PDF_MARGIN + PDF_WIDTH, y);
        cairo_stroke(d->cr);
    }
}

static const char *cmcas_invoice_pdf_title(const cmcas_invoice_t *inv)
{
    return strcmp(inv->kind, "avoir") ? "FACTURE" : "AVOIR";
}

/* The foot of every page: the legal mentions, the document and « Page n / m ». */
static void cmcas_invoice_pdf_footer(cmcas_invoice_pdf_t *d)
{
    double y = PDF_H - PDF_MARGIN - d->footer_h;

    cmcas_invoice_pdf_rule(d, y - 5, 0.6);
    if (d->legal) {
        y += cmcas_invoice_pdf_text(d, 1, PDF_MARGIN, y, PDF_WIDTH, d->legal, 7.5, 0,
                                    CMCAS_INVOICE_PDF_LEFT, 2, 0.35);
    }
    cmcas_invoice_pdf_text(d, 1, PDF_MARGIN, y + 2, PDF_WIDTH * 0.7,
                           apr_pstrcat(d->p, cmcas_invoice_pdf_title(d->inv), " ",
                                       d->inv->number, NULL),
                           7.5, 0, CMCAS_INVOICE_PDF_LEFT, 1, 0.35);
    cmcas_invoice_pdf_text(d, 1, PDF_MARGIN + PDF_WIDTH * 0.7, y + 2, PDF_WIDTH * 0.3,
                           apr_psprintf(d->p, "Page %d / %d", d->page,
                                        d->pages ? d->pages : 1),
                           7.5, 0, CMCAS_INVOICE_PDF_RIGHT, 1, 0.35);
}

static void cmcas_invoice_pdf_new_page(cmcas_invoice_pdf_t *d)
{
    cmcas_invoice_pdf_footer(d);
    if (d->draw) {
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = PDF_MARGIN;
}

/* One row of the table: five cells (NULL: empty), on a new page (its header repeated)
 * when it does not fit on this one. */
static void cmcas_invoice_pdf_table_header(cmcas_invoice_pdf_t *d);

static void cmcas_invoice_pdf_row(cmcas_invoice_pdf_t *d, const char *const cells[5],
                                  int bold, int header)
{
    PangoLayout *l[5];
    double h = 0, ch;
    int i;

    /* Each cell is shaped once per pass (shaping is most of the cost): measured, then
     * drawn from the same layout. */
    for (i = 0; i < 5; i++) {
        l[i] = cmcas_invoice_pdf_layout(d, cmcas_invoice_pdf_col_w[i] - 2 * PDF_PAD, cells[i],
                                        8.5, bold,
                                        i < 2 ? CMCAS_INVOICE_PDF_LEFT : CMCAS_INVOICE_PDF_RIGHT,
                                        3);
        ch = cmcas_invoice_pdf_height(l[i]);
        h = ch > h ? ch : h;
    }
    h += 2 * PDF_PAD;
    if (!header && d->y + h > d->bottom) {
        cmcas_invoice_pdf_new_page(d);
        cmcas_invoice_pdf_table_header(d);
    }
    if (d->draw && header) {
        cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
        cairo_rectangle(d->cr, PDF_MARGIN, d->y, PDF_WIDTH, h);
        cairo_fill(d->cr);
    }
    for (i = 0; i < 5; i++) {
        cmcas_invoice_pdf_show(d, l[i], PDF_MARGIN + cmcas_invoice_pdf_col_x[i] + PDF_PAD,
                               d->y + PDF_PAD, 0);
        g_object_unref(l[i]);
    }
    d->y += h;
    cmcas_invoice_pdf_rule(d, d->y, 0.75);
}

static void cmcas_invoice_pdf_table_header(cmcas_invoice_pdf_t *d)
{
    static const char *const head[5] = {
        "Personne", "Prestation", "Prix", "Participation CMCAS", "Montant payé"
    };
    cmcas_invoice_pdf_row(d, head, 1, 1);
}

/* A block of text over the whole width, on the next page when it does not fit. */
static void cmcas_invoice_pdf_block(cmcas_invoice_pdf_t *d, const char *s, double size,
                                    int bold, int maxlines)
{
    PangoLayout *l = cmcas_invoice_pdf_layout(d, PDF_WIDTH, s, size, bold,
                                              CMCAS_INVOICE_PDF_LEFT, maxlines);
    double h = cmcas_invoice_pdf_height(l);

    if (d->y + h > d->bottom) {
        cmcas_invoice_pdf_new_page(d);
    }
    cmcas_invoice_pdf_show(d, l, PDF_MARGIN, d->y, 0);
    g_object_unref(l);
    d->y += h;
}

static const char *cmcas_invoice_pdf_str(const char *s)
{
    return s ? s : "";
}

/* "a\nb" of the non-empty values, in order. */
static const char *cmcas_invoice_pdf_lines(apr_pool_t *p, const char *const *v, int n)
{
    const char *out = NULL;
    int i;

    for (i = 0; i < n; i++) {
        if (v[i] && *v[i]) {
            out = out ? apr_pstrcat(p, out, "\n", v[i], NULL) : v[i];
        }
    }
    return out ? out : "";
}

static const char *cmcas_invoice_pdf_place(apr_pool_t *p, const char *postcode,
                                           const char *city)
{
    return apr_pstrcat(p, cmcas_invoice_pdf_str(postcode), postcode && *postcode ? " " : "",
                       cmcas_invoice_pdf_str(city), NULL);
}

static void cmcas_invoice_pdf_pass(cmcas_invoice_pdf_t *d)
{
    const cmcas_invoice_t *inv = d->inv;
    apr_pool_t *p = d->p;
    const char *v[6], *start, *end, *s;
    double hl, hr, xr = PDF_MARGIN + 270, wr = PDF_WIDTH - 270;
    int i, avoir = !strcmp(inv->kind, "avoir");

    d->page = 1;
    d->y = PDF_MARGIN;

    /* The seller (left) and the document (right). */
    hl = cmcas_invoice_pdf_text(d, 1, PDF_MARGIN, d->y, 250, inv->cmcas_name, 12, 1,
                                CMCAS_INVOICE_PDF_LEFT, 2, 0);
    v[0] = inv->cmcas_street;
    v[1] = cmcas_invoice_pdf_place(p, inv->cmcas_postcode, inv->cmcas_city);
    v[2] = inv->cmcas_phone && *inv->cmcas_phone
           ? apr_pstrcat(p, "Tél. ", inv->cmcas_phone, NULL) : NULL;
    v[3] = inv->cmcas_email;
    hl += 2 + cmcas_invoice_pdf_text(d, 1, PDF_MARGIN, d->y + hl + 2, 250,
                                     cmcas_invoice_pdf_lines(p, v, 4), 9, 0,
                                     CMCAS_INVOICE_PDF_LEFT, 2, 0.2);
    hr = cmcas_invoice_pdf_text(d, 1, xr, d->y, wr, cmcas_invoice_pdf_title(inv), 20, 1,
                                CMCAS_INVOICE_PDF_RIGHT, 1, 0);
    v[0] = apr_pstrcat(p, "N° ", inv->number, NULL);
    hr += cmcas_invoice_pdf_text(d, 1, xr, d->y + hr, wr, v[0], 11, 1,
                                 CMCAS_INVOICE_PDF_RIGHT, 1, 0);
    v[0] = apr_pstrcat(p, "Date : ", cmcas_date_iso_to_fr(p, inv->issued_on), NULL);
    v[1] = apr_pstrcat(p, "Commande ", inv->order_reference, NULL);
    v[2] = avoir && inv->credited_number
           ? apr_pstrcat(p, "Annule la facture ", inv->credited_number, NULL) : NULL;
    hr += 2 + cmcas_invoice_pdf_text(d, 1, xr, d->y + hr + 2, wr,
                                     cmcas_invoice_pdf_lines(p, v, 3), 9.5, 0,
                                     CMCAS_INVOICE_PDF_RIGHT, 2, 0);
    d->y += (hl > hr ? hl : hr) + 22;

    /* The buyer: the household's billing address (the country when not France). */
    hr = cmcas_invoice_pdf_text(d, 1, xr, d->y, wr, avoir ? "Avoir établi pour" : "Facturé à",
                                8, 0, CMCAS_INVOICE_PDF_LEFT, 1, 0.35);
    hr += cmcas_invoice_pdf_text(d, 1, xr, d->y + hr, wr, inv->household_name, 10, 1,
                                 CMCAS_INVOICE_PDF_LEFT, 2, 0);
    v[0] = inv->street;
    v[1] = cmcas_invoice_pdf_place(p, inv->postcode, inv->city);
    v[2] = inv->country && g_ascii_strcasecmp(inv->country, "France") ? inv->country : NULL;
    hr += cmcas_invoice_pdf_text(d, 1, xr, d->y + hr, wr, cmcas_invoice_pdf_lines(p, v, 3),
                                 9.5, 0, CMCAS_INVOICE_PDF_LEFT, 2, 0);
    d->y += hr + 22;

    /* The activity and its dates. */
    cmcas_invoice_pdf_block(d, apr_pstrcat(p, "Activité : ",
                                           cmcas_invoice_pdf_str(inv->activity_title), NULL),
                            10.5, 1, 3);
    start = inv->activity_start ? cmcas_date_iso_to_fr(p, inv->activity_start) : NULL;
    end = inv->activity_end ? cmcas_date_iso_to_fr(p, inv->activity_end) : NULL;
    if (start && end && strcmp(start, end)) {
        s = apr_pstrcat(p, "Du ", start, " au ", end, NULL);
    }
    else {
        s = start ? apr_pstrcat(p, "Le ", start, NULL) : NULL;
    }
    if (s) {
        cmcas_invoice_pdf_block(d, s, 9.5, 0, 1);
    }
    d->y += 12;

    /* The lines, then their totals. */
    cmcas_invoice_pdf_table_header(d);
    for (i = 0; i < inv->lines->nelts; i++) {
        const cmcas_invoice_line_t *ln = &APR_ARRAY_IDX(inv->lines, i, cmcas_invoice_line_t);
        const char *cells[5];
        cells[0] = ln->person;
        cells[1] = ln->label;
        cells[2] = cmcas_money_format(p, ln->price);
        cells[3] = cmcas_money_format(p, ln->participation);
        cells[4] = cmcas_money_format(p, ln->amount);
        cmcas_invoice_pdf_row(d, cells, 0, 0);
    }
    {
        const char *cells[5];
        cells[0] = "Total";
        cells[1] = NULL;
        cells[2] = cmcas_money_format(p, inv->total_price);
        cells[3] = cmcas_money_format(p, inv->total_participation);
        cells[4] = cmcas_money_format(p, inv->total_amount);
        cmcas_invoice_pdf_row(d, cells, 1, 0);
    }
    d->y += 14;

    /* How it was paid (or refunded), and when. */
    s = apr_pstrcat(p, avoir ? "Remboursé par " : "Payé par ",
                    cmcas_invoice_pdf_str(inv->method), NULL);
    if (inv->instalments && inv->instalments->nelts > 1) {
        s = apr_psprintf(p, "%s, en %d échéances :", s, inv->instalments->nelts);
    }
    for (i = 0; inv->instalments && i < inv->instalments->nelts; i++) {
        const cmcas_invoice_instalment_t *in = &APR_ARRAY_IDX(inv->instalments, i,
                                                              cmcas_invoice_instalment_t);
        const char *due = in->due ? cmcas_date_iso_to_fr(p, in->due) : NULL;
        const char *amount = cmcas_money_format(p, in->amount);
        if (inv->instalments->nelts == 1) {
            /* Paid at once: « Payé par Chèque le 02/12/2026 : 60,00 € ». */
            s = apr_pstrcat(p, s, due ? " le " : "", due ? due : "", " : ", amount, NULL);
        }
        else {
            s = apr_pstrcat(p, s, "\n    ", due ? "échéance du " : "échéance",
                            due ? due : "", " : ", amount, NULL);
        }
    }
    cmcas_invoice_pdf_block(d, s, 9.5, 0, 2);

    cmcas_invoice_pdf_footer(d);
    if (d->draw) {
        cairo_show_page(d->cr);
    }
}

/* Whether `s` is a field we render: at most CMCAS_INVOICE_PDF_MAX_TEXT bytes of UTF-8. */
static int cmcas_invoice_pdf_text_ok(const char *s)
{
    return !s || (strlen(s) <= CMCAS_INVOICE_PDF_MAX_TEXT && g_utf8_validate(s, -1, NULL));
}

static const char *cmcas_invoice_pdf_check(const cmcas_invoice_t *inv)
{
    const char *fields[] = {
        inv->number, inv->order_reference, inv->credited_number, inv->cmcas_code,
        inv->cmcas_name, inv->cmcas_street, inv->cmcas_postcode, inv->cmcas_city,
        inv->cmcas_phone, inv->cmcas_email, inv->legal, inv->household_name, inv->street,
        inv->postcode, inv->city, inv->country, inv->activity_title, inv->method
    };
    apr_size_t i;
    int j;

    if (!inv->kind || (strcmp(inv->kind, "facture") && strcmp(inv->kind, "avoir"))) {
        return "not an invoice's kind (facture, avoir)";
    }
    if (!inv->number || !*inv->number || !inv->order_reference || !inv->issued_on) {
        return "an invoice without its number, order or date";
    }
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!cmcas_invoice_pdf_text_ok(fields[i])) {
            return "a field too long or not UTF-8";
        }
    }
    if (!inv->lines || inv->lines->nelts < 1
        || inv->lines->elt_size != sizeof(cmcas_invoice_line_t)) {
        return "an invoice without lines";
    }
    if (inv->lines->nelts > CMCAS_INVOICE_PDF_MAX_LINES) {
        return "too many lines";
    }
    for (j = 0; j < inv->lines->nelts; j++) {
        const cmcas_invoice_line_t *ln = &APR_ARRAY_IDX(inv->lines, j, cmcas_invoice_line_t);
        if (!cmcas_invoice_pdf_text_ok(ln->person) || !cmcas_invoice_pdf_text_ok(ln->label)) {
            return "a line's text too long or not UTF-8";
        }
    }
    if (inv->instalments
        && (inv->instalments->elt_size != sizeof(cmcas_invoice_instalment_t)
            || inv->instalments->nelts > CMCAS_INVOICE_PDF_MAX_INSTALMENTS)) {
        return "too many instalments";
    }
    return NULL;
}

/* The first PDF_LEGAL_LINES non-empty lines of the legal mentions (the foot of a page
 * has room for no more), or NULL. */
static const char *cmcas_invoice_pdf_legal(apr_pool_t *p, const char *legal)
{
    char *copy, *last, *line;
    const char *out = NULL;
    int n = 0;

    if (!legal || !*legal) {
        return NULL;
    }
    copy = apr_pstrdup(p, legal);
    for (line = apr_strtok(copy, "\r\n", &last); line && n < PDF_LEGAL_LINES;
         line = apr_strtok(NULL, "\r\n", &last)) {
        out = out ? apr_pstrcat(p, out, "\n", line, NULL) : line;
        n++;
    }
    return out;
}

apr_status_t cmcas_invoice_pdf_render(const cmcas_invoice_t *inv, apr_pool_t *p,
                                      const char **pdata, apr_size_t *plen,
                                      const char **perr)
{
    cmcas_invoice_pdf_sink_t sink;
    cmcas_invoice_pdf_t d;
    cairo_surface_t *surface;
    cairo_status_t cs;
    PangoFontMap *fm;
    const char *err;
    apr_status_t rv = APR_SUCCESS;

    *pdata = NULL;
    *plen = 0;
    *perr = NULL;
    if ((err = cmcas_invoice_pdf_check(inv))) {
        *perr = err;
        return APR_EINVAL;
    }
    if (!cmcas_date_iso_to_fr(p, inv->issued_on)) {
        *perr = "an invoice's date that is not an ISO date";
        return APR_EINVAL;
    }
    memset(&sink, 0, sizeof(sink));
    sink.p = p;
    memset(&d, 0, sizeof(d));
    d.inv = inv;
    d.p = p;
    d.legal = cmcas_invoice_pdf_legal(p, inv->legal);

    surface = cairo_pdf_surface_create_for_stream(cmcas_invoice_pdf_write, &sink,
                                                  PDF_W, PDF_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   apr_pstrcat(p, strcmp(inv->kind, "avoir") ? "Facture "
                                                                             : "Avoir ",
                                               inv->number, NULL));
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
                                   cmcas_invoice_pdf_str(inv->cmcas_name));
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "mod_cmcas");
    /* The day, not the render's: the same invoice gives the same document. */
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   apr_pstrcat(p, inv->issued_on, "T00:00:00", NULL));
    d.cr = cairo_create(surface);

    /* Thread safety: Apache renders in many threads at once. Since pango 1.32.6 the
     * default PangoCairo font map is per thread (pango_cairo_font_map_get_default's
     * documentation: « each thread gets its own default fontmap; in this way,
     * PangoCairo can be used safely from multiple threads »), and fontconfig is
     * thread-safe since 2.10. So each worker thread keeps its own map, owned by pango
     * and freed when the thread ends, and its fonts stay loaded from one download to
     * the next: a new map per render would open and parse the font files each time.
     * Nothing of a map is shared between threads here; the context and the layouts
     * are this render's. */
    fm = pango_cairo_font_map_get_default();
    d.pc = pango_font_map_create_context(fm);
    pango_cairo_update_context(d.cr, d.pc);
    /* PDF is not a screen: glyphs at their exact positions, not rounded to pixels. */
    pango_context_set_round_glyph_positions(d.pc, FALSE);

    d.footer_h = 12 + (d.legal ? cmcas_invoice_pdf_text(&d, 0, 0, 0, PDF_WIDTH, d.legal,
                                                        7.5, 0, CMCAS_INVOICE_PDF_LEFT, 2,
                                                        0)
                               : 0);
    d.bottom = PDF_H - PDF_MARGIN - d.footer_h - 12;

    d.draw = 0;                 /* measure: how many pages */
    cmcas_invoice_pdf_pass(&d);
    d.pages = d.page;
    d.draw = 1;
    cmcas_invoice_pdf_pass(&d);

    g_object_unref(d.pc);
    cs = cairo_status(d.cr);
    cairo_destroy(d.cr);
    cairo_surface_finish(surface);
    if (cs == CAIRO_STATUS_SUCCESS) {
        cs = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (sink.too_big) {
        *perr = "the PDF is larger than its bound";
        rv = APR_EINVAL;
    }
    else if (cs != CAIRO_STATUS_SUCCESS) {
        *perr = apr_pstrcat(p, "cairo: ", cairo_status_to_string(cs), NULL);
        rv = APR_EGENERAL;
    }
    else {
        *pdata = (const char *)sink.buf;
        *plen = sink.len;
    }
    return rv;
}

const char *cmcas_invoice_pdf_filename(apr_pool_t *p, const cmcas_invoice_t *inv)
{
    char *n = apr_pstrdup(p, inv->number ? inv->number : "");
    char *c;

    for (c = n; *c; c++) {
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')
              || *c == '.' || *c == '_' || *c == '-')) {
            *c = '_';
        }
    }
    return apr_pstrcat(p, strcmp(inv->kind ? inv->kind : "", "avoir") ? "facture-" : "avoir-",
                       n, ".pdf", NULL);
}
