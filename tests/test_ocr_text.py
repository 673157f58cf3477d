"""Text clean-up and line grouping, shared by every engine."""

from __future__ import annotations

from digitize.ocr.layout import group_lines
from digitize.ocr.text import clean_word, fix_confusions, normalize
from models.page import Word


def test_nfkc_folds_full_width_punctuation():
    assert normalize("DOB：03/14/52，SID") == "DOB:03/14/52,SID"
    assert normalize("O’BRIEN  —  JR") == "O'BRIEN - JR"


def test_zero_between_letters_is_o_and_o_between_digits_is_zero():
    assert fix_confusions("D0CKET") == "DOCKET"
    assert fix_confusions("0'BRIEN,") == "O'BRIEN,"
    assert fix_confusions("0F") == "OF"
    assert fix_confusions("0FFICE") == "OFFICE"
    assert fix_confusions("19O2") == "1902"
    assert fix_confusions("8l2") == "812"
    assert fix_confusions("l952") == "1952"
    assert fix_confusions("O3/14/52") == "03/14/52"
    assert fix_confusions("I0:3O") == "10:30"


def test_identifiers_are_left_alone():
    for token in ("8412CR001234", "MA1234567", "W12345", "265/13A", "C265S13A", "2YRS", "90/24(1)(a)(1)", "94C", "A1", "OUI"):
        assert fix_confusions(token) == token


def test_words_in_other_scripts_are_dropped():
    assert clean_word("八") == ""
    assert clean_word("SID 八 1234") == "SID 1234"
    assert clean_word("CAFÉ O'NEIL") == "CAFÉ O'NEIL"  # Latin accents stay


def test_clean_word_normalizes_each_word():
    assert clean_word("N0. 8412CR００1234") == "NO. 8412CR001234"


def w(text, x0, y0, x1, y1, c=0.9):
    return Word(text=text, bbox=(x0, y0, x1, y1), confidence=c)


def test_group_lines_joins_columns_and_orders_rows():
    words = [
        w("DOB:", 600, 102, 680, 130), w("DEFT:", 50, 100, 130, 128), w("SMITH", 140, 101, 240, 129),
        w("COMMONWEALTH", 50, 40, 300, 70), w("03/14/52", 690, 100, 820, 131),
    ]
    lines = group_lines(words)
    assert [line.text for line in lines] == ["COMMONWEALTH", "DEFT: SMITH DOB: 03/14/52"]
    assert lines[1].bbox == (50, 100, 820, 131)


def test_group_lines_keeps_close_rows_apart():
    # Two rows 30 px apart with 28 px tall words: no overlap, two lines even when slightly skewed.
    words = [w("A", 0, 0, 20, 28), w("B", 300, 6, 320, 34), w("C", 0, 30, 20, 58), w("D", 300, 36, 320, 64)]
    assert [line.text for line in group_lines(words)] == ["A B", "C D"]
