"""crosstrack commands: agency feeds (`feed import|list|samples|quarantine`, `bench feed`, `eval feed-linkage`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from models.errors import CrosstrackError, ExitCode
from models.prefetch import WORKERS
from models.settings import Settings

from .cli import UrlOpt, app, bench_app, eval_app
from .console import err, progress

feed_app = typer.Typer(help="Agency feeds: structured extracts from today's agency systems.", no_args_is_help=True)
app.add_typer(feed_app, name="feed")


def _fail(e: CrosstrackError):
    from .cli import _fail as fail
    fail(e)


def _engine(url: str | None):
    from .cli_repo import engine_for, ensure_repository  # not at import: cli_repo imports cli

    engine = engine_for(url)
    ensure_repository(engine)
    return engine


def report_dir() -> Path:
    return Settings.from_env().home / "feeds" / "reports"


@feed_app.command("import")
def feed_import(
    files: Annotated[list[Path], typer.Argument(help="extract files of the mapping's agency")],
    mapping: Annotated[str, typer.Option("--mapping", "-m", help="a mapping YAML, or a name under feeds/ (see `feed list`)")],
    full: Annotated[Optional[bool], typer.Option("--full/--delta", help="a full extract (report events on file it lacks) or a delta; default: the mapping's")] = None,
    reports: Annotated[Optional[Path], typer.Option("--report-dir", help="where the quarantine reports go (default <home>/feeds/reports)")] = None,
    database_url: UrlOpt = None,
) -> None:
    """Validate each row, merge the valid ones as verified records, quarantine the rest with reasons.

    Re-importing a file changes nothing; a changed row updates its event (the old version kept)."""
    from extract.feeds.mapping import load_mapping

    from .feed_import import COUNTS, import_file

    try:
        m = load_mapping(mapping)
        engine = _engine(database_url)
        results = []
        with progress() as bar:
            for path in files:
                task = bar.add_task(path.name[:40], total=None)
                res = import_file(engine, m, path, report_dir=reports or report_dir(), full=full,
                                  on_rows=lambda n, t=task: bar.update(t, completed=n))
                bar.update(task, total=res.rows, completed=res.rows)
                results.append(res)
                for q in res.quarantine[:50]:  # the reasons never quote an identifying value
                    err.print(f"[yellow]quarantined[/yellow] {path.name} row {q.row}: {q.reason}", markup=True,
                              highlight=False)
                if res.error:
                    err.print(f"[red]rejected[/red] {res.error}", markup=True, highlight=False)
    except CrosstrackError as e:
        _fail(e)
    table = Table(*("file", *COUNTS, "report"), title=f"feed {m.feed}")
    for r in results:
        table.add_row(r.file, *(str(v) for v in r.counts().values()), r.report or "")
    err.print(table)
    total = {k: sum(getattr(r, k) for r in results) for k in COUNTS}
    total.update(files=len(results), rejected_files=sum(1 for r in results if r.error))
    typer.echo(json.dumps(total))
    raise typer.Exit(int(ExitCode.rejected) if total["rejected_files"] else 0)


@feed_app.command("list")
def feed_list() -> None:
    """The mappings under feeds/: agency, format, key and what a delivery is."""
    from extract.feeds.mapping import known_mappings

    try:
        ms = known_mappings()
    except CrosstrackError as e:
        _fail(e)
    table = Table("feed", "agency", "format", "key", "delivery")
    for m in ms:
        table.add_row(m.feed, m.agency, m.format, ", ".join(m.key), "full" if m.full_extract else "delta")
    err.print(table)
    typer.echo(json.dumps([{"feed": m.feed, "agency": m.agency, "format": m.format, "version": m.version}
                           for m in ms]))


@feed_app.command("samples")
def feed_samples(
    out: Annotated[Path, typer.Option(help="where to write one sample extract per feed")] = Path("samples/feeds"),
    people: int = 120,
    seed: int = 2024,
) -> None:
    """Sample extracts of the synthetic state's people, with one bad row of every kind and expected.csv."""
    from .feed_synth import write_samples

    typer.echo(json.dumps(write_samples(out, people, seed)))


@feed_app.command("quarantine")
def feed_quarantine(feed: Annotated[Optional[str], typer.Option(help="one feed only")] = None,
                    database_url: UrlOpt = None) -> None:
    """Quarantined rows still on file, newest delivery first (row numbers and reasons, no values)."""
    from models.feed_store import quarantine

    rows = quarantine(_engine(database_url), feed)
    table = Table("feed", "file", "row", "column", "reason")
    for r in rows:
        table.add_row(r["feed"], r["file"], str(r["row"]), r["column"] or "", r["reason"])
    err.print(table)
    typer.echo(json.dumps({"quarantined": len(rows)}))


@bench_app.command("feed")
def bench_feed(
    people: Annotated[int, typer.Option(help="synthetic people whose feed rows are imported")] = 20_000,
    seed: int = 9,
    workers: Annotated[int, typer.Option(help="2: read and map in a second process while the first writes", min=1, max=2)] = WORKERS,
    database_url: UrlOpt = None,
) -> None:
    """Rows per second imported (validation, mapping, merge) against a raw bulk insert of the same rows.

    Without --database-url it uses a scratch SQLite file; a PostgreSQL database given must be empty."""
    from .feed_bench import run_feed_bench

    try:
        with progress() as bar:
            task = bar.add_task("import", total=None)
            report = run_feed_bench(people, seed, database_url, lambda n: bar.advance(task, n), workers)
    except CrosstrackError as e:
        _fail(e)
    err.print(f"import {report['rows_per_s']:,.0f} rows/s, raw {report['raw_rows_per_s']:,.0f} rows/s "
              f"({report['raw_method']}): ratio {report['ratio']:.2f}")
    typer.echo(json.dumps(report))


@eval_app.command("feed-linkage")
def eval_feed_linkage(
    people: Annotated[int, typer.Option(help="synthetic people (scans before 2010, feeds after)")] = 2000,
    seed: int = 31,
) -> None:
    """Pairwise F1 of linking feed records to scanned records of the same people, on generated truth."""
    from .feed_linkage import run_feed_linkage

    try:
        with progress() as bar:
            task = bar.add_task("feed linkage", total=None)
            report = run_feed_linkage(people, seed, lambda d: bar.update(task, description=d))
    except CrosstrackError as e:
        _fail(e)
    typer.echo(json.dumps(report))
