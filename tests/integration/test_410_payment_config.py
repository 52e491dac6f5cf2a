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


def key_file(name, text):
    os.makedirs(KEYS, exist_ok=True)
    path = os.path.join(KEYS, name)
    with open(path, "w") as f:
        f.write(text)
    return path


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
    ("card-hold-zero", ["CMCASCardHold 0"], "CMCASCardHold"),
    ("desk-hold-too-long", ["CMCASDeskHold 61"], "CMCASDeskHold"),
    ("cgv-not-url", ["CMCASCGV cgv.pdf"], "CMCASCGV"),
    ("systempay-bad-mode", ["CMCASSystempayAccount 12345678 DEMO"], "CMCASSystempayAccount"),
    ("systempay-no-key", ["CMCASOnlinePayment On",
                          "CMCASGateway systempay https://paiement.systempay.fr/vads-payment/",
                          "CMCASSystempayAccount 12345678 TEST",
                          "CMCASCGV /cgv"], "CMCASSystempayKeyFile"),
    ("online-not-a-flag", ["CMCASOnlinePayment Yes"], "CMCASOnlinePayment"),
]


@pytest.mark.parametrize("case,lines,fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_payment_setting_fails_naming_the_directive(case, lines, fragment):
    rc, out = config_test(case, lines)
    assert rc != 0, out
    assert fragment in out, out
    assert SECRET_WORD not in out and HEX_KEY not in out


@pytest.mark.parametrize("directive", ["CMCASOnlinePayment On",
                                       "CMCASPayboxAccount 1999888 32 107904482",
                                       "CMCASCGV /cgv", "CMCASDeskHold 3"])
def test_payment_setting_outside_a_cmcas_block_fails(directive):
    srv = CmcasHttpd(f"{NAME}/outside-{directive.split()[0]}", load_demo=False,
                     extra=directive)
    rc, out = srv.config_test()
    assert rc != 0 and directive.split()[0] in out and "<CMCAS" in out, out


GOOD = [
    ("desk-only", []),
    ("paybox", paybox_lines() + ["CMCASInstalments 3 100", "CMCASCardHold 45",
                                 "CMCASDeskHold 10"]),
    ("paybox-off", paybox_lines(online=1) + ["CMCASOnlinePayment Off"]),
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
