"""Dates: printed forms, OCR damage, century from context, failures, spans in running text."""

from __future__ import annotations

import datetime as dt

import pytest

from extract.normalize.dates import find_dates, normalize_date


@pytest.mark.parametrize("text", [
    "03/14/52", "3/14/1952", "3-14-1952", "3-14-52", "03.14.52", "14 MAR 1952", "14-MAR-52",
    "MAR. 14, 1952", "MAR 14 1952", "March 14, 1952", "14 March 1952", "1952-03-14", "031452",
    "14MAR52", "14th day of March, 1952", "DOB: 03/14/52", "03 / 14 / 52", "MAR.14,1952",
])
def test_printed_forms(text):
    r = normalize_date(text)
    assert r.ok and r.value == "1952-03-14"
    assert r.certainty >= 0.8


@pytest.mark.parametrize("text,value", [
    ("O3/l4/52", "1952-03-14"), ("03/14/S2", "1952-03-14"), ("MAR. l4, 1952", "1952-03-14"),
    ("14 0CT 1952", "1952-10-14"), ("N0V 3, 1952", "1952-11-03"),
    ("Marhc 14, 1952", "1952-03-14"), ("Septmber 3, 1961", "1961-09-03"), ("FE8. 22, 1980", "1980-02-22"),
    ("23-SEP-9l", "1991-09-23"), ("5eptember 13, 1984", "1984-09-13"), ("S JUN 1979", "1979-06-05"),
    ("03l14l52", "1952-03-14"), ("APRI1 2, 1971", "1971-04-02"),
])
def test_ocr_damage_is_repaired_with_lower_certainty(text, value):
    r = normalize_date(text)
    assert r.ok and r.value == value
    assert r.certainty < 1.0


@pytest.mark.parametrize("text", ["13/45/52", "$500", "02/30/52", "2/29/53", "", "HALL, ARTHUR",
                                  "010203", "12-25", "1O52-03-14 X", "265/15A"])
def test_failures(text):
    r = normalize_date(text)
    assert not r.ok and r.value is None and r.certainty == 0.0


def test_day_first_only_when_month_first_is_impossible():
    r = normalize_date("25/03/52")
    assert r.ok and r.value == "1952-03-25" and r.certainty <= 0.6
    assert normalize_date("2/29/52").value == "1952-02-29"


def test_dob_century_from_event():
    r = normalize_date("03/14/52", role="dob", before=dt.date(1975, 6, 1))
    assert r.value == "1952-03-14" and r.certainty == 1.0
    # a DOB "05" at a 1975 event: 2005 is in the future, 1905 makes him 70
    assert normalize_date("01/02/05", role="dob", before=dt.date(1975, 6, 1)).value == "1905-01-02"
    # a DOB "60" at a 1965 event: 1960 makes a 5-year-old, so the guess is flagged
    r = normalize_date("01/02/60", role="dob", before=dt.date(1965, 6, 1))
    assert r.value == "1960-01-02" and r.certainty < 0.7


def test_event_century_rule():
    # After a 1952 DOB and not in the future: 1905 is before birth, so 2005
    r = normalize_date("01/02/05", after=dt.date(1952, 3, 14))
    assert r.value == "2005-01-02" and r.certainty == 1.0
    # No context: both centuries are possible and the archive's era (19xx) wins, less sure
    r = normalize_date("01/02/05")
    assert r.value == "1905-01-02" and r.certainty < 1.0
    # A year that would be in the future in 20xx is unambiguous
    assert normalize_date("03/14/75").certainty == 1.0
    # Bounded by `before` as well: an event in 1980 files can't be 2005
    assert normalize_date("01/02/05", before=dt.date(1980, 1, 1)).value == "1905-01-02"
    # No century fits (before the DOB, or in the future): 19xx, flagged
    r = normalize_date("01/02/55", after=dt.date(1960, 1, 1), before=dt.date(1999, 1, 1))
    assert r.value == "1955-01-02" and r.certainty <= 0.3


def test_four_digit_year_checked_against_context():
    r = normalize_date("03/14/1950", after=dt.date(1952, 3, 14))
    assert r.ok and r.value == "1950-03-14" and r.certainty <= 0.5 and "birth" in r.note


def test_find_dates_spans():
    text = "DOB 03/14/52 ARRESTED 14-MAR-75, c.265/15A $500 on MAR. 1, 1976 12-25 and 1952-03-14 O3/l4/52"
    spans = find_dates(text)
    assert [text[a:b] for a, b in spans] == ["03/14/52", "14-MAR-75", "MAR. 1, 1976", "1952-03-14", "O3/l4/52"]


def test_find_dates_skips_invalid_and_bare_numbers():
    assert find_dates("SID 031452 BOOKING 84-00123 13/45/52") == []
