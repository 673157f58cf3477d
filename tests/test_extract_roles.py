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


def test_a_two_digit_birth_year_with_no_date_beside_it_is_a_grown_persons():
    # A damaged header left the record no date: `DOB 02/08/24` is not a two-year-old today.
    assert normalize_date("02/08/24", role="dob").value == "1924-02-08"
    r = normalize_date("10/10/05", role="dob")   # 21 or 121 today: the living age, less certain
    assert (r.value, r.certainty < 0.9) == ("2005-10-10", True)


@pytest.mark.parametrize("label, role", [
    ("WAS DISCHARGED UPON COMPLETION OF SENTENCE ON", "release_date"),
    ("WAS DISCHARGED BY REASON OF THE EXPIRATION OF SENTENCE ON", "release_date"),
    ("EXP. OF SENT.", "release_date"),
    ("SENTENCED ON", "sentence_date"),
    ("DATE OF SENTENCE", "sentence_date"),
])
def test_a_sentence_that_ran_out_dates_a_release(label, role):
    from extract.normalize.events import date_role
    assert date_role(label) == role


WARRANT = """COMMONWEALTH OF MASSACHUSETTS
PAROLE BOARD - WARRANT UNIT
WARRANT NO. 78-9512                         DATE OF ISSUE: 2.3.78
TO ANY OFFICER AUTHORIZED TO SERVE CRIMINAL PROCESS:
WHEREAS STEPHEN JOSEPH, NO. W33923, WAS RELEASED ON PAROLE FROM
MCI CEDAR JCT. ON 6.18.77 AND HAS VIOLATED THE CONDITIONS OF HIS PAROLE,
DOCKET NO. 7602CR001234
"""


def test_a_number_labelled_as_something_else_is_no_identifier(ex):
    (rec,) = _records(ex, WARRANT)
    # The warrant's own number is neither a docket nor a booking number; the labelled docket is.
    assert rec.fields["docket"].value == "7602CR001234"
    assert "booking_no" not in rec.fields
    assert rec.fields["commitment_no"].value == "W33923"


BLOTTER = """LYNN POLICE DEPARTMENT
PRISONER LOG   JAN 21 1955
2129  55-789-AR  MELENDEZ, SAMUEL F. JR., AGE 43  74 DORCHESTER AVE  A&B  OFC. O'BRIEN
2130  55-790-AR  VANESSA KENNEDY  AGE 55  99 SUMMER ST  LARCENY FROM PERSON  PTL. ADEYEMI
O.I.C. GUERDA NOWAK
"""


def test_a_suffix_after_the_initial_and_the_officer_in_charge(ex):
    recs = _records(ex, BLOTTER)
    assert [r.fields["name"].value for r in recs] == ["MELENDEZ JR, SAMUEL F", "KENNEDY, VANESSA"]


INDEX_CARD = """SANTIAGO, PATRICK                            BERKSHIRE SUPERIOR COURT
B. 07-FEB-30  451 BLUE HILL AVE LEE
6132CR001408 266/37 LARCENY BY CHECK UNDER $250  DISMISSED  1-20-61
69629  268/24 POLICE OFFICER FAIL ASSIST  FILED 4-11-61
"""


def test_case_lines_are_records_of_their_own_with_or_without_a_docket_the_ner_knows(ex):
    recs = _records(ex, INDEX_CARD)
    assert len(recs) == 2
    assert [[c["statute"].value for c in r.charges] for r in recs] == [["266/37"], ["268/24"]]
    assert {r.fields["name"].value for r in recs} == {"SANTIAGO, PATRICK"}


PROBATION_BLOCKS = """BOARD OF PROBATION RECORD
NAME (LAST, FIRST, MI) - CORMIER, DENNIS
BIRTHDATE - JAN. 19, 1914
===================================================
1) ARR. DT - AUG. 1, 1953  TRIAL COURT - ATTLEBORO DIST. CT.   CASE NO. - 53-99131
   CHARGE DESCRIPTION - ESCAPE FROM PENAL INSTITUTION PERMIT  M.G.L. c. 268 § 19
    DISPOSITION - FILED W/ CONSENT          DISP DT - JAN. 16, 1954

2) ARR. DT - OCT. 18, 1953     TRIAL COURT - TAUNTON DISTRICT CT.   CASE NO. - 53-33616
    CHARGE DESCRIPTION - UNLICENSED OPERATION OF MV  M.G.L. c. 90 § 10
    DISPOSITION - NOT GUILTY                DISP DT -  JUN. 18, 1954
"""


def test_arr_dt_and_disp_dt_lines_are_one_case_block(ex):
    recs = _records(ex, PROBATION_BLOCKS)
    assert [(r.fields["docket"].value, r.fields["arraignment_date"].value, r.fields["disposition_date"].value)
            for r in recs] == [("53-99131", "1953-08-01", "1954-01-16"), ("53-33616", "1953-10-18", "1954-06-18")]


JAIL_TITLES = """COUNTY JAIL AT FRANKLIN
COMMITMENT REGISTER   JUNE 1977
#       NAME OF PRISONER          REC'D      OFFENSE                       COMMITTED BY    TERM                        REL.
42085   CHAN, NORMAND G.          06/27/77   A&B                           MONTAGUE DC     COMMITTED 12 MOS. H.O.C.
42089   WONG, DESHAWN S.          06/09/77   POLLUTANT CONTROL DEVICE REMOVE 2ND OFF.  FRAN SUP  6 TO 7 YEARS STATE PRISON
"""


def test_a_title_row_with_words_the_ner_took_for_values_heads_the_list(ex):
    recs = _records(ex, JAIL_TITLES)
    # Under `#`, not under the page's title `COMMITMENT REGISTER`: a jail's own (booking) numbers.
    assert [r.fields["booking_no"].value for r in recs] == ["42085", "42089"]
    assert not any("commitment_no" in r.fields for r in recs)


INDEX_CARD_SENTENCED = """SANTIAGO, PATRICK                            BERKSHIRE SUPERIOR COURT
B. 07-FEB-30  451 BLUE HILL AVE LEE
6807CR008280  265/13A A&B - GLTY, 18 MONTHS H/C COMMITTED  1/19/68
7912CR009554 267-7 FORGERY OF COMMONWEALTH NOTE / FILED 8.13.79
"""


def test_the_first_items_sentence_is_no_title_for_the_list(ex):
    # `COMMITTED` in the first case line's sentence made every line of the card an admission.
    recs = _records(ex, INDEX_CARD_SENTENCED)
    assert [(r.event_type, r.fields["disposition_date"].value) for r in recs] == \
        [("disposition", "1968-01-19"), ("disposition", "1979-08-13")]


def test_an_offence_run_into_its_finding_is_looked_up_without_it(ex):
    (rec,) = _records(ex, "8726CR009430  265/13A A&B / GUILTY  DISP 7/18/1987\n")
    (charge,) = rec.charges
    assert (charge["offense_code"].value, charge["description"].value, charge["disposition"].value) == \
        ("265/13A/B", "A&B", "guilty")


REGISTER_OUT_FIRST = """Dukes Jail
Record of Commitments   For AUGUST 1957
7/21/58    8/5/57     44555   Williams, Michael         Nightwalker Common            H.O.C. 3 Mos                Edgartown Dist Ct
6/23/59    8/10/57    44556   Evans, Amina              A&B                           Committed 9 Mo H.O.C        Edgartown Dist Ct
"""


def test_a_register_rows_bare_dates_come_in_before_they_go_out(ex):
    recs = _records(ex, REGISTER_OUT_FIRST)
    assert [(r.fields["admission_date"].value, r.fields["release_date"].value) for r in recs] == \
        [("1957-08-05", "1958-07-21"), ("1957-08-10", "1959-06-23")]


BLOTTER_FIRST_ROW_IN_HEADER = """Charlestown P.D.
Arrest Log   25-AUG-93
1410  Johnson, Carmine, 7/4/1935  156 Acushnet Ave  Nightwalker Common  PTL. PACHECO
2010  93-950-AR  Lopes, Edward G, AGE 57  401 Broadway  Phencyclidine Possess to Distrib Subsq  PTL. ADEYEMI
2203  93-745-AR  Fitzgerald Lucien P, 4/21/1961  373 School St  Dog Collar Remove  SGT. CHHAY
2344  93-898-AR  Santiago Elizabeth, 11/23/1960  168 Blue Hill Ave  Larceny by Check Under $250  OFC. PHAM
0220  93-550-AR  Ernest S. Greco, AGE 59  204 Essex St  A&B with Dangerous Weapon +65  PTL. OKAFOR
0106  Bell Raymond E, AGE 22  290 Summer St  Enter Dwelling at Night for Felony  OFC. MORIARTY
2053  93-275-AR  Joseph, Domenic T., DOB 3/28/1937  22 Summer St  A&B  OFC. THOMAS
1958  93-306-AR  Campbell Wilfredo, AGE 21  407 School St  Dog Officer Violation  OFC. O'CONNOR
0338  93-912-AR  Tran Joao W, AGE 36  349 Elm St  Assault W/Dangerous Weapon +65  SGT. GIANNOPOULOS
SHIFT: Cook, V.
"""


def test_a_list_of_people_lends_no_item_the_name_above_it(ex):
    recs = _records(ex, BLOTTER_FIRST_ROW_IN_HEADER)
    names = [r.fields["name"].value for r in recs if "name" in r.fields]
    assert {"LOPES, EDWARD G", "FITZGERALD, LUCIEN P", "GRECO, ERNEST S", "TRAN, JOAO W"} <= set(names)
    assert names.count("JOHNSON, CARMINE") <= 1   # not lent to items whose own name the NER missed
