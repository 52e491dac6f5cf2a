"""The member's journey with JavaScript disabled in Chromium (`nojs_browser`: the pages'
scripts never run), on a demo of its own (`fresh_demo`): every step works with the
buttons the pages offer without a script.

- the registration of the tutorial on « Atelier gourmand » (Gael CLASSEN and a guest,
  their options), the options saved by « Mettre à jour le total » (the script would save
  them on ticking), « Valider votre inscription », then « Paiement en CMCAS »;
- « Soirée jazz au Palais d'Auron » paid by card: the portal's page to the bank does not
  submit itself, the member presses « Continuer vers le paiement sécurisé »;
- « Mes commandes » lists both orders.
"""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_demo_browser import body_text, login, path_of
from test_journey_browser import (add_person, button, click_and_wait, on_bank_page,
                                  order_row, pay_with_the_good_card)
from test_registration_browser import participant_block, total


@pytest.fixture
def nojs(nojs_browser, fresh_demo):
    nojs_browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    nojs_browser.set_window_size(1280, 1024)
    return nojs_browser


def tick_and_update(driver, who):
    """The option's box ticked, then « Mettre à jour le total » (nothing saves it else)."""
    box = participant_block(driver, who).find_element(By.CSS_SELECTOR,
                                                      'input[name^="options-"]')
    box.click()
    assert box.is_selected()
    click_and_wait(driver, driver.find_element(
        By.XPATH, "//button[normalize-space()='Mettre à jour le total']"))
    assert participant_block(driver, who).find_element(
        By.CSS_SELECTOR, 'input[name^="options-"]').is_selected()


def register(driver, demo, activity, who):
    """« S'inscrire » on `activity`, `who` added with the option, saved; the page."""
    driver.get(f"{demo.url}/activite/{activity}")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "S'inscrire"))
    assert path_of(driver) == f"/activite/{activity}/inscription"
    add_person(driver, who)
    tick_and_update(driver, who)


def pay_page(driver, method):
    """« Valider votre inscription », « Procéder au paiement », the CGV, the method."""
    click_and_wait(driver, button(driver, "action", "valider"))
    assert "Votre inscription est validée" in body_text(driver)
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    driver.find_element(By.CSS_SELECTOR, 'input[name="cgv"]').click()
    click_and_wait(driver, button(driver, "methode", method))


def test_the_member_journey_without_javascript(nojs, fresh_demo, shot):
    driver, demo = nojs, fresh_demo
    login(driver, demo, "gael.classen")

    # « Atelier gourmand »: Gael CLASSEN, his option saved by « Mettre à jour le total ».
    register(driver, demo, 1, "Gael CLASSEN")
    assert total(driver) == "30,00 €"
    # No script ran: the guest's fields are still shown with a person chosen (the script
    # hides them until « Invité(s) » is chosen).
    assert Select(driver.find_element(By.NAME, "personne")).first_selected_option.text \
        != "Invité(s)"
    assert driver.find_element(By.ID, "invite").is_displayed()

    # The guest, its birth date typed, its option.
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Invité(s)")
    driver.find_element(By.NAME, "invite-nom").send_keys("PETIT")
    driver.find_element(By.NAME, "invite-prenom").send_keys("Michel")
    driver.find_element(By.NAME, "invite-naissance").send_keys("12/03/1971")
    click_and_wait(driver, button(driver, "action", "ajouter"))
    assert "Date de naissance : 12/03/1971" in participant_block(driver, "Michel PETIT").text
    tick_and_update(driver, "Michel PETIT")
    assert total(driver) == "70,00 €"
    shot(driver, "inscription")

    # « Paiement en CMCAS »: the order, to pay at the desk.
    pay_page(driver, "cmcas")
    m = re.search(r"/mes-commandes/([A-Z]{9})", driver.current_url)
    assert m, driver.current_url
    desk = m.group(1)
    text = body_text(driver)
    assert "70,00 €" in text and "Michel PETIT" in text
    shot(driver, "paiement-en-cmcas")

    # « Soirée jazz au Palais d'Auron » by card: the bank's form waits for its button.
    register(driver, demo, 8, "Gael CLASSEN")
    assert total(driver) == "15,00 €"
    pay_page(driver, "cb1")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Paiement par carte"
    continue_button = driver.find_element(
        By.XPATH, "//button[normalize-space()='Continuer vers le paiement sécurisé']")
    assert driver.current_url.startswith(demo.url)      # nothing submitted it
    shot(driver, "vers-la-banque")
    continue_button.click()
    on_bank_page(driver, demo, "15.00")
    card = pay_with_the_good_card(driver, demo)
    shot(driver, "confirmation")

    # « Mes commandes »: both.
    click_and_wait(driver, driver.find_element(By.LINK_TEXT,
                                               "Voir l'historique de vos commandes"))
    assert "Paiement accepté" in order_row(driver, card).text
    row = order_row(driver, desk)
    assert "70,00 €" in row.text and "Paiement accepté" not in row.text
    shot(driver, "commandes")
    driver.get(demo.url + "/mes-inscriptions")
    rows = {r.text for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert any("Soirée jazz au Palais d'Auron" in r and "Payée" in r for r in rows), rows
    assert any("Atelier gourmand" in r for r in rows), rows
