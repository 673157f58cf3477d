"""Date roles, form kinds, segmentation and record typing on small pages written the way MA forms
word things (the committed NER model with the rules): each test names the reading it pins."""

from __future__ import annotations

import pytest

from extract.form_kind import form_kind
from extract.normalize.dates import normalize_date
from extract.pipeline import Extractor, model_dir

pytestmark = pytest.mark.skipif(not (model_dir() / "meta.json").exists(), reason="no trained NER model")


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor.load("both")


def _records(ex: Extractor, text: str):
    return [r.assembled for r in next(ex.extract_texts([(text, None)]))]


CORI = """CRIMINAL HISTORY SYSTEMS BOARD - CORI
Name: RONALD LEE
DOB: 7/14/1944
=====================
Arr Date: 5/19/1961    By Court: GLOUCESTER D.C.    Case # 61-23068
    Nature of Offense: POLICE OFFICER FAIL ASSIST  268/24
    Disp: DISMISSED     Date Disposed: 11/2/1961
"""
RAP = """MASSACHUSETTS STATE POLICE
RECORD OF ARRESTS AND PROSECUTIONS
NAME: MAALOUF, JOSEPH E.
DOB: 9/7/55

ARR. DATE 13FEB82      AGENCY MSP - MIDDLEBORO
  OFFENSE A&B c.265 §13A
  DISP DISMISSED, LAWRENCE DC ON 05JUL82
"""
UNTITLED = """DEPARTMENT OF PUBLIC WORKS
NAME: MAALOUF, JOSEPH E.
ARR. DATE 13FEB82
OFFENSE A&B c.265 §13A
"""


def test_form_kind_from_title_words():
    assert form_kind(CORI.upper()) == "court"
    assert form_kind(RAP.upper()) == "police"
    assert form_kind("DEPARTMENT OF CORRECTION\nMOVEMENT RECORD\nNAME: X\n\nSUPERIOR COURT") == "custody"
    assert form_kind(UNTITLED.upper()) is None


def test_arr_is_arraignment_on_a_court_record_and_arrest_on_a_police_one(ex):
    (cori,) = _records(ex, CORI)
    assert cori.fields["arraignment_date"].value == "1961-05-19" and "arrest_date" not in cori.fields
    assert cori.fields["disposition_date"].value == "1961-11-02"
    (rap,) = _records(ex, RAP)
    assert rap.fields["arrest_date"].value == "1982-02-13" and "arraignment_date" not in rap.fields
    assert not rap.fields["arrest_date"].evidence.ambiguous
    (other,) = _records(ex, UNTITLED)  # nothing says which: read as an arrest, marked ambiguous
    assert other.fields["arrest_date"].value == "1982-02-13" and other.fields["arrest_date"].evidence.ambiguous


DOCKET = """LAWRENCE DISTRICT COURT
COMMONWEALTH VS. NANCY BOUCHARD
COMPLAINT NO. 8703CR001691

1-2-87 COMPLAINT ISSUED.
ON 1-4-87 THE DEFENDANT WAS ARRAIGNED ON A CHARGE OF
    LARCENY FROM PERSON (266/25)
    A&B (265/13A)
- PLEA NOT GUILTY.
ON 5-5-87 THE COURT FOUND AS FOLLOWS:
    COUNT 1: GUILTY; SENTENCED TO PROB 18 MOS.
    COUNT 2: DISMISSED.
RECEIVED 6-1-87
"""


def test_prose_dates_take_the_verb_after_them_and_counts_their_findings(ex):
    (rec,) = _records(ex, DOCKET)
    f = rec.fields
    assert f["arraignment_date"].value == "1987-01-04" and f["arraignment_date"].evidence.source == "verb"
    assert f["disposition_date"].value == "1987-05-05"  # `THE COURT FOUND`
    assert "admission_date" not in f  # a court's `RECEIVED` stamp dates no custody
    # The plea is no finding; `COUNT 2:` names the second count listed above it.
    assert [c["disposition"].value for c in rec.charges] == ["guilty", "dismissed"]
    assert [c["statute"].value for c in rec.charges] == ["266/25", "265/13A"]


RAP_BLOCKS = """MASSACHUSETTS STATE POLICE
STATE IDENTIFICATION SECTION RECORD
SID# MA23324295
Name : SCARPELLI, NICHOLAS
Date Born : 12/16/33
-----------------------------------
NANTUCKET POLICE DEPT.            Arrested on : 10/29/89
  Charge Description : ASSAULT W/DANGEROUS WEAPON C265S15B
  Verdict : DISMISSED NANTUCKET D.C. ON 01/25/90

EDGARTOWN P.D.                    Arrested on : 02/06/91
  Charge Description : ROBBERY UNARMED C265S19
  Verdict : GUILTY EDGARTOWN D.C. 05/17/91
  DKT 9118CR003534

NANTUCKET POLICE DEPARTMENT       Arrested on : 04/15/91
  Charge Description : A&B C265S13A
  Verdict : CWOF NANTUCKET D.C. 08/06/91
NO OTHER ENTRIES
"""


def test_rap_sheet_blocks_open_at_their_repeated_label(ex):
    recs = _records(ex, RAP_BLOCKS)
    assert [(r.first_line, r.event_type) for r in recs] == [(6, "arrest"), (10, "arrest"), (15, "arrest")]
    assert [r.fields["arrest_date"].value for r in recs] == ["1989-10-29", "1991-02-06", "1991-04-15"]
    assert [r.fields["disposition_date"].value for r in recs] == ["1990-01-25", "1991-05-17", "1991-08-06"]
    assert all(r.fields["name"].value == "SCARPELLI, NICHOLAS" and r.fields["name"].evidence.source == "shared"
               for r in recs)


MOVEMENTS = """DEPARTMENT OF CORRECTION
MOVEMENT RECORD
NAME: MURPHY, ISAAC C
DOC NO. W38590
ACTION                DATE         FROM                        TO
NEW COMMIT            03/03/69     HAMPDEN SUP CT              MCI FRAMINGHAM
TRANSFER              12/15/70     MCI FRAMINGHAM              MCI BRIDGEWATER
PAROLED               04/28/71     MCI BRIDGEWATER             PAROLE
"""


def test_movement_log_types_and_facility_by_to_and_from_columns(ex):
    recs = _records(ex, MOVEMENTS)
    assert [r.event_type for r in recs] == ["admission", "transfer", "release"]
    assert [r.fields["facility"].value for r in recs] == ["MCI FRAMINGHAM", "MCI BRIDGEWATER", "MCI BRIDGEWATER"]
    assert recs[2].fields["release_date"].value == "1971-04-28"


REGISTER = """WORCESTER COUNTY HOUSE OF CORRECTION
RECORD OF COMMITMENTS   AUGUST 2000
PRISONER                   NO.     BY WHAT COURT   REC'D      TERM                        REL.
O'NEIL, MAI C.            73337   GARDNER DC       8-19-00    12 MOS H.O.C. COMMITTED     11-17-01
RIVERA, TERRENCE E.       73339   WORCESTER SUP CT  8-1-00  2 YRS. HOC; 9 MO TO SERVE, BAL. SUSP.  3-15-02
ETIENNE, CHESTER W.       73340   CLINTON DC      8-15-00    60 DAYS HOC
"""


def test_register_columns_ragged_rows_and_the_pages_century(ex):
    recs = _records(ex, REGISTER)
    assert [r.fields["admission_date"].value for r in recs] == ["2000-08-19", "2000-08-01", "2000-08-15"]
    # `3-15-02` sits right of its title (a long sentence pushed it): the row's last cell, under `REL.`
    assert [r.fields.get("release_date") and r.fields["release_date"].value for r in recs] == ["2001-11-17", "2002-03-15", None]
    assert recs[0].fields["release_date"].evidence.source == "column"
    assert [r.fields["booking_no"].value for r in recs] == ["73337", "73339", "73340"]  # a jail's numbers
    assert {r.event_type for r in recs} == {"admission"}


def test_two_digit_year_takes_the_pages_century():
    assert normalize_date("8-19-00").value == "1900-08-19"
    assert normalize_date("8-19-00", era=2000).value == "2000-08-19"
    assert normalize_date("5/26/56", era=1956).value == "1956-05-26"
    assert normalize_date("3/5/24", era=2000).value == "1924-03-05"  # not a decade past the page's year
