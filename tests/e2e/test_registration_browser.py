"""The tutorial's registration in a real browser (JavaScript on): « S'inscrire », add the
ouvrant droit and a guest, tick the options and the photo opt-out, see the total, validate,
find it in « Mes inscriptions », then cancel and see the places come back.

Runs on the demo server of conftest.py as gael.classen on « Atelier gourmand » (id 1),
which no other browser test registers for.
"""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_demo_browser import body_text, click_and_wait, login, replaced, wait


def total(driver):
    m = re.search(r"Total : ([\d  ]+,\d\d €)", body_text(driver))
    assert m, body_text(driver)
    return m.group(1).replace("\u00a0", " ")


def participant_block(driver, name):
    for block in driver.find_elements(By.CSS_SELECTOR, ".participant"):
        if name in block.text:
            return block
    raise AssertionError(f"no participant « {name} » in {body_text(driver)}")


def tick(driver, checkbox):
    """Ticking saves the form (the script posts action=enregistrer): wait for the reload."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", checkbox)
    checkbox.click()
    wait(driver).until(replaced(old))


def remaining_places(driver, demo):
    driver.get(demo.url + "/activite/1")
    m = re.search(r"Nombre de places restantes : (\d+)", body_text(driver))
    return int(m.group(1))


def test_register_as_in_the_tutorial(driver, demo, shot):
    login(driver, demo)
    before = remaining_places(driver, demo)
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "S'inscrire"))
    assert driver.current_url.endswith("/activite/1/inscription")
    assert total(driver) == "0,00 €"

    # 2-3: the drop-down lists the household and « Invité(s) »; add Gael CLASSEN.
    select = Select(driver.find_element(By.NAME, "personne"))
    labels = [o.text for o in select.options]
    for who in ["Gael CLASSEN", "Aaron CLASSEN", "Louane CLASSEN", "Laetitia BESSIERE",
                "Invité(s)"]:
        assert who in labels, labels
    guest_fields = driver.find_element(By.ID, "invite")
    select.select_by_visible_text("Gael CLASSEN")
    assert not guest_fields.is_displayed()          # the script hides them
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    assert "Gael CLASSEN" not in [o.text for o in
                                  Select(driver.find_element(By.NAME, "personne")).options]

    # 4: tick the option: « Montant : 30,00 € », « Participation CMCAS : 10,00 € ».
    block = participant_block(driver, "Gael CLASSEN")
    assert "Montant : 30,00 €" in block.text and "Participation CMCAS : 10,00 €" in block.text
    tick(driver, block.find_element(By.CSS_SELECTOR, 'input[name^="options-"]'))
    assert total(driver) == "30,00 €"

    # 7: a guest: the fields appear when « Invité(s) » is chosen.
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Invité(s)")
    assert driver.find_element(By.ID, "invite").is_displayed()
    driver.find_element(By.NAME, "invite-nom").send_keys("PETIT")
    driver.find_element(By.NAME, "invite-prenom").send_keys("Michel")
    driver.find_element(By.NAME, "invite-naissance").send_keys("12/03/1971")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="ajouter"]'))
    block = participant_block(driver, "Michel PETIT")
    assert "Montant : 40,00 €" in block.text and "Pas de participation CMCAS" in block.text
    tick(driver, block.find_element(By.CSS_SELECTOR, 'input[name^="options-"]'))
    assert total(driver) == "70,00 €"
    shot(driver, "total")
    # 5: the photo opt-out, kept after the reload.
    block = participant_block(driver, "Michel PETIT")
    tick(driver, block.find_element(By.CSS_SELECTOR, 'input[name^="photo-"]'))
    block = participant_block(driver, "Michel PETIT")
    assert block.find_element(By.CSS_SELECTOR, 'input[name^="photo-"]').is_selected()
    assert total(driver) == "70,00 €"

    # 8: « Valider votre inscription ».
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               'button[name="action"][value="valider"]'))
    assert "Votre inscription est validée" in body_text(driver)
    shot(driver, "validee")
    assert remaining_places(driver, demo) == before - 2

    # « Mes inscriptions »: the row, then « Consulter ».
    driver.get(demo.url + "/mes-inscriptions")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr")
           if "Atelier gourmand" in r.text][0]
    assert "Validée" in row.text
    click_and_wait(driver, row.find_element(By.LINK_TEXT, "Consulter"))
    text = body_text(driver)
    assert "Michel PETIT" in text and "Gael CLASSEN" in text and "70,00 €" in text

    # « Annuler votre inscription » asks first; the places come back.
    driver.get(demo.url + "/activite/1/inscription")
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, 'button[name="action"][value="annuler"]').click()
    wait(driver).until(EC.alert_is_present()).accept()
    wait(driver).until(replaced(old))
    assert "Votre inscription est annulée" in body_text(driver)
    shot(driver, "annulee")
    assert remaining_places(driver, demo) == before
