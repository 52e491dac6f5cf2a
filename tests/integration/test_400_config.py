"""Configuration errors fail `apache2 -t`, with a message naming the directive
(DESIGN.md §2), and a correct configuration passes with "Syntax OK"."""

import os
import shutil

import pytest

from cmcas_httpd import (BASE_MODULES, BN_BLOCK, GEN_DIR, XSLT_DIR, CmcasHttpd,
                         cmcas_block)

NAME = "test_400_config"


def config_test(case, **kwargs):
    srv = CmcasHttpd(f"{NAME}/{case}", load_demo=False, **kwargs)
    return srv.config_test()


def template_copy(case, change=None):
    """A copy of xslt/ under tests/gen/, changed by change(dir)."""
    d = os.path.join(GEN_DIR, NAME, f"tpl-{case}")
    if os.path.isdir(d):
        shutil.rmtree(d)
    shutil.copytree(XSLT_DIR, d)
    if change:
        change(d)
    return d


def edit(path, old, new):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert old in text, f"{old!r} not in {path}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))


def modules_without(*names):
    srv = CmcasHttpd(f"{NAME}/modules", load_demo=False)
    return srv.load_module_lines([m for m in BASE_MODULES if m not in names])


def in_vhost(text):
    return f"<VirtualHost *>\n    ServerName other.test\n{text}</VirtualHost>\n"


ONE = ("DBDMin 1", "DBDKeep 1", "DBDMax 1")      # one connection per child


def dbd(driver="sqlite3", *lines):
    """A `dbd` section (never connected to by `apache2 -t`)."""
    params = unused_sqlite() if driver == "sqlite3" else '"dbname=cmcas"'
    return {"sections": {"dbd": "\n".join([f"DBDriver {driver}", f"DBDParams {params}",
                                           *lines])}}


def unused_sqlite():
    """An existing (empty) SQLite file the server's user may write: -t refuses others."""
    path = os.path.join(GEN_DIR, NAME, "unused.sqlite")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "a").close()
    CmcasHttpd.give_to_run_user(os.path.dirname(path))
    return path


def bad_code_block(code):
    return BN_BLOCK.replace("<CMCAS BN>", f"<CMCAS {code}>")


def broken_xpath(d):
    edit(os.path.join(d, "catalogue.xsl"), '<xsl:value-of select="$cat/@total"/>',
         '<xsl:value-of select="$cat/@total["/>')


def unknown_xsl_element(d):
    edit(os.path.join(d, "activite.xsl"), '<xsl:apply-templates select="$a"/>',
         '<xsl:apply-templatez select="$a"/>')


def not_well_formed(d):
    edit(os.path.join(d, "erreur.xsl"), "</xsl:stylesheet>", "</xsl:stylesheet")


def missing_page(d):
    os.unlink(os.path.join(d, "compte.xsl"))


def broken_layout(d):
    edit(os.path.join(d, "layout.xsl"), '<xsl:template name="layout">',
         '<xsl:template name="layout" match="[">')


def legal_file(case, data):
    """A CMCASTermsFile / CMCASCGVFile of `data` (bytes) for a case; its path."""
    d = os.path.join(GEN_DIR, NAME, "legal")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, case + ".txt")
    with open(path, "wb") as f:
        f.write(data)
    return path


def bn_with(*lines):
    """The <CMCAS BN> block with more directives."""
    return {"sections": {"cmcas": BN_BLOCK.replace(
        "</CMCAS>", "".join(f"    {l}\n" for l in lines) + "</CMCAS>")}}


# (case id, CmcasHttpd keyword arguments (or a function making them), the directive the
# message must name, a fragment of the message)
BAD = [
    ("portal-never-declared", {"sections": {"portal": "CMCASPortal XX"}},
     "CMCASPortal", "no <CMCAS XX> block declares this CMCAS"),
    ("portal-in-vhost-never-declared",
     {"sections": {"portal": ""}, "extra": in_vhost("    CMCASPortal TOURAINE\n")},
     "CMCASPortal", "no <CMCAS TOURAINE> block"),
    ("portal-code-with-a-typo",
     {"sections": {"cmcas": BN_BLOCK + cmcas_block("TOURAINE", "T"),
                   "portal": "CMCASPortal TOURAIN"}},
     "CMCASPortal", "TOURAIN"),
    ("portal-bad-code", {"sections": {"portal": "CMCASPortal bn"}},
     "CMCASPortal", "'bn' is not a CMCAS code"),
    ("template-dir-missing", {"sections": {"templates": "CMCASTemplateDir /nonexistent/xslt"}},
     "CMCASTemplateDir", "is not a directory"),
    ("template-dir-is-a-file", {"sections": {"templates": "CMCASTemplateDir /etc/hostname"}},
     "CMCASTemplateDir", "is not a directory"),
    ("template-does-not-compile", lambda: {"sections": {
        "templates": "CMCASTemplateDir " + template_copy("xpath", broken_xpath)}},
     "CMCASTemplateDir", "catalogue.xsl does not compile"),
    pytest.param(
        "template-unknown-xsl-element", lambda: {"sections": {
            "templates": "CMCASTemplateDir " + template_copy("element", unknown_xsl_element)}},
        "CMCASTemplateDir", "activite.xsl",
        id="template-unknown-xsl-element"),
    ("template-not-well-formed", lambda: {"sections": {
        "templates": "CMCASTemplateDir " + template_copy("wf", not_well_formed)}},
     "CMCASTemplateDir", "erreur.xsl is not well-formed XML"),
    ("template-missing-page", lambda: {"sections": {
        "templates": "CMCASTemplateDir " + template_copy("missing", missing_page)}},
     "CMCASTemplateDir", "compte.xsl cannot be read"),
    ("template-broken-layout", lambda: {"sections": {
        "templates": "CMCASTemplateDir " + template_copy("layout", broken_layout)}},
     "CMCASTemplateDir", "does not compile"),
    ("name-outside-block", {"sections": {"cmcas": BN_BLOCK + 'CMCASName "Autre"\n'}},
     "CMCASName", "only valid inside a <CMCAS code> block"),
    ("phone-outside-block", {"extra": 'CMCASPhone "01 02 03 04 05"'},
     "CMCASPhone", "only valid inside a <CMCAS code> block"),
    ("email-outside-block", {"extra": "CMCASEmail a@b.example"},
     "CMCASEmail", "only valid inside a <CMCAS code> block"),
    ("address-outside-block", {"extra": "CMCASAddress rue 18000 Bourges"},
     "CMCASAddress", "only valid inside a <CMCAS code> block"),
    ("block-without-name",
     {"sections": {"cmcas": "<CMCAS BN>\n    CMCASPhone \"02 48 00 00 00\"\n</CMCAS>\n"}},
     "<CMCAS BN>", "needs a CMCASName"),
    ("bad-code-punctuation", {"sections": {"cmcas": bad_code_block("bn!")}},
     "<CMCAS bn!>", "the code must be 1 to 16 upper-case letters"),
    ("bad-code-lower-case", {"sections": {"cmcas": bad_code_block("bn"),
                                          "portal": ""}},
     "<CMCAS bn>", "the code must be"),
    ("bad-code-too-long", {"sections": {"cmcas": bad_code_block("A" * 17), "portal": ""}},
     "<CMCAS AAAAAAAAAAAAAAAAA>", "the code must be"),
    ("bad-code-empty", {"sections": {"cmcas": "<CMCAS>\n    CMCASName x\n</CMCAS>\n",
                                     "portal": ""}},
     "<CMCAS", "the code must be"),
    ("declared-twice", {"sections": {"cmcas": BN_BLOCK + BN_BLOCK}},
     "<CMCAS BN>", "already declared"),
    ("block-in-location",
     {"extra": "<Location /x>\n" + cmcas_block("TOURAINE", "T") + "</Location>\n"},
     "<CMCAS", "not allowed in <Location> context"),
    ("block-not-closed", {"sections": {"cmcas": BN_BLOCK.replace("</CMCAS>", "")}},
     "<CMCAS>", "was not closed"),
    ("portal-without-mod-dbd",
     lambda: {"sections": {"modules": modules_without("dbd", "authn_dbd"), "dbd": ""},
              "auth_providers": "file"},
     "CMCASPortal", "needs mod_dbd"),
    ("page-cache-61", {"sections": {"cache": "CMCASPageCache 61"}},
     "CMCASPageCache", "'61' is not a number of seconds (or Off) from 0 to 60"),
    ("page-cache-word", {"sections": {"cache": "CMCASPageCache yes"}},
     "CMCASPageCache", "'yes' is not a number"),
    ("page-cache-twice", {"sections": {"cache": "CMCASPageCache 1\nCMCASPageCache Off"}},
     "CMCASPageCache", "given twice"),
    ("page-cache-in-vhost", {"extra": in_vhost("    CMCASPageCache 2\n")},
     "CMCASPageCache", "cannot occur within"),
    ("page-size-zero", {"extra": "CMCASPageSize 0"},
     "CMCASPageSize", "'0' is not a number from 1 to 100"),
    ("page-size-abc", {"extra": "CMCASPageSize abc"},
     "CMCASPageSize", "'abc' is not a number"),
    ("page-size-101", {"extra": "CMCASPageSize 101"},
     "CMCASPageSize", "is not a number from 1 to 100"),
    ("page-size-12x", {"extra": "CMCASPageSize 12x"},
     "CMCASPageSize", "is not a number"),
    ("page-size-in-location", {"extra": "<Location /x>\n    CMCASPageSize 5\n</Location>"},
     "CMCASPageSize", "not allowed in <Location>"),
    ("new-days-zero", {"extra": "CMCASNewDays 0"},
     "CMCASNewDays", "is not a number from 1 to 365"),
    ("new-days-366", {"extra": "CMCASNewDays 366"},
     "CMCASNewDays", "is not a number from 1 to 365"),
    ("email-without-at",
     {"sections": {"cmcas": BN_BLOCK.replace("contact@cmcas-bn.example",
                                             "contact.cmcas-bn.example")}},
     "CMCASEmail", "is not an e-mail address"),
    ("name-twice",
     {"sections": {"cmcas": BN_BLOCK.replace("</CMCAS>", 'CMCASName "Bis"\n</CMCAS>')}},
     "CMCASName", "given twice"),
    ("address-two-arguments",
     {"sections": {"cmcas": cmcas_block("BN", "CMCAS Berry-Nivernais")
                   .replace("</CMCAS>", 'CMCASAddress "3 rue Marcel Paul" 18022\n</CMCAS>')}},
     "CMCASAddress", "takes three arguments"),
    ("template-dir-in-vhost",
     {"extra": in_vhost(f"    CMCASTemplateDir {XSLT_DIR}\n")},
     "CMCASTemplateDir", "cannot occur within <VirtualHost> section"),
    # mod_dbd's settings the module cannot work with (CMCAS94, docs/operations.md)
    ("sqlite-pool", dbd("sqlite3", "DBDMin 1", "DBDKeep 4", "DBDMax 4"),
     "DBDMax 4", "each child must have one connection"),
    ("sqlite-default-pool", dbd("sqlite3"), "DBDMax (10)", "each child must have one"),
    ("sqlite-pool-in-vhost",
     {"extra": in_vhost("    DBDriver sqlite3\n    DBDParams /tmp/x.sqlite\n"
                        "    DBDMax 2\n")},
     "DBDMax 2", "each child must have one connection"),
    ("sqlite-foreign-keys",
     dbd("sqlite3", *ONE, 'DBDInitSQL "PRAGMA foreign_keys = ON"'),
     "DBDInitSQL", "prepares them again"),
    ("sqlite-journal-mode",
     dbd("sqlite3", *ONE, 'DBDInitSQL "PRAGMA journal_mode = WAL"',
         'DBDInitSQL "PRAGMA busy_timeout = 5000"'),
     "DBDInitSQL", "set once on the database file"),
    ("sqlite-busy-timeout-first",
     dbd("sqlite3", *ONE, 'DBDInitSQL "PRAGMA busy_timeout = 5000"',
         'DBDInitSQL "PRAGMA synchronous = FULL"'),
     "DBDInitSQL", "must be the last"),
    ("pool-sizes-out-of-order", dbd("pgsql", "DBDMax 1"),
     "DBDMin 1, DBDKeep 2, DBDMax 1", "opens no connection at all"),
    ("pgsql-with-a-pragma",
     dbd("pgsql", "DBDMax 4", 'DBDInitSQL "PRAGMA busy_timeout = 5000"'),
     "DBDInitSQL", "is SQLite's"),
    # The texts of « Conditions d'utilisation » and the CGV, read at start-up
    ("terms-file-missing", bn_with("CMCASTermsFile /nonexistent/conditions.txt"),
     "CMCASTermsFile", "cannot read /nonexistent/conditions.txt"),
    ("cgv-file-missing", bn_with("CMCASCGVFile /nonexistent/cgv.txt"),
     "CMCASCGVFile", "cannot read /nonexistent/cgv.txt"),
    ("cgv-file-is-a-directory", bn_with("CMCASCGVFile /etc"), "CMCASCGVFile",
     "cannot read /etc"),
    ("terms-file-empty", lambda: bn_with("CMCASTermsFile " + legal_file("empty", b"\n \n")),
     "CMCASTermsFile", "is empty"),
    ("cgv-file-not-utf8", lambda: bn_with("CMCASCGVFile "
                                          + legal_file("latin1", "Clôture".encode("latin-1"))),
     "CMCASCGVFile", "is not UTF-8 text"),
    ("terms-file-outside-cmcas", {"sections": {"templates": "CMCASTermsFile /etc/hostname"}},
     "CMCASTermsFile", "<CMCAS"),
]


@pytest.mark.parametrize("case, kwargs, directive, fragment",
                         [b if hasattr(b, "marks") else pytest.param(*b, id=b[0])
                          for b in BAD])
def test_bad_configuration_fails_naming_the_directive(case, kwargs, directive, fragment):
    rc, out = config_test(case, **(kwargs() if callable(kwargs) else kwargs))
    assert rc != 0, out
    assert "Syntax OK" not in out
    assert directive in out, out
    assert fragment in out, out


GOOD = [
    ("demo", {}),
    ("portal-declared-further-down",
     {"sections": {"cmcas": "", "portal": "CMCASPortal BN\n" + BN_BLOCK}}),
    ("several-cmcas-and-vhosts",
     {"sections": {"cmcas": BN_BLOCK + cmcas_block("TOURAINE", "CMCAS Touraine",
                                                   "3 place Plumereau", "37000", "Tours",
                                                   "02 47 00 00 00", "c@touraine.example")},
      "extra": in_vhost("    CMCASPortal TOURAINE\n")}),
    ("name-only", {"sections": {"cmcas": cmcas_block("BN", "CMCAS Berry-Nivernais")}}),
    ("portal-in-location", {"sections": {"portal": ""},
                            "extra": "<Location />\n    CMCASPortal BN\n</Location>"}),
    ("limits", {"extra": "CMCASPageSize 100\nCMCASNewDays 365"}),
    ("limits-low", {"extra": "CMCASPageSize 1\nCMCASNewDays 1"}),
    ("code-characters", {"sections": {"cmcas": BN_BLOCK + bad_code_block("A-1_Z")}}),
    ("dbd-loaded-after-cmcas",
     lambda: {"sections": {"modules": modules_without("dbd") + "\nLoadModule dbd_module "
                           + CmcasHttpd(f"{NAME}/x", load_demo=False)
                           .install.module_path("dbd")}}),
    ("loaded-without-portal",
     {"sections": {"portal": "", "templates": ""}}),
    ("pgsql-pool", dbd("pgsql", "DBDMin 1", "DBDKeep 4", "DBDMax 8")),
    ("sqlite-one-connection",
     dbd("sqlite3", "DBDMin 1", "DBDKeep 1", "DBDMax 1",
         'DBDInitSQL "PRAGMA synchronous = FULL"', 'DBDInitSQL "PRAGMA busy_timeout = 5000"')),
    ("relative-template-dir", lambda: {"sections": {
        "templates": "CMCASTemplateDir "
        + os.path.relpath(template_copy("relative"),
                          os.path.join(GEN_DIR, NAME, "relative-template-dir"))}}),
]


@pytest.mark.parametrize("case, kwargs", GOOD, ids=[g[0] for g in GOOD])
def test_good_configuration_passes(case, kwargs):
    rc, out = config_test(case, **(kwargs() if callable(kwargs) else kwargs))
    assert rc == 0, out
    assert "Syntax OK" in out


# ----------------------------------------------------------------------------------
# Stylesheets that compile but fail at run time, or try to read files: 503, never 500.


def failing_catalogue(d):
    edit(os.path.join(d, "catalogue.xsl"), '<h1 class="visually-hidden">',
         '<xsl:message terminate="yes">arrêt</xsl:message><h1 class="visually-hidden">')


def reading_activite(d):
    edit(os.path.join(d, "activite.xsl"), '<xsl:apply-templates select="$a"/>',
         "<pre><xsl:value-of select=\"document('/etc/passwd')\"/></pre>"
         '<xsl:apply-templates select="$a"/>')


@pytest.fixture(scope="module")
def runtime_failures(make_server):
    d = template_copy("runtime", lambda d: (failing_catalogue(d), reading_activite(d)))
    return make_server("runtime", sections={"templates": f"CMCASTemplateDir {d}"})


def test_stylesheet_failing_at_run_time_is_service_unavailable(runtime_failures,
                                                               expect_log):
    expect_log(r"\[cmcas:error\].*CMCAS15: cannot render /")
    r = runtime_failures.raw("GET", "/")
    assert r.status == 503
    assert r.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "Service indisponible" in r.text
    # the data document does not depend on the stylesheets
    r = runtime_failures.raw("GET", "/", headers={"Accept": "application/xml"})
    assert r.status == 200


def test_stylesheet_cannot_read_files(runtime_failures, expect_log):
    expect_log(r"\[cmcas:error\].*CMCAS15: cannot render /activite/1")
    r = runtime_failures.raw("GET", "/activite/1")
    assert r.status == 503
    assert "root:" not in r.text


def test_other_pages_still_render(runtime_failures):
    assert runtime_failures.raw("GET", "/mon-compte").status == 200
