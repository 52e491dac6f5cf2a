"""The back-office's activities (issue 11): create, edit, publish, picture.

Staff post the form « gestion-activite » as a browser does (every field of the page, the
empty option rows too); rule failures show the form again with its messages (409) and
write nothing; an edit never changes what registered households owe; another CMCAS's
activity is 404 for every request; every form needs its CSRF token; every change leaves
its audit line; pictures are checked by content, named by their hash and served by the
module.
"""
import base64
import re
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest

from test_7_helpers import Member, P_GAEL, cheap_hash

from test_10_helpers import BN_STAFF, STAFF_SECTIONS, T_STAFF, XML
from test_10_helpers import staff_session as session

CMCAS_SERVER = {"sections": STAFF_SECTIONS}


@pytest.fixture(scope="module")
def bn(server):
    server.sql("UPDATE household SET password = ?", (cheap_hash(),))
    with session(BN_STAFF) as s:
        yield s


@pytest.fixture(scope="module")
def touraine(server):
    with session(T_STAFF) as s:
        yield s


def page(s, server, path):
    r = s.get(server.base_url + path, headers=XML)
    assert r.status_code == 200, r.text[:2000]
    return ET.fromstring(r.content)


def browser_fields(doc, **changes):
    """The fields the form posts as shown (a browser's post), with `changes` (name ->
    value; None leaves the field out)."""
    f = doc.find("activite-form")
    fields = {"csrf": doc.find("staff").get("csrf")}
    for c in f.findall("champ"):
        name = c.get("nom")
        if name in ("open_to_others", "guests_allowed"):
            if c.text == "1":
                fields[name] = "1"
        else:
            fields[name] = c.text or ""
    for o in f.find("options").findall("option"):
        n = o.get("n")
        if o.get("id"):
            fields[f"option.{n}.id"] = o.get("id")
        for c in o.findall("champ"):
            fields[f"option.{n}.{c.get('nom')}"] = c.text or ""
    for k, v in changes.items():
        if v is None:
            fields.pop(k, None)
        else:
            fields[k] = v
    return fields


NEW = {
    "theme": "CULTURE", "title": "Concert du Nouvel An",
    "description": "Un orchestre de chambre.\r\n\r\nSecond paragraphe.",
    "place": "Bourges", "start_date": "10/01/2030", "end_date": "11/01/2030",
    "closing_date": "01/01/2030", "capacity": "20", "mode": "immediat",
    "guests_allowed": "1", "max_guests": "2",
    "option.1.label": "Entrée", "option.1.price_beneficiary": "30,00",
    "option.1.participation_beneficiary": "10", "option.1.price_guest": "45,50",
    "option.1.participation_guest": "0",
    "option.2.label": "Dîner", "option.2.price_beneficiary": "25",
    "option.2.participation_beneficiary": "5,00", "option.2.price_guest": "25",
    "option.2.participation_guest": "",
}


def create(s, server, **changes):
    doc = page(s, server, "/gestion/activites/nouvelle")
    fields = browser_fields(doc, **dict(NEW, **changes))
    return s.post(server.base_url + "/gestion/activites/nouvelle", data=fields,
                  allow_redirects=False)


def created_id(r):
    assert r.status_code == 303, r.text[:3000]
    m = re.search(r"/gestion/activite/(\d+)\?creee=1$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def counts(sql):
    return [sql(f"SELECT COUNT(*) FROM {t}")[0][0]
            for t in ("activity", "activity_option", "cmcas_audit", "cmcas_image")]


def publish(s, server, aid, action="publier"):
    doc = page(s, server, f"/gestion/activite/{aid}")
    return s.post(server.base_url + f"/gestion/activite/{aid}/publier",
                  data={"csrf": doc.find("staff").get("csrf"), "action": action},
                  allow_redirects=False)


def test_create_with_two_options_publish_and_members_see_it(server, bn, sql):
    r = bn.get(server.base_url + "/gestion/")
    assert 'href="/gestion/activites/nouvelle"' in r.text
    r = bn.get(server.base_url + "/gestion/activites/nouvelle")
    assert r.status_code == 200 and 'name="option.3.label"' in r.text
    aid = created_id(create(bn, server))
    row = sql(f"SELECT cmcas_code, theme, start_date, end_date, closing_date, capacity, "
              f"published_at, mode, guests_allowed, max_guests, description "
              f"FROM activity WHERE id = {aid}")[0]
    assert row == ("BN", "CULTURE", "2030-01-10", "2030-01-11", "2030-01-01", 20, None,
                   "immediat", 1, 2, "Un orchestre de chambre.\n\nSecond paragraphe.")
    opts = sql(f"SELECT label, price_beneficiary, participation_beneficiary, price_guest, "
               f"participation_guest FROM activity_option WHERE activity_id = {aid} "
               f"ORDER BY position")
    assert opts == [("Entrée", 3000, 1000, 4550, 0), ("Dîner", 2500, 500, 2500, 0)]
    # The edit page, the dashboard (with its link).
    r = bn.get(server.base_url + f"/gestion/activite/{aid}?creee=1")
    assert r.status_code == 200 and "Activité créée" in r.text
    assert 'value="45,50"' in r.text
    r = bn.get(server.base_url + "/gestion/")
    assert f'href="/gestion/activite/{aid}"' in r.text and "Concert du Nouvel An" in r.text
    # Not published: members do not see it.
    m = Member(server)
    try:
        assert "Concert du Nouvel An" not in m.get("/", accept="text/html").text
        m.get(f"/activite/{aid}", accept="text/html", status=404)
        r = publish(bn, server, aid)
        assert r.status_code == 303 and r.headers["Location"].endswith("?publiee=1")
        assert sql(f"SELECT published_at FROM activity WHERE id = {aid}")[0][0]
        assert "Concert du Nouvel An" in m.get("/?theme=CULTURE", accept="text/html").text
        html = m.get(f"/activite/{aid}", accept="text/html").text
        assert "30,00" in html and "45,50" in html and "Dîner" in html
        assert "Second paragraphe." in html
        # Publishing twice: 409, nothing written.
        r = publish(bn, server, aid)
        assert r.status_code == 409
        # Unpublished: out of the catalog again.
        r = publish(bn, server, aid, "depublier")
        assert r.status_code == 303
        assert "Concert du Nouvel An" not in m.get("/?theme=CULTURE",
                                                   accept="text/html").text
    finally:
        m.close()
    actions = [a for (a,) in sql(f"SELECT action FROM cmcas_audit WHERE object = "
                                 f"'activité {aid}' ORDER BY id")]
    assert actions == ["Activité créée", "Activité publiée", "Activité dépubliée"]


@pytest.mark.parametrize("changes, field, message", [
    ({"end_date": "09/01/2030"}, "end_date", "La date de fin est avant la date de début."),
    ({"closing_date": "12/01/2030"}, "closing_date",
     "La date de clôture des inscriptions est après la date de début."),
    ({"option.1.price_beneficiary": "-5"}, "option.1.price_beneficiary", "négatif"),
    ({"option.2.participation_beneficiary": "26"}, "option.2.participation_beneficiary",
     "ne peut pas dépasser le montant"),
    ({"title": ""}, "title", "Le titre est obligatoire."),
    ({"start_date": "31/02/2030"}, "start_date", "n'est pas une date valide"),
])
def test_validation_shows_the_form_again_and_writes_nothing(server, bn, sql, changes, field,
                                                            message):
    before = counts(sql)
    r = create(bn, server, **changes)
    assert r.status_code == 409, r.text[:2000]
    assert message in r.text
    assert "rien n'a été enregistré" in r.text
    # The typed values are shown again.
    for k, v in changes.items():
        if v:
            assert f'value="{v}"' in r.text
    doc = ET.fromstring(bn.post(server.base_url + "/gestion/activites/nouvelle",
                                data=browser_fields(page(bn, server,
                                                         "/gestion/activites/nouvelle"),
                                                    **dict(NEW, **changes)),
                                headers=XML).content)
    assert field in [e.get("champ") for e in doc.iter("erreur")]
    assert counts(sql) == before


def test_malformed_form_is_400(server, bn, sql):
    before = counts(sql)
    assert create(bn, server, theme="CINEMA").status_code == 400
    assert create(bn, server, mode="gratuit").status_code == 400
    assert create(bn, server, published_at="2020-01-01").status_code == 400
    assert create(bn, server, title="a\x01b").status_code == 400
    assert counts(sql) == before


def test_edit_with_registrations_keeps_what_households_owe(server, bn, sql):
    aid = created_id(create(bn, server))
    assert publish(bn, server, aid).status_code == 303
    opt1, opt2 = [i for (i,) in sql(f"SELECT id FROM activity_option WHERE activity_id = "
                                    f"{aid} ORDER BY position")]
    m = Member(server)
    try:
        m.add(aid, P_GAEL)
        ins = m.ins(aid)
        pid = ins.find("participant").get("id")
        m.do(aid, "valider", ins=ins, options={int(pid): [opt1]})
        total = m.ins(aid).find("total").get("cents")
        assert total == "3000"
        assert sql(f"SELECT places_taken FROM activity WHERE id = {aid}")[0][0] == 1
        before = counts(sql)
        edit = page(bn, server, f"/gestion/activite/{aid}")
        assert edit.find("activite-form/options/option").get("chosen") == "1"
        url = server.base_url + f"/gestion/activite/{aid}"
        # The chosen option's amount: refused, nothing written.
        r = bn.post(url, data=browser_fields(edit, **{"option.1.price_beneficiary": "35"}),
                    allow_redirects=False)
        assert r.status_code == 409
        assert "Des inscriptions ont choisi cette prestation" in r.text
        # Deleting it; the mode; fewer places than taken.
        r = bn.post(url, data=browser_fields(edit, **{"option.1.delete": "1",
                                                       "mode": "tour_de_role",
                                                       "capacity": "0"}),
                    allow_redirects=False)
        assert r.status_code == 409
        assert "elle ne peut pas être supprimée" in r.text
        assert "son mode d'inscription ne change plus" in r.text
        assert "inférieur aux places déjà prises (1)" in r.text
        assert counts(sql) == before
        # The other option's amounts, a new option, the title: saved.
        r = bn.post(url, data=browser_fields(edit, **{
            "title": "Concert (complet à 21h)", "option.2.price_beneficiary": "27",
            "option.3.label": "Parking", "option.3.price_beneficiary": "3",
            "option.3.price_guest": "3"}), allow_redirects=False)
        assert r.status_code == 303, r.text[:3000]
        assert sql(f"SELECT price_beneficiary FROM activity_option WHERE id = {opt1}") \
            == [(3000,)]
        assert sql(f"SELECT price_beneficiary FROM activity_option WHERE id = {opt2}") \
            == [(2700,)]
        assert m.ins(aid).find("total").get("cents") == total
        line = sql("SELECT action, object, before, after FROM cmcas_audit "
                   "ORDER BY id DESC LIMIT 1")[0]
        assert line[0] == "Activité modifiée" and line[1] == f"activité {aid}"
        assert "Titre : Concert du Nouvel An" in line[2]
        assert "Titre : Concert (complet à 21h)" in line[3]
        assert "Dîner ; bénéficiaires 25,00\u00a0€" in line[2]
        assert "Dîner ; bénéficiaires 27,00\u00a0€" in line[3]
        assert "Parking" in line[3] and "Entrée" not in line[3]
        # The journal shows it.
        r = bn.get(server.base_url + "/gestion/journal")
        assert f"activité {aid}" in r.text and "Activité modifiée" in r.text
        assert "Concert (complet à 21h)" in r.text
    finally:
        m.close()


def test_other_cmcas_activity_is_404_and_unchanged(server, bn, touraine, sql):
    aid = created_id(create(bn, server))
    before = counts(sql) + [sql(f"SELECT title, published_at, image FROM activity "
                                f"WHERE id = {aid}")]
    tdoc = page(touraine, server, "/gestion/activites/nouvelle")
    token = tdoc.find("staff").get("csrf")
    url = server.base_url + f"/gestion/activite/{aid}"
    assert touraine.get(url).status_code == 404
    bdoc = page(bn, server, f"/gestion/activite/{aid}")
    fields = browser_fields(bdoc, csrf=token, title="Piraté")
    assert touraine.post(url, data=fields).status_code == 404
    assert touraine.post(url + "/publier", data={"csrf": token, "action": "publier"}) \
        .status_code == 404
    assert touraine.post(url + "/image", data={"csrf": token},
                         files={"image": ("a.png", png_bytes(), "image/png")}) \
        .status_code == 404
    assert touraine.get(server.base_url + "/gestion/activite/999999").status_code == 404
    assert counts(sql) + [sql(f"SELECT title, published_at, image FROM activity "
                              f"WHERE id = {aid}")] == before


def test_csrf_missing_or_bad_is_403(server, bn, sql, expect_log):
    aid = created_id(create(bn, server))
    before = counts(sql)
    doc = page(bn, server, f"/gestion/activite/{aid}")
    url = server.base_url + f"/gestion/activite/{aid}"
    assert bn.post(url, data=browser_fields(doc, csrf=None, title="X")).status_code == 403
    assert bn.post(url, data=browser_fields(doc, csrf="0." + "0" * 64, title="X")) \
        .status_code == 403
    assert bn.post(url + "/publier", data={"action": "publier"}).status_code == 403
    assert bn.post(server.base_url + "/gestion/activites/nouvelle",
                   data=browser_fields(page(bn, server, "/gestion/activites/nouvelle"),
                                       csrf=None, **NEW)).status_code == 403
    assert bn.post(url + "/image", data={"csrf": "bad"},
                   files={"image": ("a.png", png_bytes(), "image/png")}).status_code == 403
    assert bn.post(url + "/image",
                   files={"image": ("a.png", png_bytes(), "image/png")}).status_code == 403
    assert counts(sql) == before
    expect_log(r"CMCAS31: form refused for user 'gestion.bn'")


def png_bytes(w=3, h=2, seed=0):
    """A real PNG (RGB, w x h)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes((seed + x * 40) % 256 for x in range(w * 3))
                   for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# A 1x1 progressive JPEG (a well-known minimal file).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////////////////////////////////////////"
    "//////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP"
    "/aAAgBAQABPxA=")


def upload(s, server, aid, name, data, ctype="image/png", token=None):
    if token is None:
        token = page(s, server, f"/gestion/activite/{aid}").find("staff").get("csrf")
    return s.post(server.base_url + f"/gestion/activite/{aid}/image",
                  data={"csrf": token}, files={"image": (name, data, ctype)},
                  allow_redirects=False)


def test_upload_png_and_jpeg_served_with_their_type(server, bn, sql):
    aid = created_id(create(bn, server))
    png = png_bytes(seed=7)
    r = upload(bn, server, aid, "photo.png", png)
    assert r.status_code == 303, r.text[:2000]
    image = sql(f"SELECT image FROM activity WHERE id = {aid}")[0][0]
    assert re.fullmatch(r"image/[0-9a-f]{64}\.png", image)
    # Staff see it on the form; members on the pages, once published.
    r = bn.get(server.base_url + "/gestion/" + image)
    assert r.status_code == 200 and r.content == png
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in r.headers["Cache-Control"]
    assert f'src="/gestion/{image}"' in bn.get(server.base_url + f"/gestion/activite/{aid}").text
    assert publish(bn, server, aid).status_code == 303
    m = Member(server)
    try:
        r = m.get("/" + image, accept="image/*")
        assert r.content == png and r.headers["Content-Type"] == "image/png"
        assert f'src="/{image}"' in m.get(f"/activite/{aid}", accept="text/html").text
        assert f'src="/{image}"' in m.get("/?theme=CULTURE", accept="text/html").text
        # The demo's pictures (paths of the site) are unchanged.
        assert 'src="/static/img/atelier-gourmand.svg"' in m.get("/activite/1",
                                                                 accept="text/html").text
        m.get("/image/" + "0" * 64 + ".png", accept="image/*", status=404)
        m.get("/image/../../etc/passwd", accept="image/*", status=404)
    finally:
        m.close()
    r = upload(bn, server, aid, "photo.jpg", JPEG, "image/jpeg")
    assert r.status_code == 303, r.text[:2000]
    image = sql(f"SELECT image FROM activity WHERE id = {aid}")[0][0]
    assert image.endswith(".jpg")
    r = bn.get(server.base_url + "/gestion/" + image)
    assert r.content == JPEG and r.headers["Content-Type"] == "image/jpeg"
    line = sql("SELECT action, before, after FROM cmcas_audit ORDER BY id DESC LIMIT 1")[0]
    assert line[0] == "Image de l'activité changée" and line[2] == "Image : " + image


def test_upload_refusals(server, bn, sql):
    aid = created_id(create(bn, server))
    before = counts(sql)
    r = upload(bn, server, aid, "x.png", b"<html><script>alert(1)</script></html>")
    assert r.status_code == 400 and "n'est pas une image JPEG ou PNG" in r.text
    # A PNG's signature without a sane header.
    r = upload(bn, server, aid, "y.png", png_bytes()[:20])
    assert r.status_code == 400
    big = png_bytes() + b"\x00" * (2 * 1024 * 1024)
    r = upload(bn, server, aid, "big.png", big)
    assert r.status_code == 413 and "2 Mio" in r.text
    # A body over the post's limit: read on and dropped, then refused.
    r = upload(bn, server, aid, "huge.png", png_bytes() + b"\x00" * (3 * 1024 * 1024))
    assert r.status_code == 413 and "2 Mio" in r.text
    r = bn.post(server.base_url + f"/gestion/activite/{aid}/image",
                data={"csrf": "x", "image": "y"}, allow_redirects=False)
    assert r.status_code in (400, 403)
    assert counts(sql) == before
    # A name with path characters changes nothing: the stored name is the hash.
    png = png_bytes(seed=99)
    r = upload(bn, server, aid, "../../etc/passwd.png", png)
    assert r.status_code == 303
    image = sql(f"SELECT image FROM activity WHERE id = {aid}")[0][0]
    assert "passwd" not in image and re.fullmatch(r"image/[0-9a-f]{64}\.png", image)
    assert sql("SELECT COUNT(*) FROM cmcas_image WHERE name LIKE '%passwd%'")[0][0] == 0


def test_title_with_script_is_escaped_everywhere(server, bn, sql):
    title = "<script>alert('x')</script> & Cie"
    aid = created_id(create(bn, server, title=title))
    assert sql(f"SELECT title FROM activity WHERE id = {aid}")[0][0] == title
    for path in ("/gestion/", f"/gestion/activite/{aid}"):
        html = bn.get(server.base_url + path).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
    assert publish(bn, server, aid).status_code == 303
    m = Member(server)
    try:
        for path in ("/?theme=CULTURE", f"/activite/{aid}"):
            html = m.get(path, accept="text/html").text
            assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    finally:
        m.close()
    r = bn.get(server.base_url + "/gestion/journal")
    assert "<script>alert" not in r.text
