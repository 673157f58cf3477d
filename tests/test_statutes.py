"""Citation forms seen on Massachusetts records, clean and OCR-damaged, and what is no citation."""

from __future__ import annotations

import pytest

from extract.normalize.statutes import Citation, find_citations, parse_citation


@pytest.mark.parametrize(("text", "canonical"), [
    ("C265 S13A", "265/13A"),
    ("c. 265, § 13A", "265/13A"),
    ("265/13A", "265/13A"),
    ("G.L. c.90 s.24(1)(a)(1)", "90/24(1)(a)(1)"),
    ("Ch 94C Sec 32A", "94C/32A"),
    ("c269 §10(a)", "269/10(a)"),
    ("C.265 S.13A", "265/13A"),
    ("CH. 266 SEC. 30", "266/30"),
    ("266-30", "266/30"),
    ("265 § 15A(b)", "265/15A(b)"),
    ("MGL c 94C s 32A(c)", "94C/32A(c)"),
    ("M.G.L. c. 265 § 15A", "265/15A"),
    ("C265S13A", "265/13A"),
    ("c265 §13A(a½)", "265/13A(a½)"),
    ("c.90 §24(1)(a)(1)", "90/24(1)(a)(1)"),
    ("c 266 s 30(1)", "266/30(1)"),
    ("chapter 209A section 7", "209A/7"),
    ("c94c s32a", "94C/32A"),
    ("C. 265 S. 13A ASSAULT AND BATTERY", "265/13A"),
    ("c90 §7D½", "90/7D½"),
    ("c266 §120E1/2(d)", "266/120E½(d)"),
    ("c18 §5J (a)", "18/5J(a)"),
    ("A&B  Ch. 265 S 13K(a cent)", "265/13K(a½)"),   # offense_categories.csv prints ½ as "cent"
    ("c264 §2 F", "264/2"),                          # F is the felony flag, not a section letter
    ("c90 §8 M-", "90/8"),
    # OCR damage
    ("c265 $13A", "265/13A"),
    ("C265 S 13 A", "265/13A"),
    ("c265 5 13A", "265/13A"),
    ("c265 8 13A", "265/13A"),
    ("c265 513A", "265/13A"),
    ("c266 8127", "266/127"),
    ("C9O S24", "90/24"),
    ("c266 §3O", "266/30"),
    ("c265 §l3A", "265/13A"),
    ("C265 Sl5A(b)", "265/15A(b)"),
    ("c.9O s.24(l)(a)(l)", "90/24(1)(a)(1)"),
    ("Ch . 265 S 13J", "265/13J"),
    ("Ch. 26 9 S l0(d)", "269/10(d)"),
    ("Ch. 266 S lOI", "266/101"),
    ("ASSAULTc265 s13A", "265/13A"),
    ("ABANDON MVc90 522B(a)", "90/22B(a)"),
    ("c90B58A(2)", "90B/8A(2)"),
    ("c948303J", "94/303J"),
    # a G.L. marker with neither chapter nor section mark
    ("GL 265 15A", "265/15A"),
    ("G.L. 265 15A", "265/15A"),
    ("MGL 90 24", "90/24"),
    ("M.G.L. 90 24(1)(a)(1)", "90/24(1)(a)(1)"),
    ("G.L. 265, 13A", "265/13A"),
    ("GL 94C 32A", "94C/32A"),
    ("GL 9O 24", "90/24"),
    ("GL 265 l5A", "265/15A"),
])
def test_citation_forms(text: str, canonical: str) -> None:
    cite = parse_citation(text)
    assert cite is not None and cite.canonical == canonical


@pytest.mark.parametrize("text", [
    "DOB: 03/14/52", "DOCKET NO. 8412CR001234", "FINE $500", "PAID $50 ON 12/3/84",
    "TEL 617-555-1234", "(508) 229-1212", "3 COUNTS", "GUILTY 2 YRS HOC, 6 MOS TO SERVE, BAL SUSP",
    "NOT LESS THAN 3 NOR MORE THAN 5 YRS", "15-20 YEARS", "3-5", "12/25", "C 5 12", "BOX 265 S",
    "OPERATE 12:30-5 AM", "SID 123456", "ROOM C 12", "O'BRIEN, JOHN P.", "COIL 12",
    "265 15A", "90 24", "GLOVER 265 15", "MGL 90 24 MONTHS", "GL 12/25/84", "OGL 265 15", "GL 300 15",
    "AMHERST D.C.    5/28/69", "c. 5/28/1969",
])
def test_not_citations(text: str) -> None:
    assert find_citations(text) == []


def test_offsets_and_several_citations() -> None:
    text = "CT 1 A&B C265 S13A; CT 2 LARC c266 §30(1) & §60"
    found = find_citations(text)
    assert [c.canonical for c in found] == ["265/13A", "266/30(1)", "266/60"]
    assert text[found[0].start:found[0].end] == "C265 S13A"
    assert text[found[1].start:found[1].end].startswith("c266 §30(1)")


def test_gl_marker_offsets() -> None:
    text = "A&B GL 265 13A; LARC MGL 266 30"
    found = find_citations(text)
    assert [c.canonical for c in found] == ["265/13A", "266/30"]
    assert text[found[0].start:found[0].end] == "GL 265 13A"


def test_citation_properties() -> None:
    cite = Citation("90", "24", ("1", "a", "1"), 0, 10)
    assert cite.statute == "90/24" and cite.canonical == "90/24(1)(a)(1)"


def test_known_settles_ocr_ambiguity() -> None:
    # `§7O` prints a real section 7O (90 §7O) or a misread 70; only the table can tell.
    assert parse_citation("c90 §7O").statute == "90/70"
    assert parse_citation("c90 §7O", known=lambda s: s == "90/7O").statute == "90/7O"
    assert parse_citation("c265 §13I").statute == "265/13I"
    assert parse_citation("c265 §1I", known=lambda s: s == "265/11").statute == "265/11"
    # A section split by OCR is joined only when the table knows the joined one.
    assert parse_citation("c266 §12 7", known=lambda s: s == "266/127").statute == "266/127"
    assert parse_citation("c90 §24 2ND OFF").statute == "90/24"


def test_offence_code_head_reads_as_statute() -> None:
    assert parse_citation("265/13A/B").statute == "265/13A"
    assert parse_citation("nothing here") is None
