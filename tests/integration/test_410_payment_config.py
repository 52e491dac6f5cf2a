"""The payment settings of a <CMCAS> block: a missing or unreadable key, an incomplete
merchant account or a bad value fails `apache2 -t` naming the directive, and never
prints a secret."""

import os

import pytest

from cmcas_httpd import BN_BLOCK, GEN_DIR, REPO, CmcasHttpd

NAME = "test_410_payment_config"
KEYS = os.path.join(GEN_DIR, NAME, "keys")
PUBKEY = os.path.join(REPO, "conf", "paybox-pubkey.pem")
HEX_KEY = "0123456789ABCDEF" * 8
SECRET_WORD = "NotHexButSecret-7f3a"


def key_file(name, text, mode=0o600):
    os.makedirs(KEYS, exist_ok=True)
    path = os.path.join(KEYS, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


DIRECT_URL = "https://ppps.paybox.com/PPPS.php"
DIRECT_CLE = "1999888I"


def direct_line(name="direct-hmac.key", text=HEX_KEY + "\n", mode=0o600, url=DIRECT_URL):
    """CMCASPayboxDirect with a key file readable by root only (unless `mode`)."""
    return f"CMCASPayboxDirect {url} {key_file(name, text, mode)}"


SYSTEMPAY_LINES = ["CMCASOnlinePayment On",
                   "CMCASGateway systempay https://paiement.systempay.fr/vads-payment/",
                   "CMCASSystempayAccount 12345678 TEST", "CMCASCGV /cgv"]


def paybox_lines(**skip):
    lines = {
        "online": "CMCASOnlinePayment On",
        "gateway": "CMCASGateway paybox https://preprod-tpeweb.paybox.com/cgi/"
                   "MYchoix_pagepaiement.cgi",
        "account": "CMCASPayboxAccount 1999888 32 107904482",
        "key": f"CMCASPayboxKeyFile {key_file('hmac.key', HEX_KEY + chr(10))}",
        "pubkey": f"CMCASPayboxPublicKeyFile {PUBKEY}",
        "cgv": "CMCASCGV https://www.cmcas-bn.example/cgv.pdf",
    }
    return [v for k, v in lines.items() if k not in skip]


def block(lines):
    return BN_BLOCK.replace("</CMCAS>", "".join(f"    {l}\n" for l in lines) + "</CMCAS>")


def config_test(case, lines):
    srv = CmcasHttpd(f"{NAME}/{case}", load_demo=False, sections={"cmcas": block(lines)})
    return srv.config_test()


BAD = [
    ("no-gateway", paybox_lines(gateway=1), "CMCASGateway"),
    ("no-account", paybox_lines(account=1), "CMCASPayboxAccount"),
    ("no-key", paybox_lines(key=1), "CMCASPayboxKeyFile"),
    ("no-public-key", paybox_lines(pubkey=1), "CMCASPayboxPublicKeyFile"),
    ("no-cgv", paybox_lines(cgv=1), "CMCASCGV"),
    ("key-missing", paybox_lines(key=1) + ["CMCASPayboxKeyFile /nonexistent/hmac.key"],
     "CMCASPayboxKeyFile: cannot read /nonexistent/hmac.key"),
    ("key-not-hex", paybox_lines(key=1)
     + [f"CMCASPayboxKeyFile {key_file('bad.key', SECRET_WORD * 4)}"], "CMCASPayboxKeyFile"),
    ("key-short", paybox_lines(key=1)
     + [f"CMCASPayboxKeyFile {key_file('short.key', 'ABCDEF')}"], "CMCASPayboxKeyFile"),
    ("public-key-not-pem", paybox_lines(pubkey=1)
     + [f"CMCASPayboxPublicKeyFile {key_file('notpem.pem', 'hello')}"],
     "CMCASPayboxPublicKeyFile"),
    ("public-key-missing", paybox_lines(pubkey=1)
     + ["CMCASPayboxPublicKeyFile /nonexistent/pubkey.pem"], "CMCASPayboxPublicKeyFile"),
    ("gateway-unknown", ["CMCASGateway stripe https://example.org/pay"], "CMCASGateway"),
    ("gateway-relative-url", ["CMCASGateway paybox /cgi/pay"], "CMCASGateway"),
    ("account-bad-site", ["CMCASPayboxAccount 199988 32 107904482"], "CMCASPayboxAccount"),
    ("account-bad-rang", ["CMCASPayboxAccount 1999888 3x 107904482"], "CMCASPayboxAccount"),
    ("instalments-too-many", ["CMCASInstalments 5 100"], "CMCASInstalments"),
    ("instalments-bad-amount", ["CMCASInstalments 3 cent"], "CMCASInstalments"),
    ("instalments-three-decimals", ["CMCASInstalments 3 100,001"], "CMCASInstalments"),
    ("instalments-negative", ["CMCASInstalments 3 -50"], "CMCASInstalments"),
    ("card-hold-zero", ["CMCASCardHold 0"], "CMCASCardHold"),
    ("desk-hold-too-long", ["CMCASDeskHold 61"], "CMCASDeskHold"),
    ("cgv-not-url", ["CMCASCGV cgv.pdf"], "CMCASCGV"),
    ("systempay-bad-mode", ["CMCASSystempayAccount 12345678 DEMO"], "CMCASSystempayAccount"),
    ("systempay-no-key", ["CMCASOnlinePayment On",
                          "CMCASGateway systempay https://paiement.systempay.fr/vads-payment/",
                          "CMCASSystempayAccount 12345678 TEST",
                          "CMCASCGV /cgv"], "CMCASSystempayKeyFile"),
    ("online-not-a-flag", ["CMCASOnlinePayment Yes"], "CMCASOnlinePayment"),
    # The Paybox platform and the server-to-server check (Paybox Direct)
    ("platform-unknown", paybox_lines() + ["CMCASPayboxPlatform preprod"],
     "CMCASPayboxPlatform: 'preprod' is not production or test"),
    ("platform-twice", paybox_lines() + ["CMCASPayboxPlatform test",
                                         "CMCASPayboxPlatform production"],
     "CMCASPayboxPlatform is given twice"),
    ("platform-systempay", SYSTEMPAY_LINES + [
        f"CMCASSystempayKeyFile {key_file('vads-p.key', '1122334455667788')}",
        "CMCASPayboxPlatform test"], "CMCASPayboxPlatform is only for CMCASGateway paybox"),
    ("direct-systempay", SYSTEMPAY_LINES + [
        f"CMCASSystempayKeyFile {key_file('vads-d.key', '1122334455667788')}",
        direct_line()], "CMCASPayboxDirect is only for CMCASGateway paybox"),
    ("direct-no-gateway", [direct_line()], "CMCASPayboxDirect is only for CMCASGateway paybox"),
    ("direct-one-argument", paybox_lines() + [f"CMCASPayboxDirect {DIRECT_URL}"],
     "CMCASPayboxDirect"),
    ("direct-relative-url", paybox_lines() + [direct_line(url="/PPPS.php")],
     "CMCASPayboxDirect: '/PPPS.php' is not an absolute http(s) URL"),
    ("direct-key-missing", paybox_lines()
     + [f"CMCASPayboxDirect {DIRECT_URL} /nonexistent/direct.key"],
     "CMCASPayboxDirect: cannot read /nonexistent/direct.key"),
    ("direct-key-a-directory", paybox_lines() + [f"CMCASPayboxDirect {DIRECT_URL} /etc"],
     "CMCASPayboxDirect: cannot read /etc"),
    ("direct-key-world-readable", paybox_lines()
     + [direct_line("direct-644.key", HEX_KEY, mode=0o644)], "readable by every user"),
    ("direct-cle-world-readable", paybox_lines()
     + [direct_line("direct-604.cle", SECRET_WORD, mode=0o604)], "readable by every user"),
    ("direct-key-empty", paybox_lines() + [direct_line("direct-empty.key", "\n")],
     "CMCASPayboxDirect"),
    ("direct-cle-with-space", paybox_lines()
     + [direct_line("direct-space.cle", SECRET_WORD + " x")], "CMCASPayboxDirect"),
    ("direct-cle-short", paybox_lines() + [direct_line("direct-short.cle", "12345")],
     "CMCASPayboxDirect"),
    ("direct-key-odd", paybox_lines() + [direct_line("direct-odd.key", HEX_KEY + "A")],
     "CMCASPayboxDirect"),
    ("direct-twice", paybox_lines() + [direct_line(), direct_line("direct-2.key")],
     "CMCASPayboxDirect is given twice"),
    # Card settings while members pay at the desk only (test_1530 has more)
    ("paybox-off", paybox_lines(online=1) + ["CMCASOnlinePayment Off"],
     "CMCASOnlinePayment is Off"),
    ("paybox-off-direct", paybox_lines(online=1) + [direct_line()],
     "CMCASOnlinePayment is Off (the default)"),
]


@pytest.mark.parametrize("case,lines,fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_payment_setting_fails_naming_the_directive(case, lines, fragment):
    rc, out = config_test(case, lines)
    assert rc != 0, out
    assert fragment in out, out
    assert SECRET_WORD not in out and HEX_KEY not in out


@pytest.mark.parametrize("directive", ["CMCASOnlinePayment On",
                                       "CMCASPayboxAccount 1999888 32 107904482",
                                       "CMCASCGV /cgv", "CMCASDeskHold 3",
                                       "CMCASPayboxPlatform test",
                                       f"CMCASPayboxDirect {DIRECT_URL} /etc/hosts"])
def test_payment_setting_outside_a_cmcas_block_fails(directive):
    srv = CmcasHttpd(f"{NAME}/outside-{directive.split()[0]}", load_demo=False,
                     extra=directive)
    rc, out = srv.config_test()
    assert rc != 0 and directive.split()[0] in out and "<CMCAS" in out, out


GOOD = [
    ("desk-only", []),
    ("paybox", paybox_lines() + ["CMCASInstalments 3 100", "CMCASCardHold 45",
                                 "CMCASDeskHold 10"]),
    ("paybox-direct-hmac", paybox_lines() + ["CMCASPayboxPlatform production", direct_line()]),
    ("paybox-direct-cle", paybox_lines() + [direct_line("direct.cle", DIRECT_CLE + "\n",
                                                        mode=0o640)]),
    ("paybox-direct-test-platform", paybox_lines() + [
        "CMCASPayboxPlatform test",
        direct_line(url="https://preprod-ppps.paybox.com/PPPS.php")]),
    ("paybox-test-platform", paybox_lines() + ["CMCASPayboxPlatform test"]),
    ("instalments-as-shown", paybox_lines() + ['CMCASInstalments 2 "1 000,00 €"']),
    ("systempay", ["CMCASOnlinePayment On",
                   "CMCASGateway systempay https://paiement.systempay.fr/vads-payment/",
                   "CMCASSystempayAccount 12345678 TEST",
                   f"CMCASSystempayKeyFile {key_file('vads.key', '1122334455667788')}",
                   "CMCASCGV /cgv", "CMCASInstalments 3 150,50"]),
]


@pytest.mark.parametrize("case,lines", GOOD, ids=[g[0] for g in GOOD])
def test_good_payment_settings_pass(case, lines):
    rc, out = config_test(case, lines)
    assert rc == 0 and "Syntax OK" in out, out


WARNING = "without CMCASPayboxDirect: a payment made to another merchant account"


@pytest.mark.parametrize("case,lines,warns", [
    ("warn-production", paybox_lines(), True),
    ("warn-production-said", paybox_lines() + ["CMCASPayboxPlatform production"], True),
    ("warn-not-with-direct", paybox_lines() + [direct_line()], False),
    ("warn-not-on-test-platform", paybox_lines() + ["CMCASPayboxPlatform test"], False),
])
def test_production_paybox_without_direct_is_allowed_with_a_warning(case, lines, warns):
    """Allowed (Paybox Direct is an option of the bank's contract), but said at every
    start and by `apache2 -t`, naming the CMCAS: such payments cannot be told apart."""
    rc, out = config_test(case, lines)
    assert rc == 0 and "Syntax OK" in out, out
    assert (WARNING in out) is warns, out
    if warns:
        [line] = [l for l in out.splitlines() if WARNING in l]
        assert "[cmcas:warn]" in line and "CMCAS81: <CMCAS BN> (" in line, line
    assert HEX_KEY not in out and DIRECT_CLE not in out
