"""Identifiers, dispositions, event types, date roles, courts and facilities."""

from __future__ import annotations

import pytest

from extract.normalize.dispositions import normalize_disposition
from extract.normalize.events import date_role, normalize_event_type
from extract.normalize.identifiers import normalize_identifier
from extract.normalize.places import normalize_court, normalize_facility


# -- identifiers ---------------------------------------------------------------------------
@pytest.mark.parametrize("text,kind,value,clean", [
    ("8412 CR 001234", "docket", "8412CR001234", True),
    ("DOCKET NO. 8412CR001234", "docket", "8412CR001234", True),
    ("84l2CRO01234", "docket", "8412CR001234", False),
    ("8426CR000123", "docket", "8426CR000123", True),
    ("SUCR1984-00123", "docket", "SUCR1984-00123", True),
    ("MA12345678", "sid", "MA12345678", True),
    ("M4l2345678", "sid", "MA12345678", False),
    ("123456", "sid", "123456", True),
    ("12-34567", "sid", "12-34567", True),
    ("SID: l23456", "sid", "123456", False),
    ("W12345", "commitment_no", "W12345", True),
    ("W-12345", "commitment_no", "W-12345", True),
    ("VV12345", "commitment_no", "W12345", False),
    ("W l2345", "commitment_no", "W12345", False),
    ("F1234", "commitment_no", "F1234", True),
    ("84-00123", "booking_no", "84-00123", True),
    ("84-OO123", "booking_no", "84-00123", False),
    ("B8412345", "booking_no", "B8412345", True),
    ("1234567", "pcf", "1234567", True),
    ("PCF 123456", "pcf", "123456", True),
    # county-prefixed Superior dockets, old serials, arrest numbers
    ("FRCR91-2167", "docket", "FRCR91-2167", True),
    ("PLCR88-0188", "docket", "PLCR88-0188", True),
    ("ESCR1990-01234", "docket", "ESCR1990-01234", True),
    ("FRCR 91-2167", "docket", "FRCR91-2167", True),
    ("PLCR88-O188", "docket", "PLCR88-0188", False),
    ("5UCR1984-00123", "docket", "SUCR1984-00123", False),
    ("57-534", "docket", "57-534", False),
    ("63137", "docket", "63137", False),
    ("64-691-AR", "booking_no", "64-691-AR", True),
    ("92-429-AR", "booking_no", "92-429-AR", True),
    ("64-69l-AR", "booking_no", "64-691-AR", False),
    ("92-429-4R", "booking_no", "92-429-AR", False),
    ("B8123209", "booking_no", "B8123209", True),
    ("91-00768", "booking_no", "91-00768", True),
])
def test_identifiers(text, kind, value, clean):
    r = normalize_identifier(text, kind)
    assert r.ok and r.value == value
    assert (r.certainty == 1.0) == clean


@pytest.mark.parametrize("text,kind", [("HALL", "docket"), ("$500", "docket"), ("ABC", "sid"),
                                       ("X12", "commitment_no"), ("12", "pcf"), ("", "sid"),
                                       ("XXCR91-2167", "docket"), ("12", "docket"), ("SOLID", "docket"),
                                       ("SOLID", "sid"), ("64-691-XY", "booking_no")])
def test_identifier_failures(text, kind):
    r = normalize_identifier(text, kind)
    assert not r.ok and r.value is None


def test_older_forms_are_less_certain():
    assert normalize_identifier("84-1234", "docket").certainty < 1.0
    assert normalize_identifier("12345", "commitment_no").certainty < 1.0
    assert normalize_identifier("63137", "docket").certainty == 0.5   # a bare serial: the label says docket


def test_a_digit_too_few_lowers_certainty():
    # OCR that drops a digit leaves a well-formed number of the wrong width
    assert normalize_identifier("6136CR00152", "docket").certainty < normalize_identifier("6136CR001532", "docket").certainty
    assert normalize_identifier("8412CR1234", "docket").certainty == 1.0  # unpadded serials vary in width
    assert normalize_identifier("W6928", "commitment_no").certainty < 1.0
    assert normalize_identifier("W69528", "commitment_no").certainty == 1.0
    assert normalize_identifier("F1234", "commitment_no").certainty == 1.0


# -- dispositions --------------------------------------------------------------------------
@pytest.mark.parametrize("text,code", [
    ("GUILTY", "guilty"), ("G", "guilty"), ("FOUND GUILTY", "guilty"), ("PLEA GUILTY", "guilty"),
    ("PLED GUILTY", "guilty"), ("GLTY", "guilty"), ("Guilty", "guilty"), ("GUILTY - 2 YRS HOC", "guilty"),
    ("NOT GUILTY", "not_guilty"), ("NG", "not_guilty"), ("N.G.", "not_guilty"),
    ("DISMISSED", "dismissed"), ("DISM", "dismissed"), ("DISM.", "dismissed"),
    ("DISMISSED - REQ. OF COMM.", "dismissed"),
    ("NOLLE PROSEQUI", "nolle_prosequi"), ("NOLLE PROS", "nolle_prosequi"), ("NOL PROS", "nolle_prosequi"),
    ("NOLLE PROS.", "nolle_prosequi"), ("NP", "nolle_prosequi"),
    ("CWOF", "cwof"), ("C.W.O.F.", "cwof"), ("CONT W/O FINDING", "cwof"), ("CONTINUED WITHOUT A FINDING", "cwof"),
    ("FILED", "filed"), ("PLACED ON FILE", "filed"), ("FILED W/ DEFT'S CONSENT", "filed"),
    ("RESPONSIBLE", "responsible"), ("NOT RESPONSIBLE", "not_responsible"),
    ("CONTINUED", "continued"), ("DEFT DEFAULTED", "default"),
    ("DSM", "dismissed"), ("DSM.", "dismissed"), ("DISMD", "dismissed"), ("DIS.", "dismissed"),
    ("GF", "guilty"), ("G.F.", "guilty"), ("GUILTY FINDING", "guilty"), ("FINDING OF GUILTY", "guilty"),
    ("FINDING OF NOT GUILTY", "not_guilty"), ("C.W.O.F", "cwof"),
])
def test_dispositions(text, code):
    r = normalize_disposition(text)
    assert r.ok and r.value == code


@pytest.mark.parametrize("text,code", [("GUlLTY", "guilty"), ("DISMlSSED", "dismissed"),
                                       ("N0LLE PROS", "nolle_prosequi"), ("NOT GUlLTY", "not_guilty"),
                                       ("N0T GUILTY", "not_guilty"), ("GUILTV", "guilty"),
                                       ("D5M", "dismissed"), ("DlSMD", "dismissed"), ("C.W.0.F.", "cwof")])
def test_dispositions_ocr(text, code):
    r = normalize_disposition(text)
    assert r.value == code and r.certainty < 1.0


def test_disposition_other_and_empty():
    r = normalize_disposition("REMANDED")
    assert r.value == "other" and r.certainty < 0.5
    for text in ("DSS", "GIFT", "GFX", "DISPOSED"):   # look like the short forms, are not
        assert normalize_disposition(text).value == "other", text
    assert normalize_disposition("DSM").certainty < 1.0 and normalize_disposition("GF").certainty < 1.0
    assert not normalize_disposition("").ok


# -- events and date roles -----------------------------------------------------------------
@pytest.mark.parametrize("text,code", [
    ("ARRESTED", "arrest"), ("BOOKED", "booking"), ("ARRAIGNED", "arraignment"), ("DISPOSED", "disposition"),
    ("SENTENCED", "sentencing"), ("COMMITTED", "admission"), ("ADMITTED", "admission"), ("RECEIVED", "admission"),
    ("RELEASED", "release"), ("DISCHARGED", "release"), ("EXPIRATION OF SENTENCE", "release"),
    ("PAROLE GRANTED", "parole_granted"), ("RESERVE", "parole_granted"), ("PAROLE DENIED", "parole_denied"),
    ("PAROLE REVOKED", "parole_revoked"), ("PAROLED", "parole_release"), ("RELEASED ON PAROLE", "parole_release"),
    ("PROBATION SURRENDER", "probation_violation"), ("VIOLATION OF PROBATION", "probation_violation"),
    ("DISCHARGED FROM PROBATION", "probation_end"), ("PLACED ON PROBATION", "probation_start"),
    ("DEFT DEFAULTED. WARRANT ISSUED.", "warrant"), ("TRANSFERRED TO MCI NORFOLK", "transfer"),
    ("ESCAPED", "escape"), ("DECEASED", "death"), ("ARRESTED AND BOOKED", "arrest"),
    ("ARRAlGNED", "arraignment"), ("TRANSFERED", "transfer"), ("HELLO", "other"),
])
def test_event_types(text, code):
    assert normalize_event_type(text).value == code


@pytest.mark.parametrize("text,role", [
    ("DOB", "dob"), ("D.O.B.", "dob"), ("Date of Birth", "dob"), ("BORN", "dob"), ("D.0.B.", "dob"),
    ("OFFENSE", "offense_date"), ("OFF.", "offense_date"), ("DATE OF OFFENSE", "offense_date"),
    ("OFF DATE", "offense_date"), ("INCIDENT", "offense_date"), ("0FFENSE", "offense_date"),
    ("ARRESTED", "arrest_date"), ("DATE OF ARREST", "arrest_date"), ("ARR.", "arrest_date"), ("Date Arrested", "arrest_date"),
    ("ARRAIGNED", "arraignment_date"), ("ARRAIGNMENT", "arraignment_date"), ("Arraigned:", "arraignment_date"),
    ("DISPOSED", "disposition_date"), ("DISP. DATE", "disposition_date"), ("DISPO", "disposition_date"),
    ("SENTENCED", "sentence_date"), ("Sentence Date", "sentence_date"), ("DATE OF SENTENCE", "sentence_date"),
    ("ADMITTED", "admission_date"), ("ADM.", "admission_date"), ("DATE ADMITTED", "admission_date"),
    ("RECEIVED", "admission_date"), ("COMMITTED", "admission_date"), ("COMMITMENT DATE", "admission_date"),
    ("RELEASED", "release_date"), ("REL.", "release_date"), ("DISCHARGED", "release_date"), ("Paroled", "release_date"),
    ("EST. RELEASE", "projected"), ("Est. Release:", "projected"), ("PAROLE ELIG.", "projected"),
    ("Parole Elig.", "projected"), ("NEXT REVIEW", "projected"),
    ("HEARING", "hearing_date"), ("Hearing Date", "hearing_date"), ("DATE OF HEARING", "hearing_date"), ("HEARD", "hearing_date"),
    ("BOOKED", "booking_date"), ("BOOKING DATE", "booking_date"), ("DATE BOOKED", "booking_date"),
    ("ARRAlGNED", "arraignment_date"), ("NAME", None), ("", None),
])
def test_date_roles(text, role):
    assert date_role(text) == role


# -- courts and facilities -----------------------------------------------------------------
@pytest.mark.parametrize("text,value", [
    ("LOWELL DIST CT", "LOWELL DISTRICT COURT"), ("DISTRICT COURT OF LOWELL", "LOWELL DISTRICT COURT"),
    ("LOWELL DIVISION, DISTRICT COURT DEPT.", "LOWELL DISTRICT COURT"), ("LOWELL DC", "LOWELL DISTRICT COURT"),
    ("Lowell District Court", "LOWELL DISTRICT COURT"), ("BROOKLINE D.C.", "BROOKLINE DISTRICT COURT"),
    ("SUFFOLK SUP", "SUFFOLK SUPERIOR COURT"), ("SUFF SUP CT", "SUFFOLK SUPERIOR COURT"),
    ("SUPERIOR COURT, SUFFOLK COUNTY", "SUFFOLK SUPERIOR COURT"), ("WORCESTER COUNTY SUPERIOR COURT", "WORCESTER SUPERIOR COURT"),
    ("BOSTON MUNICIPAL COURT - ROXBURY DIVISION", "BOSTON MUNICIPAL COURT - ROXBURY DIVISION"),
    ("BMC ROXBURY", "BOSTON MUNICIPAL COURT - ROXBURY DIVISION"), ("BMC WEST ROXBURY", "BOSTON MUNICIPAL COURT - WEST ROXBURY DIVISION"),
    ("BMC CENT", "BOSTON MUNICIPAL COURT"), ("BOSTON MUNICIPAL COURT", "BOSTON MUNICIPAL COURT"),
    ("SUFFOLK JUVENILE COURT", "SUFFOLK JUVENILE COURT"), ("SUFFOLK JUV", "SUFFOLK JUVENILE COURT"),
    ("MIDDLESE JUV", "MIDDLESEX JUVENILE COURT"), ("NEW BEDF DC", "NEW BEDFORD DISTRICT COURT"),
    ("BRIS SUP", "BRISTOL SUPERIOR COURT"), ("DISTRICT COURT OF SOUTHERN BERKSHIRE", "SOUTHERN BERKSHIRE DISTRICT COURT"),
    ("EAST BROOKFIELD DC", "EAST BROOKFIELD DISTRICT COURT"), ("WEST ROXBURY DISTRICT COURT", "WEST ROXBURY DISTRICT COURT"),
    ("LOWELL DlSTRICT COURT", "LOWELL DISTRICT COURT"), ("L0WELL DC", "LOWELL DISTRICT COURT"),
    ("NEW BEOFORD DISTRICT COURT", "NEW BEDFORD DISTRICT COURT"),
])
def test_courts(text, value):
    r = normalize_court(text)
    assert r.ok and r.value == value


def test_court_certainty():
    assert normalize_court("LOWELL DISTRICT COURT").certainty == 1.0
    r = normalize_court("DARTMOUT DC")             # truncated, and no court sits in Dartmouth
    assert r.value == "DARTMOUTH DISTRICT COURT" and r.certainty < 0.7
    assert normalize_court("NORTH ADAMS DISTRICT COURT").certainty < 1.0
    assert normalize_court("HAMP SUP").certainty < 0.5      # Hampden or Hampshire
    assert normalize_court("SPRINGFIELD").certainty <= 0.5  # kind of court not printed
    assert not normalize_court("XYZ").ok and not normalize_court("").ok


@pytest.mark.parametrize("text,value", [
    ("MCI CEDAR JUNCTION", "MCI CEDAR JUNCTION"), ("MCI WALPOLE", "MCI WALPOLE"), ("MCI CONCORD", "MCI CONCORD"),
    ("M.C.I. NORFOLK", "MCI NORFOLK"), ("MCI FRAMINGHAM", "MCI FRAMINGHAM"), ("MCI BRIDGEWATER", "MCI BRIDGEWATER"),
    ("BRIDGEWATER STATE HOSPITAL", "BRIDGEWATER STATE HOSPITAL"), ("MCI SHIRLEY", "MCI SHIRLEY"),
    ("MCI PLYMOUTH", "MCI PLYMOUTH"), ("NCCI GARDNER", "NCCI GARDNER"), ("MCI LANCASTER", "MCI LANCASTER"),
    ("OLD COLONY C.C.", "OLD COLONY CORRECTIONAL CENTER"), ("SOUZA-BARANOWSKI C.C.", "SOUZA-BARANOWSKI CORRECTIONAL CENTER"),
    ("SBCC", "SOUZA-BARANOWSKI CORRECTIONAL CENTER"), ("MASS. TREATMENT CENTER", "MASSACHUSETTS TREATMENT CENTER"),
    ("BOSTON PRE-RELEASE CENTER", "BOSTON PRE-RELEASE CENTER"), ("SOUTH MIDDLESEX C.C.", "SOUTH MIDDLESEX CORRECTIONAL CENTER"),
    ("NORTHEASTERN C.C.", "NORTHEASTERN CORRECTIONAL CENTER"), ("BAY STATE C.C.", "BAY STATE CORRECTIONAL CENTER"),
    ("SUFFOLK COUNTY H.O.C.", "SUFFOLK HOC"), ("HOUSE OF CORRECTION, SUFFOLK COUNTY", "SUFFOLK HOC"),
    ("BRISTOL COUNTY H.O.C. - NORTH DARTMOUTH", "BRISTOL HOC"), ("DEER ISLAND HOC", "SUFFOLK HOC"),
    ("BILLERICA HOC", "MIDDLESEX HOC"), ("NORFOLK COUNTY H.O.C. - DEDHAM", "NORFOLK HOC"),
    ("PLYMOUTH COUNTY C.F.", "PLYMOUTH HOC"), ("DUKES COUNTY JAIL AND H.O.C.", "DUKES HOC"),
    ("NASHUA ST JAIL", "SUFFOLK JAIL"), ("NANTUCKET COUNTY JAIL", "NANTUCKET JAIL"), ("STATE PRISON", "STATE PRISON"),
    ("MCI CEDAR JUNCTlON", "MCI CEDAR JUNCTION"), ("MCl WALP0LE", "MCI WALPOLE"), ("SUFF0LK COUNTY H.O.C.", "SUFFOLK HOC"),
    # abbreviated forms records print
    ("MCI CEDAR JCT.", "MCI CEDAR JUNCTION"), ("MCI-CJ", "MCI CEDAR JUNCTION"), ("M.C.I. C.J.", "MCI CEDAR JUNCTION"),
    ("CEDAR JCT.", "MCI CEDAR JUNCTION"), ("MCI FRAM.", "MCI FRAMINGHAM"), ("MCI-FRAM", "MCI FRAMINGHAM"),
    ("MCI NORF.", "MCI NORFOLK"), ("MCI CONC.", "MCI CONCORD"), ("MCI BRIDGEW.", "MCI BRIDGEWATER"),
    ("S.B.C.C.", "SOUZA-BARANOWSKI CORRECTIONAL CENTER"),
    ("MIDD HOC", "MIDDLESEX HOC"), ("SUFF HOC", "SUFFOLK HOC"), ("ESSX HOC", "ESSEX HOC"), ("WORC HOC", "WORCESTER HOC"),
    ("PLYM HOC", "PLYMOUTH HOC"), ("BRIS HOC", "BRISTOL HOC"), ("BARN HOC", "BARNSTABLE HOC"),
    ("BERK HOC", "BERKSHIRE HOC"), ("NORF HOC", "NORFOLK HOC"), ("FRAN HOC", "FRANKLIN HOC"),
    ("SUFF JAIL", "SUFFOLK JAIL"), ("SUFF H/C", "SUFFOLK HOC"), ("HAMP HOC - LUDLOW", "HAMPDEN HOC"),
    ("MIDDLESEX COUNTY HOUSE OF CORR.", "MIDDLESEX HOC"), ("WORCESTER COUNTY HOUSE OF CORR", "WORCESTER HOC"),
    ("SUFFOLK COUNTY HOUSE OF C0RR.", "SUFFOLK HOC"), ("MlDD HOC", "MIDDLESEX HOC"), ("W0RC HOC", "WORCESTER HOC"),
])
def test_facilities(text, value):
    r = normalize_facility(text)
    assert r.ok and r.value == value


def test_facility_failures():
    assert not normalize_facility("XYZ").ok
    assert not normalize_facility("COUNTY JAIL").ok     # which county?
    assert not normalize_facility("").ok
    assert not normalize_facility("HOUSE OF CORR.").ok  # which county?
    assert not normalize_facility("CJ").ok              # CJ and FRAM name an institution only after MCI
    assert not normalize_facility("FRAM").ok
    assert not normalize_facility("MCI XYZ").ok


def test_facility_abbreviation_certainty():
    r = normalize_facility("HAMP HOC")                  # Hampden or Hampshire
    assert r.value == "HAMPDEN HOC" and r.certainty < 0.5
    assert normalize_facility("HAMPSHIRE HOC").value == "HAMPSHIRE HOC"
    assert normalize_facility("MIDD HOC").certainty == 1.0
    assert normalize_facility("MCI FRAM.").certainty < 1.0   # truncated
