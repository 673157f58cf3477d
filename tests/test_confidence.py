"""The field confidence model (extract/confidence.py) and the evidence it reads (extract/evidence.py)."""

from __future__ import annotations

import json
import random

from extract.confidence import FEATURES, ConfidenceModel
from extract.evidence import Evidence, name_plausibility, text_noise


def _ev(**kw) -> Evidence:
    base = dict(agreement="both", ocr=1.0, certainty=1.0, valid=True, exact=True)
    base.update(kw)
    return Evidence(**base)


def _samples(seed: int = 0) -> list[tuple[str, str, Evidence, bool]]:
    """Names: right 99 % of the time on a clean page, 60 % on a damaged one. Dockets (same group
    as SIDs): right 90 % of the time whatever the page. SIDs: only 40, all right."""
    rng = random.Random(seed)
    out = []
    for _ in range(600):
        damaged = rng.random() < 0.3
        out.append(("name", "identity", _ev(page_noise=0.1 if damaged else 0.0), rng.random() < (0.6 if damaged else 0.99)))
    for _ in range(400):
        out.append(("docket", "id", _ev(page_noise=rng.choice([0.0, 0.1])), rng.random() < 0.9))
    out += [("sid", "id", _ev(), True) for _ in range(40)]
    return out


def test_a_field_model_separates_right_from_wrong_and_is_calibrated():
    model = ConfidenceModel.fit(_samples())
    clean, damaged = model.score("name", "identity", _ev()), model.score("name", "identity", _ev(page_noise=0.1))
    assert clean > 0.97 and 0.45 < damaged < 0.75, (clean, damaged)
    # The docket's own model: no page effect, 90 % right.
    assert abs(model.score("docket", "id", _ev()) - 0.9) < 0.04


def test_a_thin_field_stays_near_its_group_and_unknown_ones_fall_back():
    model = ConfidenceModel.fit(_samples())
    group = model.score("unknown-id-kind", "id", _ev())          # no model of its own: the group's
    sid = model.score("sid", "id", _ev())                        # 40 values, all right: shrunk toward the group
    assert abs(group - model.score("docket", "id", _ev())) < 0.05
    assert group < sid < 0.995
    assert 0.0 < model.score("x", "no-such-group", _ev()) < 1.0  # conservative defaults


def test_saved_model_loads_back_and_old_files_still_load(tmp_path):
    model = ConfidenceModel.fit(_samples())
    path = tmp_path / "calibration.json"
    model.save(path)
    again = ConfidenceModel.load(path)
    assert again.score("name", "identity", _ev()) == model.score("name", "identity", _ev())
    # A file of the earlier form: one list per group, in the order of its own feature names.
    old = {"features": ["bias", "both", "certainty"], "weights": {"date": [1.0, 0.5, 2.0]}}
    path.write_text(json.dumps(old))
    loaded = ConfidenceModel.load(path)
    assert loaded.weights["date"] == {"bias": 1.0, "both": 0.5, "certainty": 2.0}
    assert set(loaded.weights["date"]) <= set(FEATURES)


def test_text_noise_sees_ocr_damage_not_codes():
    assert text_noise("DANIEL MONTE1RO") == 0.5
    assert text_noise("1I/2/1961") == 1.0 and text_noise("5/l9/1961") == 1.0
    assert text_noise("GLOUcESTER D.C.") == 0.5 and text_noise("ApR. 21, 1969") > 0
    for clean in ("MA81336348", "9014CR001966", "W26143", "LARCENY OVER $250", "c. 266, § 37", "McDonald, Ann",
                  "2 YRS HOC", "Mci-Framingham"):
        assert text_noise(clean) == 0.0, clean


def test_name_plausibility_knows_given_names():
    assert name_plausibility("HEGARTY, ANTONIO") == 1.0
    assert name_plausibility("HEGARTY, ATONIO") == 0.0  # a letter OCR lost
    assert name_plausibility("HEGARTY") == 0.0
