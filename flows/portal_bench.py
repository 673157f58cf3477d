"""`crosstrack bench portal`: latency (p50/p95) of the portal's main API queries over HTTP on a
repository of N events, and requests per second under a bounded concurrent load, with no error.

The repository is built the way a real one is: `synth` (a synthetic state of about N events),
`merge`, `views refresh`; it is kept under CROSSTRACK_HOME/bench/portal-N and reused. The portal
runs as its own uvicorn process (`portal.app:app_from_env`), so the client does not share its
interpreter; the client is httpx."""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import httpx
import numpy as np

from models.errors import CrosstrackError
from models.settings import Settings

EVENTS_PER_PERSON = 36.4  # what `synth` writes per person, on average
USER, ROLE = "bench-analyst", "analyst_cleared"
AGGREGATE_TARGET_MS = 150
# The main aggregate queries: (path, params) as the public pages ask them.
AGGREGATES = [
    ("/api/public/trend", {"by": "year"}), ("/api/public/trend", {"by": "county"}),
    ("/api/public/trend", {"by": "agency"}), ("/api/public/trend", {"by": "offence_category"}),
    ("/api/public/trend", {"by": "event_type"}), ("/api/public/trend", {"by": "age_band", "series": "gender"}),
    ("/api/public/trend", {"by": "year", "series": "event_type"}),
    ("/api/public/trend", {"by": "year", "series": "county"}),
    ("/api/public/trend", {"by": "year", "county": "Suffolk"}),
    ("/api/public/trend", {"by": "race", "series": "offence_category"}),
    ("/api/public/reports/admissions-releases", {}), ("/api/public/reports/dispositions", {}),
    ("/api/public/reports/sentence-lengths", {}),
]
COHORT = ("/api/public/trend", {"by": "year", "county": "Suffolk", "event_type": "admission"})  # grouped from anon_events


class BenchError(CrosstrackError):
    """The benchmark could not run (the portal did not start, a query failed)."""


def bench_dir(settings: Settings, events: int) -> Path:
    return settings.home / "bench" / f"portal-{events}"


def build_repository(home: Path, events: int, seed: int, say: Callable[[str], None] = lambda s: None) -> dict:
    """synth → merge → views refresh into `home/crosstrack.db`; seconds per step. Reused when done."""
    from flows.cli_repo import ensure_repository
    from models.db import make_engine
    from models.merge import merge_lines, numbered_lines
    from models.privacy import pseudonym_key
    from models.synth import write_state
    from models.views import refresh_views

    done = home / "build.json"
    if done.exists():
        return {**json.loads(done.read_text()), "reused": True}
    home.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{home / 'crosstrack.db'}{suffix}").unlink(missing_ok=True)
    people = max(1, round(events / EVENTS_PER_PERSON))
    steps: dict = {}
    t = time.perf_counter()
    say(f"synth {people:,} people")
    state = write_state(home / "synth", people, seed, workers=os.cpu_count() or 1)
    steps["synth_s"] = round(time.perf_counter() - t, 1)
    engine = make_engine(f"sqlite:///{home / 'crosstrack.db'}")
    t = time.perf_counter()
    ensure_repository(engine)
    say(f"merge {state['records']:,} records")
    merged = merge_lines(engine, numbered_lines(Path(state["verified"])), chunk_size=20_000)
    steps["merge_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    say("views refresh")
    refreshed = refresh_views(engine, pseudonym_key(home))
    steps["refresh_s"] = round(time.perf_counter() - t, 1)
    engine.dispose()
    Path(state["verified"]).unlink(missing_ok=True)  # the repository holds it now
    info = {"people": people, "events": merged.inserted + merged.updated + merged.unchanged,
            "rejected": merged.rejected, "anon_events": refreshed.events, **steps,
            "build_s": round(sum(steps.values()), 1)}
    done.write_text(json.dumps(info))
    return {**info, "reused": False}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_portal(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "CROSSTRACK_HOME": str(home)}
    env.pop("CROSSTRACK_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "portal.app:app_from_env", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the portal exited ({proc.returncode}): {proc.stderr.read().decode()[-500:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise BenchError("the portal did not answer within 120 s")


def ensure_user(home: Path) -> str:
    """A cleared analyst for the benchmark, with a fresh random password each run."""
    from models.db import make_engine
    from portal import auth

    engine = make_engine(f"sqlite:///{home / 'crosstrack.db'}")
    password = secrets.token_urlsafe(18)
    try:
        auth.add_user(engine, USER, ROLE, password)
    except auth.PortalError:
        auth.set_user(engine, USER, password=password)
    engine.dispose()
    return password


def signed_in(url: str, password: str, **kw) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60, **kw)
    token = re.search(r'name="csrf_token" value="([^"]*)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"name": USER, "password": password, "csrf_token": token})
    if r.status_code != 303:
        raise BenchError(f"could not sign in to the benchmark portal ({r.status_code})")
    return c


def _pct(ms: list[float]) -> dict:
    a = np.array(ms)
    return {"p50_ms": round(float(np.percentile(a, 50)), 1), "p95_ms": round(float(np.percentile(a, 95)), 1),
            "max_ms": round(float(a.max()), 1), "n": len(ms)}


def _timed(c: httpx.Client, path: str, params: dict) -> float:
    t = time.perf_counter()
    r = c.get(path, params=params)
    ms = (time.perf_counter() - t) * 1000
    if r.status_code != 200:
        raise BenchError(f"{path} answered {r.status_code}")
    return ms


def latencies(c: httpx.Client, reps: int, people: list[tuple[int, str | None]]) -> dict:
    """Sequential requests: each aggregate query `reps` times (after one warm-up), a cohort, and
    timelines and searches of random people."""
    per: dict[str, list[float]] = {}
    for path, params in AGGREGATES + [COHORT]:
        key = path.rsplit("/", 1)[-1] + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        _timed(c, path, params)
        per[key] = [_timed(c, path, params) for _ in range(reps)]
    pseuds = re.findall(r"pseudonym=([0-9a-f]{20})", c.get("/public/timeline").text)
    out = {"aggregates": _pct([x for k, xs in per.items() if not k.startswith("trend?by=year&county=Suffolk&event")
                               for x in xs]),
           "aggregates_by": {k: _pct(v) for k, v in per.items()},
           "cohort_two_filters": _pct(per[next(k for k in per if "event_type=admission" in k)]),
           "timeline_public": _pct([_timed(c, f"/api/public/timeline/{pseuds[i % len(pseuds)]}", {})
                                    for i in range(reps)]) if pseuds else None,
           "timeline_cleared": _pct([_timed(c, f"/api/cleared/person/{p}", {}) for p, _ in people]),
           "search_cleared": _pct([_timed(c, "/api/cleared/search", {"q": sid}) for _, sid in people if sid]
                                  or [0.0])}
    return out


def sample_people(home: Path, n: int, seed: int) -> list[tuple[int, str | None]]:
    """Random people of the repository: (person id, a SID they were read with, if any)."""
    from sqlalchemy import func, select

    from models.db import make_engine
    from models.schema import Identity, Person

    engine = make_engine(f"sqlite:///{home / 'crosstrack.db'}")
    with engine.connect() as conn:
        top = conn.execute(select(func.max(Person.id))).scalar() or 1
        ids = [int(i) for i in np.random.default_rng(seed).integers(1, top + 1, n)]
        sids = dict(conn.execute(select(Identity.person_id, func.max(Identity.sid))
                                 .where(Identity.person_id.in_(ids)).group_by(Identity.person_id)).all())
    engine.dispose()
    return [(i, sids.get(i)) for i in ids]


async def _load(url: str, cookies: httpx.Cookies, concurrency: int, seconds: float) -> dict:
    """`concurrency` clients issuing the aggregate queries back to back for `seconds`."""
    statuses: dict[int, int] = {}
    ms: list[float] = []
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        async def worker(i: int) -> None:
            k = i
            while time.perf_counter() < stop:
                path, params = AGGREGATES[k % len(AGGREGATES)]
                k += 1
                t = time.perf_counter()
                try:
                    status = (await client.get(path, params=params)).status_code
                except httpx.HTTPError:
                    status = 0
                ms.append((time.perf_counter() - t) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        wall = time.perf_counter() - t0
    errors = sum(n for s, n in statuses.items() if s != 200)
    return {"concurrency": concurrency, "seconds": round(wall, 1), "requests": len(ms),
            "requests_per_s": round(len(ms) / wall, 1), "errors": errors,
            "statuses": {str(s): n for s, n in sorted(statuses.items())}, **_pct(ms)}


def run_portal_bench(settings: Settings, events: int, seed: int, reps: int, concurrency: int, seconds: float,
                     say: Callable[[str], None] = lambda s: None) -> dict:
    home = bench_dir(settings, events)
    build = build_repository(home, events, seed, say)
    password = ensure_user(home)
    port = _free_port()
    say("starting the portal")
    proc = start_portal(home, port)
    url = f"http://127.0.0.1:{port}"
    try:
        with closing(signed_in(url, password)) as c:
            say("measuring latencies")
            lat = latencies(c, reps, sample_people(home, reps, seed))
            say(f"load: {concurrency} clients for {seconds:g} s")
            load = asyncio.run(_load(url, c.cookies, concurrency, seconds))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"events": build["anon_events"], "build": build, "latency": lat, "load": load,
            "target_aggregate_p95_ms": AGGREGATE_TARGET_MS,
            "aggregate_p95_met": lat["aggregates"]["p95_ms"] < AGGREGATE_TARGET_MS, "load_error_free": load["errors"] == 0}
