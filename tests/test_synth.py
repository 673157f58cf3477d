"""The synthetic state: valid verified records, realistic courses, configured noise, the truth file."""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from models.synth import NoiseRates, generate, generate_with_truth, record_key, write_state
from models.verified import EVENT_DATE_FIELD, VerifiedRecord

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 1200
QUIET = NoiseRates(nickname=0, first_initial=0, middle_missing=0, compound_split=0, married_women=0, typo=0,
                   ocr=0, dob_error=0, dob_missing=0, sid_typo=0)


@pytest.fixture(scope="module")
def sample():
    return list(generate_with_truth(PEOPLE, seed=11))


def _by_person(rows):
    out = defaultdict(list)
    for r in rows:
        out[r.person_id].append(r.record)
    return out


def _modal(records, field):
    values = Counter(r["fields"][field]["value"] for r in records if field in r["fields"])
    return values.most_common(1)[0][0] if values else None


def test_deterministic_for_a_seed_and_different_across_seeds():
    a = list(generate(150, 4))
    assert a == list(generate(150, 4))
    b = list(generate(150, 5))
    assert [r["fields"]["name"]["value"] for r, _ in a[:50]] != [r["fields"]["name"]["value"] for r, _ in b[:50]]


def test_records_validate_and_keys_are_unique(sample):
    keys = [record_key(r.record) for r in sample]
    assert len(set(keys)) == len(keys)
    for r in sample[::40]:
        v = VerifiedRecord.model_validate(r.record)
        assert v.key == record_key(r.record)
        assert v.event_date() == v.value(EVENT_DATE_FIELD[v.event_type]) is not None
    types = Counter(r.record["event_type"] for r in sample)
    assert set(types) >= {"arrest", "booking", "arraignment", "disposition", "sentencing", "admission", "release",
                          "parole_hearing", "parole_granted", "parole_denied", "probation_start",
                          "probation_violation"}
    agencies = {r.record["provenance"]["agency"] for r in sample}
    counties = {r.record["provenance"]["county"] for r in sample}
    assert len(agencies) == 17 and len(counties) == 14
    # Several records share a document: a docket page, a fiche sheet, a list page.
    docs = Counter(r.record["sha256"] for r in sample)
    assert sum(1 for n in docs.values() if n > 1) > len(docs) * 0.3
    assert any(r.record["frame"] for r in sample)
    people_on = defaultdict(set)
    for r in sample:
        people_on[r.record["sha256"]].add(r.person_id)
    assert max(len(p) for p in people_on.values()) >= 10  # fiche sheets and lists hold many people


def test_events_per_person_are_plausible_and_heavy_tailed(sample):
    counts = sorted(Counter(r.person_id for r in sample).values())
    mean, median = statistics.mean(counts), statistics.median(counts)
    assert 25 <= mean <= 50, mean
    assert median < mean * 0.8            # skewed: most people have less than the average
    assert counts[-1] >= 8 * median       # and a few have very many
    assert sum(c <= 8 for c in counts) / len(counts) > 0.12  # a handful of events: one or two cases


def test_ages_at_events_are_plausible_and_courses_run_in_order(sample):
    ages = []
    for records in _by_person(sample).values():
        dob = date.fromisoformat(_modal(records, "dob"))
        for rec in records:
            ages.append((date.fromisoformat(VerifiedRecord.model_validate(rec).event_date()) - dob).days / 365.25)
        cases = defaultdict(dict)
        for rec in records:
            f = rec["fields"]
            if "docket" in f and rec["event_type"] in ("arraignment", "disposition", "sentencing"):
                cases[f["docket"]["value"]][rec["event_type"]] = VerifiedRecord.model_validate(rec).event_date()
            if rec["event_type"] == "booking" and "arrest_date" in f:
                assert f["arrest_date"]["value"] <= f["booking_date"]["value"]
            if rec["event_type"] == "release" and "admission_date" in f:
                assert f["admission_date"]["value"] <= f["release_date"]["value"]
        for steps in cases.values():
            dates = [steps[k] for k in ("arraignment", "disposition", "sentencing") if k in steps]
            assert dates == sorted(dates)
    ages.sort()
    assert ages[int(len(ages) * 0.005)] >= 12 and ages[int(len(ages) * 0.995)] <= 85
    assert 20 <= ages[len(ages) // 2] <= 40
    assert all(r.record["fields"][k]["value"] <= "2025-12-31" for r in sample for k in r.record["fields"]
               if k.endswith("_date"))


def test_noise_rates_are_as_configured(sample):
    n = len(sample)
    tags = Counter(t for r in sample for t in r.noise)
    rates = NoiseRates()
    assert abs(tags["typo"] / n - rates.typo) < 0.01
    assert abs(tags["dob_error"] / n - rates.dob_error) < 0.01
    # Missing SIDs: what the tags say is what the records show, mostly on court records.
    no_sid = [r for r in sample if "sid" not in r.record["fields"]]
    assert len(no_sid) == tags["sid_missing"]
    court = [r for r in sample if r.record["provenance"]["agency"].endswith("COURT DEPARTMENT")]
    court_share = sum("sid" not in r.record["fields"] for r in court) / len(court)
    custody = [r for r in sample if r.record["provenance"]["agency"] == "DEPARTMENT OF CORRECTION"]
    assert court_share > 0.5 and sum("sid" not in r.record["fields"] for r in custody) / len(custody) < 0.15
    # Name variants: records whose name differs from the person's usual one.
    varied = sum(r["fields"]["name"]["value"] != _modal(recs, "name")
                 for recs in _by_person(sample).values() for r in recs)
    assert 0.12 < varied / n < 0.40
    assert tags["nickname"] and tags["compound"] and tags["married"] and tags["middle_missing"]
    # Demographics: recorded on some records only, and not always the same way.
    assert 0.3 < sum("race" in r.record["fields"] for r in sample) / n < 0.8
    assert tags["race_inconsistent"] > 0


def test_without_noise_a_person_has_one_name_dob_and_sid():
    rows = list(generate_with_truth(300, seed=2, rates=QUIET))
    for records in _by_person(rows).values():
        assert len({r["fields"]["name"]["value"] for r in records}) == 1
        assert len({r["fields"]["dob"]["value"] for r in records if "dob" in r["fields"]}) == 1
        assert len({r["fields"]["sid"]["value"] for r in records if "sid" in r["fields"]}) <= 1
    sids = defaultdict(set)
    for r in rows:
        if "sid" in r.record["fields"]:
            sids[r.record["fields"]["sid"]["value"]].add(r.person_id)
    assert all(len(p) == 1 for p in sids.values())  # a SID is one person's


def test_common_names_repeat_across_people(sample):
    names = defaultdict(set)
    for pid, records in _by_person(sample).items():
        name = _modal(records, "name").split(",")[0]
        names[name].add(pid)
    assert max(len(p) for p in names.values()) >= 15      # SMITH, JOHNSON ...
    assert sum(len(p) == 1 for p in names.values()) > 200  # and a tail of rare surnames


def test_write_state_files_agree_and_workers_write_the_same_bytes(tmp_path):
    one = write_state(tmp_path / "a", 500, 7, workers=1)
    two = write_state(tmp_path / "b", 500, 7, workers=2)
    assert one["records"] == two["records"] > 0
    for name in ("verified.jsonl", "people.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    lines = (tmp_path / "a" / "verified.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records == [r for r, _ in generate(500, 7)]
    # The fast serializer writes what json.dumps would.
    assert all(line == json.dumps(rec, separators=(",", ":"), ensure_ascii=False)
               for line, rec in zip(lines[::97], records[::97]))
    with (tmp_path / "a" / "people.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["record_key"] for r in rows] == [record_key(r) for r in records]
    assert len({r["person_id"] for r in rows}) == 500


def test_cli_end_to_end(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "flows", "synth", "--people", "120", "--seed", "3",
                           "--out", str(tmp_path), "--workers", "1"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["people"] == 120
    lines = (tmp_path / "verified.jsonl").read_text().splitlines()
    assert result["records"] == len(lines) == sum(result["by_type"].values())
    assert len((tmp_path / "people.csv").read_text().splitlines()) == len(lines) + 1
    bad = subprocess.run([sys.executable, "-m", "flows", "synth", "--people", "0", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert bad.returncode == 2 and "--people" in bad.stderr
