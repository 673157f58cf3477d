"""`crosstrack link`: re-cluster the repository's identities into people (review/linkage.py) and
write the result: people rows, identities.person_id and events.person_id.

Idempotent: a person keeps its id when its cluster keeps (most of) its identities, so a second
run over the same identities finds every person id already right and writes nothing.
Scale: identities stream in id order into two integer arrays (id, distinct-tuple index); only the
distinct identity tuples (a few per person) are held as Python values and linked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import Engine, bindparam, insert, inspect, select, update

from models.errors import ConfigError
from models.merge import delete_orphan_people, split_name
from models.schema import Event, Identity, Person
from review.linkage import LinkOptions, link

IDENT, PERSON, EVENT = Identity.__table__, Person.__table__, Event.__table__
_COLS = ("name", "last_name", "first_name", "middle", "dob", "sid", "pcf", "commitment_no", "gender", "race")
_CHUNK = 50_000


@dataclass(frozen=True)
class LinkReport:
    identities: int
    people: int
    changed: int  # identities whose person changed
    people_created: int
    people_removed: int
    tuples: int
    seconds: dict

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _read(engine: Engine, step: Callable[[int], None] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple]]:
    """(identity ids, their tuple index, their current person id or -1, the distinct tuples)."""
    index: dict[tuple, int] = {}
    ids, tix, pids = [], [], []
    cols = [IDENT.c[c] for c in _COLS]
    with engine.connect() as conn:
        rows = conn.execution_options(yield_per=_CHUNK).execute(
            select(IDENT.c.id, IDENT.c.person_id, *cols).order_by(IDENT.c.id))
        for part in rows.partitions():
            for r in part:
                ids.append(r[0])
                pids.append(-1 if r[1] is None else r[1])
                tix.append(index.setdefault(tuple(r[2:]), len(index)))
            if step is not None:
                step(len(part))
    return (np.asarray(ids, dtype=np.int64), np.asarray(tix, dtype=np.int64),
            np.asarray(pids, dtype=np.int64), list(index))


def _frame(tuples: list[tuple]) -> pd.DataFrame:
    rows = []
    for i, t in enumerate(tuples):
        v = dict(zip(_COLS, t))
        if not (v["last_name"] or v["first_name"]):  # an identity with only the printed name
            v["last_name"], v["first_name"], v["middle"] = split_name(v["name"])
        if isinstance(v["dob"], dt.date):
            v["dob"] = v["dob"].isoformat()
        v.pop("name")
        rows.append({"unique_id": i, **v})
    return pd.DataFrame(rows, columns=["unique_id", *[c for c in _COLS if c != "name"]])


def assign(cluster: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Person per identity: each cluster takes the existing person most of its identities already
    have (ties: the lowest id), each person going to one cluster only (the one holding most of
    it); clusters left without one get a new person (returned as -(k+1) for the k-th new one,
    in order of the cluster's first identity)."""
    frame = pd.DataFrame({"c": cluster, "p": current})
    held = frame[frame.p >= 0].groupby(["c", "p"]).size().rename("n").reset_index()
    held = held.sort_values(["n", "p", "c"], ascending=[False, True, True])
    claim: dict[int, int] = {}
    taken: set[int] = set()
    for c, p in zip(held.c.to_numpy(), held.p.to_numpy()):
        if c not in claim and p not in taken:
            claim[int(c)] = int(p)
            taken.add(int(p))
    new: list[int] = []
    for c in pd.unique(cluster):
        if int(c) not in claim:
            claim[int(c)] = -(len(new) + 1)
            new.append(int(c))
    return np.fromiter((claim[int(c)] for c in cluster), dtype=np.int64, count=len(cluster)), new


def _cluster_sids(cluster: np.ndarray, tix: np.ndarray, tuples: list[tuple]) -> dict[int, str | None]:
    """The SID a person row carries: the one most of its identities give (ties: the smallest)."""
    sid_at = _COLS.index("sid")
    counts: dict[int, Counter] = {}
    for c, t in zip(cluster, tix):
        sid = tuples[t][sid_at]
        if sid:
            counts.setdefault(int(c), Counter())[sid] += 1
    return {c: min(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0] for c, cnt in counts.items()}


def link_repository(engine: Engine, options: LinkOptions = LinkOptions(),
                    step: Callable[[str, int], None] | None = None) -> LinkReport:
    """Re-cluster and write. `step(stage, n)` reports progress (identities read, then written)."""
    import time

    if not inspect(engine).has_table("identities"):
        raise ConfigError("the repository has no identities table: run `crosstrack db upgrade`, then merge records")
    t0 = time.perf_counter()
    ids, tix, current, tuples = _read(engine, (lambda n: step("read", n)) if step else None)
    seconds = {"read": round(time.perf_counter() - t0, 2)}
    if len(ids) == 0:
        return LinkReport(0, 0, 0, 0, 0, 0, seconds)
    result = link(_frame(tuples), options)
    seconds.update(result.seconds)
    tuple_cluster = result.clusters.sort_index().to_numpy()  # tuple index -> cluster key
    cluster = tuple_cluster[tix]
    person, new_clusters = assign(cluster, current)
    t = time.perf_counter()
    sids = _cluster_sids(cluster, tix, tuples)
    created = removed = 0
    with engine.begin() as conn:
        if new_clusters:
            new_ids = list(conn.execute(insert(PERSON).returning(PERSON.c.id, sort_by_parameter_order=True),
                                        [{"sid": sids.get(c)} for c in new_clusters]).scalars())
            created = len(new_ids)
            lookup = np.asarray(new_ids, dtype=np.int64)
            person = np.where(person < 0, lookup[np.maximum(-person - 1, 0)], person)
        changed = np.flatnonzero(person != current)
        rows = [{"iid": int(ids[i]), "pid": int(person[i])} for i in changed]
        for k in range(0, len(rows), _CHUNK):
            part = rows[k:k + _CHUNK]
            conn.execute(update(IDENT).where(IDENT.c.id == bindparam("iid")).values(person_id=bindparam("pid")), part)
            conn.execute(update(EVENT).where(EVENT.c.identity_id == bindparam("iid"))
                         .values(person_id=bindparam("pid")), part)
            if step:
                step("write", len(part))
        # A kept person's SID follows its cluster (a re-clustering can move the majority SID).
        first = pd.DataFrame({"p": person, "c": cluster}).drop_duplicates("p")
        want = {int(p): sids.get(int(c)) for p, c in zip(first.p, first.c)}
        have = dict(conn.execute(select(PERSON.c.id, PERSON.c.sid)).all())  # one row a person: small
        fix = [{"pid": p, "s": s} for p, s in want.items() if p in have and have[p] != s]
        if fix:
            conn.execute(update(PERSON).where(PERSON.c.id == bindparam("pid")).values(sid=bindparam("s")), fix)
        removed = delete_orphan_people(conn)
    seconds["write"] = round(time.perf_counter() - t, 2)
    return LinkReport(identities=len(ids), people=int(pd.unique(person).size), changed=len(changed),
                      people_created=created, people_removed=int(removed or 0), tuples=result.tuples,
                      seconds=seconds)
