"""A synthetic state: realistic Massachusetts criminal-justice life courses as verified records,
with the noise linkage has to cope with, and the truth (which person each record is about).

`generate(people, seed)` streams (record dict, person id); `write_state(out, people, seed)` writes
out/verified.jsonl and out/people.csv (record_key,person_id). Deterministic for a seed. People are
made in chunks of `CHUNK`, each from its own random stream, so memory is bounded by one chunk
(its fiche sheets and list pages mix people) and chunks can be made in parallel processes.
Noise rates: `NoiseRates` (people.py); career shape: `CourseShape` (courses.py).
"""

from __future__ import annotations

import csv
import gc
import multiprocessing
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NamedTuple

from pydantic_core import to_json

from . import places
from .courses import YEAR, CourseShape, Counters, first_arrest, life_course, make_tables
from .offences import offence_table
from .people import NoiseRates, make_person, marry, name_tables
from .records import Placed, RenderContext, place, render
from .records import key as record_key

__all__ = ["CHUNK", "CourseShape", "NoiseRates", "SynthRecord", "generate", "generate_with_truth",
           "record_key", "write_state"]

CHUNK = 1000  # people laid out together (their fiche sheets and list pages): ~350 MB of dicts


class SynthRecord(NamedTuple):
    record: dict
    person_id: str
    noise: tuple[str, ...]  # the errors applied to this record (people.py tags)


@contextmanager
def _no_gc():
    """A chunk is a few million small acyclic dicts: the cycle collector rescanning them as they
    are made costs about as much as making them. Reference counting frees them all the same."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _chunk(people: int, seed: int, c: int, rates: NoiseRates, shape: CourseShape,
           feeds_from: int | None = None) -> list[Placed]:
    """Every record of chunk c (people c*CHUNK ...), laid out on documents, in document order."""
    with _no_gc():
        return _make_chunk(people, seed, c, rates, shape, feeds_from)


def _make_chunk(people: int, seed: int, c: int, rates: NoiseRates, shape: CourseShape,
                feeds_from: int | None = None) -> list[Placed]:
    tables = make_tables(offence_table(), shape)
    names = name_tables()
    n_chunks = -(-people // CHUNK)
    counters = Counters(stride=n_chunks, offset=c)
    ctx = RenderContext(rates, feeds_from=feeds_from)
    rng = random.Random(f"crosstrack-synth:{seed}:{c}")
    placed = []
    for index in range(c * CHUNK, min(people, (c + 1) * CHUNK)):
        first_day, age = first_arrest(rng)
        dob_day = first_day - int(age * YEAR) - rng.randrange(365)
        home = rng.choices(places.COUNTIES, cum_weights=tables.county_cum)[0]
        person = make_person(rng, names, index, date.fromordinal(dob_day), home, seed, rates)
        if person.gender == "F" and rng.random() < rates.married_women:
            marry(rng, names, person, dob_day + int(YEAR * rng.uniform(19, 38)))
        for event in life_course(rng, tables, home, dob_day, first_day, person.gender, counters):
            placed.append(render(rng, person, event, ctx))
    return place(placed, seed, c)


def generate_with_truth(people: int, seed: int, rates: NoiseRates | None = None,
                        shape: CourseShape | None = None, feeds_from: int | None = None) -> Iterator[SynthRecord]:
    """Every record of `people` synthetic people, with its true person and the noise applied.
    With `feeds_from`, the four feed agencies' events from that year on come as feed records
    (`source` "feed:<name>", not placed on a document) for flows/feed_synth.py to write as extracts."""
    rates, shape = rates or NoiseRates(), shape or CourseShape()
    for c in range(-(-people // CHUNK)):
        for x in _chunk(people, seed, c, rates, shape, feeds_from):
            yield SynthRecord(x.record, x.person_id, x.tags)


def generate(people: int, seed: int) -> Iterator[tuple[dict, str]]:
    """(record dict, person id) for every record of the synthetic state; each dict validates as
    models.verified.VerifiedRecord."""
    rates, shape = NoiseRates(), CourseShape()
    for c in range(-(-people // CHUNK)):
        for x in _chunk(people, seed, c, rates, shape):
            yield x.record, x.person_id


def _chunk_lines(args: tuple) -> tuple[bytes, list[tuple[str, str]], Counter]:
    """A chunk serialized: its JSON lines, its (record_key, person_id) rows, its event counts.
    pydantic_core's serializer writes the same bytes as json.dumps(separators=(",", ":"),
    ensure_ascii=False), three times faster (tests check the two agree)."""
    people, seed, c, rates, shape = args
    with _no_gc():
        recs = _make_chunk(people, seed, c, rates, shape)
        lines = b"".join(to_json(x.record) + b"\n" for x in recs)
        rows = [(record_key(x.record), x.person_id) for x in recs]
        return lines, rows, Counter(x.record["event_type"] for x in recs)


def write_state(out: Path, people: int, seed: int, progress: Callable[[int, int], None] | None = None,
                rates: NoiseRates | None = None, workers: int = 1) -> dict:
    """Write out/verified.jsonl and out/people.csv, the same bytes for any number of `workers`;
    `progress(people_done, records)` is called after each chunk. Returns the counts."""
    out.mkdir(parents=True, exist_ok=True)
    rates = rates or NoiseRates()
    n_chunks = -(-people // CHUNK)
    jobs = [(people, seed, c, rates, CourseShape()) for c in range(n_chunks)]
    by_type: Counter[str] = Counter()
    n = 0
    with (out / "verified.jsonl").open("wb") as fj, \
            (out / "people.csv").open("w", encoding="utf-8", newline="") as fc:
        writer = csv.writer(fc, lineterminator="\n")
        writer.writerow(("record_key", "person_id"))

        def take(results) -> None:
            nonlocal n
            for c, (lines, rows, counts) in results:
                fj.write(lines)
                writer.writerows(rows)
                by_type.update(counts)
                n += len(rows)
                if progress:
                    progress(min(people, (c + 1) * CHUNK), n)

        if workers <= 1:
            take((c, _chunk_lines(job)) for c, job in enumerate(jobs))
        else:
            offence_table(), name_tables()  # built once here, inherited by the forked workers
            # Waves of a few chunks per worker keep memory bounded however far the workers run ahead.
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                wave = workers * 2
                for w0 in range(0, n_chunks, wave):
                    take(zip(range(w0, n_chunks), pool.imap(_chunk_lines, jobs[w0:w0 + wave])))
    return {"people": people, "records": n, "records_per_person": round(n / max(1, people), 2),
            "by_type": dict(sorted(by_type.items())), "verified": str(out / "verified.jsonl"),
            "people_csv": str(out / "people.csv")}
