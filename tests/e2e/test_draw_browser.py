"""« Tour de rôle » in a browser, on the demo (sql/demo/draw.sql): the background job
draws « Week-end au Puy du Fou » soon after the start; PETIT, selected, reads why on its
registration and gives its place up with « Je renonce »; ROUX, first on the waiting list,
is selected at once."""

import time

from selenium.webdriver.common.by import By

from test_demo_browser import body_text, click_and_wait, login

def row_for(driver, title):
    for row in driver.find_elements(By.CSS_SELECTOR, "table tbody tr"):
        if title in row.text:
            return row
    raise AssertionError(f"no row « {title} » in:\n{body_text(driver)}")


def status_when_drawn(driver, demo, title, timeout=60):
    """The status of `title` in « Mes inscriptions », once the draw has been made."""
    deadline = time.monotonic() + timeout
    while True:
        driver.get(demo.url + "/mes-inscriptions")
        status = row_for(driver, title).find_element(By.CSS_SELECTOR, ".status").text
        if not status.startswith("Demande enregistrée") or time.monotonic() > deadline:
            return status
        time.sleep(1)


def test_renounce_in_a_browser(driver, demo, shot):
    title = "Week-end au Puy du Fou"
    login(driver, demo, "julien.petit")
    status = status_when_drawn(driver, demo, title)
    assert status.startswith("Retenue — à payer au plus tard le "), status
    row = row_for(driver, title)
    assert row.find_element(By.LINK_TEXT, "Procéder au paiement").is_displayed()
    click_and_wait(driver, row.find_element(By.LINK_TEXT, "Consulter"))
    text = body_text(driver)
    for expected in ["Sélection « tour de rôle »", "Votre résultat", "Demande retenue",
                     "Coefficient social", "10500", "Places demandées", "Règle de sélection"]:
        assert expected in text, expected
    shot(driver, "resultat")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Je renonce']"))
    assert "Vous avez renoncé" in body_text(driver)
    shot(driver, "renonce")
    assert "Je renonce" not in body_text(driver)
    # ROUX (2 persons, first on the list) takes the 2 places at once.
    driver.delete_all_cookies()
    login(driver, demo, "nadia.roux")
    driver.get(demo.url + "/mes-inscriptions")
    status = row_for(driver, title).find_element(By.CSS_SELECTOR, ".status").text
    assert status.startswith("Retenue — à payer au plus tard le "), status
