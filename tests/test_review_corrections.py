"""A reviewer's annotation applied to a record (no server needed): values typed back, charges
dropped and added, the outcomes and the NER training example."""

from __future__ import annotations

import pytest

from extract.normalize.sentences import normalize_sentence
from review.corrections import NotAReview, apply_review, parse_value, value_text
from review.ls_tasks import task

TEXT = "DOE, JOHN  DOB 03/14/52\nC. 265 S. 13A ASSAULT AND BATTERY\nGUILTY 2 YRS HOC, 6 MOS TO SERVE, BAL SUSP"
SENTENCE = normalize_sentence("2 YRS HOC, 6 MOS TO SERVE, BAL SUSP").value


def fv(value, read, conf=0.8):
    start = TEXT.index(read)
    return {"value": value, "text": read, "confidence": conf, "bbox": None, "span": [start, start + len(read)]}


RECORD = {
    "source": "secret/DOE_JOHN.pdf", "sha256": "a" * 64, "page": 1, "frame": None, "record": 0, "text": TEXT,
    "event_type": "disposition", "confidence": 0.6,
    "fields": {"name": fv("DOE, JOHN", "DOE, JOHN", 0.9), "dob": fv("1952-03-14", "03/14/52", 0.6)},
    "charges": [{"description": None, "statute": fv("265/13A", "C. 265 S. 13A", 0.95), "offense_code": None,
                 "disposition": fv("guilty", "GUILTY", 0.9), "sentence": fv(SENTENCE, "2 YRS HOC, 6 MOS TO SERVE, BAL SUSP", 0.7)}],
}
KEY = f"{'a' * 64}:1:-:0"


def form(changes: dict[str, dict] | None = None, drop: tuple[str, ...] = ()) -> list[dict]:
    """The form as submitted: the task's prediction with some controls' values replaced, added or removed."""
    changes = dict(changes or {})
    out = []
    for r in task(RECORD, KEY, "/x.png")["predictions"][0]["result"]:
        if r["id"] not in drop:
            out.append({**r, "value": changes.pop(r["id"])} if r["id"] in changes else r)
    kind = lambda v: "choices" if "choices" in v else "textarea"  # noqa: E731
    return out + [{"id": k, "from_name": k, "to_name": "text", "type": kind(v), "value": v} for k, v in changes.items()]


def test_values_travel_as_text_and_come_back_normalized():
    text = value_text("charges.0.sentence", SENTENCE)
    assert text == "type=hoc max=P2Y to_serve=P6M suspended"
    assert parse_value("charges.0.sentence", text) == SENTENCE
    assert parse_value("charges.0.sentence", "1 YR HOC SUSP") == normalize_sentence("1 YR HOC SUSP").value
    assert parse_value("fields.dob", "03/14/52") == "1952-03-14"
    assert parse_value("fields.dob", "1952-03-15") == "1952-03-15"
    assert parse_value("fields.name", "  ROE, RICHARD ") == "ROE, RICHARD"
    assert parse_value("fields.name", "   ") is None


def test_an_untouched_form_accepts_the_record_as_read():
    review = apply_review(RECORD, form(), KEY, "audited", "2026-01-01T00:00:00Z")
    assert review.record["fields"] == RECORD["fields"] and review.record["charges"] == RECORD["charges"]
    assert review.changed == [] and all(o["correct"] for o in review.outcomes)
    assert {o["field"] for o in review.outcomes} == {"fields.name", "fields.dob", "charges.0.statute",
                                                     "charges.0.disposition", "charges.0.sentence"}
    assert [0, 9, "PERSON"] in review.entities and [15, 23, "DOB"] in review.entities


def test_corrections_are_applied_marked_and_counted():
    results = form({"v_dob": {"text": ["03/15/52"]}, "c1_disposition": {"choices": ["not_guilty"]},
                    "v_sid": {"text": ["123456"]}}, drop=("v_name",))
    review = apply_review(RECORD, results, KEY, "reviewed", "2026-01-01T00:00:00Z")
    fields = review.record["fields"]
    assert fields["dob"]["value"] == "1952-03-15" and fields["dob"]["corrected"] and fields["dob"]["confidence"] == 1.0
    assert fields["dob"]["text"] == "03/14/52"  # what was read stays what was read
    assert "name" not in fields  # the reviewer cleared it
    assert fields["sid"] == {"value": "123456", "text": "123456", "confidence": 1.0, "bbox": None, "span": None,
                             "corrected": True}  # a value the machine missed
    assert review.record["charges"][0]["disposition"]["value"] == "not_guilty"
    assert review.changed == ["charges.0.disposition", "fields.dob", "fields.name", "fields.sid"]
    wrong = {o["field"] for o in review.outcomes if not o["correct"]}
    assert wrong == {"fields.dob", "fields.name", "charges.0.disposition"}
    assert review.record["confidence"] == min(v["confidence"] for v in [*fields.values(),
                                              *(p for p in review.record["charges"][0].values() if p)])


def test_unticking_a_charge_drops_it_and_ticking_a_new_slot_adds_one():
    results = form({"charges": {"choices": ["2"]}, "c2_statute": {"text": ["266/30"]}})
    review = apply_review(RECORD, results, KEY, "reviewed", "2026-01-01T00:00:00Z")
    [charge] = review.record["charges"]
    assert charge["statute"]["value"] == "266/30" and charge["sentence"] is None
    assert {o["field"] for o in review.outcomes if not o["correct"]} == {
        "charges.0.statute", "charges.0.disposition", "charges.0.sentence"}


def test_a_moved_mark_moves_the_values_span_and_the_training_example():
    results = form()
    for r in results:
        if r["id"] == "s_fields_name":
            r["value"] = {**r["value"], "start": 0, "end": 4, "text": TEXT[0:4]}
    review = apply_review(RECORD, results, KEY, "reviewed", "2026-01-01T00:00:00Z")
    assert review.record["fields"]["name"]["span"] == [0, 4]
    assert [0, 4, "PERSON"] in review.entities and [0, 9, "PERSON"] not in review.entities


def test_an_annotation_without_the_event_type_is_not_a_review():
    with pytest.raises(NotAReview):
        apply_review(RECORD, form(drop=("event_type",)), KEY, "reviewed", "2026-01-01T00:00:00Z")


def test_the_task_carries_no_source_and_only_marks_inside_the_text():
    outside = {**fv("1", "D"), "span": [500, 501]}
    t = task({**RECORD, "fields": {**RECORD["fields"], "sid": outside}}, KEY, "/x.png")
    assert "DOE_JOHN" not in str(t) and "secret" not in str(t)
    marks = [r for r in t["predictions"][0]["result"] if r["type"] == "labels"]
    assert all(TEXT[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"] for r in marks)
    assert not any(r["id"] == "s_fields_sid" for r in marks)
