"""crosstrack commands: link."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from models.errors import ConfigError, CrosstrackError
from models.settings import Settings

from .cli import app
from .console import progress

ThresholdOpt = Annotated[Optional[float], typer.Option(help="match weight (bits) at or above which two identities link")]
SidModeOpt = Annotated[str, typer.Option(help="comparison (SID as strong evidence, the default) or deterministic")]


def _options(threshold: float | None, sid_mode: str, seed: int = 42):
    from review.linkage import DEFAULT_THRESHOLD, LinkOptions

    if sid_mode not in ("comparison", "deterministic"):
        raise ConfigError(f"--sid-mode must be comparison or deterministic, not {sid_mode!r}")
    return LinkOptions(threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
                       sid_mode=sid_mode, seed=seed)  # type: ignore[arg-type]


@app.command("link")
def link_cmd(threshold: ThresholdOpt = None, sid_mode: SidModeOpt = "comparison") -> None:
    """Re-cluster the repository's identities into people and write their person ids."""
    from models.db import engine_for

    from .link_repository import link_repository

    try:
        options = _options(threshold, sid_mode)
        engine = engine_for(Settings.from_env())
        with progress() as bar:
            tasks: dict[str, int] = {}

            def step(stage: str, n: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=None)
                bar.advance(tasks[stage], n)
            report = link_repository(engine, options, step)
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    typer.echo(json.dumps(report.as_dict()))


@app.command("link-eval")
def link_eval_cmd(
    people: Annotated[int, typer.Option(help="synthetic people to generate and link (0: none)")] = 1000,
    seed: Annotated[int, typer.Option(help="generator and sampling seed")] = 7,
    febrl: Annotated[bool, typer.Option("--febrl", help="also score the FEBRL 1-3 dedup sets")] = False,
    threshold: ThresholdOpt = None,
    sid_mode: SidModeOpt = "comparison",
) -> None:
    """Pairwise and B-cubed precision, recall and F1 of person linkage against generator and FEBRL truth."""
    from rich.console import Console
    from rich.table import Table

    from .link_eval import run, summary

    try:
        options = _options(threshold, sid_mode, seed)
        if people:
            try:
                import models.synth as synth
                synth.generate  # noqa: B018
            except (ImportError, AttributeError):
                raise ConfigError("models.synth.generate is not available: run with --people 0 --febrl") from None
        with progress() as bar:
            def track(label: str, total: int | None):
                task = bar.add_task(label, total=total)
                return lambda n: bar.advance(task, n)
            reports = run(people, seed, febrl, options, track)
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    table = Table(title=f"person linkage (threshold {options.threshold:g} bits, SID as {options.sid_mode})")
    for col in ("data set", "records", "tuples", "people", "found", "pairs scored", "pair P", "pair R", "pair F1",
                "B³ P", "B³ R", "B³ F1", "s"):
        table.add_column(col, justify="left" if col == "data set" else "right")
    for r in reports:
        pw, b3 = r["pairwise"], r["bcubed"]
        table.add_row(r["dataset"], f"{r['records']:,}", f"{r['tuples']:,}", f"{r['people_true']:,}",
                      f"{r['people_found']:,}", f"{r['pairs_scored']:,}",
                      *(f"{v:.4f}" for v in (pw["precision"], pw["recall"], pw["f1"],
                                             b3["precision"], b3["recall"], b3["f1"])), f"{r['seconds']:.1f}")
    out = Console(width=max(Console().width, 150))
    out.print(table)
    for r in reports:
        out.print(f"{r['dataset']}: pairwise F1 by threshold {r['f1_by_threshold']}; stages {r['stages']}")
    typer.echo(json.dumps({"threshold": options.threshold, "sid_mode": options.sid_mode, **summary(reports)}))
