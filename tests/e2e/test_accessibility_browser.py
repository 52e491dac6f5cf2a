"""Accessibility of every page type in a real browser: axe-core (npm, installed by
scripts/lib/deps.sh into tests/gen/axe/) run in Chromium at the WCAG 2.1 A and AA levels,
at a desktop width and a phone's (390 px); at 320 px no page scrolls sideways.

The member's pages are seen as karim.benali, who registers for « Stage de Pâtisserie :
macarons et entremets » (id 13, which no other browser test uses) and orders it at the desk; the back-office's as gestion.bn. Each page's violations are listed with the rule,
its impact and the elements, so that a failure says what to fix.
"""

import json
import os
import sys

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import MODULE_SO, REPO
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
from cmcas_httpd import module_sanitized  # noqa: E402  (the integration tests' helper)
from test_demo_browser import (DEMO_PASSWORD, body_text, click_and_wait, login, replaced,
                               submit_login, wait)
from test_registration_browser import tick

# scripts/check names the folder (its ASan pass runs from a copy of the repository).
AXE = os.path.join(os.environ.get("CMCAS_AXE_DIR") or os.path.join(REPO, "tests", "gen", "axe"),
                   "node_modules", "axe-core", "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": (1280, 1024), "phone": (390, 844)}
ACTIVITY = 13
MEMBER = "karim.benali"


def axe_violations(driver):
    """axe-core's violations on the page shown: [(rule, impact, help, [targets])]."""
    with open(AXE, encoding="utf-8") as f:
        driver.execute_script(f.read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        "                   resultTypes: ['violations']})"
        "  .then(r => done(JSON.stringify(r.violations)), e => done('ERR ' + e));", TAGS)
    assert not result.startswith("ERR"), result
    return [(v["id"], v["impact"], v["help"],
             [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
              for n in v["nodes"]])
            for v in json.loads(result)]


def sideways(driver):
    """How many CSS pixels the page scrolls sideways (0: none), and the innermost elements
    that stick out (to say what to fix)."""
    return driver.execute_script("""
        const root = document.documentElement, width = root.clientWidth;
        const out = [];
        const clipped = e => {      // inside a box that scrolls (a table's) and fits
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                if (getComputedStyle(a).overflowX !== 'visible'
                    && a.getBoundingClientRect().right <= width + 1)
                    return true;
            return false;
        };
        for (const e of document.body.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.width && r.right > width + 1 && !clipped(e)
                && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
                out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                         + ' (' + Math.round(r.right) + ' px)');
        }
        return [root.scrollWidth - width, out.slice(0, 5)];""")


def check(driver, name, problems):
    """axe at both widths, and no sideways scrolling at 320 px; problems appended."""
    url = driver.current_url
    for label, (w, h) in WIDTHS.items():
        driver.set_window_size(w, h)
        driver.get(url)
        for rule, impact, help_, targets in axe_violations(driver):
            problems.append(f"{name} [{label}] {rule} ({impact}): {help_} — "
                            + ", ".join(targets[:6]))
    driver.set_window_size(320, 700)
    driver.get(url)
    extra, culprits = sideways(driver)
    if extra > 0:
        problems.append(f"{name} [320 px] scrolls sideways by {extra} px: "
                        + ", ".join(culprits))
    driver.set_window_size(*WIDTHS["desktop"])
    driver.get(url)


def check_at(driver, demo, path, name, problems):
    driver.get(demo.url + path)
    check(driver, name, problems)


@pytest.fixture(scope="module", autouse=True)
def _axe_installed():
    if module_sanitized(MODULE_SO):
        pytest.skip("the pages' markup and styles are the same under ASan: checked once")
    if not os.path.exists(AXE):
        pytest.fail(f"{AXE} is missing: scripts/lib/deps.sh (cmcas_deps_axe) installs it")


def test_member_pages_have_no_violation(driver, demo):
    problems = []
    driver.get(demo.url + "/connexion")
    check(driver, "connexion", problems)
    driver.get(demo.url + "/connexion?erreur=1")
    check(driver, "connexion (erreur)", problems)
    login(driver, demo, MEMBER)
    # A favicon the pages name (browsers then do not ask for /favicon.ico: no 404 logged).
    icon = requests.get(driver.find_element(By.CSS_SELECTOR, "link[rel=icon]")
                        .get_attribute("href"), timeout=10)
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg")
    check(driver, "catalogue", problems)
    driver.get(demo.url + "/?q=atelier")
    check(driver, "catalogue (recherche)", problems)
    driver.get(demo.url + "/?theme=SPORT")
    check(driver, "catalogue (thème)", problems)
    driver.get(demo.url + f"/activite/{ACTIVITY}")
    check(driver, "activité", problems)
    driver.get(demo.url + "/activite/2")
    check(driver, "activité (tour de rôle)", problems)

    # The registration: the ouvrant droit, then « Valider votre inscription ».
    driver.get(demo.url + f"/activite/{ACTIVITY}/inscription")
    Select(driver.find_element(By.NAME, "personne")).select_by_index(0)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               "button[name=action][value=ajouter]"))
    check(driver, "inscription", problems)
    tick(driver, driver.find_element(By.CSS_SELECTOR, "input[type=checkbox][name^=options-]"))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               "button[name=action][value=valider]"))
    check(driver, "inscription validée", problems)
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Procéder au paiement"))
    registration = driver.current_url.split("/mes-inscriptions/")[1].split("/")[0]
    check(driver, "paiement", problems)
    driver.find_element(By.NAME, "cgv").click()
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               "button[name=methode][value=cmcas]"))
    assert "Confirmation de commande" in body_text(driver), body_text(driver)
    check(driver, "confirmation de commande", problems)
    for path, name in [("/mes-commandes", "mes commandes"),
                       ("/mes-inscriptions", "mes inscriptions"),
                       (f"/mes-inscriptions/{registration}", "consultation"),
                       ("/mon-compte", "mon compte"),
                       ("/mes-informations", "mes informations"),
                       ("/mes-adresses", "mes adresses"),
                       ("/conditions-utilisation", "conditions d'utilisation"),
                       ("/cgv", "cgv"),
                       ("/activite/99999", "erreur 404"),
                       ("/?page=abc", "erreur 400")]:
        check_at(driver, demo, path, name, problems)
    assert not problems, "\n".join(problems)


def test_back_office_pages_have_no_violation(driver, demo):
    problems = []
    driver.get(demo.url + "/gestion/")
    check(driver, "gestion connexion", problems)
    submit_login(driver, "gestion.bn", DEMO_PASSWORD)
    check(driver, "gestion tableau de bord", problems)
    for path, name in [("/gestion?activites=a-payer", "gestion activités à payer"),
                       ("/gestion/commandes", "gestion commandes"),
                       ("/gestion/activites/nouvelle", "gestion nouvelle activité"),
                       ("/gestion/activite/1", "gestion activité"),
                       ("/gestion/activite/1/inscriptions", "gestion inscriptions"),
                       ("/gestion/activite/2/tirage", "gestion tirage"),
                       ("/gestion/journal", "gestion journal"),
                       ("/gestion/activite/99999", "gestion erreur 404")]:
        check_at(driver, demo, path, name, problems)
    assert not problems, "\n".join(problems)


def test_registration_aids_keyboard_and_screen_readers(driver, demo):
    """On « Soirée jeux de société en famille » (id 14, no other browser test registers
    for it), as karim.benali: the guest's birth date picked in the browser's calendar fills
    the typed JJ/MM/AAAA field; an option ticked with the keyboard is saved, the focus
    comes back to it after the reload and the new total is said in a status region."""
    login(driver, demo, MEMBER)
    driver.get(demo.url + "/activite/14/inscription")
    Select(driver.find_element(By.NAME, "personne")).select_by_visible_text("Invité(s)")
    picker = driver.find_element(By.CSS_SELECTOR, "input.date-picker")
    assert picker.get_attribute("aria-label")
    driver.execute_script("arguments[0].value = '1971-03-12';"
                          "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                          picker)
    assert driver.find_element(By.ID, "invite-naissance").get_attribute("value") == "12/03/1971"
    driver.find_element(By.ID, "invite-nom").send_keys("PETIT")
    driver.find_element(By.ID, "invite-prenom").send_keys("Michel")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                               "button[name=action][value=ajouter]"))
    assert "Michel PETIT" in body_text(driver) and "12/03/1971" in body_text(driver)

    box = driver.find_element(By.CSS_SELECTOR, "input[type=checkbox][name^=options-]")
    name, value = box.get_attribute("name"), box.get_attribute("value")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    driver.execute_script("arguments[0].focus();", box)
    old = driver.find_element(By.TAG_NAME, "html")
    box.send_keys(" ")                                  # the space bar ticks it
    wait(driver).until(replaced(old))
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("name") == name)
    assert driver.switch_to.active_element.get_attribute("value") == value
    wait(driver).until(lambda d: "Total" in " ".join(
        e.text or e.get_attribute("textContent")
        for e in d.find_elements(By.CSS_SELECTOR, "[role=status]")))
