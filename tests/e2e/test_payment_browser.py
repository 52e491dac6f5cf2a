"""Issue 4's « done when », in a real browser on the demo: the CLASSEN household registers
for « Atelier gourmand » with a guest, pays 70,00 € by card on the bank's page (the
simulator of tests/gateway/, started beside the demo as scripts/demo does), comes back to
« Confirmation de commande » and sees « Paiement accepté » in « Mes commandes ».

Martine DUPONT's household pays here (the tutorial's CLASSEN household is the one of
test_registration_browser, which shares this demo server)."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_demo_browser import body_text, click_and_wait, login, replaced, wait
from test_registration_browser import participant_block, tick, total


def _type_card_and_confirm(driver):
    """On the bank's card page: the accepted test card, « Valider », then « Valider » on
    the 3-D Secure step."""
    driver.find_element(By.NAME, "numero").send_keys("1111 2222 3333 4444")
    Select(driver.find_element(By.NAME, "mois")).select_by_index(12)
    Select(driver.find_element(By.NAME, "annee")).select_by_index(5)
    driver.find_element(By.NAME, "cvv").send_keys("123")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))
    assert "3-D Secure" in body_text(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))


def test_pay_by_card_as_in_the_tutorial(driver, demo, shot):
    login(driver, demo, "martine.dupont")
    driver.get(demo.url + "/activite/1/inscription")
    select = Select(driver.find_element(By.NAME, "personne"))
    select.select_by_visible_text("Martine DUPONT")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    tick(driver, participant_block(driver, "Martine DUPONT").find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]'))
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Invité(s)")
    driver.find_element(By.NAME, "invite-nom").send_keys("PETIT")
    driver.find_element(By.NAME, "invite-prenom").send_keys("Michel")
    driver.find_element(By.NAME, "invite-naissance").send_keys("12/03/1971")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    tick(driver, participant_block(driver, "Michel PETIT").find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]'))
    assert total(driver) == "70,00 €"
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))

    # « Procéder au paiement » (1/4), then the CGV and « Payer avec CB » (2/4).
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    text = body_text(driver)
    assert "J'ai lu les conditions générales de vente et j'y adhère sans réserve." in text
    assert "Paiement en CMCAS" in text and "Payer avec CB" in text
    shot(driver, "paiement")
    driver.find_element(By.CSS_SELECTOR, 'input[name="cgv"]').click()
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, 'button[name="methode"][value="cb1"]').click()
    wait(driver).until(replaced(old))

    # The bank's page (3/4): « Paiement de 70.00 EUR », card, expiry, CVV, « Valider ».
    wait(driver).until(lambda d: "Paiement de 70.00 EUR" in body_text(d))
    assert driver.current_url.startswith(demo.sim_url)
    shot(driver, "banque")
    _type_card_and_confirm(driver)

    # Back on the portal (4/4): « Confirmation de commande ».
    assert driver.current_url.startswith(demo.url + "/paiement/retour/paybox/BN/effectue")
    text = body_text(driver)
    assert "Confirmation de commande" in text
    assert "Votre commande sur CMCAS Berry-Nivernais est terminée." in text
    ref = re.search(r"[?&]Ref=([A-Z]{9})&", driver.current_url).group(1)
    assert ref in text
    shot(driver, "confirmation")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT,
                                               "Voir l'historique de vos commandes"))
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if ref in r.text][0]
    assert "70,00 €" in row.text and "Paybox" in row.text and "Paiement accepté" in row.text


def _pay_by_card_on_the_bank_page(driver, demo):
    """From the payment page: the CGV, « Payer avec CB », and the bank's card page."""
    driver.find_element(By.CSS_SELECTOR, 'input[name="cgv"]').click()
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, 'button[name="methode"][value="cb1"]').click()
    wait(driver).until(replaced(old))
    wait(driver).until(lambda d: "Paiement de 30.00 EUR" in body_text(d))
    assert driver.current_url.startswith(demo.sim_url)


def test_cancel_at_the_bank_then_pay_again(driver, demo, shot):
    """Issue 7's « done when »: Karim BENALI cancels the card payment on the bank's page,
    comes back to « Paiement annulé » with his registration and places kept, clicks
    « Réessayer le paiement », pays, and ends « Paiement accepté »."""
    login(driver, demo, "karim.benali")
    driver.get(demo.url + "/activite/1/inscription")
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Karim BENALI")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    tick(driver, participant_block(driver, "Karim BENALI").find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]'))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    _pay_by_card_on_the_bank_page(driver, demo)

    # « Annuler » on the bank's page: back on the portal, nothing lost.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="annuler"]'))
    assert driver.current_url.startswith(demo.url + "/paiement/retour/paybox/BN/annule")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Paiement annulé"
    text = body_text(driver)
    assert "Vos places restent réservées" in text
    assert re.search(r"vos places sont réservées jusqu'au \d\d/\d\d/\d{4} \d\d:\d\d", text)
    shot(driver, "annule")

    # « Réessayer le paiement »: the payment page says until when, then the bank again.
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Réessayer le paiement"))
    assert "Vos places sont réservées jusqu'au" in body_text(driver)
    _pay_by_card_on_the_bank_page(driver, demo)
    _type_card_and_confirm(driver)
    assert driver.current_url.startswith(demo.url + "/paiement/retour/paybox/BN/effectue")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Confirmation de commande"
    ref = re.search(r"[?&]Ref=([A-Z]{9})&", driver.current_url).group(1)

    # « Paiement accepté », the first order replaced, the registration paid.
    driver.get(demo.url + "/mes-commandes")
    rows = {r.text for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr")}
    paid = [r for r in rows if ref in r]
    assert len(paid) == 1 and "Paiement accepté" in paid[0] and "30,00 €" in paid[0]
    assert any("Annulée" in r for r in rows if ref not in r)
    driver.get(demo.url + "/mes-inscriptions")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr")
           if "Atelier gourmand" in r.text][0]
    assert "Payée" in row.text
