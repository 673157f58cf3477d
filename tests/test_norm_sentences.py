"""Sentences -> the fixed dict; canonical durations; plausibility by offence level."""

from __future__ import annotations

import pytest

from extract.normalize.sentences import iso_duration, normalize_sentence, sentence_in_range

KEYS = {"type", "min", "max", "to_serve", "probation", "suspended", "concurrent", "from_and_after",
        "fine", "life"}


def S(text):
    r = normalize_sentence(text)
    assert set(r.value) == KEYS
    return r


@pytest.mark.parametrize("text,expect", [
    ("2 YRS HOC, 6 MOS TO SERVE, BAL SUSP", dict(type="hoc", max="P2Y", to_serve="P6M", suspended=True, probation=None)),
    ("NOT LESS THAN 3 NOR MORE THAN 5 YRS MCI CEDAR JUNCTION", dict(type="state_prison", min="P3Y", max="P5Y", to_serve=None)),
    ("NLT 3 NMT 5", dict(type="state_prison", min="P3Y", max="P5Y")),
    ("3 TO 5 YRS STATE PRISON", dict(type="state_prison", min="P3Y", max="P5Y")),
    ("3-5 YRS MCI WALPOLE", dict(type="state_prison", min="P3Y", max="P5Y")),
    ("15 TO 20 YRS MCI CEDAR JUNCTION", dict(type="state_prison", min="P15Y", max="P20Y")),
    ("MCI CONCORD 10 YRS (INDET.)", dict(type="state_prison", min=None, max="P10Y", to_serve=None)),
    ("20 YRS INDET.", dict(type="state_prison", max="P20Y")),
    ("PROB 18 MOS", dict(type="probation", probation="P18M", max=None)),
    ("CWOF 1 YR", dict(type="cwof", probation="P1Y")),
    ("CWOF 6 MOS", dict(type="cwof", probation="P6M")),
    ("CONT W/O FINDING 6 MOS", dict(type="cwof", probation="P6M")),
    ("CWOF TO 05/01/83", dict(type="cwof", probation=None, max=None)),
    ("CWOF 6 MOS, $50 VWF", dict(type="cwof", probation="P6M", fine=None)),
    ("FINE $100", dict(type="fine", fine=100)),
    ("$300 FINE + COSTS", dict(type="fine", fine=300)),
    ("90 DAYS HOC", dict(type="hoc", max="P90D", to_serve="P90D", suspended=False)),
    ("18 MOS HOC", dict(type="hoc", max="P18M", to_serve="P18M")),
    ("2 YRS HOC SUSP, PROB 2 YRS", dict(type="hoc", max="P2Y", suspended=True, probation="P2Y", to_serve=None)),
    ("1 YR HOC, SUSP 2 YRS", dict(type="hoc", max="P1Y", suspended=True, probation="P2Y")),
    ("2 YRS HOC CONC W/ CT 1", dict(concurrent=True, from_and_after=False)),
    ("2 YRS HOC CONC.", dict(concurrent=True)),
    ("1 YR HOC CONCURRENT", dict(concurrent=True)),
    ("1 YR HOC FROM AND AFTER CT 1", dict(from_and_after=True, concurrent=False)),
    ("6 MOS HOC F&A", dict(from_and_after=True)),
    ("6 MOS HOC CONSEC", dict(from_and_after=True)),
    ("LIFE", dict(type="state_prison", life=True, max=None)),
    ("60 DAYS JAIL", dict(type="jail", max="P60D", to_serve="P60D")),
    ("FILED", dict(type="filed")),
    ("FILED W/ DEFT'S CONSENT", dict(type="filed")),
    ("2.5 YRS HOC", dict(max="P2Y6M")),
    ("2 1/2 YRS HOC", dict(max="P2Y6M")),
    ("2½ YRS HOC", dict(max="P2Y6M")),
    ("2 YRS 6 MOS HOC", dict(max="P2Y6M")),
    ("2 WKS JAIL", dict(max="P14D")),
    ("NOT MORE THAN 2 1/2 YRS HOC", dict(type="hoc", max="P2Y6M", min=None)),
    ("6 MOS SUSP", dict(type="suspended", max="P6M", suspended=True, to_serve=None)),
    ("SIX MONTHS HOUSE OF CORRECTION", dict(type="hoc", max="P6M")),
    ("LOSS OF LICENSE 1 YR, FINE $500", dict(type="fine", fine=500, probation=None, max=None)),
    ("TIME SERVED", dict(type="time_served")),
    # short forms of house of correction, deemed-served terms
    ("1 YR H/C", dict(type="hoc", max="P1Y", to_serve="P1Y")),
    ("1 YR H.C.", dict(type="hoc", max="P1Y", to_serve="P1Y")),
    ("6 MOS HOUSE OF CORR.", dict(type="hoc", max="P6M", to_serve="P6M")),
    ("COMMITTED 1 YEAR H/C", dict(type="hoc", max="P1Y", to_serve="P1Y")),
    ("6 MOS H/C SUSP, PROB 1 YR", dict(type="hoc", max="P6M", suspended=True, probation="P1Y", to_serve=None)),
    ("DEEMED SERVED", dict(type="time_served", max=None)),
    ("30 DAYS DEEMED SERVED", dict(type="time_served", max="P30D", to_serve=None)),
    ("60 DAYS TIME SERVED", dict(type="time_served", max="P60D")),
    ("SENTENCED TO TIME SERVED", dict(type="time_served")),
    ("2 YRS HOC, CREDIT FOR TIME SERVED", dict(type="hoc", max="P2Y", to_serve="P2Y")),   # credit, not the sentence
    ("1 YR HOC JTC TIME SERVED", dict(type="hoc", max="P1Y")),
    ("SUSPENDED SENTENCE 1 YEAR, 6 MO PROBATION", dict(type="suspended", max="P1Y", suspended=True,
                                                       probation="P6M", to_serve=None)),
    ("6 MOS C/C", dict(type="other", concurrent=True)),                   # C/C is concurrent, not H/C
])
def test_semantics(text, expect):
    r = S(text)
    assert r.ok
    for k, v in expect.items():
        assert r.value[k] == v, (k, r.value)


@pytest.mark.parametrize("text,expect", [
    ("l YR H0C", dict(type="hoc", max="P1Y")),
    ("S YRS HOC", dict(max="P5Y")),
    ("2 YR5 HOC SUSP", dict(max="P2Y", suspended=True)),
    ("FlNE $50", dict(type="fine", fine=50)),
    ("$3O0 FINE + COSTS", dict(fine=300)),
    ("PR0B 18 M0S", dict(type="probation", probation="P18M")),
    ("l YR H/C", dict(type="hoc", max="P1Y")),
    ("6 MOS HOUSE 0F C0RR.", dict(type="hoc", max="P6M")),
    ("3O DAYS DEEMED SERVED", dict(type="time_served", max="P30D")),
])
def test_ocr_damage(text, expect):
    r = S(text)
    assert r.ok and r.certainty < 1.0
    for k, v in expect.items():
        assert r.value[k] == v, (k, r.value)


@pytest.mark.parametrize("text", ["", "GUILTY", "SEE ATTACHED"])
def test_failure_keeps_all_keys(text):
    r = S(text)
    assert not r.ok and r.certainty == 0.0 and r.value["type"] == "other"


def test_unknown_words_lower_certainty():
    assert S("2 YRS HOC").certainty == 1.0
    assert S("2 YRS HOC XQZZY BLORP").certainty < 1.0


@pytest.mark.parametrize("amount,unit,iso", [
    (18, "M", "P18M"), (2.5, "Y", "P2Y6M"), (0.5, "Y", "P6M"), (30, "D", "P30D"), (2, "W", "P14D"),
    (1, "Y", "P1Y"), (1.5, "M", "P1M15D"),
])
def test_iso_duration(amount, unit, iso):
    assert iso_duration(amount, unit) == iso


def test_sentence_in_range():
    sp = S("3 TO 5 YRS STATE PRISON").value
    assert sentence_in_range(sp, "felony") and sentence_in_range(sp, "F")
    assert not sentence_in_range(sp, "misdemeanor") and not sentence_in_range(sp, "M")
    assert sentence_in_range(S("2 1/2 YRS HOC").value, "M")
    assert not sentence_in_range(S("3 YRS HOC").value, "F")           # HOC max is 2 1/2 years
    assert not sentence_in_range(S("PROB 6 YRS").value, "M")          # probation over 5 years
    assert not sentence_in_range(S("5 TO 3 YRS STATE PRISON").value, "F")   # min over max
    assert sentence_in_range(S("LIFE").value, "felony")
    assert not sentence_in_range(S("LIFE").value, "misdemeanor")
