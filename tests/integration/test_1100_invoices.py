"""Invoices and credit notes (issue 12): a desk payment recorded by the CMCAS's staff
issues the order's invoice, with everything it shows frozen (the seller's <CMCAS> block
and CMCASInvoiceLegal lines, the household's address, the lines, the means of payment),
and the member's order documents name it; 20 payments recorded at once get the numbers
1 to 20 of the series, without gap or duplicate; the CMCAS's cancellation of a paid
registration issues a credit note naming the invoice; another household sees none of
it. Both engines."""

import concurrent.futures
import datetime

import pytest

from cmcas_httpd import BN_BLOCK

from test_10_helpers import BN_STAFF, TOURAINE_BLOCK, XML
from test_10_helpers import staff_session as staff
from test_10_helpers import desk_order as helpers_desk_order
from test_10_helpers import member, staff_token, today_fr

LEGAL = ('    CMCASInvoiceLegal "SIRET 775 000 000 00018"\n'
         '    CMCASInvoiceLegal "TVA non applicable, article 261 du CGI"\n')
CMCAS_SERVER = {"sections": {"cmcas": BN_BLOCK.replace("</CMCAS>", LEGAL + "</CMCAS>")
                             + TOURAINE_BLOCK}}
YEAR = datetime.date.today().year
TABLES = ("cmcas_invoice_line", "cmcas_invoice", "cmcas_invoice_counter", "cmcas_audit",
          "cmcas_order_payment", "cmcas_outbox", "cmcas_order_notice", "cmcas_order_event",
          "cmcas_order_line", "cmcas_order", "registration_event", "registration_option",
          "registration_person", "registration")


def number(n, kind="facture"):
    return f"BN-{'AV-' if kind == 'avoir' else ''}{YEAR}-{n:05d}"


@pytest.fixture
def clean(server, sql):
    for t in TABLES:
        sql(f"DELETE FROM {t}")
    sql("DELETE FROM person WHERE household_id >= 1000")
    sql("DELETE FROM household WHERE id >= 1000")
    sql("UPDATE activity SET places_taken = 0")


@pytest.fixture
def bn(server):
    with staff(BN_STAFF) as s:
        yield s


def desk_order(server, sql):
    """Gael CLASSEN validated on « Atelier gourmand », « Paiement en CMCAS » chosen on
    the member's pages: (member session, registration id, order ref)."""
    s, reg, _, ref = helpers_desk_order(server, sql, guest=False)
    return s, reg, ref


def pay(server, s, ref, amount, token=None):
    data = {"csrf": token or staff_token(s, server), "moyen": "cheque", "montant": amount,
            "date": today_fr(), "note": "chèque n° 42"}
    return s.post(server.url(f"/gestion/commande/{ref}/paiement"), data=data,
                  allow_redirects=False)


def total(sql, ref):
    cents = sql("SELECT total FROM cmcas_order WHERE reference = ?", (ref,))[0][0]
    return f"{cents // 100},{cents % 100:02d}"


def test_desk_payment_issues_the_invoice(server, sql, clean, bn):
    s, _, ref = desk_order(server, sql)
    r = pay(server, bn, ref, total(sql, ref))
    assert r.status_code == 303, r.text[:800]
    rows = sql("SELECT kind, number, cmcas_name, cmcas_street, legal, household_name,"
               " street, city, country, activity_title, method, total_amount, instalments"
               " FROM cmcas_invoice")
    assert len(rows) == 1
    kind, num, name, street, legal, hh, hstreet, city, country, title, method, amount, \
        inst = rows[0]
    assert (kind, num, name, street) == ("facture", number(1), "CMCAS Berry-Nivernais",
                                         "3 rue Marcel Paul")
    assert legal == "SIRET 775 000 000 00018\nTVA non applicable, article 261 du CGI"
    assert (hh, hstreet, city, country) == ("Gael CLASSEN", "14 rue des Arènes", "Bourges",
                                            "France")
    assert title == "Atelier gourmand" and method == "En CMCAS : chèque"
    order_total = sql("SELECT total FROM cmcas_order WHERE reference = ?", (ref,))[0][0]
    assert amount == order_total
    assert inst == f"{datetime.date.today().isoformat()}={order_total}"
    assert sql("SELECT COUNT(*) FROM cmcas_invoice_line")[0][0] == \
        sql("SELECT COUNT(*) FROM cmcas_order_line")[0][0]
    # The member's documents name it: the list and the order.
    x = s.get(server.url("/mes-commandes"), headers=XML).text
    assert f'<facture number="{number(1)}"/>' in x
    x = s.get(server.url(f"/mes-commandes/{ref}"), headers=XML).text
    assert f'<facture number="{number(1)}"/>' in x and "<avoir " not in x
    # The pages render with them (the stylesheets leave them to the PDF's link).
    assert s.get(server.url("/mes-commandes")).status_code == 200
    assert s.get(server.url(f"/mes-commandes/{ref}")).status_code == 200
    # Frozen: a new address and a new price change nothing issued.
    sql("UPDATE household SET street = '1 rue Neuve' WHERE id = 1")
    sql("UPDATE cmcas_order_line SET amount = amount + 100")
    assert sql("SELECT street, total_amount FROM cmcas_invoice") == [("14 rue des Arènes",
                                                                       order_total)]
    # Another household: the order is not found, its list names no invoice of Gael's.
    with member("martine.dupont") as other:
        assert other.get(server.url(f"/mes-commandes/{ref}")).status_code == 404
        assert "<facture " not in other.get(server.url("/mes-commandes"),
                                            headers=XML).text


def test_twenty_concurrent_payments_are_numbered_without_gap(server, sql, clean):
    # 20 households of BN, each validated on « Atelier gourmand » with an order of 30 €
    # waiting at the desk.
    refs = []
    for i in range(20):
        hid = 1000 + i
        ref = "INVZZZ" + "".join(chr(65 + int(c)) for c in f"{i:03d}")
        sql("INSERT INTO household (id, cmcas_code, login, password, email) VALUES"
            " (?, 'BN', ?, 'x', ?)", (hid, f"inv{i}", f"inv{i}@example.org"))
        sql("INSERT INTO person (household_id, role, last_name, first_name, birth_date)"
            " VALUES (?, 'OD', ?, 'Test', '1980-01-01')", (hid, f"NOM{i}"))
        sql("INSERT INTO registration (id, activity_id, household_id, status, observations,"
            " places_held, created_at, updated_at) VALUES (?, 1, ?, 'validee', '', 1,"
            " '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')", (hid, hid))
        sql("INSERT INTO cmcas_order (id, reference, registration_id, household_id,"
            " cmcas_code, total, method, instalments, status, hold_until, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, 'BN', 3000, 'cmcas', 1, 'attente_cmcas',"
            " '2099-01-01T10:00:00Z', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')",
            (hid, ref, hid, hid))
        sql("INSERT INTO cmcas_order_line (order_id, position, person, option_label,"
            " amount, participation) VALUES (?, 1, ?, 'Atelier', 3000, 1000)",
            (hid, f"Test NOM{i}"))
        refs.append(ref)
    with staff(BN_STAFF) as s:
        token = staff_token(s, server)

    def one(ref):
        with staff(BN_STAFF) as s:
            return pay(server, s, ref, "30,00", token).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(one, refs))
    assert codes == [303] * 20
    numbers = sorted(r[0] for r in sql("SELECT number FROM cmcas_invoice"
                                       " WHERE kind = 'facture'"))
    assert numbers == [number(n) for n in range(1, 21)]
    assert sql("SELECT last FROM cmcas_invoice_counter") == [(20,)]
    assert sql("SELECT COUNT(*) FROM cmcas_order WHERE status = 'payee'") == [(20,)]


def test_staff_cancellation_of_a_paid_registration_issues_a_credit_note(server, sql, clean,
                                                                        bn):
    s, reg, ref = desk_order(server, sql)
    assert pay(server, bn, ref, total(sql, ref)).status_code == 303
    r = bn.post(server.url(f"/gestion/inscription/{reg}/annuler"),
                data={"csrf": staff_token(bn, server), "motif": "Activité annulée"},
                allow_redirects=False)
    assert r.status_code == 303, r.text[:800]
    assert sql("SELECT kind, number, credited_number, method FROM cmcas_invoice"
               " ORDER BY id") == [
        ("facture", number(1), "", "En CMCAS : chèque"),
        ("avoir", number(1, "avoir"), number(1), "Remboursement par la CMCAS")]
    x = s.get(server.url(f"/mes-commandes/{ref}"), headers=XML).text
    assert f'<facture number="{number(1)}"/>' in x
    assert f'<avoir number="{number(1, "avoir")}"/>' in x
