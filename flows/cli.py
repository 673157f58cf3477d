"""The `crosstrack` command line. Only this module turns exceptions into exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from digitize.cleanup import CleanupOptions
from digitize.cleanup.context import STEP_NAMES
from digitize.reader import ReadOptions
from models.errors import CrosstrackError, ExitCode
from models.settings import Settings

from .console import err, progress

app = typer.Typer(help="crosstrack: criminal-justice archives to a linked repository of events.", no_args_is_help=True)
samples_app = typer.Typer(help="Generated sample documents with ground truth.", no_args_is_help=True)
eval_app = typer.Typer(help="Accuracy evaluations.", no_args_is_help=True)
bench_app = typer.Typer(help="Speed benchmarks.", no_args_is_help=True)
app.add_typer(samples_app, name="samples")
app.add_typer(eval_app, name="eval")
app.add_typer(bench_app, name="bench")

EngineOpt = Annotated[Optional[str], typer.Option(help="OCR engine: ppocr (default), paddle or tesseract; CROSSTRACK_OCR_ENGINE")]
SkipOpt = Annotated[list[str], typer.Option("--skip", help=f"cleanup step to switch off (repeatable): {', '.join(STEP_NAMES)}, fiche")]


def _fail(e: CrosstrackError) -> None:
    err.print(f"[red]error:[/red] {e}")
    raise typer.Exit(int(e.exit_code))


@app.command()
def digitize(
    files: Annotated[list[str], typer.Argument(help="image or PDF files")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout, one object per page or frame")] = False,
    engine: EngineOpt = None,
    skip: SkipOpt = [],
    dpi: Annotated[int, typer.Option(help="resolution for rendering PDF pages without a text layer")] = 300,
    debug_dir: Annotated[Optional[Path], typer.Option(help="write each cleanup step's image here")] = None,
) -> None:
    """Read files into page text with word boxes and confidences."""
    from .digitize_run import Rejected, digitize_files

    settings = Settings.from_env()
    try:
        options = ReadOptions(cleanup=CleanupOptions.without(*skip), dpi=dpi, debug_dir=debug_dir)
    except ValueError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(int(ExitCode.bad_args)) from None
    rejected = 0
    try:
        with progress() as bar:
            task = bar.add_task("digitize", total=len(files))
            for item in digitize_files(files, settings, engine or settings.ocr_engine, options, lambda _: bar.advance(task)):
                if isinstance(item, Rejected):
                    rejected += 1
                    err.print(f"[yellow]rejected[/yellow] {item.source}: {item.error}")
                if as_json:
                    sys.stdout.write(json.dumps(item.cli_record(), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                elif not isinstance(item, Rejected):
                    where = f" frame r{item.frame.row}c{item.frame.col}" if item.frame else ""
                    typer.echo(f"== {item.source} page {item.page}{where} ({item.engine})\n{item.text}\n")
    except CrosstrackError as e:
        _fail(e)
    raise typer.Exit(int(ExitCode.rejected) if rejected else 0)


def main() -> None:  # pragma: no cover
    app()
