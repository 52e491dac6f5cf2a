#!/usr/bin/python3
"""A generated database for the benchmark: the schema (sql/sqlite/NNN_*.sql, in order),
the demo data (sql/demo/demo.sql: its 3 CMCAS, 51 activities, 4 households, so that the
demo's logins and pages exist at every size), then generated activities, options,
households, persons and registrations up to the requested totals.

Deterministic: the same seed gives the same rows (dates are offsets from today, UTC, as
the demo's are). Every generated household's password is `demo2026`, with one bcrypt
hash of cost 4 made once (logging thousands of households in at the demo's cost 10 would
take minutes of bcrypt; a login is checked once per session, not per request). The demo's
own households keep their cost-10 hashes: the benchmark browses as gael.classen, so a
password check on every request would show.

One activity is the « rush »: the last id, of CMCAS BN, « paiement immédiat », open, one
option, no age limit, places for every household: the benchmark's validations all go to
it. Registrations of generated households: about half have one or two validated ones
(their ouvrant droit and up to two more persons, places taken accordingly, one event
each); gael.classen has five (three validated, one draft, one cancelled).

    /usr/bin/python3 tests/bench/gen_data.py OUT.sqlite [--activities 10000]
        [--households 5000] [--seed 2026]
"""

import argparse
import datetime
import os
import random
import re
import sqlite3
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA_DIR = os.path.join(REPO, "sql", "sqlite")
DEMO_SQL = os.path.join(REPO, "sql", "demo", "demo.sql")

# htpasswd -nbB -C 4 x demo2026 (made once; any bcrypt hash of demo2026 works).
GENERATED_HASH = "$2y$04$oy6rPVRialuDKW74rNF30udgTqMkyg0..pakDC25h91vXDBH9SFmW"
LOGIN_PREFIX = "bench."
CMCAS = [("BN", 0.4), ("TOURAINE", 0.3), ("LIMOUSIN", 0.3)]

THEMES = {
    "CULTURE": (["Visite du musée de", "Concert classique à", "Soirée théâtre à",
                 "Exposition de peinture à", "Opéra et dîner à", "Cinéma en plein air à",
                 "Festival de jazz de", "Visite guidée du château de"], "theme-culture.svg"),
    "FORMATION": (["Initiation à l'informatique à", "Atelier photo à",
                   "Formation premiers secours à", "Cours d'anglais à",
                   "Atelier budget familial à", "Stage de cuisine à"], "theme-formation.svg"),
    "LOISIR": (["Atelier poterie à", "Journée pêche à", "Sortie au parc de",
                "Bal populaire de", "Concours de pétanque de", "Atelier gourmand de",
                "Jeux de société à"], "theme-loisir.svg"),
    "SANTE-PREVOYANCE": (["Atelier sommeil à", "Marche nordique santé à",
                          "Dépistage et prévention à", "Yoga doux à",
                          "Conférence nutrition à"], "theme-sante.svg"),
    "SPORT": (["Randonnée pédestre autour de", "Randonnée en raquettes à",
               "Tournoi de tennis de", "Sortie vélo à", "Canoë sur la rivière à",
               "Escalade à", "Course solidaire de", "Ski de fond à"], "theme-sport.svg"),
    "VIE-ORGANISME": (["Assemblée des bénéficiaires de", "Réunion de SLVie à",
                       "Forum des activités de", "Accueil des nouveaux agents à"],
                      "theme-vie-organisme.svg"),
    "VOYAGE-SEJOUR": (["Séjour découverte à", "Week-end en famille à",
                       "Séjour thermal à", "Croisière au départ de",
                       "Séjour montagne à", "Circuit culturel à"], "theme-voyage.svg"),
}
CITIES = ["Bourges", "Nevers", "Vierzon", "Châteauroux", "Tours", "Blois", "Amboise",
          "Chinon", "Loches", "Limoges", "Guéret", "Tulle", "Brive-la-Gaillarde",
          "Aubusson", "Sancerre", "Saint-Amand-Montrond", "Issoudun", "Cosne-Cours-sur-Loire",
          "Clamecy", "Vichy", "Évaux-les-Bains", "Argenton-sur-Creuse", "Orléans",
          "Saumur", "Uzerche", "Montluçon", "Decize", "Château-Chinon", "Sarlat-la-Canéda",
          "Collonges-la-Rouge"]
VENUES = ["Salle des fêtes", "Centre de vacances", "Maison de la culture", "Gymnase",
          "Base de loisirs", "Espace CMCAS", "Office de tourisme", "Parc municipal"]
SENTENCES = [
    "Départ en car depuis le parking de la CMCAS, retour prévu en fin de journée.",
    "Le déjeuner est compris ; signalez toute allergie dans vos observations.",
    "Activité accessible aux enfants accompagnés d'un adulte.",
    "Un encadrant diplômé accompagne le groupe pendant toute la durée de l'activité.",
    "Prévoir des chaussures confortables et une tenue adaptée à la météo.",
    "Les places sont attribuées dans l'ordre des inscriptions validées.",
    "Le transport et les entrées sont pris en charge par la CMCAS.",
    "Une réunion d'information aura lieu une semaine avant le départ.",
    "Le matériel est fourni sur place ; vous pouvez aussi apporter le vôtre.",
    "Hébergement en chambres doubles, pension complète du dîner du premier jour au "
    "petit-déjeuner du dernier.",
    "Rendez-vous à 9h00 devant l'entrée principale.",
    "En cas d'annulation par la CMCAS, les sommes versées sont intégralement remboursées.",
]
OPTION_LABELS = ["Participation adulte", "Participation enfant", "Repas du midi",
                 "Transport en car", "Hébergement (par nuit)", "Location de matériel",
                 "Entrée et visite guidée", "Supplément chambre individuelle",
                 "Forfait journée", "Goûter et animation"]
LAST_NAMES = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND",
              "DUBOIS", "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY",
              "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET",
              "DUPUIS", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "FAURE",
              "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER", "CHEVALIER"]
FIRST_NAMES = ["Jean", "Marie", "Pierre", "Nathalie", "Michel", "Isabelle", "Philippe",
               "Sylvie", "Alain", "Catherine", "Éric", "Sandrine", "Nicolas", "Céline",
               "Julien", "Émilie", "Thomas", "Camille", "Lucas", "Léa", "Hugo", "Chloé",
               "Louis", "Manon", "Gabriel", "Inès", "Jules", "Zoé", "Noé", "Anaïs"]


def schema_files():
    """The schema and its migrations, in version order (sql/sqlite/NNN_*.sql)."""
    return sorted(os.path.join(SCHEMA_DIR, f) for f in os.listdir(SCHEMA_DIR)
                  if re.match(r"\d{3}_.*\.sql$", f))


def pick(rng, weighted):
    x = rng.random()
    for value, w in weighted:
        x -= w
        if x < 0:
            return value
    return weighted[-1][0]


def iso(d):
    return d.isoformat()


def stamp(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(path, activities=10000, households=5000, seed=2026, today=None):
    """Writes the database at `path` (replaced); returns what the benchmark needs to know
    about it (a dict)."""
    rng = random.Random(seed)
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    # registration times: hours before today's midnight (UTC), so that a day's databases
    # are identical
    midnight = datetime.datetime.combine(today, datetime.time(0))
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    for f in schema_files():
        with open(f, encoding="utf-8") as fh:
            db.executescript(fh.read())
    with open(DEMO_SQL, encoding="utf-8") as fh:
        db.executescript(fh.read())

    first_act = db.execute("SELECT MAX(id) FROM activity").fetchone()[0] + 1
    first_opt = db.execute("SELECT MAX(id) FROM activity_option").fetchone()[0] + 1
    first_hh = db.execute("SELECT MAX(id) FROM household").fetchone()[0] + 1
    first_person = db.execute("SELECT MAX(id) FROM person").fetchone()[0] + 1
    if activities < first_act or households < first_hh:
        raise ValueError(f"at least {first_act} activities and {first_hh} households "
                         "(the demo data's count, plus one)")

    # -- activities and options
    act_rows, opt_rows = [], []
    registrable = {code: [] for code, _ in CMCAS}   # open, immediat, no age limit
    capacity, option_of = {}, {}
    opt_id = first_opt
    rush = activities
    for aid in range(first_act, activities + 1):
        if aid == rush:
            code, theme = "BN", "SPORT"
            title = "Week-end ski à Super-Besse (ouverture des inscriptions)"
            description = ("Le week-end le plus demandé de l'année : forfaits, location "
                           "du matériel et hébergement compris.\n\n"
                           + SENTENCES[10])
            start = today + datetime.timedelta(days=60)
            end, closing = start + datetime.timedelta(days=2), today + datetime.timedelta(days=30)
            cap, published, others, mode = 10 * households, today - datetime.timedelta(days=1), 0, "immediat"
            n_opts, guests, max_guests, ages = 1, 1, None, (None, None)
            city = "Besse-et-Saint-Anastaise"
            image = "/static/img/theme-sport.svg"
        else:
            code = pick(rng, CMCAS)
            theme = rng.choice(sorted(THEMES))
            words, svg = THEMES[theme]
            city = rng.choice(CITIES)
            title = f"{rng.choice(words)} {city}"
            if rng.random() < 0.5:
                title += f" ({rng.choice(['printemps', 'été', 'automne', 'hiver'])} " \
                         f"{today.year + rng.randint(0, 1)})"
            description = "\n\n".join(" ".join(rng.sample(SENTENCES, rng.randint(2, 4)))
                                      for _ in range(rng.randint(1, 3)))
            image = None if rng.random() < 0.1 else f"/static/img/{svg}"
            kind = rng.random()
            if kind < 0.04:          # finished
                start = today - datetime.timedelta(days=rng.randint(10, 90))
            else:
                start = today + datetime.timedelta(days=rng.randint(1, 365))
            end = start + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 4, 6, 11]))
            if 0.04 <= kind < 0.14:  # registrations closed, not started
                closing = today - datetime.timedelta(days=rng.randint(1, 10))
                start = max(start, today + datetime.timedelta(days=1))
                end = max(end, start)
            else:
                closing = min(start, today + datetime.timedelta(days=rng.randint(3, 90)))
                if closing < today:
                    closing = start
            pub = rng.random()
            if pub < 0.02:
                published = None
            elif pub < 0.04:
                published = today + datetime.timedelta(days=rng.randint(1, 20))
            else:
                published = today - datetime.timedelta(days=rng.randint(0, 120))
            cap = rng.choice([8, 10, 12, 15, 20, 25, 30, 40, 50, 80, 120, 200])
            others = 1 if rng.random() < 0.25 else 0
            mode = "immediat" if rng.random() < 0.75 else "tour_de_role"
            n_opts = rng.choice([0, 1, 1, 1, 1, 2, 2, 3])
            guests = 0 if rng.random() < 0.1 else 1
            max_guests = rng.choice([None, None, None, 1, 2]) if guests else None
            ages = (None, None)
            if rng.random() < 0.05:
                ages = rng.choice([(6, 12), (12, None), (18, None), (None, 11)])
        place = f"{rng.choice(VENUES)}, {city}"
        act_rows.append((aid, code, theme, title, description, image, place, iso(start),
                         iso(end), iso(closing), cap, 0,
                         iso(published) if published else None, others, mode, guests,
                         max_guests, ages[0], ages[1]))
        first = None
        for pos in range(1, n_opts + 1):
            price = rng.choice([0, 500, 1000, 1500, 2500, 4000, 6000, 12000, 35000])
            part = min(price, rng.choice([0, 500, 1000, 2000, 5000])) if price else \
                rng.choice([0, 500, 1000])
            guest = price + part
            label = "Forfait week-end (ski, matériel, hébergement)" if aid == rush \
                else OPTION_LABELS[(aid + pos) % len(OPTION_LABELS)]
            if aid == rush:
                price, part, guest = 12000, 3000, 15000
            opt_rows.append((opt_id, aid, pos, label, price, part, guest, 0))
            first = first or opt_id
            opt_id += 1
        option_of[aid] = first
        capacity[aid] = cap
        if (aid != rush and first and mode == "immediat" and ages == (None, None)
                and published and published <= today and closing >= today
                and start > today):
            registrable[code].append(aid)

    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO activity (id, cmcas_code, theme, title, description, image, place,"
        " start_date, end_date, closing_date, capacity, places_taken, published_at,"
        " open_to_others, mode, guests_allowed, max_guests, min_age, max_age)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", act_rows)
    db.executemany(
        "INSERT INTO activity_option (id, activity_id, position, label, price_beneficiary,"
        " participation_beneficiary, price_guest, participation_guest)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", opt_rows)

    # -- households and persons
    hh_rows, person_rows = [], []
    members = {}                     # household id -> [(person id, first, last)]
    cmcas_of = {}
    pid = first_person
    for hid in range(first_hh, households + 1):
        code = pick(rng, CMCAS)
        last = rng.choice(LAST_NAMES)
        first = rng.choice(FIRST_NAMES)
        login = f"{LOGIN_PREFIX}{hid:05d}"
        city = rng.choice(CITIES)
        hh_rows.append((hid, code, login, GENERATED_HASH, f"{login}@example.org",
                        f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                        f"{rng.randint(1, 120)} rue {rng.choice(['Victor Hugo', 'Jean Jaurès', 'de la Gare', 'des Écoles', 'Pasteur'])}",
                        f"{rng.randint(18, 87):02d}{rng.randint(0, 999):03d}", city,
                        midnight.strftime("%Y-%m-%d %H:%M:%S")))
        cmcas_of[hid] = code
        people = []
        for k in range(rng.choice([1, 1, 2, 2, 3, 4, 5])):
            role = "OD" if k == 0 else "AD"
            year = rng.randint(1955, 2000) if k < 2 else rng.randint(2005, 2022)
            birth = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            fname = first if k == 0 else rng.choice(FIRST_NAMES)
            lname = last if k == 0 or rng.random() < 0.8 else rng.choice(LAST_NAMES)
            person_rows.append((pid, hid, role, lname, fname, iso(birth)))
            people.append((pid, fname, lname))
            pid += 1
        members[hid] = people
    db.executemany("INSERT INTO household (id, cmcas_code, login, password, email, phone,"
                   " street, postcode, city, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", hh_rows)
    db.executemany("INSERT INTO person (id, household_id, role, last_name, first_name,"
                   " birth_date) VALUES (?, ?, ?, ?, ?, ?)", person_rows)

    # -- registrations (validated ones take their places)
    taken = {}
    reg_rows, rp_rows, ro_rows, ev_rows = [], [], [], []
    reg_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM registration").fetchone()[0] + 1)
    rp_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM registration_person")
             .fetchone()[0] + 1)
    ev_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM registration_event")
             .fetchone()[0] + 1)

    def register(hid, login, people, aid, status):
        nonlocal reg_id, rp_id, ev_id
        when = midnight - datetime.timedelta(hours=rng.randint(1, 96))
        n = len(people) if status == "validee" else 0
        reg_rows.append((reg_id, aid, hid, status, n, stamp(when), stamp(when)))
        for person, fname, lname in people:
            rp_rows.append((rp_id, reg_id, person, 1 if status == "validee" else 0))
            ro_rows.append((rp_id, option_of[aid]))
            ev_rows.append((ev_id, reg_id, stamp(when), login, "brouillon",
                            f"Ajout de {fname} {lname}"))
            rp_id += 1
            ev_id += 1
        if status != "brouillon":
            text = (f"Inscription validée ({len(people)} personne"
                    f"{'s' if len(people) > 1 else ''})") if status == "validee" \
                else "Inscription annulée"
            ev_rows.append((ev_id, reg_id, stamp(when), login, status, text))
            ev_id += 1
        taken[aid] = taken.get(aid, 0) + n
        reg_id += 1

    def room(aid, n):
        return taken.get(aid, 0) + n <= capacity[aid]

    # gael.classen (household 1, BN): three validated, one draft, one cancelled
    gael = [(1, "Gael", "CLASSEN"), (2, "Aaron", "CLASSEN")]
    chosen = [a for a in registrable["BN"] if capacity[a] >= 10][:5]
    for aid, status, who in zip(chosen, ["validee", "validee", "validee", "brouillon",
                                         "annulee"],
                                [gael, gael[:1], gael, gael[:1], gael[:1]]):
        register(1, "gael.classen", who, aid, status)
    for hid in range(first_hh, households + 1):
        pool = registrable[cmcas_of[hid]]
        if not pool:
            continue
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            aid = rng.choice(pool)
            if any(r[1] == aid and r[2] == hid for r in reg_rows[-2:]):
                continue
            people = members[hid][:rng.randint(1, min(3, len(members[hid])))]
            if room(aid, len(people)):
                register(hid, f"{LOGIN_PREFIX}{hid:05d}", people, aid, "validee")
    db.executemany("INSERT INTO registration (id, activity_id, household_id, status,"
                   " places_held, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   reg_rows)
    db.executemany("INSERT INTO registration_person (id, registration_id, person_id,"
                   " confirmed) VALUES (?, ?, ?, ?)", rp_rows)
    db.executemany("INSERT INTO registration_option (registration_person_id, option_id)"
                   " VALUES (?, ?)", ro_rows)
    db.executemany("INSERT INTO registration_event (id, registration_id, at, actor, status,"
                   " event) VALUES (?, ?, ?, ?, ?, ?)", ev_rows)
    db.executemany("UPDATE activity SET places_taken = ? WHERE id = ?",
                   [(n, aid) for aid, n in taken.items() if n])
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    info = {
        "activities": db.execute("SELECT COUNT(*) FROM activity").fetchone()[0],
        "options": db.execute("SELECT COUNT(*) FROM activity_option").fetchone()[0],
        "households": db.execute("SELECT COUNT(*) FROM household").fetchone()[0],
        "persons": db.execute("SELECT COUNT(*) FROM person").fetchone()[0],
        "registrations": db.execute("SELECT COUNT(*) FROM registration").fetchone()[0],
        "cmcas": [r[0] for r in db.execute("SELECT code FROM cmcas ORDER BY code")],
        "rush_activity": rush,
        "rush_option": option_of[rush],
        "seed": seed,
    }
    db.close()
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--activities", type=int, default=10000)
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)
    info = generate(args.out, args.activities, args.households, args.seed)
    print(info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
