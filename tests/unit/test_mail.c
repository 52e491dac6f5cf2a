/* Composing the members' e-mails (cmcas_mail): every kind in French with its values, the
 * MIME structure and encodings, escaping in the HTML part, and no way for a value to add
 * a header. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_mail.h"

/* Gael's validated registration 42 on « Atelier gourmand », from CMCAS Berry-Nivernais. */
static cmcas_mail_t test_mail_base(const char *kind)
{
    cmcas_mail_t m;

    memset(&m, 0, sizeof(m));
    m.kind = kind;
    m.event_key = apr_pstrcat(test_pool, kind, ":42", NULL);
    m.date = apr_time_from_sec(1809165600);        /* 2027-05-01 10:00:00 UTC */
    m.from_name = "CMCAS Berry-Nivernais";
    m.from_email = "contact@cmcas-bn.example";
    m.to_email = "gael@example.org";
    m.to_name = "Gael CLASSEN";
    m.portal_url = "https://activites.cmcas-bn.example/";
    m.registration_id = 42;
    m.activity_title = "Atelier gourmand";
    m.activity_start = "2027-06-10";
    m.activity_end = "2027-06-12";
    m.order_reference = "ABCDEFGHI";
    m.order_total = 7000;
    m.order_hold_until = "2027-05-08T10:00:00Z";
    m.desk_name = "CMCAS Berry-Nivernais";
    m.desk_street = "3 rue Marcel Paul";
    m.desk_postcode = "18022";
    m.desk_city = "Bourges";
    m.desk_phone = "02 48 00 00 00";
    return m;
}

/* Quoted-printable back to text (soft breaks joined). */
static const char *test_mail_unqp(const char *s)
{
    char *out = apr_palloc(test_pool, strlen(s) + 1), *o = out;

    while (*s) {
        if (s[0] == '=' && s[1] == '\n') {
            s += 2;
        }
        else if (s[0] == '=') {
            char hex[3] = {s[1], s[2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            s += 3;
        }
        else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

/* The headers (up to the first blank line). */
static const char *test_mail_headers(const char *msg)
{
    const char *end = strstr(msg, "\n\n");
    ck_assert_ptr_nonnull(end);
    return apr_pstrndup(test_pool, msg, (apr_size_t)(end - msg + 1));
}

/* Part `n` (0: text, 1: HTML), decoded. */
static const char *test_mail_part(const char *msg, int n)
{
    const char *b = strstr(msg, "boundary=\"");
    const char *boundary, *at, *body, *end;
    int i;

    ck_assert_ptr_nonnull(b);
    boundary = apr_pstrcat(test_pool, "\n--", apr_pstrndup(test_pool, b + 10,
                                                           strcspn(b + 10, "\"")), NULL);
    at = msg;
    for (i = 0; i <= n; i++) {
        at = strstr(at + 1, boundary);
        ck_assert_ptr_nonnull(at);
    }
    body = strstr(at, "\n\n");
    ck_assert_ptr_nonnull(body);
    end = strstr(body, boundary);
    ck_assert_ptr_nonnull(end);
    return test_mail_unqp(apr_pstrndup(test_pool, body + 2, (apr_size_t)(end - body - 2)));
}

static const char *test_mail_compose(const cmcas_mail_t *m)
{
    const char *msg = NULL, *err = NULL;
    ck_assert_msg(APR_SUCCESS == cmcas_mail_compose(&msg, test_pool, m, &err), "%s",
                  err ? err : "?");
    return msg;
}

START_TEST(test_mail_validated)
{
    cmcas_mail_t m = test_mail_base("validated");
    const char *msg = test_mail_compose(&m), *h = test_mail_headers(msg);
    const char *text = test_mail_part(msg, 0), *html = test_mail_part(msg, 1);

    ck_assert_ptr_nonnull(strstr(h, "From: \"CMCAS Berry-Nivernais\" "
                                    "<contact@cmcas-bn.example>\n"));
    ck_assert_ptr_nonnull(strstr(h, "To: \"Gael CLASSEN\" <gael@example.org>\n"));
    ck_assert_ptr_nonnull(strstr(h, "Date: Sat, 01 May 2027 10:00:00 +0000\n"));
    ck_assert_ptr_nonnull(strstr(h, "MIME-Version: 1.0\n"));
    ck_assert_ptr_nonnull(strstr(h, "Content-Type: multipart/alternative;\n boundary=\"=_"));
    ck_assert_ptr_nonnull(strstr(h, "Message-ID: <"));
    ck_assert_ptr_nonnull(strstr(h, ".cmcas@cmcas-bn.example>\n"));
    /* "Inscription validée : Atelier gourmand" in base64 encoded words. */
    ck_assert_ptr_nonnull(strstr(h, "Subject: =?UTF-8?B?SW5zY3JpcHRpb24gdmFsaWTDqWUgOiBB"));
    ck_assert_ptr_nonnull(strstr(msg, "Content-Type: text/plain; charset=utf-8\n"
                                      "Content-Transfer-Encoding: quoted-printable\n"));
    ck_assert_ptr_nonnull(strstr(msg, "Content-Type: text/html; charset=utf-8\n"));
    ck_assert_ptr_nonnull(strstr(text, "Bonjour Gael CLASSEN,"));
    ck_assert_ptr_nonnull(strstr(text, "Votre inscription à « Atelier gourmand » (du "
                                       "10/06/2027 au 12/06/2027) est validée"));
    ck_assert_ptr_nonnull(strstr(text, "https://activites.cmcas-bn.example/mes-inscriptions/42\n"));
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://activites.cmcas-bn.example/"
                                       "mes-inscriptions/42\">"));
    ck_assert_ptr_nonnull(strstr(html, "<html lang=\"fr\">"));
    /* Every line fits RFC 5322's limit (78; 76 in the bodies), and is 7-bit. */
    {
        const char *line = msg;
        while (line && *line) {
            const char *nl = strchr(line, '\n');
            apr_size_t n = nl ? (apr_size_t)(nl - line) : strlen(line);
            apr_size_t i;
            ck_assert_uint_le(n, 78);
            for (i = 0; i < n; i++) {
                ck_assert_int_lt((unsigned char)line[i], 128);
                ck_assert_int_ne(line[i], '\r');
            }
            line = nl ? nl + 1 : NULL;
        }
    }
}
END_TEST

/* The same event, the same Message-ID (an MTA drops a duplicate); another, another. */
START_TEST(test_mail_message_id_stable)
{
    cmcas_mail_t m = test_mail_base("validated");
    const char *a = cmcas_mail_message_id(test_pool, "validated:42:1", "x.example");

    ck_assert_str_eq(a, cmcas_mail_message_id(test_pool, "validated:42:1", "x.example"));
    ck_assert_str_ne(a, cmcas_mail_message_id(test_pool, "validated:42:2", "x.example"));
    m.date += apr_time_from_sec(3600);
    ck_assert_str_eq(strstr(test_mail_compose(&m), "Message-ID"),
                     strstr(test_mail_compose(&m), "Message-ID"));
}
END_TEST

/* Each kind says what happened, with its values and a link to the member's portal. */
START_TEST(test_mail_every_kind)
{
    static const struct {
        const char *kind, *detail, *subject, *says, *link;
    } cases[] = {
        {"validated", NULL, "Inscription validée : Atelier gourmand", "est validée",
         "/mes-inscriptions/42"},
        {"request", "2027-06-01", "Demande d'inscription enregistrée : Atelier gourmand",
         "le tirage aura lieu le 01/06/2027", "/mes-inscriptions/42"},
        {"order_desk", NULL, "Commande ABCDEFGHI : paiement à l'accueil de la CMCAS",
         "70,00" TEST_NBSP "€, est à régler à l'accueil de la CMCAS Berry-Nivernais, 3 rue Marcel Paul, "
         "18022 Bourges (tél. 02 48 00 00 00), jusqu'au 08/05/2027 à ",
         "/mes-commandes/ABCDEFGHI"},
        {"payment_accepted", NULL, "Paiement accepté : commande ABCDEFGHI",
         "Le paiement de votre commande ABCDEFGHI (70,00" TEST_NBSP "€)", "/mes-commandes/ABCDEFGHI"},
        {"payment_refused", NULL, "Paiement refusé : commande ABCDEFGHI",
         "a été refusé par la banque", "/mes-commandes/ABCDEFGHI"},
        {"cancelled", NULL, "Inscription annulée : Atelier gourmand", "est annulée",
         "/mes-inscriptions\n"},
        {"selected", "2027-05-15", "Inscription retenue : Atelier gourmand",
         "payez-la au plus tard le 15/05/2027", "/mes-inscriptions\n"},
        {"waiting", "3", "Liste d'attente : Atelier gourmand",
         "est sur liste d'attente, en position 3.", "/mes-inscriptions/42"},
        {"promoted", "2027-05-20", "Une place s'est libérée : Atelier gourmand",
         "payez-la au plus tard le 20/05/2027", "/mes-inscriptions\n"},
        {"not_selected", NULL, "Inscription non retenue : Atelier gourmand",
         "n'a pas pu être retenue", "/mes-inscriptions/42"},
        {"released", NULL, "Places libérées : Atelier gourmand",
         "Le délai de paiement de votre inscription", "/mes-inscriptions\n"},
        {"refund_due", "retrait de Louane", "Remboursement à venir : commande ABCDEFGHI",
         "à votre demande (retrait de Louane) : son prix baisse de 70,00" TEST_NBSP "€. La CMCAS vous "
         "remboursera cette somme (commande ABCDEFGHI)", "/mes-commandes/ABCDEFGHI"},
        {"refunded", "chèque", "Remboursement effectué : commande ABCDEFGHI",
         "La CMCAS vous a remboursé 70,00" TEST_NBSP "€ pour « Atelier gourmand »", "/mes-commandes/ABCDEFGHI"},
    };
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cmcas_mail_t m = test_mail_base(cases[i].kind);
        const char *msg, *text, *subject;

        m.detail = cases[i].detail;
        msg = test_mail_compose(&m);
        text = test_mail_part(msg, 0);
        subject = cmcas_mail_encode_header(test_pool, cases[i].subject);
        ck_assert_msg(strstr(msg, apr_pstrcat(test_pool, "\nSubject: ", subject, "\n", NULL))
                      != NULL, "%s: subject", cases[i].kind);
        ck_assert_msg(strstr(text, cases[i].says) != NULL, "%s: %s", cases[i].kind, text);
        ck_assert_msg(strstr(text, apr_pstrcat(test_pool, "https://activites.cmcas-bn.example",
                                               cases[i].link, NULL)) != NULL,
                      "%s: link in %s", cases[i].kind, text);
        ck_assert_msg(strstr(test_mail_part(msg, 1), "https://activites.cmcas-bn.example/")
                      != NULL, "%s: html link", cases[i].kind);
    }
}
END_TEST

/* What a kind needs: a valid detail; and an unknown kind is refused. */
START_TEST(test_mail_check)
{
    cmcas_mail_t m = test_mail_base("selected");
    const char *msg = NULL, *err = NULL;

    ck_assert_ptr_null(cmcas_mail_check(test_pool, "validated", NULL));
    ck_assert_ptr_null(cmcas_mail_check(test_pool, "waiting", "12"));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, "waiting", "0"));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, "waiting", "3e"));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, "selected", NULL));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, "promoted", "2027-02-30"));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, "request", "01/06/2027"));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, "spam", NULL));
    ck_assert_ptr_nonnull(cmcas_mail_check(test_pool, NULL, NULL));
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    ck_assert_ptr_null(msg);
}
END_TEST

/* A title, a name or a reference typed with markup is shown, never interpreted. */
START_TEST(test_mail_html_escaped)
{
    cmcas_mail_t m = test_mail_base("order_desk");
    const char *html, *text;

    m.activity_title = "<script>alert(\"x\")</script> & 'co'";
    m.to_name = "Gael <b>CLASSEN</b>";
    m.desk_street = "3 rue <i>Marcel</i> Paul";
    html = test_mail_part(test_mail_compose(&m), 1);
    text = test_mail_part(test_mail_compose(&m), 0);
    ck_assert_ptr_null(strstr(html, "<script>"));
    ck_assert_ptr_null(strstr(html, "<b>"));
    ck_assert_ptr_null(strstr(html, "<i>"));
    ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                                       "&amp; &#39;co&#39;"));
    ck_assert_ptr_nonnull(strstr(html, "Bonjour Gael &lt;b&gt;CLASSEN&lt;/b&gt;,"));
    /* The text part says it as typed. */
    ck_assert_ptr_nonnull(strstr(text, "« <script>alert(\"x\")</script> & 'co' »"));
}
END_TEST

/* No value can end a header line and start another one. */
START_TEST(test_mail_no_header_injection)
{
    cmcas_mail_t m = test_mail_base("validated");
    const char *msg = NULL, *err = NULL, *h;

    m.activity_title = "Atelier\r\nBcc: victim@example.org";
    m.to_name = "Gael\nBcc: victim@example.org";
    m.from_name = "CMCAS\r\nX-Evil: 1";
    msg = test_mail_compose(&m);
    h = test_mail_headers(msg);
    ck_assert_ptr_null(strstr(msg, "\nBcc:"));
    ck_assert_ptr_null(strstr(msg, "\nX-Evil:"));
    ck_assert_ptr_null(strchr(msg, '\r'));
    ck_assert_ptr_nonnull(strstr(h, "To: \"Gael Bcc: victim@example.org\" <gael@example.org>"));
    /* Addresses are refused, not repaired. */
    m = test_mail_base("validated");
    m.to_email = "gael@example.org\nBcc: victim@example.org";
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    m.to_email = "gael@example.org, victim@example.org";
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    m.to_email = "Victim <victim@example.org>";
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    m.to_email = NULL;
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    m = test_mail_base("validated");
    m.from_email = "contact@cmcas-bn.example\r\nBcc: x@y";
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    m = test_mail_base("validated");
    m.portal_url = "/mes-inscriptions";
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    m.portal_url = "https://x.example/\"><script>";
    ck_assert_int_eq(APR_EINVAL, cmcas_mail_compose(&msg, test_pool, &m, &err));
    ck_assert(cmcas_mail_address_ok("a.b+c@d.example"));
    ck_assert(!cmcas_mail_address_ok("a@b@c"));
    ck_assert(!cmcas_mail_address_ok("@b"));
    ck_assert(!cmcas_mail_address_ok("a@"));
    ck_assert(!cmcas_mail_address_ok("a b@c"));
}
END_TEST

/* Quoted-printable: 8-bit and '=' encoded, lines of at most 76, trailing spaces and a
 * leading dot or "From " protected; decoding gives the text back. */
START_TEST(test_mail_qp)
{
    const char *long_text = "Votre inscription à « Journée à la Cité des Sciences et de "
                            "l'Industrie » est validée : élevé = 100 %";
    const char *q = cmcas_mail_qp(test_pool, long_text);
    const char *line;

    ck_assert_str_eq("a=3Db =C3=A9t=C3=A9", cmcas_mail_qp(test_pool, "a=b été"));
    ck_assert_str_eq("fin=20\nsuite", cmcas_mail_qp(test_pool, "fin \nsuite"));
    ck_assert_str_eq("=2E\n=46rom here", cmcas_mail_qp(test_pool, ".\nFrom here"));
    ck_assert_str_eq(long_text, test_mail_unqp(q));
    for (line = q; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        ck_assert_uint_le(strcspn(line, "\n"), 76);
    }
    /* Encoded words never cut a character in two, and ASCII is left readable. */
    ck_assert_str_eq("Plain subject", cmcas_mail_encode_header(test_pool, "Plain subject"));
    ck_assert_str_eq("=?UTF-8?B?w6k=?=", cmcas_mail_encode_header(test_pool, "é"));
    {
        const char *h = cmcas_mail_encode_header(test_pool, "éééééééééééééééééééééééééééé"
                                                            "éééééééééééé");
        ck_assert_ptr_nonnull(strstr(h, "?=\n =?UTF-8?B?"));
        ck_assert_str_eq("a b", cmcas_mail_clean(test_pool, "a\nb"));
    }
}
END_TEST

Suite *test_mail_suite(void)
{
    Suite *s = suite_create("mail");
    TCase *tc = tcase_create("compose");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_mail_validated);
    tcase_add_test(tc, test_mail_message_id_stable);
    tcase_add_test(tc, test_mail_every_kind);
    tcase_add_test(tc, test_mail_check);
    tcase_add_test(tc, test_mail_html_escaped);
    tcase_add_test(tc, test_mail_no_header_injection);
    tcase_add_test(tc, test_mail_qp);
    suite_add_tcase(s, tc);
    return s;
}
