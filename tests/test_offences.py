"""The vendored MA offence index: statute lookups, years in force, clerk wording."""

from __future__ import annotations

import pytest

from extract.offences import load_offence_table, normalize_wording


@pytest.fixture(scope="module")
def table():
    return load_offence_table()


def test_table_loads_the_real_index(table) -> None:
    assert len(table.offences) > 5000
    ab = next(o for o in table.offences if o.code == "265/13A/B" and o.statute == "265/13A(a)")
    assert ab.description == "A&B" and ab.chapter == "265" and ab.section == "13A"
    assert ab.level == "misdemeanor" and ab.fm == "M+" and ab.category == "Assault"
    assert ab.start_year == 2002 and ab.end_year is None
    assert ab.fbi_category == "Other Assaults"
    assert load_offence_table() is table  # parsed once per process


def test_levels_and_categories(table) -> None:
    by_code = {o.code: o for o in table.offences}
    assert by_code["265/15A/A"].level == "felony"
    assert by_code["94C/34/C"].category == "Drugs"
    assert by_code["90/24/J"].category == "OUI"
    assert {o.level for o in table.offences} >= {"felony", "misdemeanor", "civil"}


def test_lookup_265_13A_is_assault_and_battery(table) -> None:
    best = table.lookup("265/13A", description="ASSAULT & BATTERY")[0]
    assert best.code == "265/13A/B" and best.description == "A&B"
    assert table.lookup("265/13A")[0].code == "265/13A/B"


def test_lookup_prefers_the_row_in_force(table) -> None:
    # 265/13A/B is printed c265 §13A until 2002 and §13A(a) after.
    assert table.lookup("265/13A", year=1990)[0].statute == "265/13A"
    assert table.lookup("265/13A", year=2010)[0].statute == "265/13A(a)"
    # The +65 wording gave way to +60 in 1996.
    assert "+65" in table.lookup("265/15A(a)", year=1990, description="A&B DW ON +60")[0].description
    assert "+60" in table.lookup("265/15A(a)", year=2000, description="A&B DW ON +60")[0].description


def test_lookup_subsections_narrow_then_fall_back(table) -> None:
    assert table.lookup("265/13A(b)", year=2010)[0].statute == "265/13A(b)"
    assert table.lookup("265/13A(z)", year=2010)[0].code.startswith("265/13A/")
    assert table.lookup("C. 266 S. 30", description="LARCENY OVER $250")[0].code == "266/30/A"
    assert table.lookup("999/1") == [] and table.lookup("nonsense") == []


@pytest.mark.parametrize(("text", "code"), [
    ("A&B", "265/13A/B"),
    ("A&B DANGEROUS WEAPON", "265/15A/A"),
    ("A&B D/W", "265/15A/A"),
    ("A & B DW", "265/15A/A"),
    ("ABDW", "265/15A/A"),
    ("ASSAULT & BATTERY DANGEROUS WEAPON", "265/15A/A"),
    ("A&B ON P/O", "265/13D/A"),
    ("B&E NIGHTTIME FOR FELONY", "266/16/A"),
    ("OUI LIQUOR", "90/24/J"),
    ("OUI LIQUOR 2ND OFFENSE", "90/24/K"),
    ("UNLIC OPER M/V", "90/10/A"),
    ("POSS CL B", "94C/34/C"),
    ("POSS W/I DIST CL A", "94C/32/C"),
    ("DIST CL D SUBSQ", "94C/32C/B"),
    ("RSG", "266/60/A"),
    ("LARC OVER $250", "266/30/A"),
    ("LARCENY UNDER $250", "266/30/C"),
    ("MAL DEST PROP +$250", "266/127/A"),
    ("CARRY FIREARM W/O LIC", "269/10/J"),
    ("VIOL R/O", "209A/7"),
    ("DISORDERLY CONDUCT", "272/53/F"),
])
def test_match_description_clerk_wording(table, text: str, code: str) -> None:
    matches = table.match_description(text, year=1995)
    assert matches and matches[0][0].code == code
    assert all(0.0 <= s <= 1.0 for _, s in matches)


def test_match_description_nothing(table) -> None:
    assert table.match_description("") == []
    assert all(s < 0.6 for _, s in table.match_description("XQZW PLUGH"))


def test_normalize_wording_expands_abbreviations() -> None:
    assert normalize_wording("A&B W/DW, SUBSQ. OFF.") == normalize_wording(
        "ASSAULT AND BATTERY WITH DANGEROUS WEAPON SUBSEQUENT OFFENSE")
    assert normalize_wording("OUI—LIQUOR") == "OUI LIQUOR"
    assert normalize_wording("LARCENY +$250") == "LARCENY OVER 250"
