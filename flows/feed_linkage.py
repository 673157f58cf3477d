"""`crosstrack eval feed-linkage`: do feed records land on the same people as the scanned records
of those people? Measured on a synthetic state whose newer events come as agency extracts.

The scans are merged, the four extracts imported (the merge's own deterministic linkage: SID,
then name and DOB), then `crosstrack link` re-clusters everyone with Splink. Pairwise precision,
recall and F1 are counted over cross pairs only, (feed record, scanned record) of one person,
from cluster-by-truth cell sizes: a feed row of person P should share its person with every scan
of P and with no scan of anyone else. All-pairs and B-cubed scores are given beside them.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from extract.feeds.mapping import load_mapping
from models.db import make_engine
from models.merge import merge_lines, numbered_lines
from models.schema import Event, Extraction

from .feed_import import import_file
from .feed_synth import write_feeds
from .link_eval import Scores, _scores, bcubed_scores, pairwise_scores


def cross_pairwise(pred: pd.Series, truth: pd.Series, is_feed: pd.Series) -> Scores:
    """Pairs (a feed record, a scanned record) with one person, predicted against true."""
    frame = pd.DataFrame({"p": pred, "t": truth.reindex(pred.index), "f": is_feed.reindex(pred.index)})
    frame["s"] = ~frame["f"]

    def pairs(by: list[str]) -> int:
        g = frame.groupby(by)[["f", "s"]].sum()
        return int((g["f"] * g["s"]).sum())

    tp, predicted, true = pairs(["p", "t"]), pairs(["p"]), pairs(["t"])
    return _scores(tp / predicted if predicted else 1.0, tp / true if true else 1.0)


def _people_of(engine) -> pd.Series:
    ext, ev = Extraction.__table__, Event.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(ext.c.record_key, ev.c.person_id).join(ev, ev.c.extraction_id == ext.c.id)).all()
    return pd.Series({k: p for k, p in rows})


def run_feed_linkage(people: int, seed: int, step: Callable[[str], None]) -> dict:
    from .cli_repo import upgrade_repository
    from .link_repository import link_repository

    scratch = Path(tempfile.mkdtemp(prefix="crosstrack-feed-linkage-"))
    try:
        step("generate")
        made = write_feeds(scratch / "state", people, seed)
        engine = make_engine(f"sqlite:///{scratch / 'repo.db'}")
        upgrade_repository(engine)
        step("merge scans")
        merge_lines(engine, numbered_lines(Path(made["verified"])))
        step("import feeds")
        quarantined = sum(import_file(engine, load_mapping(feed), Path(path), report_dir=scratch / "reports").quarantined
                          for feed, path in made["files"].items())
        truth = pd.read_csv(made["truth"], dtype=str).set_index("record_key")["person_id"]
        is_feed = pd.Series(truth.index.str.split(":").str[0].isin(
            {load_mapping(f).sha256 for f in made["files"]}), index=truth.index)
        report = {"people": people, "seed": seed, "records": made["records"], "quarantined": quarantined}
        before = _people_of(engine)
        report["merge_only"] = _score(before, truth, is_feed)
        step("link (Splink)")
        t = time.perf_counter()
        link_repository(engine)
        report["link_s"] = round(time.perf_counter() - t, 1)
        report["linked"] = _score(_people_of(engine), truth, is_feed)
        engine.dispose()
        return report
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _score(pred: pd.Series, truth: pd.Series, is_feed: pd.Series) -> dict:
    pred = pred[pred.index.isin(truth.index)]
    return {"cross_pairwise": cross_pairwise(pred, truth, is_feed).as_dict(),
            "pairwise": pairwise_scores(pred, truth).as_dict(), "bcubed": bcubed_scores(pred, truth).as_dict(),
            "records": int(len(pred)), "feed_records": int(is_feed.reindex(pred.index).sum())}
