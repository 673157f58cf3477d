"""crosstrack commands: repo (`db upgrade|downgrade|current`, `merge`, `bench load`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from sqlalchemy import Engine

from models.db import database_url, make_engine
from models.errors import CrosstrackError, ExitCode, MissingFileError
from models.prefetch import WORKERS
from models.settings import Settings

from .cli import UrlOpt, app, bench_app
from .console import err, progress

db_app = typer.Typer(help="The repository's schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")



def engine_for(url: str | None) -> Engine:
    return make_engine(url or database_url(Settings.from_env()))


def offence_rows() -> list[dict]:
    """The real offence index as plain rows for `models.offence_store`."""
    from extract.offences import load_offence_table

    return [{"code": o.code, "statute": o.statute, "description": o.description, "category": o.category,
             "level": o.level, "start_year": o.start_year, "end_year": o.end_year}
            for o in load_offence_table().offences]


def upgrade_repository(engine: Engine, revision: str = "head") -> dict:
    """Migrate, then (at head) make sure the offence table is loaded; both idempotent."""
    from models import migrate
    from models.offence_store import load_offences

    migrate.upgrade(engine, revision)
    at = migrate.current(engine)
    loaded = load_offences(engine, offence_rows()) if at == migrate.head() else 0
    return {"revision": at, "offences_loaded": loaded}


def ensure_repository(engine: Engine) -> None:
    """What `merge` does first: upgrade when the schema is behind (which also loads offences)."""
    from models import migrate

    if migrate.current(engine) != migrate.head():
        upgrade_repository(engine)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Option(help="target revision")] = "head", database_url: UrlOpt = None) -> None:
    """Create or migrate the repository's tables and load the offence table."""
    typer.echo(json.dumps(upgrade_repository(engine_for(database_url), revision)))


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Option(help="target revision: -1 (one step) or base (drop everything)")] = "-1",
                 database_url: UrlOpt = None) -> None:
    """Step the schema back (base drops every table and the data in them)."""
    from models import migrate

    engine = engine_for(database_url)
    migrate.downgrade(engine, revision)
    typer.echo(json.dumps({"revision": migrate.current(engine)}))


@db_app.command("current")
def db_current(database_url: UrlOpt = None) -> None:
    """The revision the repository is at (null: not created) and the newest one."""
    from models import migrate

    engine = engine_for(database_url)
    typer.echo(json.dumps({"revision": migrate.current(engine), "head": migrate.head()}))


@app.command()
def merge(
    file: Annotated[Path, typer.Argument(help="verified records, one JSON object per line")],
    rejects: Annotated[Optional[Path], typer.Option(help="rejected lines with reasons (default FILE.rejects.jsonl)")] = None,
    chunk_size: Annotated[int, typer.Option(help="records per transaction", min=1)] = 5000,
    workers: Annotated[int, typer.Option(help="2: parse in a second process while the first writes", min=1, max=2)] = WORKERS,
    database_url: UrlOpt = None,
) -> None:
    """Merge verified records into the repository, idempotently (keyed by document, page, frame, record)."""
    from models.merge import merge_lines, numbered_lines

    try:
        if not file.is_file():
            raise MissingFileError(f"{file}: the file does not exist or is not a regular file: check the path")
        engine = engine_for(database_url)
        ensure_repository(engine)
        rejects = rejects or file.with_name(file.name.removesuffix(".jsonl") + ".rejects.jsonl")
        with rejects.open("w", encoding="utf-8") as out, progress() as bar:
            task = bar.add_task("merge", total=None)

            def on_reject(r) -> None:
                # The reason only: the line itself holds names and numbers (it goes to the file).
                err.print(f"[yellow]rejected[/yellow] line {r.line}: {r.reason}", markup=True, highlight=False)
                out.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")

            counts = merge_lines(engine, numbered_lines(file), on_reject=on_reject,
                                 on_chunk=lambda n: bar.advance(task, n), chunk_size=chunk_size, workers=workers)
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    if not counts.rejected:
        rejects.unlink(missing_ok=True)  # no file rather than an empty one
    typer.echo(json.dumps(counts.as_dict()))
    raise typer.Exit(int(ExitCode.rejected) if counts.rejected else 0)


@bench_app.command("load")
def bench_load(
    events: Annotated[int, typer.Option(help="synthetic events to merge", min=1)] = 200_000,
    seed: int = 5,
    workers: Annotated[int, typer.Option(help="as `merge --workers`", min=1, max=2)] = WORKERS,
    database_url: UrlOpt = None,
) -> None:
    """Merge throughput (events/s) against a raw bulk insert of the same rows, in one run.

    Without --database-url it uses a scratch SQLite file; a PostgreSQL database given must be empty."""
    from .load_bench import run_load_bench

    try:
        with progress() as bar:
            task = bar.add_task("merge", total=events)
            report = run_load_bench(events, seed, database_url, lambda n: bar.advance(task, n), workers)
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    err.print(f"merge {report['merge_events_per_s']:,.0f} events/s, raw {report['raw_events_per_s']:,.0f} events/s "
              f"({report['raw_method']}): ratio {report['ratio']:.2f}")
    typer.echo(json.dumps(report))
