"""crosstrack commands: synth (a synthetic state of verified records with the truth of who is who)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from models.errors import CrosstrackError, ExitCode

from .cli import app
from .console import err, progress


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="folder for verified.jsonl and people.csv")],
    people: Annotated[int, typer.Option(help="number of people (the full state: 472000)")] = 10_000,
    seed: Annotated[int, typer.Option(help="random seed: the same seed writes the same bytes")] = 0,
    workers: Annotated[Optional[int], typer.Option(help="processes generating chunks (default: one per core)")] = None,
    feeds: Annotated[bool, typer.Option(help="newer DOC, District Court, Probation and Parole events as agency extracts under OUT/feeds/ (one process)")] = False,
    feeds_from: Annotated[int, typer.Option(help="with --feeds: the year agency systems' extracts start")] = 2010,
) -> None:
    """Write a synthetic state: verified records of Massachusetts life courses, and each record's true person.

    With --feeds, the newer events of four agencies come as their extract files instead (the same
    people: `crosstrack feed import` brings them into the same repository)."""
    from models.synth import write_state

    if people < 1:
        err.print("[red]error:[/red] --people must be at least 1")
        raise typer.Exit(int(ExitCode.bad_args))
    try:
        if feeds:
            from .feed_synth import write_feeds

            with err.status(f"synth {people:,} people with agency extracts from {feeds_from}"):
                typer.echo(json.dumps(write_feeds(out, people, seed, feeds_from)))
            return
        with progress() as bar:
            task = bar.add_task("synth people", total=people)
            bar.update(task, description="synth people (0 records)")

            started = time.perf_counter()

            def advance(done: int, records: int) -> None:
                rate = records / max(1e-9, time.perf_counter() - started)
                bar.update(task, completed=done, description=f"synth people ({records:,} records, {rate:,.0f}/s)")

            result = write_state(out, people, seed, advance, workers=workers or os.cpu_count() or 1)
    except OSError as e:
        from .cli import _fail

        _fail(CrosstrackError(f"could not write {out}: {e.strerror}; check the folder and free disk space"))
    typer.echo(json.dumps(result))
