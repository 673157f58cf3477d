"""normalize_charge on charge texts as records print them."""

from __future__ import annotations

import time

import pytest

from extract.charges import ChargeNorm, normalize_charge
from extract.offences import load_offence_table
from flows.statute_eval import run_statute_eval


@pytest.fixture(scope="module")
def table():
    return load_offence_table()


def test_assault_and_battery_with_citation(table) -> None:
    n = normalize_charge("ASSAULT & BATTERY c265 §13A", table)
    assert (n.statute, n.offense_code, n.description) == ("265/13A", "265/13A/B", "A&B")
    assert n.level == "misdemeanor" and n.category == "Assault" and n.confidence >= 0.9


def test_oui_with_full_subsections(table) -> None:
    n = normalize_charge("OUI LIQUOR 2ND OFFENSE C90 S24(1)(a)(1)", table, year=1999)
    assert n.statute == "90/24(1)(a)(1)"
    assert n.offense_code == "90/24/K" and "OUI" in n.description and n.confidence >= 0.9


def test_description_only(table) -> None:
    n = normalize_charge("A&B DANGEROUS WEAPON", table)
    assert n.statute.startswith("265/15A") and n.offense_code == "265/15A/A" and n.level == "felony"
    assert 0.5 <= n.confidence < 0.9  # words alone never claim what a matching citation does


def test_ocr_damaged_citation(table) -> None:
    n = normalize_charge("LARCENY OVER $250 C266 S3O(l)", table, year=1995)
    assert n.statute == "266/30(1)" and n.offense_code == "266/30/A"


def test_citation_without_words_is_less_sure(table) -> None:
    bare = normalize_charge("94C/34", table)
    worded = normalize_charge("POSS CL B c94C §34", table)
    assert bare.statute == worded.statute == "94C/34"
    assert worded.offense_code == "94C/34/C" and bare.confidence < worded.confidence


def test_citation_the_table_lacks(table) -> None:
    n = normalize_charge("SOMETHING c265 §99", table)
    assert n.statute == "265/99" and n.offense_code is None and n.confidence < 0.5


def test_nothing_found(table) -> None:
    assert normalize_charge("", table).confidence == 0.0
    n = normalize_charge("XQZW PLUGH", table)
    assert n.statute is None and n.offense_code is None and n.confidence < 0.1


def test_cli_record_is_the_contract(table) -> None:
    rec = normalize_charge("A&B c265 §13A", table).cli_record()
    assert set(rec) == set(ChargeNorm.model_fields) == {
        "text", "statute", "offense_code", "description", "category", "level", "confidence"}


def test_speed(table) -> None:
    texts = [f"A&B DW c265 §15A ct {i}" for i in range(500)] + [f"LARC OVER $250 #{i}" for i in range(500)]
    t0 = time.perf_counter()
    for t in texts:
        normalize_charge(t, table)
    assert len(texts) / (time.perf_counter() - t0) > 2000


def test_eval_on_the_tables_own_strings() -> None:
    report = run_statute_eval(limit=600)
    rows = {r["set"]: r for r in report["rows"]}
    assert rows["index clean"]["citation_agreeing"] >= 0.99
    assert rows["index clean"]["citation"] >= 0.95
    assert rows["categories clean"]["citation"] >= 0.95
    assert rows["index clean"]["code_top1"] >= 0.95
    assert rows["index OCR"]["citation"] >= 0.9
