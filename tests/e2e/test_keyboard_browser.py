"""The keyboard alone (issue 15), in Chromium: the skip link (first Tab shows it, Enter
puts the focus on <main>), the catalogue, the account menu, the registration and the
payment reached and used with Tab, Shift-Tab, Enter and Space only, in a sensible order,
each focused control with a visible focus ring, and no trap (Tab goes on to the end of
the page and leaves it). At 390 px, the controls are at least 24×24 CSS px (WCAG 2.2
2.5.8) and the main buttons 44 px high. The pages of the demo show no ISO date and no
amount with a decimal point (70.00: the French way is 70,00 €).

As karim.benali, on « Atelier d'art floral : composition de Noël » (id 17, which no other
browser test registers for), paid « en CMCAS »."""

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

# The accessibility tests' autouse fixture too: skipped under ASan, axe-core required.
from test_accessibility_browser import _axe_installed, axe_violations  # noqa: F401
from test_demo_browser import DEMO_PASSWORD, body_text, login, replaced, submit_login, wait

MEMBER = "karim.benali"
ACTIVITY = 17
MAX_TABS = 250

# Who the focused element is, and whether its focus is visible (an outline of at least
# 2 px that is not hidden, on an element with a size, shown in the viewport).
DESCRIBE = """
const e = document.activeElement;
if (!e || e === document.body) return null;
const cs = getComputedStyle(e), r = e.getBoundingClientRect();
const label = (e.getAttribute('aria-label') || e.innerText || e.value || '').trim();
return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '',
        value: e.getAttribute('value') || '', cls: e.className || '',
        href: e.getAttribute('href') || '', text: label.replace(/\\s+/g, ' ').slice(0, 60),
        outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0,
        type: e.getAttribute('type') || '', focus: e.matches(':focus'),
        visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
                 && cs.visibility !== 'hidden',
        inMain: !!e.closest('main'), inFooter: !!e.closest('footer')};
"""


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def focused(driver):
    """The focused element's description, once its style settled (Chromium may answer
    before the focus styles of a date input's inner fields apply)."""
    el = driver.execute_script(DESCRIBE)
    for _ in range(20):
        if el is None or (el["outline"] != "none" and el["width"] >= 2):
            break
        driver.execute_script("return new Promise(r => requestAnimationFrame(() => r()))")
        el = driver.execute_script(DESCRIBE)
    return el


def check_ring(el, where):
    if el["type"] == "date" and not el["focus"]:
        # Chromium, driven by WebDriver, sometimes leaves a date input active without
        # :focus on it (its inner day field has it); by hand and when clicked the ring
        # shows (.date-picker:focus): not a page's fault.
        return
    assert el["outline"] not in ("none", "") and el["width"] >= 2, f"{where}: {el}"
    assert el["visible"], f"{where}: {el}"


def restart(driver):
    """The page shown again, the focus at its start (a blur would leave the sequential
    navigation where it was)."""
    driver.get(driver.current_url.split("#")[0])


def tab_through(driver, where):
    """Tab from the top of the page to its end: the focused elements in order, each
    with a visible ring; the last Tab leaves the page (no trap)."""
    restart(driver)
    seen = []
    for _ in range(MAX_TABS):
        press(driver, Keys.TAB)
        el = focused(driver)
        if el is None or (seen and el == seen[0]):       # left the page, or wrapped
            return seen
        check_ring(el, where)
        seen.append(el)
    pytest.fail(f"{where}: still tabbing after {MAX_TABS} steps (a trap?): "
                + ", ".join(e["text"] or e["tag"] for e in seen[-10:]))


def index_of(seen, where, **want):
    """The position of the first element matching `want` (a value or a regex)."""
    for i, el in enumerate(seen):
        if all(re.fullmatch(v, el[k]) if isinstance(v, re.Pattern) else el[k] == v
               for k, v in want.items()):
            return i
    pytest.fail(f"{where}: {want} never reached by Tab; reached: "
                + " | ".join(f"{e['tag']}#{e['id']}[{e['name']}] {e['text']}" for e in seen))


def in_order(seen, where, *wants):
    positions = [index_of(seen, where, **w) for w in wants]
    assert positions == sorted(positions), (where, list(zip(positions, wants)))
    return positions


def tab_to(driver, where, **want):
    """Tab (from where the focus is) until the element matching `want` has it."""
    for _ in range(MAX_TABS):
        press(driver, Keys.TAB)
        el = focused(driver)
        assert el is not None, f"{where}: left the page before reaching {want}"
        check_ring(el, where)
        if all(re.fullmatch(v, el[k]) if isinstance(v, re.Pattern) else el[k] == v
               for k, v in want.items()):
            return el
    pytest.fail(f"{where}: {want} not reached")


def press_and_wait(driver, key):
    old = driver.find_element(By.TAG_NAME, "html")
    press(driver, key)
    wait(driver).until(replaced(old))


def test_skip_link_and_catalogue_by_keyboard(driver, demo):
    login(driver, demo, MEMBER)
    driver.get(demo.url + "/")
    # The first Tab shows the skip link; Enter puts the focus on <main>.
    press(driver, Keys.TAB)
    el = focused(driver)
    assert "skip-link" in el["cls"] and el["text"] == "Aller au contenu", el
    check_ring(el, "skip link")
    press(driver, Keys.ENTER)
    wait(driver).until(lambda d: d.execute_script("return document.activeElement.id")
                       == "contenu")
    press(driver, Keys.TAB)                     # the next Tab goes on inside <main>
    el = focused(driver)
    assert el["inMain"], el
    check_ring(el, "after the skip link")

    seen = tab_through(driver, "catalogue")
    in_order(seen, "catalogue",
             {"cls": "skip-link"}, {"cls": "brand"}, {"id": "q"},
             {"text": "Rechercher", "tag": "button"}, {"tag": "summary"},
             {"href": "/?theme=SPORT", "inMain": False, "inFooter": False},
             {"href": re.compile(r"/activite/\d+"), "inMain": True},
             {"inFooter": True})
    # Shift-Tab goes back, one control at a time.
    restart(driver)
    for _ in range(3):
        press(driver, Keys.TAB)
    third = focused(driver)
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    back = focused(driver)
    assert back["cls"] == seen[1]["cls"] == "brand" and third["id"] == "q", (back, third)
    check_ring(back, "Shift-Tab")

    # The account menu: Enter opens it, Tab reaches its links, Escape closes it and gives
    # the focus back to its button; Enter on a link follows it.
    driver.execute_script("document.querySelector('details.user-menu summary').focus()")
    press(driver, Keys.ENTER)
    assert driver.execute_script("return document.querySelector('details.user-menu').open")
    press(driver, Keys.TAB)
    assert focused(driver)["text"] == "Mon compte"
    press(driver, Keys.ESCAPE)
    assert not driver.execute_script("return document.querySelector('details.user-menu')"
                                     ".open")
    assert focused(driver)["tag"] == "summary"
    press(driver, Keys.ENTER)
    tab_to(driver, "account menu", text="Mes inscriptions", href="/mes-inscriptions")
    press_and_wait(driver, Keys.ENTER)
    assert driver.current_url.endswith("/mes-inscriptions")

    # A theme, then the search, with the keyboard.
    driver.get(demo.url + "/")
    tab_to(driver, "themes", href="/?theme=LOISIR")
    press_and_wait(driver, Keys.ENTER)
    assert driver.current_url.endswith("/?theme=LOISIR")
    tab_to(driver, "search", id="q")
    press(driver, "art floral")
    press_and_wait(driver, Keys.ENTER)
    assert "Atelier d'art floral" in body_text(driver)


def test_registration_and_payment_by_keyboard(driver, demo):
    login(driver, demo, MEMBER)
    driver.get(demo.url + f"/activite/{ACTIVITY}")
    tab_to(driver, "activity", text="S'inscrire")
    press_and_wait(driver, Keys.ENTER)
    assert driver.current_url.endswith(f"/activite/{ACTIVITY}/inscription")

    # The form in a sensible order: who, « Ajouter », then the page's end.
    seen = tab_through(driver, "inscription")
    in_order(seen, "inscription", {"cls": "skip-link"}, {"name": "personne"},
             {"name": "action", "value": "ajouter"}, {"inFooter": True})
    restart(driver)
    tab_to(driver, "inscription", name="action", value="ajouter")
    press_and_wait(driver, Keys.ENTER)                  # the ouvrant droit, by default
    assert "Karim" in body_text(driver).replace("KARIM", "Karim")

    # The option ticked with the space bar (the page saves it and keeps the focus on it).
    tab_to(driver, "inscription", tag="input", name=re.compile(r"options-\d+"))
    box = driver.switch_to.active_element
    name = box.get_attribute("name")
    press_and_wait(driver, Keys.SPACE)
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("name") == name)
    assert driver.switch_to.active_element.is_selected()
    seen = tab_through(driver, "inscription (participant)")
    in_order(seen, "inscription (participant)", {"name": re.compile(r"options-\d+")},
             {"text": "Retirer"}, {"name": "action", "value": "valider"})

    restart(driver)
    tab_to(driver, "inscription", name="action", value="valider")
    press_and_wait(driver, Keys.ENTER)
    tab_to(driver, "inscription validée", text="Procéder au paiement")
    press_and_wait(driver, Keys.ENTER)
    assert "/paiement" in driver.current_url

    # Payment: the CGV first, then the methods.
    seen = tab_through(driver, "paiement")
    in_order(seen, "paiement", {"name": "cgv"}, {"name": "methode", "value": "cmcas"})
    restart(driver)
    tab_to(driver, "paiement", name="cgv")
    press(driver, Keys.SPACE)
    assert driver.switch_to.active_element.is_selected()
    tab_to(driver, "paiement", name="methode", value="cmcas")
    press_and_wait(driver, Keys.ENTER)
    assert "Confirmation de commande" in body_text(driver), body_text(driver)


def test_back_office_form_by_keyboard(driver, demo):
    driver.get(demo.url + "/gestion/")
    submit_login(driver, "gestion.bn", DEMO_PASSWORD)
    driver.get(demo.url + "/gestion/activites/nouvelle")
    seen = tab_through(driver, "gestion nouvelle activité")
    in_order(seen, "gestion nouvelle activité", {"cls": "skip-link"},
             {"text": "Nouvelle activité"}, {"id": "f-theme"}, {"id": "f-title"},
             {"id": "f-start_date"}, {"id": "f-capacity"})
    # A refused form: the summary is announced, its link moves the focus to the field.
    restart(driver)
    tab_to(driver, "gestion nouvelle activité", id="f-theme")
    press(driver, Keys.ARROW_DOWN)              # a theme; the rest left empty: refused
    tab_to(driver, "gestion nouvelle activité", tag="button", text="Créer l'activité")
    press(driver, Keys.ENTER)
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary")
                       or d.find_elements(By.CSS_SELECTOR, ".error-panel"))
    assert not driver.find_elements(By.CSS_SELECTOR, ".error-panel"), body_text(driver)[:500]
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.get_attribute("role") == "alert"
    link = summary.find_element(By.CSS_SELECTOR, "a[href='#f-title']")
    driver.execute_script("arguments[0].focus()", link)
    press(driver, Keys.ENTER)
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("id") == "f-title")
    field = driver.switch_to.active_element
    assert field.get_attribute("aria-invalid") == "true"
    assert "f-title-erreur" in field.get_attribute("aria-describedby").split()
    # axe-core has nothing to say of a refused form (its aria attributes included)
    assert not axe_violations(driver)

    # A member's refused address, the same way.
    driver.get(demo.url + "/connexion")
    submit_login(driver, MEMBER, DEMO_PASSWORD)
    driver.get(demo.url + "/mes-adresses")
    postcode = driver.find_element(By.ID, "code_postal")
    postcode.clear()
    postcode.send_keys("18OOO")
    press_and_wait(driver, Keys.ENTER)
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert driver.find_element(By.ID, "code_postal").get_attribute("aria-invalid") == "true"
    assert not axe_violations(driver)


# ----------------------------------------------------------------------------------
# Touch targets at 390 px

TARGETS = """
const out = [];
const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
for (const e of document.querySelectorAll(sel)) {
  if (e.closest('[hidden], .visually-hidden') || e.classList.contains('skip-link')) continue;
  const cs = getComputedStyle(e);
  if (cs.display === 'none' || cs.visibility === 'hidden') continue;
  // a link in a sentence is exempt (2.5.8 « inline »); a box or radio counts with its label
  const p = e.parentElement;
  if (e.tagName === 'A' && !e.classList.contains('button') && p
      && ['P', 'LI', 'TD', 'DD', 'SPAN'].includes(p.tagName)
      && p.textContent.trim() !== e.textContent.trim()) continue;
  let r = e.getBoundingClientRect();
  if ((e.type === 'checkbox' || e.type === 'radio') && e.closest('label'))
    r = e.closest('label').getBoundingClientRect();
  if (!r.width && !r.height) continue;
  const label = (e.getAttribute('aria-label') || e.innerText || e.value || e.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
  out.push([e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : ''),
            label, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10,
            e.classList.contains('button') && !e.classList.contains('button-small')]);
}
return out;
"""


def small_targets(driver, where):
    bad = []
    for tag, label, w, h, main_button in driver.execute_script(TARGETS):
        if w < 24 or h < 24:
            bad.append(f"{where}: {tag} « {label} » {w}×{h}")
        elif main_button and h < 44:
            bad.append(f"{where}: main button {tag} « {label} » {h} px high")
    return bad


def test_touch_targets_at_390_px(driver, demo):
    login(driver, demo, MEMBER)
    driver.set_window_size(390, 844)
    problems = []
    for path in ["/", "/?theme=LOISIR", "/?page=2", f"/activite/{ACTIVITY}",
                 f"/activite/{ACTIVITY}/inscription", "/mes-inscriptions", "/mes-commandes",
                 "/mon-compte", "/mes-informations", "/mes-adresses"]:
        driver.get(demo.url + path)
        if path == "/":     # the account menu, open
            driver.execute_script("document.querySelector('details.user-menu').open = true")
        problems += small_targets(driver, path)
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------------
# Dates and amounts the French way

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DOT_AMOUNT = re.compile(r"\b\d+\.\d{2}\b(?!\.\d)")


def test_dates_and_amounts_are_french(driver, demo):
    login(driver, demo, "gael.classen")
    problems = []
    pages = ["/", "/?page=2", "/activite/1", "/activite/2", "/activite/1/inscription",
             "/mes-inscriptions", "/mes-commandes", "/mon-compte", "/mes-informations"]
    for path in pages:
        driver.get(demo.url + path)
        text = body_text(driver)
        problems += [f"{path}: {m}" for m in ISO_DATE.findall(text) + DOT_AMOUNT.findall(text)]
    driver.get(demo.url + "/gestion/")
    submit_login(driver, "gestion.bn", DEMO_PASSWORD)
    for path in ["/gestion/", "/gestion/commandes", "/gestion/activite/1",
                 "/gestion/activite/1/inscriptions", "/gestion/activite/2/tirage",
                 "/gestion/journal"]:
        driver.get(demo.url + path)
        text = body_text(driver)
        problems += [f"{path}: {m}" for m in ISO_DATE.findall(text) + DOT_AMOUNT.findall(text)]
    assert not problems, "\n".join(problems)
