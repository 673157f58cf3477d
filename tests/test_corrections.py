"""Reviewers' corrections as NER training examples: reading, the held-out split, a real (small)
training run that uses them, and the score before and after."""

from __future__ import annotations

import json

import spacy
from typer.testing import CliRunner

from extract.corpus import generate
from extract.corpus.spacy_docs import to_spacy
from extract.nlp.corrections import Correction, as_corpus_docs, read_corrections
from extract.nlp.tokenizer import customize
from extract.nlp.train import TrainOptions, train_ner
from flows.cli import app

LABELS = {"PERSON", "DOB", "DOCKET", "STATUTE", "DATE"}


def _line(key: str, text: str, ents, at: str = "2026-11-01T10:00:00+00:00") -> str:
    return json.dumps({"key": key, "text": text, "entities": ents, "at": at})


def test_latest_correction_of_a_key_wins_and_bad_lines_are_skipped(tmp_path):
    text = "DEFT: O'BRIEN, JOHN P.  DOB: 03/14/52"
    path = tmp_path / "corrections.jsonl"
    path.write_text("\n".join([
        _line("k1", text, [[6, 22, "PERSON"]]),
        _line("k1", text, [[6, 22, "PERSON"], [29, 37, "DOB"]], at="2026-11-02T10:00:00+00:00"),
        _line("k2", text, [[6, 99, "PERSON"]]),     # outside the text
        _line("k3", text, [[6, 22, "NICKNAME"]]),   # not one of the NER's labels
        "{not json",
        _line("k4", "", []),                        # no text
    ]) + "\n")
    got = read_corrections(path, LABELS)
    assert got.skipped == 4
    (only,) = got.train + got.held_out
    assert only.key == "k1" and only.entities == ((6, 22, "PERSON"), (29, 37, "DOB"))
    assert text[29:37] == "03/14/52"


def test_held_out_share_is_a_stable_fifth_by_key():
    keys = [f"{n:064x}:1:-:0" for n in range(4000)]
    held = [Correction(k, "x", (), "").held_out for k in keys]
    assert 0.17 < sum(held) / len(held) < 0.23
    assert held == [Correction(k, "y", (), "later").held_out for k in keys]  # by key only


def test_corrections_align_to_the_tokenizer_and_repeat():
    nlp = customize(spacy.blank("en"))
    c = Correction("k", "DOCKET NO. 8412CR001234\nC. 265 S. 13A ASSAULT", ((11, 23, "DOCKET"), (24, 37, "STATUTE")), "")
    docs = as_corpus_docs([c], repeat=3)
    assert len(docs) == 3 and docs[0].text == c.text
    (doc, *_) = to_spacy(docs, nlp, report=False)
    assert [(e.text, e.label_) for e in doc.ents] == [("8412CR001234", "DOCKET"), ("C. 265 S. 13A", "STATUTE")]


def test_training_with_corrections_reports_them_before_and_after(tmp_path):
    # Examples from layout families the generator never trains on: what a reviewer would bring.
    corpus = generate(60, "heldout", seed=9, noise=0.0)
    path = tmp_path / "corrections.jsonl"
    path.write_text("".join(_line(f"key-{i}", d.text, [[s.start, s.end, s.label] for s in d.spans]) + "\n"
                            for i, d in enumerate(corpus)))
    out = tmp_path / "model" / "ner"
    result = train_ner(out, TrainOptions(n_train=40, n_dev=20, max_steps=40, corrections=path), log=lambda _: None)
    c = result["corrections"]
    assert c["trained_on"] + c["held_out"] == 60 and c["held_out"] >= 5 and c["skipped"] == 0
    assert c["held_out_before"] is None  # there was no model at `out` to compare with
    after = c["held_out_after"]
    assert after["examples"] == c["held_out"] and 0.0 <= after["f1"] <= 1.0
    assert (out / "meta.json").exists() and (out.parent / "calibration.json").exists()


def test_with_corrections_needs_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSTRACK_HOME", str(tmp_path))
    r = CliRunner().invoke(app, ["train", "ner", "--with-corrections", "--out", str(tmp_path / "m" / "ner")])
    assert r.exit_code == 2 and "review pull" in r.output
