"""Issue 12's « done when », in a real browser on the demo: the CLASSEN household pays
« Soirée jazz au Palais d'Auron » by card, finds « Facture PDF » on « Mes commandes » and
downloads a PDF invoice holding its number, the order's reference, the names and the
amount with their accents; then it changes its address in « Mes adresses »."""

import os
import re
import subprocess

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_demo_browser import body_text, click_and_wait, login
from test_payment_browser import _type_card_and_confirm
from test_registration_browser import participant_block, tick

GEN = os.path.join(os.path.dirname(__file__), "..", "gen")
ACTIVITY = 8            # « Soirée jazz au Palais d'Auron », 15,00 €


def test_pay_then_download_the_invoice_and_edit_the_address(driver, demo, shot):
    login(driver, demo, "gael.classen")
    driver.get(f"{demo.url}/activite/{ACTIVITY}/inscription")
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Gael CLASSEN")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    tick(driver, participant_block(driver, "Gael CLASSEN").find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]'))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    driver.find_element(By.CSS_SELECTOR, 'input[name="cgv"]').click()
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="methode"][value="cb1"]'))
    assert "Paiement de 15.00 EUR" in body_text(driver)
    _type_card_and_confirm(driver)
    assert "Confirmation de commande" in body_text(driver)
    ref = re.search(r"[?&]Ref=([A-Z]{9})&", driver.current_url).group(1)

    # « Mes commandes »: the invoice's link on the order's row.
    driver.get(demo.url + "/mes-commandes")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if ref in r.text][0]
    link = row.find_element(By.PARTIAL_LINK_TEXT, "Facture PDF")
    os.makedirs(GEN, exist_ok=True)
    shot(driver, "commandes")
    href = link.get_attribute("href")
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    pdf = requests.get(href, cookies=cookies, timeout=30)
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    number = re.search(r'filename="facture-([^"]+)\.pdf"',
                       pdf.headers["Content-Disposition"]).group(1)
    path = os.path.join(GEN, "e2e-facture.pdf")
    with open(path, "wb") as f:
        f.write(pdf.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ["FACTURE", number, f"Commande {ref}", "Gael CLASSEN",
                     "Soirée jazz au Palais d'Auron", "15,00 €", "CMCAS Berry-Nivernais",
                     "14 rue des Arènes"]:
        assert expected in text, (expected, text)

    # « Mes adresses »: a new billing address (for the next invoices).
    driver.get(demo.url + "/mes-adresses")
    for name, value in [("rue1", "2 place Gordaine"), ("code_postal", "18000"),
                        ("ville", "Bourges")]:
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               "main form button[type=submit]"))
    assert "Votre adresse a été enregistrée." in body_text(driver)
    assert driver.find_element(By.NAME, "rue1").get_attribute("value") == "2 place Gordaine"
    shot(driver, "mes-adresses")
    # The invoice issued before does not change.
    again = requests.get(href, cookies=cookies, timeout=30)
    with open(path, "wb") as f:
        f.write(again.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "14 rue des Arènes" in text and "Gordaine" not in text
