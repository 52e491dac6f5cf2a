"""`apache2 -t` catches the mistakes a hosting provider makes (issue 14): a DBDParams
naming no SQLite file, CMCASPortal or CMCASGateway given twice, the other gateway's
directives, card settings while members pay at the desk, key files other users may read
or write, CMCASInstalments 1, an unknown gateway, a CMCAS used but not declared, one
CMCAS served from two databases or from another virtual host's block, a missing mod_dbd,
a mail command the server's user cannot run or whose folder it cannot write. Each
message names the directive, the file and the line; the right configuration passes.
Nothing here starts a server: engine-independent (the database is never opened)."""

import os
import shutil

import pytest

from cmcas_httpd import (BASE_MODULES, BN, GEN_DIR, REPO, RUN_GROUP, RUN_USER, CmcasHttpd,
                         cmcas_block, running_as_root)

NAME = "test_1530_config_checks"
FILES = os.path.join(GEN_DIR, NAME, "files")
HEX_KEY = "0123456789ABCDEF" * 8
PUBKEY = os.path.join(REPO, "conf", "paybox-pubkey.pem")
PAYBOX_URL = "https://preprod-tpeweb.paybox.com/cgi/MYchoix_pagepaiement.cgi"
SYSTEMPAY_URL = "https://paiement.systempay.fr/vads-payment/"
CAPTURE = os.path.join(REPO, "scripts", "cmcas-mail-to-folder")
BN_PLAIN = cmcas_block(**BN)


def a_file(name, text="", mode=0o600, run_user=False):
    """A file under tests/gen/ with this mode (the server's user's when `run_user`)."""
    os.makedirs(FILES, exist_ok=True)
    path = os.path.join(FILES, name)
    if os.path.isdir(path):
        shutil.rmtree(path)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    if run_user and running_as_root():
        shutil.chown(path, RUN_USER, RUN_GROUP)
    return path


def a_dir(name, run_user):
    path = os.path.join(FILES, name)
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o755)
    if run_user:
        CmcasHttpd.give_to_run_user(path)
    else:
        os.chown(path, 0, 0)
    return path


def www_sqlite():
    """An (empty) SQLite file in a directory of the server's user: SQLite writes both."""
    path = os.path.join(a_dir("www-db", run_user=True), "ok.sqlite")
    open(path, "a").close()
    CmcasHttpd.give_to_run_user(os.path.dirname(path))
    return path


def group_dir(name):
    """A directory of root's that the server's group may write (mode 0775)."""
    path = a_dir(name, run_user=False)
    shutil.chown(path, "root", RUN_GROUP)
    os.chmod(path, 0o775)
    return path


def key(name="hmac.key", mode=0o600, text=HEX_KEY + "\n"):
    return a_file(name, text, mode)


def pubkey(name, mode):
    with open(PUBKEY) as f:
        return a_file(name, f.read(), mode)


def paybox(*more, online="On", key_line=None, pub_line=None):
    lines = [f"CMCASOnlinePayment {online}" if online else "",
             f"CMCASGateway paybox {PAYBOX_URL}",
             "CMCASPayboxAccount 1999888 32 107904482",
             key_line or f"CMCASPayboxKeyFile {key()}",
             pub_line or f"CMCASPayboxPublicKeyFile {PUBKEY}",
             "CMCASPayboxPlatform test",
             "CMCASCGV /cgv", *more]
    return [line for line in lines if line]


def systempay(*more, key_line=None):
    return ["CMCASOnlinePayment On", f"CMCASGateway systempay {SYSTEMPAY_URL}",
            "CMCASSystempayAccount 12345678 TEST",
            key_line or f"CMCASSystempayKeyFile {key('vads.key', text='1122334455667788')}",
            "CMCASCGV /cgv", *more]


def bn(lines, block=BN_PLAIN):
    return {"sections": {"cmcas": block.replace(
        "</CMCAS>", "".join(f"    {l}\n" for l in lines) + "</CMCAS>")}}


def sqlite_dbd(params):
    return {"sections": {"dbd": "\n".join([
        "DBDriver sqlite3", f"DBDParams {params}", 'DBDInitSQL "PRAGMA busy_timeout = 5000"',
        "DBDMin 1", "DBDKeep 1", "DBDMax 1"])}}


def vhost(name, *lines):
    body = "".join(f"    {l}\n" for l in lines)
    return f"<VirtualHost *>\n    ServerName {name}\n{body}</VirtualHost>\n"


PG_MAIN = {"dbd": "\n".join(['DBDriver pgsql', 'DBDParams "dbname=cmcas"', "DBDMin 1",
                              "DBDKeep 2", "DBDMax 4"]), "portal": ""}


def pg_vhost(name, dbname, *lines):
    return vhost(name, "DBDriver pgsql", f'DBDParams "dbname={dbname}"', "DBDMin 1",
                 "DBDKeep 2", "DBDMax 4", *lines)


def modules_without(*names):
    srv = CmcasHttpd(f"{NAME}/modules", load_demo=False)
    return srv.load_module_lines([m for m in BASE_MODULES if m not in names])


def mail(command):
    """CMCASMailCommand, and the CMCASPortalURL the e-mails' links need."""
    return {"extra": f'CMCASMailCommand "{command}"',
            **bn(["CMCASPortalURL https://activites.cmcas-bn.example/"])}


def script(name, mode, run_user=False):
    return a_file(name, "#!/bin/sh\nexit 0\n", mode, run_user)


def merge(*kwargs):
    out = {"sections": {}, "extra": ""}
    for k in kwargs:
        out["sections"].update(k.get("sections", {}))
        out["extra"] += k.get("extra", "")
    return out


ROOT_ONLY = pytest.mark.skipif(not running_as_root(),
                               reason="the server's user differs from ours only when "
                                      "httpd starts as root")

# (case, CmcasHttpd keyword arguments (or a function making them), the directive the
# message names, the text of the line at fault (its number must be in the message), a
# fragment of the message)
BAD = [
    # The database
    ("sqlite-missing-file",
     lambda: sqlite_dbd(os.path.join(a_dir("www-db", run_user=True), "nothing.sqlite")),
     "DBDParams", "DBDParams", "no such file"),
    ("sqlite-missing-directory", sqlite_dbd("/nonexistent/cmcas/cmcas.sqlite"),
     "DBDParams", "DBDParams", "not even its directory"),
    ("sqlite-relative", sqlite_dbd("db/cmcas.sqlite"), "DBDParams", "DBDParams",
     "is not an absolute path"),
    ("sqlite-a-directory", sqlite_dbd("/etc"), "DBDParams", "DBDParams", "is not a file"),
    pytest.param("sqlite-not-writable", lambda: sqlite_dbd(a_file("root.sqlite", "",
                                                                  0o644)),
                 "DBDParams", "DBDParams", "cannot write the SQLite database",
                 marks=ROOT_ONLY, id="sqlite-not-writable"),
    ("no-dbdriver", {"sections": {"dbd": ""}}, "CMCASPortal", "CMCASPortal BN",
     "no DBDriver for its server"),
    ("no-dbdparams", {"sections": {"dbd": "DBDriver pgsql"}}, "CMCASPortal",
     "CMCASPortal BN", "no DBDParams for its server"),
    ("no-dbdriver-in-the-portal-vhost",
     {"sections": {"dbd": "", "portal": ""}, "extra": vhost("a.test", "CMCASPortal BN")},
     "CMCASPortal", "CMCASPortal BN", "no DBDriver"),
    # Given twice in one scope
    ("portal-twice", {"sections": {"portal": "CMCASPortal BN\nCMCASPortal BN"}},
     "CMCASPortal", "CMCASPortal BN", "already the portal of CMCAS BN"),
    ("portal-twice-in-a-vhost",
     {"sections": {"cmcas": BN_PLAIN + cmcas_block("TOURAINE", "CMCAS Touraine")},
      "extra": vhost("t.test", "CMCASPortal TOURAINE", "CMCASPortal BN")},
     "CMCASPortal", "CMCASPortal BN", "already the portal of CMCAS TOURAINE"),
    ("portal-twice-in-a-location",
     {"sections": {"portal": ""},
      "extra": "<Location />\n    CMCASPortal BN\n    CMCASPortal BN\n</Location>\n"},
     "CMCASPortal", "CMCASPortal BN", "already the portal"),
    ("gateway-twice", lambda: bn(paybox(f"CMCASGateway paybox {PAYBOX_URL}")),
     "CMCASGateway", f"CMCASGateway paybox {PAYBOX_URL}", "given twice"),
    ("online-twice", lambda: bn(paybox("CMCASOnlinePayment Off")),
     "CMCASOnlinePayment", "CMCASOnlinePayment Off", "given twice"),
    ("instalments-twice", lambda: bn(paybox("CMCASInstalments 3 100",
                                            "CMCASInstalments 2 50")),
     "CMCASInstalments", "CMCASInstalments 2 50", "given twice"),
    # The other gateway's directives, card settings with desk payment only
    ("systempay-account-with-paybox",
     lambda: bn(paybox("CMCASSystempayAccount 12345678 TEST")),
     "CMCASSystempayAccount", "CMCASSystempayAccount", "only for CMCASGateway systempay"),
    ("systempay-key-with-paybox",
     lambda: bn(paybox(f"CMCASSystempayKeyFile {key('vads-p.key', text='1122334455667788')}")),
     "CMCASSystempayKeyFile", "CMCASSystempayKeyFile", "only for CMCASGateway systempay"),
    ("paybox-account-with-systempay",
     lambda: bn(systempay("CMCASPayboxAccount 1999888 32 107904482")),
     "CMCASPayboxAccount", "CMCASPayboxAccount", "only for CMCASGateway paybox"),
    ("paybox-key-with-systempay", lambda: bn(systempay(f"CMCASPayboxKeyFile {key()}")),
     "CMCASPayboxKeyFile", "CMCASPayboxKeyFile", "only for CMCASGateway paybox"),
    ("paybox-settings-online-off", lambda: bn(paybox(online="Off")),
     "CMCASGateway", "CMCASGateway", "CMCASOnlinePayment is Off"),
    ("paybox-settings-online-unset", lambda: bn(paybox(online=None)),
     "CMCASGateway", "CMCASGateway", "CMCASOnlinePayment is Off (the default)"),
    ("instalments-online-off", bn(["CMCASOnlinePayment Off", "CMCASInstalments 3 100"]),
     "CMCASInstalments", "CMCASInstalments", "card payment setting"),
    ("card-hold-online-off", bn(["CMCASCardHold 45"]),
     "CMCASCardHold", "CMCASCardHold", "card payment setting"),
    ("instalments-one", lambda: bn(paybox("CMCASInstalments 1 100")),
     "CMCASInstalments", "CMCASInstalments 1", "the number is 2 to 4"),
    ("gateway-unknown", bn(["CMCASOnlinePayment On", "CMCASGateway payline "
                            "https://pay.example/"]),
     "CMCASGateway", "CMCASGateway payline", "'payline' is not a gateway"),
    # Key files
    ("key-missing", bn(paybox(key_line="CMCASPayboxKeyFile /nonexistent/hmac.key")),
     "CMCASPayboxKeyFile", "CMCASPayboxKeyFile", "cannot read /nonexistent/hmac.key"),
    ("key-a-directory", bn(paybox(key_line="CMCASPayboxKeyFile /etc")),
     "CMCASPayboxKeyFile", "CMCASPayboxKeyFile", "cannot read /etc"),
    ("key-0644", lambda: bn(paybox(key_line=f"CMCASPayboxKeyFile {key('k644', 0o644)}")),
     "CMCASPayboxKeyFile", "CMCASPayboxKeyFile", "readable by every user (mode 0644)"),
    ("key-0604", lambda: bn(paybox(key_line=f"CMCASPayboxKeyFile {key('k604', 0o604)}")),
     "CMCASPayboxKeyFile", "CMCASPayboxKeyFile", "readable by every user"),
    ("key-0660", lambda: bn(paybox(key_line=f"CMCASPayboxKeyFile {key('k660', 0o660)}")),
     "CMCASPayboxKeyFile", "CMCASPayboxKeyFile", "writable by other users (mode 0660)"),
    ("systempay-key-0644", lambda: bn(systempay(
        key_line=f"CMCASSystempayKeyFile {key('v644', 0o644, '1122334455667788')}")),
     "CMCASSystempayKeyFile", "CMCASSystempayKeyFile", "readable by every user"),
    ("public-key-0666", lambda: bn(paybox(
        pub_line=f"CMCASPayboxPublicKeyFile {pubkey('p666.pem', 0o666)}")),
     "CMCASPayboxPublicKeyFile", "CMCASPayboxPublicKeyFile", "writable by other users"),
    ("public-key-0664", lambda: bn(paybox(
        pub_line=f"CMCASPayboxPublicKeyFile {pubkey('p664.pem', 0o664)}")),
     "CMCASPayboxPublicKeyFile", "CMCASPayboxPublicKeyFile", "writable by other users"),
    ("direct-key-0640-group-writable", lambda: bn(paybox(
        f"CMCASPayboxDirect https://ppps.paybox.com/PPPS.php {key('d620', 0o620)}")),
     "CMCASPayboxDirect", "CMCASPayboxDirect", "writable by other users"),
    ("secret-file-0644", lambda: {"sections": {
        "secret": f"CMCASSecretFile {a_file('forms644.key', 'x' * 64, 0o644)}"}},
     "CMCASSecretFile", "CMCASSecretFile", "readable by every user"),
    # CMCAS used but not declared, served twice in conflicting ways
    ("portal-not-declared", {"sections": {"portal": "CMCASPortal NORD"}},
     "CMCASPortal", "CMCASPortal NORD", "no <CMCAS NORD> block declares this CMCAS"),
    ("one-cmcas-two-databases",
     {"sections": PG_MAIN,
      "extra": pg_vhost("a.test", "cmcas_a", "CMCASPortal BN")
      + pg_vhost("b.test", "cmcas_b", "CMCASPortal BN")},
     "CMCASPortal", "CMCASPortal BN", "from another database"),
    ("vhost-block-used-by-another-vhost",
     {"sections": {"portal": ""},
      "extra": vhost("t.test", *cmcas_block("TOURAINE", "CMCAS Touraine").splitlines(),
                     "CMCASPortal TOURAINE")
      + vhost("other.test", "CMCASPortal TOURAINE")},
     "CMCASPortal", "CMCASPortal TOURAINE", "is declared inside another <VirtualHost>"),
    ("welcome-bad-code", bn(["CMCASWelcomeMembersOf touraine"]),
     "CMCASWelcomeMembersOf", "CMCASWelcomeMembersOf", "'touraine' is not a CMCAS code"),
    ("welcome-itself", bn(["CMCASWelcomeMembersOf BN"]),
     "CMCASWelcomeMembersOf", "CMCASWelcomeMembersOf", "is <CMCAS BN> itself"),
    # Modules
    ("without-mod-dbd",
     lambda: {"sections": {"modules": modules_without("dbd", "authn_dbd"), "dbd": "",
                           "auth": ""}},
     "CMCASPortal", "CMCASPortal BN", "needs mod_dbd"),
    # The mail command runs as the server's user
    ("mail-command-missing", mail("/nonexistent/sendmail -t -i"),
     "CMCASMailCommand", "CMCASMailCommand", "is not an executable file"),
    pytest.param("mail-command-root-only", lambda: mail(script("root-only.sh", 0o700)
                                                        + " -t -i"),
                 "CMCASMailCommand", "CMCASMailCommand", "cannot run", marks=ROOT_ONLY,
                 id="mail-command-root-only"),
    pytest.param("mail-folder-not-writable",
                 lambda: mail(f"{CAPTURE} {a_dir('root-mail', run_user=False)} -t -i"),
                 "CMCASMailCommand", "CMCASMailCommand", "cannot write into",
                 marks=ROOT_ONLY, id="mail-folder-not-writable"),
    pytest.param("mail-folder-cannot-be-created",
                 mail(f"{CAPTURE} /nonexistent-spool/mail -t -i"),
                 "CMCASMailCommand", "CMCASMailCommand", "cannot create it in /",
                 marks=ROOT_ONLY, id="mail-folder-cannot-be-created"),
]


def config_test(case, kwargs):
    srv = CmcasHttpd(f"{NAME}/{case}", load_demo=False, **kwargs)
    rc, out = srv.config_test()
    with open(srv.conf_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    return rc, out, srv.conf_path, lines


def line_of(lines, text):
    """The number of the last line holding `text` (the one a second time when twice)."""
    found = [i + 1 for i, l in enumerate(lines) if text in l and not l.lstrip().startswith("#")]
    assert found, text
    return found[-1]


@pytest.mark.parametrize("case, kwargs, directive, at, fragment",
                         [b if hasattr(b, "marks") else pytest.param(*b, id=b[0])
                          for b in BAD])
def test_mistake_fails_naming_directive_file_and_line(case, kwargs, directive, at,
                                                      fragment):
    rc, out, conf, lines = config_test(case, kwargs() if callable(kwargs) else kwargs)
    assert rc != 0 and "Syntax OK" not in out, out
    assert directive in out and fragment in out, out
    n = line_of(lines, at)
    assert conf in out, out
    assert f"line {n} of {conf}" in out or f"{conf}:{n}" in out, (n, out)
    assert HEX_KEY not in out and "1122334455667788" not in out


GOOD = [
    ("as-the-harness", lambda: {}),
    ("paybox-keys-0600-0640-0400-public-0644", lambda: bn(paybox(
        f"CMCASPayboxDirect https://ppps.paybox.com/PPPS.php {key('d640', 0o640)}",
        "CMCASInstalments 4 100", "CMCASCardHold 45",
        key_line=f"CMCASPayboxKeyFile {key('k400', 0o400)}",
        pub_line=f"CMCASPayboxPublicKeyFile {pubkey('p644.pem', 0o644)}"))),
    ("systempay-instalments-2", lambda: bn(systempay("CMCASInstalments 2 50"))),
    ("desk-only-with-cgv-and-desk-hold", bn(["CMCASOnlinePayment Off", "CMCASCGV /cgv",
                                             "CMCASDeskHold 3"])),
    ("sqlite-file-of-the-server-user",
     lambda: sqlite_dbd(www_sqlite())),
    ("block-in-its-vhost",
     {"extra": vhost("t.test", *cmcas_block("TOURAINE", "CMCAS Touraine").splitlines(),
                     "CMCASPortal TOURAINE")}),
    ("block-in-its-vhost-two-locations",
     {"extra": vhost("t.test", *cmcas_block("TOURAINE", "CMCAS Touraine").splitlines(),
                     "<Location /a>", "CMCASPortal TOURAINE", "</Location>",
                     "<Location /b>", "CMCASPortal TOURAINE", "</Location>")}),
    ("one-cmcas-two-vhosts-one-database",
     {"extra": vhost("a.test", "CMCASPortal BN") + vhost("b.test", "CMCASPortal BN")}),
    ("one-cmcas-two-vhosts-same-pg-database",
     {"sections": PG_MAIN,
      "extra": pg_vhost("a.test", "cmcas", "CMCASPortal BN")
      + pg_vhost("b.test", "cmcas", "CMCASPortal BN")}),
    ("welcome", bn(["CMCASWelcomeMembersOf TOURAINE LIMOUSIN"])),
    ("mail-folder-of-the-server-user",
     lambda: mail(f"{CAPTURE} {a_dir('www-mail', run_user=True)} -t -i")),
    pytest.param("mail-folder-of-the-server-group",
                 lambda: mail(f"{CAPTURE} {group_dir('group-mail')} -t -i"),
                 marks=ROOT_ONLY, id="mail-folder-of-the-server-group"),
    ("mail-folder-created-by-the-command",
     lambda: mail(f"{CAPTURE} {a_dir('www-spool', run_user=True)}/new -t -i")),
]


@pytest.mark.parametrize("case, kwargs", [g if hasattr(g, "marks") else pytest.param(*g, id=g[0])
                                          for g in GOOD])
def test_right_configuration_passes(case, kwargs):
    rc, out, _conf, _lines = config_test(case, kwargs() if callable(kwargs) else kwargs)
    assert rc == 0 and "Syntax OK" in out, out


def test_the_documented_key_commands_make_keys_apachectl_accepts():
    """docs/operations.md's commands for the forms' key and a bank key: the files they
    make pass (mode 0600), where a plain redirection would make a 0644 one."""
    import re
    import subprocess
    with open(os.path.join(REPO, "docs", "operations.md"), encoding="utf-8") as f:
        doc = f.read()
    commands = [c.strip() for c in re.findall(r"^\s*\(umask 077; .*\)$", doc, re.M)]
    assert commands, "no (umask 077; ...) command in docs/operations.md"
    os.makedirs(FILES, exist_ok=True)
    for i, command in enumerate(commands):
        path = os.path.join(FILES, f"documented-{i}.key")
        if os.path.exists(path):
            os.unlink(path)
        target = re.search(r">\s*(\S+)\)$", command).group(1)
        subprocess.run(["sh", "-c", command.replace(target, path)], check=True,
                       timeout=30, input=HEX_KEY + "\n", text=True)
        assert os.stat(path).st_mode & 0o777 == 0o600, command
