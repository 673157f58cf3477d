"""crosstrack commands: views (refresh), roles (PostgreSQL grants), export, timeline, bench query."""

from __future__ import annotations

import csv
import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from models.errors import CrosstrackError, ExitCode, ViewError
from models.settings import Settings

from .cli import app, bench_app
from .console import err, progress

views_app = typer.Typer(help="The anonymized and aggregate views.", no_args_is_help=True)
roles_app = typer.Typer(help="PostgreSQL roles that enforce the privacy rules.", no_args_is_help=True)
app.add_typer(views_app, name="views")
app.add_typer(roles_app, name="roles")

ActorOpt = Annotated[Optional[str], typer.Option(help="who reads (audited; default: the login name)")]
RoleOpt = Annotated[str, typer.Option(help="analyst_public, or analyst_cleared for the restricted view")]


UrlOpt = Annotated[Optional[str], typer.Option("--database-url", help="the repository (default CROSSTRACK_DATABASE_URL, else a SQLite file in CROSSTRACK_HOME)")]


def _engine(settings: Settings, url: str | None = None):
    from models.db import database_url, make_engine
    return make_engine(url or database_url(settings))


@views_app.command("refresh")
def views_refresh(database_url: UrlOpt = None) -> None:
    """Rebuild anon_events and the aggregate tables from the repository."""
    from models.privacy import pseudonym_key
    from models.views import refresh_views

    settings = Settings.from_env()
    try:
        engine = _engine(settings, database_url)
        with progress() as bar:
            task = bar.add_task("refresh views", total=None)
            result = refresh_views(engine, pseudonym_key(settings.home), lambda n: bar.update(task, completed=n))
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    err.print(f"anon_events: {result.events} events of {result.people} people; agg_counts: {result.aggregate_rows} rows")
    typer.echo(json.dumps(result.as_dict()))


DEFAULT_COHORTS = ("year,county,event_type", "age_band,gender,offence_category")


@views_app.command("audit")
def views_audit(
    cohort: Annotated[Optional[list[str]], typer.Option(help="a cohort family to audit as well: the dimensions counted and filtered on, e.g. year,county,gender (repeatable; default: year,county,event_type and age_band,gender,offence_category)")] = None,
    pairs: Annotated[bool, typer.Option(help="audit every pair of dimensions with its two one-way tables")] = True,
    threshold: Annotated[int, typer.Option(help="the suppression threshold the portal serves")] = 11,
    database_url: UrlOpt = None,
) -> None:
    """Audit the tables the public portal would publish, by linear programming: for each family
    (a table and every table over a subset of its dimensions, each computed as the portal serves
    it), every suppressed small cell's feasible range given all their published cells together.
    Exit 1 when a cell is exposed."""
    import itertools
    import time

    from models import views
    from models.disclosure_audit import audit_tables
    from portal.queries import published_family

    settings = Settings.from_env()
    families = [tuple(p) for p in itertools.combinations(views.DIMENSIONS, 2)] if pairs else []
    families += [tuple(d.strip() for d in c.split(",") if d.strip()) for c in (cohort or DEFAULT_COHORTS)]
    t0 = time.perf_counter()
    rows = []
    try:
        engine = _engine(settings, database_url)
        with progress() as bar:
            task = bar.add_task("audit", total=len(families))
            for dims in families:
                audit = audit_tables(published_family(engine, dims, threshold), threshold)
                rows.append(audit)
                bar.update(task, advance=1)
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    err.print(f"{'family':<44} {'tables':>6} {'cells':>7} {'suppressed':>10} {'primary':>7} {'exposed':>7} {'s':>6}")
    for a in rows:
        if a.suppressed or a.exposed:
            err.print(f"{','.join(a.dims):<44} {a.tables:>6} {a.cells:>7} {a.suppressed:>10} {a.primary:>7} "
                      f"{len(a.exposed):>7} {a.seconds:>6.2f}")
    summary = {"families": len(rows), "tables": sum(a.tables for a in rows), "cells": sum(a.cells for a in rows),
               "suppressed": sum(a.suppressed for a in rows), "primary": sum(a.primary for a in rows),
               "exposed": sum(len(a.exposed) for a in rows), "protection": rows[0].protection if rows else None,
               "threshold": threshold, "seconds": round(time.perf_counter() - t0, 2),
               "exposed_cells": [{"family": list(a.dims), **b.as_dict()} for a in rows for b in a.exposed][:20]}
    err.print(f"{summary['families']} families, {summary['tables']} tables, {summary['suppressed']} suppressed cells "
              f"({summary['primary']} below {threshold}), {summary['exposed']} exposed")
    typer.echo(json.dumps(summary))
    if summary["exposed"]:
        raise typer.Exit(1)


@roles_app.command("apply")
def roles_apply(
    public_password: Annotated[Optional[str], typer.Option(envvar="CROSSTRACK_PUBLIC_PASSWORD", help="password of crosstrack_public")] = None,
    cleared_password: Annotated[Optional[str], typer.Option(envvar="CROSSTRACK_CLEARED_PASSWORD", help="password of crosstrack_cleared")] = None,
    database_url: UrlOpt = None,
) -> None:
    """Create crosstrack_public (anonymized and aggregate tables only) and crosstrack_cleared (everything)."""
    from models.pg_roles import CLEARED, PUBLIC, apply_roles

    settings = Settings.from_env()
    try:
        readable = apply_roles(_engine(settings, database_url), {PUBLIC: public_password or "", CLEARED: cleared_password or ""})
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    for role, tables in readable.items():
        err.print(f"{role} can read: {', '.join(tables) or '(nothing)'}")
    typer.echo(json.dumps({"roles": readable}))


def _write_csv(out: Path, header: list[str], rows) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
            n += 1
    return n


@app.command()
def export(
    view: Annotated[str, typer.Option(help="anonymized, aggregates or restricted")],
    out: Annotated[Path, typer.Option(help="CSV file to write")],
    by: Annotated[str, typer.Option(help="aggregates: comma-separated dimensions (year, county, agency, event_type, offence_category, level, disposition, sentence_type, sentence_band, gender, race, ethnicity, age_band)")] = "year",
    k: Annotated[int, typer.Option(help="anonymized: each class (rows equal in every column) must hold at least k people")] = 5,
    threshold: Annotated[int, typer.Option(help="aggregates: counts below this are suppressed; anonymized: the tables' threshold the release must not undo")] = 11,
    actor: ActorOpt = None,
    role: RoleOpt = "analyst_public",
    database_url: UrlOpt = None,
) -> None:
    """Write a view to CSV: anonymized only once k-anonymous over every column with classes the
    aggregate tables could publish (portal.queries.released_dataset, as the portal's download),
    aggregates with small cells suppressed (blank, marked), restricted for cleared roles (audited)."""
    from models import views

    settings = Settings.from_env()
    try:
        engine = _engine(settings, database_url)
        if view == "aggregates":
            table = views.aggregate(engine, [d.strip() for d in by.split(",") if d.strip()], threshold)
            n = _write_csv(out, [*table.dims, "n", "suppressed"], table.rows(zeros=len(table.dims) <= 2))
            summary = {"view": view, "out": str(out), "rows": n, "by": list(table.dims), "threshold": threshold,
                       "suppressed": table.suppressed}
            err.print(f"{n} cells written; {table.suppressed} suppressed (below {threshold}, and their complements)")
        elif view == "anonymized":
            from portal.queries import released_dataset
            released, report = released_dataset(engine, k, threshold)
            released.to_csv(out, index=False)
            err.print(report.describe())
            summary = {"view": view, "out": str(out), "rows": len(released), "k_anonymity": report.as_dict()}
        elif view == "restricted":
            from models.views import restricted_rows, restricted_select
            header = [c.name for c in restricted_select().selected_columns]
            rows = restricted_rows(engine, actor or getpass.getuser(), role, f"export to {out.name}")
            n = _write_csv(out, header, rows)
            summary = {"view": view, "out": str(out), "rows": n, "audited": True}
        else:
            raise ViewError(f"unknown view {view!r}: anonymized, aggregates or restricted")
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    typer.echo(json.dumps(summary))


@app.command()
def timeline(
    person: Annotated[str, typer.Argument(help="a pseudonym (public), or a SID or `LAST, FIRST` (cleared role)")],
    actor: ActorOpt = None,
    role: RoleOpt = "analyst_public",
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout, one event per line")] = False,
    database_url: UrlOpt = None,
) -> None:
    """One person's events in chronological order: identified for a cleared role (audited), else by pseudonym."""
    from models import views
    from models.audit import is_cleared

    settings = Settings.from_env()
    try:
        engine = _engine(settings, database_url)
        if is_cleared(role):
            rows = views.timeline_restricted(engine, person, actor or getpass.getuser(), role)
            cols = ("event_date", "event_type", "agency", "county", "court", "facility", "docket", "charge_ordinal",
                    "statute", "category", "disposition", "sentence_type", "to_serve")
        else:
            rows = views.timeline_anonymized(engine, person)
            cols = ("seq", "event_month", "event_type", "age_band", "agency", "county", "offence_category",
                    "disposition", "sentence_type", "sentence_band")
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    if not rows:
        err.print("no events for that person" + ("" if is_cleared(role) else " (public timelines take a pseudonym)"))
        raise typer.Exit(int(ExitCode.bad_args))
    for r in rows:
        if as_json:
            sys.stdout.write(json.dumps({c: r.get(c) for c in cols}, default=str) + "\n")
        else:
            typer.echo("  ".join(str(r.get(c)) for c in cols if r.get(c) is not None))
    typer.echo(json.dumps({"events": len(rows), "view": "restricted" if is_cleared(role) else "anonymized"}))


@bench_app.command("query")
def bench_query(
    events: Annotated[int, typer.Option(help="events in the benchmark repository")] = 1_000_000,
    url: Annotated[Optional[str], typer.Option("--database-url", help="an empty database to fill and measure (default: a scratch SQLite file in CROSSTRACK_HOME/bench, not the repository)")] = None,
    reps: Annotated[int, typer.Option(help="repetitions of each standard aggregate")] = 30,
    timelines: Annotated[int, typer.Option(help="random people whose timeline is read")] = 200,
    seed: int = 0,
    fresh: Annotated[bool, typer.Option(help="rebuild the repository even if it holds N events")] = False,
) -> None:
    """Latency of the standard aggregates as the portal serves them (first request, then cached p50/p95),
    of a two-filter cohort and of person timelines on a repository of N events."""
    import time

    from models.db import make_engine
    from models.privacy import pseudonym_key
    from models.views import refresh_views

    from .query_bench import event_count, fill_repository, measure, views_built

    settings = Settings.from_env()
    path = settings.home / "bench" / f"query-{events}.db"
    if url is None and fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url or f"sqlite:///{path}")
    have = event_count(engine)
    setup: dict = {"reused": have == events}
    try:
        if have != events:
            if have:
                raise CrosstrackError(f"the benchmark database holds {have} events, not {events}: use --fresh or another --database-url")
            with progress() as bar:
                task = bar.add_task("fill", total=events)
                t = time.perf_counter()
                fill_repository(engine, events, seed, progress=lambda n: bar.update(task, completed=n))
                setup["fill_s"] = round(time.perf_counter() - t, 1)
                task = bar.add_task("refresh views", total=events)
                setup["refresh"] = refresh_views(engine, pseudonym_key(settings.home),
                                                 lambda n: bar.update(task, completed=n)).as_dict()
        elif not views_built(engine):  # filled, but a refresh never finished
            setup["refresh"] = refresh_views(engine, pseudonym_key(settings.home)).as_dict()
        err.print("measuring ...")
        result = measure(engine, reps, timelines, seed)
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    err.print(f"aggregates first requests {result['aggregates_first_total_s']} s in all, cohort (two filters) first "
              f"{result['cohort_two_filters']['first_ms']} ms; cached: "
              f"aggregates p50 {result['aggregates']['p50_ms']} ms, p95 {result['aggregates']['p95_ms']} ms (target < 100); "
              f"timeline p50 {result['timeline_restricted']['p50_ms']} ms, p95 {result['timeline_restricted']['p95_ms']} ms "
              f"(target < 20)")
    typer.echo(json.dumps({"events": events, "dialect": engine.dialect.name, **setup, **result}))
