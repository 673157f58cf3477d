"""The repository's commands together on a synthetic state: synth → merge (twice) → link →
views → exports, on SQLite: what the merge writes is what linkage and the views read."""

from __future__ import annotations

import csv
import json

import pandas as pd
from sqlalchemy import select
from typer.testing import CliRunner

from flows.cli import app
from flows.link_eval import pairwise_scores
from models.db import make_engine
from models.schema import Event, Extraction


def _run(args: list[str], env: dict) -> dict:
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_synthetic_state_end_to_end(tmp_path):
    env = {"CROSSTRACK_HOME": str(tmp_path / "home"), "CROSSTRACK_DATABASE_URL": "",
           "CROSSTRACK_PSEUDONYM_KEY": "test-key-not-secret"}
    state = tmp_path / "state"
    made = _run(["synth", "--people", "150", "--seed", "11", "--out", str(state), "--workers", "1"], env)
    src = state / "verified.jsonl"
    first = _run(["merge", str(src)], env)
    assert first["inserted"] == made["records"] and first["rejected"] == 0
    again = _run(["merge", str(src)], env)
    assert again == {**first, "inserted": 0, "unchanged": made["records"]}

    linked = _run(["link"], env)
    # the deterministic merge splits people whose records lack a SID; linkage joins them back
    assert linked["people"] < first["people"]
    assert _run(["link"], env)["changed"] == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'crosstrack.db'}")
    with engine.connect() as conn:
        pred = pd.Series(dict(conn.execute(select(Extraction.record_key, Event.person_id)
                                           .join(Event, Event.extraction_id == Extraction.id)).all()))
    truth = pd.read_csv(state / "people.csv", index_col="record_key")["person_id"]
    assert pairwise_scores(pred, truth).f1 >= 0.97

    views = _run(["views", "refresh"], env)
    assert views["events"] == made["records"] and views["people"] == linked["people"]
    anon, agg = tmp_path / "anon.csv", tmp_path / "agg.csv"
    _run(["export", "--view", "anonymized", "--out", str(anon)], env)
    _run(["export", "--view", "aggregates", "--by", "year,event_type", "--out", str(agg)], env)

    secrets = set()
    with src.open() as fh:
        for line in fh:
            rec = json.loads(line)
            for k in ("name", "sid", "docket", "commitment_no", "pcf", "dob"):
                v = (rec["fields"].get(k) or {}).get("value")
                if v and len(str(v)) >= 5:
                    secrets.add(str(v))
    assert secrets
    for path in (anon, agg):
        text = path.read_text()
        assert not [s for s in secrets if s in text]
    with agg.open() as fh:
        counts = [int(r["n"]) for r in csv.DictReader(fh) if r["n"]]
    assert counts and not [n for n in counts if 1 <= n <= 10]
