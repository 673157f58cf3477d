"""Where the synthetic state's records come from: 17 agencies, 14 counties, their courts and facilities."""

from __future__ import annotations

from dataclasses import dataclass

# Share of the state's cases by county (population weighted up where caseloads are heavier).
COUNTY_WEIGHTS = {
    "Middlesex": 15, "Suffolk": 16, "Worcester": 11, "Essex": 11, "Hampden": 10, "Bristol": 9,
    "Plymouth": 7, "Norfolk": 7, "Barnstable": 3.5, "Berkshire": 2.5, "Hampshire": 2, "Franklin": 1,
    "Dukes": 0.4, "Nantucket": 0.3,
}
COUNTIES = tuple(COUNTY_WEIGHTS)

# District Court seats (courts named after them). Suffolk's Boston seats became BMC divisions in 2004.
DISTRICT_SEATS = {
    "Barnstable": ("BARNSTABLE", "FALMOUTH", "ORLEANS"),
    "Berkshire": ("PITTSFIELD", "NORTH ADAMS", "SOUTHERN BERKSHIRE"),
    "Bristol": ("NEW BEDFORD", "FALL RIVER", "TAUNTON", "ATTLEBORO"),
    "Dukes": ("EDGARTOWN",),
    "Essex": ("LAWRENCE", "LYNN", "SALEM", "HAVERHILL", "GLOUCESTER", "NEWBURYPORT", "PEABODY"),
    "Franklin": ("GREENFIELD", "ORANGE"),
    "Hampden": ("SPRINGFIELD", "HOLYOKE", "CHICOPEE", "WESTFIELD", "PALMER"),
    "Hampshire": ("NORTHAMPTON", "EASTERN HAMPSHIRE"),
    "Middlesex": ("CAMBRIDGE", "LOWELL", "FRAMINGHAM", "SOMERVILLE", "MALDEN", "WOBURN", "NEWTON",
                  "WALTHAM", "CONCORD", "AYER", "MARLBOROUGH"),
    "Nantucket": ("NANTUCKET",),
    "Norfolk": ("DEDHAM", "QUINCY", "BROOKLINE", "STOUGHTON", "WRENTHAM"),
    "Plymouth": ("BROCKTON", "PLYMOUTH", "WAREHAM", "HINGHAM"),
    "Suffolk": ("CHELSEA",),
    "Worcester": ("WORCESTER", "FITCHBURG", "LEOMINSTER", "MILFORD", "WESTBOROUGH", "DUDLEY",
                  "CLINTON", "UXBRIDGE", "EAST BROOKFIELD"),
}
BOSTON_SEATS = ("CENTRAL", "DORCHESTER", "ROXBURY", "SOUTH BOSTON", "EAST BOSTON", "CHARLESTOWN",
                "WEST ROXBURY", "BRIGHTON")
BMC_DIVISIONS_FROM = 2004
# Two-letter Superior Court county codes used in its docket numbers (SUCR1984-00123).
SUPERIOR_CODES = {"Barnstable": "BA", "Berkshire": "BE", "Bristol": "BR", "Dukes": "DU", "Essex": "ES",
                  "Franklin": "FR", "Hampden": "HD", "Hampshire": "HS", "Middlesex": "MI",
                  "Nantucket": "NA", "Norfolk": "NO", "Plymouth": "PL", "Suffolk": "SU", "Worcester": "WO"}
JUVENILE_COURT_FROM = 1992  # statewide Juvenile Court; before, juvenile sessions of the District Court

DOC = "DEPARTMENT OF CORRECTION"
PAROLE = "PAROLE BOARD"
PROBATION = "OFFICE OF THE COMMISSIONER OF PROBATION"
STATE_POLICE = "STATE POLICE IDENTIFICATION SECTION"
DCJIS = "DEPARTMENT OF CRIMINAL JUSTICE INFORMATION SERVICES"
DISTRICT = "DISTRICT COURT DEPARTMENT"
SUPERIOR = "SUPERIOR COURT DEPARTMENT"
BMC = "BOSTON MUNICIPAL COURT DEPARTMENT"
JUVENILE = "JUVENILE COURT DEPARTMENT"
# The sheriffs whose Houses of Correction gave their registers to the archive (8 of 14).
SHERIFF_COUNTIES = ("Suffolk", "Middlesex", "Essex", "Worcester", "Hampden", "Bristol", "Plymouth", "Norfolk")
SHERIFFS = {c: f"{c.upper()} COUNTY SHERIFF'S DEPARTMENT" for c in SHERIFF_COUNTIES}
AGENCIES = (DOC, PAROLE, PROBATION, STATE_POLICE, DCJIS, DISTRICT, SUPERIOR, BMC, JUVENILE,
            *SHERIFFS.values())
assert len(AGENCIES) == 17

# The record series each agency's documents belong to.
SERIES = {DOC: "INMATE RECORD CARDS", PAROLE: "HEARING DECISIONS", PROBATION: "PROBATION CENTRAL FILE",
          STATE_POLICE: "FINGERPRINT CARDS", DCJIS: "CORI ARREST ENTRIES", DISTRICT: "CRIMINAL DOCKETS",
          SUPERIOR: "CRIMINAL DOCKETS", BMC: "CRIMINAL DOCKETS", JUVENILE: "DELINQUENCY DOCKETS",
          **{s: "COMMITMENT REGISTERS" for s in SHERIFFS.values()}}


@dataclass(frozen=True, slots=True)
class Facility:
    name: str
    county: str
    start: int   # first year open
    end: int     # last year open
    women: bool = False


# DOC institutions with the years they held people (closed, renamed or opened over the decades).
DOC_FACILITIES = (
    Facility("MCI WALPOLE", "Norfolk", 1956, 1984), Facility("MCI CEDAR JUNCTION", "Norfolk", 1985, 2023),
    Facility("MCI CONCORD", "Middlesex", 1950, 2025), Facility("MCI NORFOLK", "Norfolk", 1950, 2025),
    Facility("MCI BRIDGEWATER", "Plymouth", 1950, 1990), Facility("MCI SHIRLEY", "Middlesex", 1991, 2025),
    Facility("NCCI GARDNER", "Worcester", 1981, 2025), Facility("SOUZA-BARANOWSKI CC", "Worcester", 1998, 2025),
    Facility("OLD COLONY CC", "Plymouth", 1987, 2025), Facility("NORTHEASTERN CC", "Middlesex", 1971, 2025),
    Facility("BAY STATE CC", "Norfolk", 1977, 2015), Facility("PONDVILLE CC", "Norfolk", 1976, 2025),
    Facility("BOSTON PRE-RELEASE CENTER", "Suffolk", 1972, 2020),
    Facility("MASS. TREATMENT CENTER", "Plymouth", 1959, 2025),
    Facility("MCI FRAMINGHAM", "Middlesex", 1950, 2025, women=True),
    Facility("SOUTH MIDDLESEX CC", "Middlesex", 1976, 2025, women=True),
)


def hoc_name(county: str) -> str:
    return f"{county.upper()} HOC"


def jail_name(county: str) -> str:
    return "NASHUA STREET JAIL" if county == "Suffolk" else f"{county.upper()} JAIL"


def doc_facilities(year: int, women: bool) -> tuple[Facility, ...]:
    year = min(max(year, 1950), 2023)
    return tuple(f for f in DOC_FACILITIES if f.start <= year <= f.end and f.women == women)
