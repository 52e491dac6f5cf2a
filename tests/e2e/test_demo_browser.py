"""The demo in a real browser: login form, catalog, detail page, filters, search, logout.

The server is the demo of `scripts/demo` (see conftest.py). Every test starts logged out.
"""

import re
from urllib.parse import urlsplit

import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

DEMO_LOGIN = "gael.classen"
DEMO_PASSWORD = "demo2026"
WAIT = 10


def wait(driver, timeout=WAIT):
    return WebDriverWait(driver, timeout)


def path_of(driver):
    parts = urlsplit(driver.current_url)
    return parts.path + ("?" + parts.query if parts.query else "")


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def submit_login(driver, login, password):
    driver.find_element(By.ID, "httpd_username").send_keys(login)
    password_field = driver.find_element(By.ID, "httpd_password")
    password_field.send_keys(password)
    old = driver.find_element(By.TAG_NAME, "html")
    password_field.submit()
    wait(driver).until(replaced(old))


def login(driver, demo, who=DEMO_LOGIN):
    driver.get(demo.url + "/connexion")
    submit_login(driver, who, DEMO_PASSWORD)
    assert path_of(driver) == "/", driver.current_url


def replaced(old):
    """A wait condition: the page holding the element `old` was replaced. Chromium
    sometimes answers a look at an element of a page being replaced with an inspector
    error ("Node with given id does not belong to the document") rather than a stale
    reference: gone all the same."""
    def gone(_driver):
        try:
            old.is_enabled()
            return False
        except WebDriverException:      # StaleElementReferenceException among them
            return True
    return gone


def click_and_wait(driver, element, timeout=WAIT):
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait(driver, timeout).until(replaced(old))


def card_titles(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".card .card-title")]


def card_for(driver, title):
    for card in driver.find_elements(By.CSS_SELECTOR, "article.card"):
        if card.find_element(By.CSS_SELECTOR, ".card-title").text == title:
            return card
    raise AssertionError(f"no card « {title} » among {card_titles(driver)}")


def test_root_redirects_to_the_login_page(driver, demo):
    driver.get(demo.url + "/")
    assert path_of(driver) == "/connexion"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Connexion"
    assert driver.find_element(By.ID, "httpd_username").is_displayed()
    assert driver.find_element(By.ID, "httpd_password").get_attribute("type") == "password"
    assert "CMCAS Berry-Nivernais" in driver.title


def test_wrong_password_shows_the_error(driver, demo, shot):
    driver.get(demo.url + "/connexion")
    submit_login(driver, DEMO_LOGIN, "pas-le-bon")
    assert path_of(driver) == "/connexion?erreur=1"
    alert = driver.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "Identifiant ou mot de passe incorrect" in alert.text
    shot(driver, "erreur")
    # Still not logged in.
    driver.get(demo.url + "/")
    assert path_of(driver) == "/connexion"


def test_login_catalog_and_detail_page(driver, demo, shot):
    login(driver, demo)
    assert driver.find_element(By.CSS_SELECTOR, ".site-header .user-name").text \
        == "Gael CLASSEN"
    card = card_for(driver, "Atelier gourmand")
    badges = [b.text for b in card.find_elements(By.CSS_SELECTOR, ".badge")]
    assert "NOUVEAU" in badges
    shot(driver, "catalogue")

    click_and_wait(driver, card.find_element(By.CSS_SELECTOR, ".card-title a"))
    assert re.fullmatch(r"/activite/\d+", path_of(driver)), driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Atelier gourmand")
    text = body_text(driver)
    assert "Nombre de places restantes : 10" in text
    register = driver.find_element(By.LINK_TEXT, "S'inscrire")
    assert register.is_displayed()
    shot(driver, "activite")


def test_other_cmcas_tab(driver, demo):
    login(driver, demo)
    # (the tabs are upper-cased by the CSS: find the link by its text in the page source)
    tab = driver.find_element(
        By.XPATH, "//nav[contains(@class, 'tabs')]//a[normalize-space() = "
                  "\"Activités proposées dans d'autres CMCAS\"]")
    click_and_wait(driver, tab)
    assert "onglet=autres" in driver.current_url
    organisers = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".card-organiser")}
    assert organisers, "no activity in the other-CMCAS tab"
    assert organisers <= {"CMCAS Touraine", "CMCAS Limousin"}, organisers
    assert "Atelier gourmand" not in card_titles(driver)


def test_theme_bar_filters(driver, demo):
    login(driver, demo)
    themes = driver.find_element(By.CSS_SELECTOR, "nav.themes")
    click_and_wait(driver, themes.find_element(By.LINK_TEXT, "SPORT"))
    assert "theme=SPORT" in driver.current_url
    shown = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".card .card-theme")]
    assert shown, "no SPORT activity listed"
    assert set(shown) == {"SPORT"}, shown
    selected = driver.find_element(By.CSS_SELECTOR, "nav.themes a.selected")
    assert selected.text == "SPORT"


def test_keyword_search_ignores_accents(driver, demo):
    login(driver, demo)
    box = driver.find_element(By.ID, "q")
    old = driver.find_element(By.TAG_NAME, "html")
    box.send_keys("randonnee", Keys.ENTER)
    wait(driver).until(replaced(old))
    assert "q=randonnee" in driver.current_url
    # every word in the title or the description, accents ignored
    assert "Randonnée dans le Morvan" in card_titles(driver)
    assert driver.find_element(By.ID, "q").get_attribute("value") == "randonnee"


def test_logout(driver, demo):
    login(driver, demo)
    menu = driver.find_element(By.CSS_SELECTOR, "details.user-menu")
    menu.find_element(By.TAG_NAME, "summary").click()
    click_and_wait(driver, menu.find_element(By.LINK_TEXT, "Se déconnecter"))
    assert path_of(driver) == "/connexion?deconnecte=1"
    assert "Vous êtes déconnecté" in body_text(driver)
    driver.get(demo.url + "/")
    assert path_of(driver) == "/connexion"


def test_login_flow_without_browser(demo):
    """The same flow as a script would do it: form POST, session cookie, catalog."""
    with requests.Session() as s:
        s.headers["Accept"] = "text/html"
        r = s.get(demo.url + "/", allow_redirects=False, timeout=10)
        assert r.status_code == 302
        assert r.headers["Location"].endswith("/connexion")

        r = s.get(demo.url + "/connexion", timeout=10)
        assert r.status_code == 200
        assert 'action="/connexion/valider"' in r.text

        r = s.post(demo.url + "/connexion/valider", allow_redirects=False, timeout=10,
                   data={"httpd_username": DEMO_LOGIN, "httpd_password": DEMO_PASSWORD})
        assert r.status_code == 302
        assert r.headers["Location"].endswith("/") \
            and not r.headers["Location"].endswith("/connexion/")
        cookie = r.headers["Set-Cookie"]
        assert cookie.startswith("cmcas_session=")
        attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        assert {"httponly", "samesite", "path", "max-age"} <= attributes, cookie
        assert DEMO_PASSWORD not in cookie      # the cookie is only the session id

        r = s.get(demo.url + "/", timeout=10)
        assert r.status_code == 200
        assert r.url == demo.url + "/"
        assert "Gael CLASSEN" in r.text
        assert "Atelier gourmand" in r.text

        r = s.get(demo.url + "/mes-informations", timeout=10)
        assert r.status_code == 200
        assert "Louane" in r.text

        r = s.get(demo.url + "/deconnexion", allow_redirects=False, timeout=10)
        assert r.status_code in (302, 303, 307)
        r = s.get(demo.url + "/", allow_redirects=False, timeout=10)
        assert r.status_code == 302
        assert r.headers["Location"].endswith("/connexion")
