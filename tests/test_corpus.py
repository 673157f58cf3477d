"""The synthetic text corpus: determinism, span integrity, splits, truth forms, alignment, speed."""

from __future__ import annotations

import re
import time

import pytest

from extract.corpus import FAMILIES, LABELS, from_jsonl, generate, to_jsonl
from extract.corpus.types import DISPOSITIONS, EVENT_TYPES, FIELD_KEYS, SENTENCE_KEYS, SENTENCE_TYPES

NAME = re.compile(r"^[A-Z'\- .]+(?: (?:JR|SR|II|III|IV))?, [A-Z'\-]+(?: [A-Z])?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DUR = re.compile(r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?$")
STATUTE = re.compile(r"^[0-9]+[A-Z]*/[0-9]+[A-Z]*\d*(?:\([0-9a-z]+\))*$")


@pytest.fixture(scope="module")
def docs():
    n = len(FAMILIES) * 12
    return generate(n, "train", seed=3, noise=0.5) + generate(n // 2, "heldout", seed=3, noise=0.5)


def test_deterministic():
    a = generate(20, "train", seed=11)
    b = generate(20, "train", seed=11)
    assert [d.text for d in a] == [d.text for d in b]
    assert [d.spans for d in a] == [d.spans for d in b]
    assert [d.records for d in a] == [d.records for d in b]
    c = generate(20, "train", seed=12)
    assert [d.text for d in a] != [d.text for d in c]
    dev = generate(20, "dev", seed=11)
    assert [d.text for d in a] != [d.text for d in dev]


def test_spans_well_formed(docs):
    for d in docs:
        text = d.text
        prev_end = -1
        for sp in sorted(d.spans, key=lambda s: s.start):
            assert sp.label in LABELS
            seg = text[sp.start:sp.end]
            assert seg.strip() and seg == seg.strip(), (d.layout, seg)
            assert "\n" not in seg, (d.layout, seg)
            assert sp.start >= prev_end, (d.layout, seg)
            prev_end = sp.end


def test_every_family_and_splits():
    heldout = {f for f, s in FAMILIES.items() if s == "heldout"}
    train = {f for f, s in FAMILIES.items() if s == "train"}
    assert len(FAMILIES) >= 14 and len(heldout) >= 4
    tr = generate(len(train), "train", seed=0)
    dv = generate(len(train), "dev", seed=0)
    ho = generate(len(heldout), "heldout", seed=0)
    assert {d.family for d in tr} == train and {d.family for d in dv} == train
    assert {d.family for d in ho} == heldout
    assert all(d.split == "train" for d in tr) and all(d.split == "dev" for d in dv)
    assert all(d.split == "heldout" for d in ho)


def test_truth_forms(docs):
    for d in docs:
        assert d.records, d.layout
        for r in d.records:
            assert 0 <= r.line_start < r.line_end <= len(d.lines), d.layout
            assert r.event_type in EVENT_TYPES
            assert set(r.fields) <= set(FIELD_KEYS), (d.layout, set(r.fields) - set(FIELD_KEYS))
            for k, v in r.fields.items():
                if k == "dob" or k.endswith("_date"):
                    assert ISO_DATE.match(v), (d.layout, k, v)
                elif k in ("sid", "docket", "commitment_no", "booking_no", "pcf"):
                    assert v == v.upper() and " " not in v, (d.layout, k, v)
            if "name" in r.fields:
                assert NAME.match(r.fields["name"]), (d.layout, r.fields["name"])
            for c in r.charges:
                assert c.statute is None or STATUTE.match(c.statute), (d.layout, c.statute)
                assert c.disposition is None or c.disposition in DISPOSITIONS
                if c.sentence is not None:
                    s = c.sentence
                    assert tuple(s) == SENTENCE_KEYS and s["type"] in SENTENCE_TYPES
                    for k in ("min", "max", "to_serve", "probation"):
                        assert s[k] is None or ISO_DUR.match(s[k]), (k, s[k])


def test_noise_keeps_truth():
    clean = generate(30, "train", seed=5, noise=0.0)
    noisy = generate(30, "train", seed=5, noise=1.0)
    assert [d.records for d in clean] == [d.records for d in noisy]
    assert sum(a.text != b.text for a, b in zip(clean, noisy)) >= 25
    for a, b in zip(clean, noisy):
        assert len(a.lines) == len(b.lines) and len(a.spans) == len(b.spans)


def test_jsonl_roundtrip(tmp_path):
    docs = generate(10, "heldout", seed=2)
    back = from_jsonl(to_jsonl(docs, tmp_path / "c.jsonl"))
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]
    assert back[0].text == docs[0].text


def test_spacy_alignment(docs, tmp_path):
    spacy = pytest.importorskip("spacy")
    from extract.corpus.spacy_docs import AlignStats, to_spacy, write_docbin

    nlp = spacy.blank("en")
    st = AlignStats()
    out = to_spacy(docs, nlp, st, report=False)
    assert len(out) == len(docs)
    assert st.spans > 1000
    assert st.fail_rate < 0.01, (st.fail_rate, st.examples[:10])
    stats = write_docbin(docs[:20], nlp, tmp_path / "c.spacy")
    assert (tmp_path / "c.spacy").stat().st_size > 0 and stats.spans > 0


def test_speed():
    generate(5, "train", seed=0)  # warm the offence table
    t = time.perf_counter()
    generate(300, "train", seed=9, noise=0.3)
    rate = 300 / (time.perf_counter() - t)
    assert rate >= 200, rate
