"""The eSIM activation code parser (GSMA SGP.22 §4.1): round trip, the hidden matching ID, host names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.activation_code import ActivationCode, fqdn_problem, parse_activation_code

SGP22 = "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815"


def test_parse_sgp22_examples() -> None:
    code = parse_activation_code(SGP22)
    assert code == ActivationCode("SMDP.GSMA.COM", "04386-AGYFT-A74Y8-3F815")
    full = parse_activation_code("lpa:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1")
    assert isinstance(full, ActivationCode)
    assert (full.oid, full.confirmation_required) == ("1.3.6.1.4.1.31746", True)
    assert full.text == SGP22 + "$1.3.6.1.4.1.31746$1"  # the prefix is normalised to upper-case LPA:


def test_repr_and_errors_never_show_the_matching_id() -> None:
    code = parse_activation_code(SGP22)
    assert isinstance(code, ActivationCode)
    assert "04386" not in repr(code) and "04386" not in str(code)
    reason = parse_activation_code("LPA:1$SMDP.GSMA.COM$04386-agyft")
    assert isinstance(reason, str) and "04386" not in reason


def test_fqdn_problem() -> None:
    assert fqdn_problem("smdp.example.com") is None
    assert fqdn_problem("smdp.example.com.") is None  # a trailing root dot is a valid FQDN
    assert fqdn_problem("") == "the SM-DP+ address is empty"
    assert "domain" in (fqdn_problem("smdp") or "")
    assert "IP address" in (fqdn_problem("192.168.0.1") or "")
    assert "host name" in (fqdn_problem("-smdp.example.com") or "")
    assert "host name" in (fqdn_problem(("a" * 64) + ".example.com") or "")
    assert "longer than 253" in (fqdn_problem(".".join(["a" * 60] * 5)) or "")


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
hosts = st.lists(labels, min_size=1, max_size=4).map(lambda ls: ".".join([*ls, "com"]))
matching_ids = st.from_regex(r"[0-9A-Z-]{1,40}", fullmatch=True)
oids = st.one_of(st.just(""), st.lists(st.integers(0, 99999), min_size=1, max_size=8)
                 .map(lambda ns: ".".join(map(str, ns))))


@given(hosts, matching_ids, oids, st.booleans(), st.booleans())
def test_any_well_formed_code_round_trips(host: str, mid: str, oid: str, confirm: bool, prefix: bool) -> None:
    built = ActivationCode(host, mid, oid, confirm)
    text = built.text if prefix else built.text.removeprefix("LPA:")
    assert parse_activation_code(text) == built
    if mid != mid.lower():  # the matching ID's charset is upper-case only
        assert isinstance(parse_activation_code(f"LPA:1${host}${mid.lower()}"), str)


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    assert isinstance(parse_activation_code(text), ActivationCode | str)
