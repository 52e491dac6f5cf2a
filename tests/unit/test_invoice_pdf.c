/* The invoice PDF (cmcas_invoice_pdf): a real PDF from the frozen invoice, one page for
 * a usual order and several for a large one, bounded inputs refused. The text itself
 * (accents, « 70,00 € », « Page 1 / n ») is read back with pdftotext where poppler-utils
 * is installed (tests/integration/test_1110_invoice_pdf.py does it always). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_invoice_pdf.h"

/* An invoice of `n` lines of 30,00 € + 5,00 € participation (35,00 € full price). */
static cmcas_invoice_t *test_invoice_pdf_make(apr_pool_t *p, const char *kind, int n)
{
    cmcas_invoice_t *inv = apr_pcalloc(p, sizeof(*inv));
    int i;

    inv->kind = kind;
    inv->number = !strcmp(kind, "avoir") ? "BN-2026-A0007" : "BN-2026-00042";
    inv->issued_on = "2026-12-02";
    inv->order_reference = "ABCDEFGHJ";
    inv->credited_number = !strcmp(kind, "avoir") ? "BN-2026-00042" : NULL;
    inv->cmcas_code = "BN";
    inv->cmcas_name = "CMCAS Bretagne-Normandie";
    inv->cmcas_street = "12 rue de l'Énergie";
    inv->cmcas_postcode = "35000";
    inv->cmcas_city = "Rennes";
    inv->cmcas_phone = "02 99 00 00 00";
    inv->cmcas_email = "activites@cmcas-bn.example";
    inv->legal = "CMCAS Bretagne-Normandie, organisme social des IEG.\n"
                 "TVA non applicable, article 261-7-1° du CGI.\n"
                 "Pas d'escompte pour paiement anticipé.";
    inv->household_name = "Hélène DUPRÉ";
    inv->street = "3 allée des Châtaigniers";
    inv->postcode = "35700";
    inv->city = "Rennes";
    inv->country = "France";
    inv->activity_title = "Atelier gourmand : pâtisserie française et crème brûlée, "
                          "une journée en cuisine avec un chef étoilé";
    inv->activity_start = "2027-01-16";
    inv->activity_end = "2027-01-17";
    inv->lines = apr_array_make(p, n, sizeof(cmcas_invoice_line_t));
    for (i = 0; i < n; i++) {
        cmcas_invoice_line_t *ln = apr_array_push(inv->lines);
        ln->person = i % 2 ? "Zoé DUPRÉ" : apr_psprintf(p, "Personne n°%d", i + 1);
        ln->label = "Atelier gourmand (journée complète, repas compris)";
        ln->price = 3500;
        ln->participation = 500;
        ln->amount = 3000;
    }
    inv->total_price = 3500 * n;
    inv->total_participation = 500 * n;
    inv->total_amount = 3000 * n;
    inv->method = "Carte bancaire (Paybox)";
    inv->instalments = apr_array_make(p, 3, sizeof(cmcas_invoice_instalment_t));
    {
        cmcas_invoice_instalment_t *in = apr_array_push(inv->instalments);
        in->due = "2026-12-02";
        in->amount = inv->total_amount;
    }
    return inv;
}

/* The number of "/Type /Page" objects (not "/Pages") in a PDF cairo wrote. */
static int test_invoice_pdf_pages(const char *data, apr_size_t len)
{
    const char *needle = "/Type /Page";
    apr_size_t n = strlen(needle), i;
    int pages = 0;

    for (i = 0; i + n < len; i++) {
        if (!memcmp(data + i, needle, n) && data[i + n] != 's') {
            pages++;
        }
    }
    return pages;
}

static int test_invoice_pdf_has(const char *data, apr_size_t len, const char *needle)
{
    apr_size_t n = strlen(needle), i;

    for (i = 0; i + n <= len; i++) {
        if (!memcmp(data + i, needle, n)) {
            return 1;
        }
    }
    return 0;
}

/* pdftotext's text of the PDF, or NULL where poppler-utils is not installed. */
static const char *test_invoice_pdf_text(const char *data, apr_size_t len)
{
    char pdf[] = "/tmp/cmcas-invoice-XXXXXX";
    const char *cmd, *txt;
    char buf[65536];
    apr_size_t got;
    FILE *f, *out;
    int fd;

    if (system("command -v pdftotext >/dev/null 2>&1") != 0) {
        return NULL;
    }
    fd = mkstemp(pdf);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "wb");
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    cmd = apr_pstrcat(test_pool, "pdftotext -enc UTF-8 ", pdf, " -", NULL);
    out = popen(cmd, "r");
    ck_assert_ptr_nonnull(out);
    got = fread(buf, 1, sizeof(buf) - 1, out);
    buf[got] = '\0';
    pclose(out);
    unlink(pdf);
    txt = apr_pstrdup(test_pool, buf);
    return txt;
}

START_TEST(test_invoice_pdf_small)
{
    cmcas_invoice_t *inv = test_invoice_pdf_make(test_pool, "facture", 2);
    const char *data, *err, *txt;
    apr_size_t len;

    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err),
                     APR_SUCCESS);
    ck_assert_ptr_null(err);
    ck_assert_uint_gt(len, 1000);
    ck_assert(!memcmp(data, "%PDF-", 5));
    ck_assert(!memcmp(data + len - 6, "%%EOF", 5));
    ck_assert_int_eq(test_invoice_pdf_pages(data, len), 1);
    /* The fonts are embedded (a subset of DejaVu Sans). */
    ck_assert(test_invoice_pdf_has(data, len, "/FontFile"));
    ck_assert_str_eq(cmcas_invoice_pdf_filename(test_pool, inv), "facture-BN-2026-00042.pdf");
    if ((txt = test_invoice_pdf_text(data, len))) {
        ck_assert_ptr_nonnull(strstr(txt, "FACTURE"));
        ck_assert_ptr_nonnull(strstr(txt, "BN-2026-00042"));
        ck_assert_ptr_nonnull(strstr(txt, "02/12/2026"));
        ck_assert_ptr_nonnull(strstr(txt, "Commande ABCDEFGHJ"));
        ck_assert_ptr_nonnull(strstr(txt, "Hélène DUPRÉ"));
        ck_assert_ptr_nonnull(strstr(txt, "Zoé DUPRÉ"));
        ck_assert_ptr_nonnull(strstr(txt, "Participation"));
        ck_assert_ptr_nonnull(strstr(txt, "Prestation"));
        /* pdftotext gives the amounts' no-break spaces as spaces (one glyph). */
        ck_assert_ptr_nonnull(strstr(txt, "30,00 €"));
        ck_assert_ptr_nonnull(strstr(txt, "70,00 €"));
        ck_assert_ptr_nonnull(strstr(txt, "Payé par Carte bancaire (Paybox) le 02/12/2026 : 60,00 €"));
        ck_assert_ptr_nonnull(strstr(txt, "Du 16/01/2027 au 17/01/2027"));
        ck_assert_ptr_nonnull(strstr(txt, "TVA non applicable"));
        ck_assert_ptr_nonnull(strstr(txt, "Page 1 / 1"));
    }
}
END_TEST

START_TEST(test_invoice_pdf_large)
{
    cmcas_invoice_t *inv = test_invoice_pdf_make(test_pool, "facture", 200);
    const char *data, *err, *txt, *s;
    apr_size_t len;
    int pages, heads = 0;

    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err),
                     APR_SUCCESS);
    ck_assert(!memcmp(data, "%PDF-", 5));
    pages = test_invoice_pdf_pages(data, len);
    ck_assert_int_gt(pages, 1);
    if ((txt = test_invoice_pdf_text(data, len))) {
        /* The table's header on every page, and « Page n / m » at every foot. */
        for (s = txt; (s = strstr(s, "Prestation")); s++) {
            heads++;
        }
        ck_assert_int_eq(heads, pages);
        ck_assert_ptr_nonnull(strstr(txt, apr_psprintf(test_pool, "Page %d / %d", pages,
                                                       pages)));
        ck_assert_ptr_nonnull(strstr(txt, "Personne n°199"));
        ck_assert_ptr_nonnull(strstr(txt, "6 000,00 €"));
    }
}
END_TEST

START_TEST(test_invoice_pdf_avoir)
{
    cmcas_invoice_t *inv = test_invoice_pdf_make(test_pool, "avoir", 1);
    cmcas_invoice_instalment_t *in;
    const char *data, *err, *txt;
    apr_size_t len;

    inv->method = "Chèque";
    inv->country = "Belgique";
    in = apr_array_push(inv->instalments);
    in->due = "2027-01-02";
    in->amount = 0;
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(cmcas_invoice_pdf_filename(test_pool, inv), "avoir-BN-2026-A0007.pdf");
    if ((txt = test_invoice_pdf_text(data, len))) {
        ck_assert_ptr_nonnull(strstr(txt, "AVOIR"));
        ck_assert_ptr_nonnull(strstr(txt, "Annule la facture BN-2026-00042"));
        ck_assert_ptr_nonnull(strstr(txt, "Remboursé par Chèque, en 2 échéances"));
        ck_assert_ptr_nonnull(strstr(txt, "échéance du 02/01/2027 : 0,00 €"));
        ck_assert_ptr_nonnull(strstr(txt, "Belgique"));
    }
}
END_TEST

START_TEST(test_invoice_pdf_refused)
{
    cmcas_invoice_t *inv = test_invoice_pdf_make(test_pool, "facture", 2);
    const char *data, *err;
    apr_size_t len;
    char *big;
    int i;

    inv->kind = "devis";
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_null(data);
    inv->kind = "facture";
    inv->issued_on = "02/12/2026";
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err), APR_EINVAL);
    inv->issued_on = "2026-12-02";
    inv->household_name = "\xff\xfe";
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err), APR_EINVAL);
    inv->household_name = "Hélène DUPRÉ";
    big = apr_palloc(test_pool, CMCAS_INVOICE_PDF_MAX_TEXT + 2);
    memset(big, 'a', CMCAS_INVOICE_PDF_MAX_TEXT + 1);
    big[CMCAS_INVOICE_PDF_MAX_TEXT + 1] = '\0';
    APR_ARRAY_IDX(inv->lines, 0, cmcas_invoice_line_t).label = big;
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err), APR_EINVAL);
    /* A long label within the bound: cut to a few lines, never a cell taller than a page. */
    big[CMCAS_INVOICE_PDF_MAX_TEXT] = '\0';
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(test_invoice_pdf_pages(data, len), 1);
    /* Too many lines: refused before anything is drawn. */
    for (i = 2; i <= CMCAS_INVOICE_PDF_MAX_LINES; i++) {
        *(cmcas_invoice_line_t *)apr_array_push(inv->lines) =
            APR_ARRAY_IDX(inv->lines, 1, cmcas_invoice_line_t);
    }
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err), APR_EINVAL);
    ck_assert_str_eq(err, "too many lines");
    apr_array_clear(inv->lines);
    ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err), APR_EINVAL);
}
END_TEST

/* How much a download costs: printed for the record (CMCAS_INVOICE_PDF_BENCH=1). */
START_TEST(test_invoice_pdf_cost)
{
    static const int sizes[2] = { 2, 200 };
    int k, i, rounds = getenv("CMCAS_INVOICE_PDF_BENCH") ? 50 : 1;

    for (k = 0; k < 2; k++) {
        cmcas_invoice_t *inv = test_invoice_pdf_make(test_pool, "facture", sizes[k]);
        const char *data, *err;
        apr_size_t len = 0;
        apr_time_t t0;

        ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err),
                         APR_SUCCESS);          /* fonts loaded */
        t0 = apr_time_now();
        for (i = 0; i < rounds; i++) {
            ck_assert_int_eq(cmcas_invoice_pdf_render(inv, test_pool, &data, &len, &err),
                             APR_SUCCESS);
        }
        if (getenv("CMCAS_INVOICE_PDF_BENCH")) {
            fprintf(stderr, "invoice PDF, %d lines: %" APR_SIZE_T_FMT " bytes, %d pages, "
                    "%.2f ms per render\n", sizes[k], len,
                    test_invoice_pdf_pages(data, len),
                    (double)(apr_time_now() - t0) / rounds / 1000.0);
        }
    }
}
END_TEST

Suite *test_invoice_pdf_suite(void)
{
    Suite *s = suite_create("invoice_pdf");
    TCase *tc = tcase_create("render");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_invoice_pdf_small);
    tcase_add_test(tc, test_invoice_pdf_large);
    tcase_add_test(tc, test_invoice_pdf_avoir);
    tcase_add_test(tc, test_invoice_pdf_refused);
    tcase_add_test(tc, test_invoice_pdf_cost);
    suite_add_tcase(s, tc);
    return s;
}
