"""Issue 11's « done when », in a real browser on the demo: a staff member of CMCAS
Berry-Nivernais creates an activity with two options from the back-office and publishes
it; a member registers and pays by card; staff see the registration paid, export the list
as CSV; another household chooses « Paiement en CMCAS » and staff record its payment at
the desk, which the member then reads as « Payée »."""

import datetime
import re

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_demo_browser import body_text, click_and_wait, login, submit_login
from test_payment_browser import _type_card_and_confirm
from test_registration_browser import participant_block, tick

TITLE = "Initiation à la poterie"


def fr(days):
    d = datetime.date.today() + datetime.timedelta(days=days)
    return d.strftime("%d/%m/%Y")


def staff_login(driver, demo):
    driver.delete_all_cookies()
    driver.get(demo.url + "/gestion/")
    assert driver.current_url.endswith("/gestion/connexion"), driver.current_url
    assert "Espace de gestion" in body_text(driver)
    submit_login(driver, "gestion.bn", "demo2026")
    assert driver.current_url.endswith("/gestion/"), driver.current_url
    assert "Tableau de bord" in body_text(driver)


def fill(driver, name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def create_activity(driver, demo):
    """« Nouvelle activité », every field, two options; then « Publier ». Its id."""
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Nouvelle activité"))
    Select(driver.find_element(By.NAME, "theme")).select_by_value("LOISIR")
    fill(driver, "title", TITLE)
    fill(driver, "description", "Deux heures d'atelier avec une potière.\n\n"
                                "Tout le matériel est fourni.")
    fill(driver, "place", "Bourges, atelier municipal")
    fill(driver, "start_date", fr(30))
    fill(driver, "end_date", fr(30))
    fill(driver, "closing_date", fr(20))
    fill(driver, "capacity", "10")
    Select(driver.find_element(By.NAME, "mode")).select_by_value("immediat")
    for n, (label, pb, cb, pg, cg) in enumerate([("Atelier", "25", "10", "35", "0"),
                                                   ("Repas", "12,50", "0", "12,50", "0")],
                                                  start=1):
        fill(driver, f"option.{n}.label", label)
        fill(driver, f"option.{n}.price_beneficiary", pb)
        fill(driver, f"option.{n}.participation_beneficiary", cb)
        fill(driver, f"option.{n}.price_guest", pg)
        fill(driver, f"option.{n}.participation_guest", cg)
    click_and_wait(driver, driver.find_element(
        By.CSS_SELECTOR, "form.gestion-activite-form button[type=submit]"))
    m = re.search(r"/gestion/activite/(\d+)\?creee=1$", driver.current_url)
    assert m, (driver.current_url, body_text(driver))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="publier"]'))
    assert "Publiée le" in body_text(driver)
    return int(m.group(1))


def register(driver, demo, activity_id, who):
    driver.get(f"{demo.url}/activite/{activity_id}")
    text = body_text(driver)
    assert TITLE in text and "25,00 €" in text and "12,50 €" in text
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "S'inscrire"))
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text(who)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    tick(driver, participant_block(driver, who).find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]'))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    driver.find_element(By.CSS_SELECTOR, 'input[name="cgv"]').click()


def test_staff_create_member_pay_staff_export_and_desk_payment(driver, demo, shot):
    staff_login(driver, demo)
    activity_id = create_activity(driver, demo)
    shot(driver, "activite-creee")

    # Gael CLASSEN registers and pays 25,00 € by card.
    driver.delete_all_cookies()
    login(driver, demo, "gael.classen")
    register(driver, demo, activity_id, "Gael CLASSEN")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="methode"][value="cb1"]'))
    assert "Paiement de 25.00 EUR" in body_text(driver)
    _type_card_and_confirm(driver)
    assert "Confirmation de commande" in body_text(driver)

    # Claire BERNARD registers and will pay at the CMCAS's desk.
    driver.delete_all_cookies()
    login(driver, demo, "claire.bernard")
    register(driver, demo, activity_id, "Claire BERNARD")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="methode"][value="cmcas"]'))
    ref = re.search(r"/mes-commandes/([A-Z]{9})", driver.current_url).group(1)

    # Staff see both, export the list.
    staff_login(driver, demo)
    driver.get(f"{demo.url}/gestion/activite/{activity_id}/inscriptions")
    text = body_text(driver)
    assert "Gael CLASSEN" in text and "Claire BERNARD" in text and "Payée" in text
    # On a 1280-pixel screen the table shows whole: its last column (the cancel form)
    # is not cut off behind the table's own scroll bar.
    wrap = driver.find_element(By.CSS_SELECTOR, ".table-wrap")
    assert driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth",
                                 wrap), driver.execute_script(
        "return [arguments[0].scrollWidth, arguments[0].clientWidth]", wrap)
    shot(driver, "inscriptions")
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Exporter en CSV")
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    csv = requests.get(link.get_attribute("href"), cookies=cookies, timeout=30)
    assert csv.status_code == 200
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    body = csv.content.decode("utf-8-sig")
    assert "CLASSEN;Gael" in body and "BERNARD;Claire" in body

    # The desk payment of Claire BERNARD's order: a cheque of 25,00 €.
    driver.get(demo.url + "/gestion/commandes")
    shot(driver, "commandes")
    form = driver.find_element(By.CSS_SELECTOR, f'form[action$="/commande/{ref}/paiement"]')
    Select(form.find_element(By.NAME, "moyen")).select_by_value("cheque")
    form.find_element(By.NAME, "montant").send_keys("25,00")
    form.find_element(By.NAME, "note").send_keys("n° 1234567")
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    shot(driver, "paiement-au-guichet")
    driver.get(demo.url + "/gestion/journal")
    text = body_text(driver)
    assert "Paiement enregistré" in text and f"commande {ref}" in text
    assert "Activité créée" in text and "Activité publiée" in text

    # The member reads « Payée ».
    driver.delete_all_cookies()
    login(driver, demo, "claire.bernard")
    driver.get(demo.url + "/mes-inscriptions")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if TITLE in r.text]
    assert row and "Payée" in row[0].text, body_text(driver)
