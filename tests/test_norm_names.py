"""Names -> `LAST[ SUFFIX], FIRST[ M]`."""

from __future__ import annotations

import pytest

from extract.normalize.names import format_name, normalize_name


@pytest.mark.parametrize("text,value", [
    ("HALL, ARTHUR E.", "HALL, ARTHUR E"),
    ("ARTHUR E. HALL", "HALL, ARTHUR E"),
    ("Arthur E. Hall", "HALL, ARTHUR E"),
    ("HALL ARTHUR E", "HALL, ARTHUR E"),
    ("HALL, ARTHUR EDWARD", "HALL, ARTHUR E"),
    ("HALL, ARTHUR", "HALL, ARTHUR"),
    ("HALL JR, ARTHUR E", "HALL JR, ARTHUR E"),
    ("ARTHUR E. HALL, JR.", "HALL JR, ARTHUR E"),
    ("HALL, JR., ARTHUR E", "HALL JR, ARTHUR E"),
    ("JOHN HALL III", "HALL III, JOHN"),
    ("O'BRIEN, JOHN P.", "O'BRIEN, JOHN P"),
    ("O’BRIEN, JOHN P.", "O'BRIEN, JOHN P"),
    ("O BRIEN JOHN P", "O'BRIEN, JOHN P"),
    ("MC DONALD, JOHN", "MCDONALD, JOHN"),
    ("JUAN M DE LA CRUZ", "DE LA CRUZ, JUAN M"),
    ("DE LA CRUZ JUAN M", "DE LA CRUZ, JUAN M"),
    ("ST. PIERRE, JEAN", "ST. PIERRE, JEAN"),
    ("ST PIERRE JEAN M", "ST. PIERRE, JEAN M"),
    ("JEAN - CLAUDE DOS - SANTOS", "DOS-SANTOS, JEAN-CLAUDE"),
    ("DELL'ORFANO, CARMINE S.", "DELL'ORFANO, CARMINE S"),
    ("D'AMICO ANTHONY J", "D'AMICO, ANTHONY J"),
    ("vs. HALL, ARTHUR E.", "HALL, ARTHUR E"),
    ("Commonwealth vs. Arthur E. Hall", "HALL, ARTHUR E"),
    ("HALL, ARTHUR E., DEFT", "HALL, ARTHUR E"),
    ("HALL, ARTHUR E. a/k/a SMITH, JOHN", "HALL, ARTHUR E"),
    ('HALL, ARTHUR "SLIM" E', "HALL, ARTHUR E"),
    ("HALL. ARTHUR E", "HALL, ARTHUR E"),
    ("LE MINH T", "LE, MINH T"),
    ("MINH LE", "LE, MINH"),
    ("NELSON DAVID", "NELSON, DAVID"),
])
def test_forms(text, value):
    r = normalize_name(text)
    assert r.ok and r.value == value


@pytest.mark.parametrize("text,value", [
    ("0'BRIEN, JOHN P.", "O'BRIEN, JOHN P"), ("HA1L, ARTHUR", "HALL, ARTHUR"),
    ("W1LSON, JOHN", "WILSON, JOHN"), ("ORTlZ, GEORGE G.", "ORTIZ, GEORGE G"),
    ("BARBO5A, FRANCIS", "BARBOSA, FRANCIS"), ("BAKER, JAS0N P", "BAKER, JASON P"),
    ("SEAN MCLAUGHLlN", "MCLAUGHLIN, SEAN"),
])
def test_ocr_digits_in_names(text, value):
    r = normalize_name(text)
    assert r.value == value and r.certainty < 1.0 and "ocr" in r.note


def test_order_certainty():
    assert normalize_name("HALL, ARTHUR E").certainty == 1.0
    assert normalize_name("HALL ARTHUR E").certainty < 1.0          # order from the trailing initial
    assert normalize_name("ARTHUR HALL").certainty <= 0.8           # order from given-name list
    r = normalize_name("SOK CHHAY")                                  # no evidence at all
    assert r.ok and r.certainty <= 0.6 and "guess" in r.note


def test_order_hint():
    assert normalize_name("HALL ARTHUR", order_hint="last_first").value == "HALL, ARTHUR"
    assert normalize_name("CHHAY SOK", order_hint="first_last").value == "SOK, CHHAY"
    assert normalize_name("CHHAY SOK", order_hint="first_last").certainty == 1.0


@pytest.mark.parametrize("text", ["", "HALL", "   ", "12345", "HALL,"])
def test_failures(text):
    assert not normalize_name(text).ok


def test_format_name():
    assert format_name("hall", "arthur", "edward", "jr") == "HALL JR, ARTHUR E"
    assert format_name("ST. PIERRE", "JEAN") == "ST. PIERRE, JEAN"
