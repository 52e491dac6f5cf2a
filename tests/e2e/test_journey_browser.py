"""The member tutorial (../shared/seed/tutoriel-mes-activites.txt) screen by screen in a
real browser, each test on a demo of its own (`fresh_demo`: a fresh database, its own
port and bank simulator), with screenshots of the key screens at a desktop's and a
phone's width (tests/gen/screenshots/<test>/):

- the whole journey of the CLASSEN household: log in, a theme, the search, « Atelier
  gourmand », « S'inscrire », Gael CLASSEN and a guest with their options, « Total :
  70,00 € », « Valider votre inscription », « Procéder au paiement », the CGV, « Payer
  avec CB en 3 fois » on the bank's page, « Confirmation de commande », « Voir
  l'historique de vos commandes » and the PDF invoice downloaded by the browser;
- a card refused by the bank, then « Réessayer le paiement » with a good one;
- « tour de rôle »: a request for « Journée Cité des Sciences II », the draw made and
  published by the staff in the back-office, then « Procéder au paiement » from « Mes
  inscriptions » and the payment.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_demo_browser import (DEMO_PASSWORD, body_text, card_for, card_titles, login,
                               path_of, replaced, submit_login)
from test_demo_browser import click_and_wait as demo_click_and_wait, wait as demo_wait
from test_registration_browser import participant_block, total

SLOW = 60       # seconds: a page or a bank round trip on a loaded machine (or with ASan)


def wait(driver):
    return demo_wait(driver, SLOW)


def click_and_wait(driver, element):
    demo_click_and_wait(driver, element, SLOW)


def tick(driver, checkbox):
    """Ticking saves the form (the page's script posts it): wait for the reload."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", checkbox)
    click_and_wait(driver, checkbox)


def button(driver, name, value):
    return driver.find_element(By.CSS_SELECTOR, f'button[name="{name}"][value="{value}"]')


def add_person(driver, who):
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text(who)
    click_and_wait(driver, button(driver, "action", "ajouter"))
    participant_block(driver, who)


def add_guest(driver, last, first, born):
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Invité(s)")
    driver.find_element(By.NAME, "invite-nom").send_keys(last)
    driver.find_element(By.NAME, "invite-prenom").send_keys(first)
    driver.find_element(By.NAME, "invite-naissance").send_keys(born)
    click_and_wait(driver, button(driver, "action", "ajouter"))
    participant_block(driver, f"{first} {last}")


def tick_option(driver, who):
    tick(driver, participant_block(driver, who).find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]'))


def choose_method(driver, demo, value):
    """The payment page: the CGV ticked, then the method's button."""
    driver.find_element(By.CSS_SELECTOR, 'input[name="cgv"]').click()
    old = driver.find_element(By.TAG_NAME, "html")
    button(driver, "methode", value).click()
    WebDriverWait(driver, SLOW).until(replaced(old))


def on_bank_page(driver, demo, amount):
    """The bank's card page (the portal's form submitted itself to it), asking for
    `amount` (its first part with instalments)."""
    WebDriverWait(driver, SLOW).until(lambda d: d.current_url.startswith(demo.sim_url))
    assert f"Paiement de {amount} EUR" in body_text(driver), body_text(driver)


def type_card(driver, number):
    driver.find_element(By.NAME, "numero").send_keys(number)
    Select(driver.find_element(By.NAME, "mois")).select_by_index(12)
    Select(driver.find_element(By.NAME, "annee")).select_by_index(5)
    driver.find_element(By.NAME, "cvv").send_keys("123")
    old = driver.find_element(By.TAG_NAME, "html")
    button(driver, "action", "valider").click()
    WebDriverWait(driver, SLOW).until(replaced(old))


def pay_with_the_good_card(driver, demo):
    """The accepted test card, « Valider », then « Valider » on the 3-D Secure step; back
    on the portal's « Confirmation de commande ». The order's reference."""
    type_card(driver, "1111 2222 3333 4444")
    assert "3-D Secure" in body_text(driver)
    old = driver.find_element(By.TAG_NAME, "html")
    button(driver, "action", "valider").click()
    WebDriverWait(driver, SLOW).until(replaced(old))
    WebDriverWait(driver, SLOW).until(
        lambda d: d.current_url.startswith(demo.url + "/paiement/retour/paybox/BN/effectue"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Confirmation de commande"
    return re.search(r"[?&]Ref=([A-Z]{9})&", driver.current_url).group(1)


def order_row(driver, ref):
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if ref in r.text]
    assert rows, body_text(driver)
    return rows[0]


def download(driver, link, folder, timeout=SLOW):
    """Clicks `link` with the browser's downloads going to `folder`; the file's path."""
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": folder})
    try:
        link.click()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [n for n in os.listdir(folder) if not n.endswith(".crdownload")]
            if done:
                return os.path.join(folder, done[0])
            time.sleep(0.2)
        raise AssertionError(f"nothing downloaded into {folder}: {os.listdir(folder)}")
    finally:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})



def registration_row(driver, demo, title):
    """The row of « Mes inscriptions » for the activity `title`."""
    driver.get(demo.url + "/mes-inscriptions")
    return [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr")
            if title in r.text][0]

def test_the_tutorial_journey(fresh_driver, fresh_demo, shot):
    driver, demo = fresh_driver, fresh_demo

    # « Connexion », then the catalogue (« Nos activités »).
    driver.get(demo.url + "/connexion")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Connexion"
    shot(driver, "connexion")
    submit_login(driver, "gael.classen", DEMO_PASSWORD)
    assert path_of(driver) == "/"
    assert "NOUVEAU" in card_for(driver, "Atelier gourmand").text
    shot(driver, "catalogue")

    # « Cliquez sur un thème d'activité »: LOISIR.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "nav.themes")
                   .find_element(By.LINK_TEXT, "LOISIR"))
    assert "theme=LOISIR" in driver.current_url
    assert {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".card .card-theme")} \
        == {"LOISIR"}
    assert "Atelier gourmand" in card_titles(driver)
    shot(driver, "theme-loisir")

    # « Ou entrez un mot clé dans le moteur de recherche ».
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "q").send_keys("atelier gourmand", Keys.ENTER)
    wait(driver).until(replaced(old))
    assert "Atelier gourmand" in card_titles(driver)
    shot(driver, "recherche")

    # « Cliquez sur l'image ou le nom de l'activité choisie ».
    click_and_wait(driver, card_for(driver, "Atelier gourmand")
                   .find_element(By.CSS_SELECTOR, ".card-title a"))
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Atelier gourmand")
    assert "Nombre de places restantes : 10" in body_text(driver)
    shot(driver, "activite")

    # 1- « S'inscrire »; 2- the drop-down: the household and « Invité(s) ».
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "S'inscrire"))
    assert path_of(driver) == "/activite/1/inscription"
    assert total(driver) == "0,00 €"
    labels = [o.text for o in Select(driver.find_element(By.NAME, "personne")).options]
    assert labels == ["Gael CLASSEN", "Aaron CLASSEN", "Louane CLASSEN",
                      "Laetitia BESSIERE", "Invité(s)"], labels
    shot(driver, "inscription")

    # 3- « Ajouter » Gael CLASSEN; 4- tick the option (30,00 €, participation 10,00 €).
    add_person(driver, "Gael CLASSEN")
    block = participant_block(driver, "Gael CLASSEN")
    assert "Montant : 30,00 €" in block.text and "Participation CMCAS : 10,00 €" in block.text
    assert "Pas d'accord pour être pris en photo/vidéo" in block.text
    tick_option(driver, "Gael CLASSEN")
    assert total(driver) == "30,00 €"

    # 7- a guest, its birth date typed: 40,00 €, no participation.
    add_guest(driver, "PETIT", "Michel", "12/03/1971")
    block = participant_block(driver, "Michel PETIT")
    assert "Montant : 40,00 €" in block.text and "Pas de participation CMCAS" in block.text
    tick_option(driver, "Michel PETIT")
    assert "Total : 70,00 €" in body_text(driver).replace("\u00a0", " ")
    shot(driver, "total-70")

    # 8- « Valider votre inscription ».
    click_and_wait(driver, button(driver, "action", "valider"))
    assert "Votre inscription est validée" in body_text(driver)
    shot(driver, "validee")

    # Payment 1/4: « Procéder au paiement »; 2/4: the CGV, « Payer avec CB en 3 fois ».
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    text = body_text(driver)
    assert "J'ai lu les conditions générales de vente et j'y adhère sans réserve." in text
    assert "Paiement en CMCAS" in text and "Payer avec CB en 3 fois" in text
    shot(driver, "paiement")
    choose_method(driver, demo, "cb3")

    # 3/4: the bank's page, its schedule of 3 instalments; the card.
    on_bank_page(driver, demo, "23.34")
    text = body_text(driver)
    assert "Paiement en 3 fois, 70.00 EUR au total : 23.34 EUR aujourd'hui" in text, text
    assert len(re.findall(r"puis 23\.33 EUR le \d\d/\d\d/\d{4}", text)) == 2, text
    shot(driver, "banque")
    ref = pay_with_the_good_card(driver, demo)

    # 4/4: « Confirmation de commande », then « Voir l'historique de vos commandes ».
    text = body_text(driver)
    assert "Votre commande sur CMCAS Berry-Nivernais est terminée." in text and ref in text
    shot(driver, "confirmation")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT,
                                               "Voir l'historique de vos commandes"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Historique de vos commandes"
    row = order_row(driver, ref)
    assert "70,00 €" in row.text and "Paybox" in row.text and "Paiement accepté" in row.text
    shot(driver, "commandes")

    # « Détails »: the lines and the 3 instalments.
    click_and_wait(driver, row.find_element(By.PARTIAL_LINK_TEXT, "Détails"))
    text = body_text(driver)
    assert "Michel PETIT" in text and "Gael CLASSEN" in text and "Échéances" in text
    assert len(driver.find_elements(By.CSS_SELECTOR, "table:not(.lines-table) tbody tr")) \
        >= 3
    shot(driver, "commande")

    # The PDF invoice, downloaded by the browser itself.
    driver.back()
    wait(driver).until(lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Facture PDF"))
    folder = tempfile.mkdtemp(prefix="cmcas-download-")
    try:
        path = download(driver, order_row(driver, ref).find_element(
            By.PARTIAL_LINK_TEXT, "Facture PDF"), folder)
        assert re.fullmatch(r"facture-.+\.pdf", os.path.basename(path)), path
        with open(path, "rb") as f:
            assert f.read(5) == b"%PDF-"
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"],
                              capture_output=True, text=True, check=True).stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for expected in ["FACTURE", f"Commande {ref}", "Gael CLASSEN", "Michel PETIT",
                     "Atelier gourmand", "70,00 €"]:
        assert expected in text, (expected, text)

    # « Mes inscriptions »: paid.
    row = registration_row(driver, demo, "Atelier gourmand")
    assert "Payée" in row.text
    shot(driver, "mes-inscriptions")


def test_a_refused_card_then_a_good_one(fresh_driver, fresh_demo, shot):
    """Martine DUPONT's card is refused by the bank: back on the portal, « Paiement
    refusé », her places kept; « Réessayer le paiement » with the good card pays."""
    driver, demo = fresh_driver, fresh_demo
    login(driver, demo, "martine.dupont")
    driver.get(demo.url + "/activite/1/inscription")
    add_person(driver, "Martine DUPONT")
    tick_option(driver, "Martine DUPONT")
    assert total(driver) == "30,00 €"
    click_and_wait(driver, button(driver, "action", "valider"))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    choose_method(driver, demo, "cb1")
    on_bank_page(driver, demo, "30.00")

    # The refused test card: no 3-D Secure step, straight back to the portal.
    type_card(driver, "4012 0010 3844 3335")
    WebDriverWait(driver, SLOW).until(
        lambda d: d.current_url.startswith(demo.url + "/paiement/retour/paybox/BN/refuse"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Paiement refusé"
    refused = re.search(r"[?&]Ref=([A-Z]{9})&", driver.current_url).group(1)
    shot(driver, "refuse")

    # « Réessayer le paiement »: a new order, the good card.
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Réessayer le paiement"))
    assert "Procéder au paiement" in driver.find_element(By.TAG_NAME, "h1").text
    choose_method(driver, demo, "cb1")
    on_bank_page(driver, demo, "30.00")
    ref = pay_with_the_good_card(driver, demo)
    assert ref != refused
    shot(driver, "confirmation")

    driver.get(demo.url + "/mes-commandes")
    assert "Paiement accepté" in order_row(driver, ref).text
    assert "Paiement accepté" not in order_row(driver, refused).text
    shot(driver, "commandes")
    row = registration_row(driver, demo, "Atelier gourmand")
    assert "Payée" in row.text


def staff_login(driver, demo):
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.get(demo.url + "/gestion/")
    submit_login(driver, "gestion.bn", DEMO_PASSWORD)
    assert "Tableau de bord" in body_text(driver)


def test_tour_de_role_from_the_request_to_the_payment(fresh_driver, fresh_demo, shot):
    """« Comment payer une activité à tour de rôle »: Gael CLASSEN asks for « Journée Cité
    des Sciences II »; the staff make the draw and publish it; he is selected and pays
    from « Mes inscriptions »."""
    driver, demo = fresh_driver, fresh_demo
    login(driver, demo, "gael.classen")
    driver.get(demo.url + "/activite/2")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith(
        "Journée Cité des Sciences II")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "S'inscrire"))
    assert "Activité à tour de rôle" in body_text(driver)
    add_person(driver, "Gael CLASSEN")
    tick_option(driver, "Gael CLASSEN")
    assert total(driver) == "10,00 €"
    click_and_wait(driver, button(driver, "action", "valider"))
    assert not driver.find_elements(By.LINK_TEXT, "Procéder au paiement")
    row = registration_row(driver, demo, "Journée Cité des Sciences II")
    assert row.find_element(By.CSS_SELECTOR, ".status").text.startswith(
        "Demande enregistrée"), row.text
    shot(driver, "demande")

    # The back-office: « Effectuer le tour de rôle maintenant », « Publier les résultats ».
    staff_login(driver, demo)
    driver.get(demo.url + "/gestion/activite/2/tirage")
    click_and_wait(driver, driver.find_element(
        By.XPATH, "//button[normalize-space()='Effectuer le tour de rôle maintenant']"))
    assert "fait=lance" in driver.current_url
    shot(driver, "tirage")
    click_and_wait(driver, driver.find_element(
        By.XPATH, "//button[normalize-space()='Publier les résultats']"))
    assert "fait=publie" in driver.current_url

    # « Mes inscriptions »: selected, « Procéder au paiement ».
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    login(driver, demo, "gael.classen")
    row = registration_row(driver, demo, "Journée Cité des Sciences II")
    assert row.find_element(By.CSS_SELECTOR, ".status").text.startswith(
        "Retenue — à payer au plus tard le "), row.text
    shot(driver, "retenue")
    click_and_wait(driver, row.find_element(By.LINK_TEXT, "Procéder au paiement"))
    if driver.find_elements(By.ID, "inscription-form"):     # the registration page first
        click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    assert "Procéder au paiement" in driver.find_element(By.TAG_NAME, "h1").text
    choose_method(driver, demo, "cb1")
    on_bank_page(driver, demo, "10.00")
    ref = pay_with_the_good_card(driver, demo)
    shot(driver, "confirmation")
    row = registration_row(driver, demo, "Journée Cité des Sciences II")
    assert "Payée" in row.text, row.text
    driver.get(demo.url + "/mes-commandes")
    assert "Paiement accepté" in order_row(driver, ref).text
