"""crosstrack review …: routing records to reviewers in Label Studio and taking their work back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from models.errors import CrosstrackError, ExitCode
from models.settings import Settings

from .cli import _fail, app
from .console import err, progress

review_app = typer.Typer(help="Human review in Label Studio: route, serve, push, pull, calibrate.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@review_app.command("serve")
def review_serve() -> None:
    """Start Label Studio (and the webhook receiver) in the background; reuse them if running."""
    from review.ls_server import serve

    try:
        with err.status("starting Label Studio (a first start sets up its database: about a minute)"):
            s = serve(Settings.from_env())
    except CrosstrackError as e:
        _fail(e)
    how = "already running" if s.reused else f"started in {s.started_s:.0f} s"
    err.print(f"Label Studio {how} at [bold]{s.url}[/bold]\n"
              f"  log in as {s.user} with the password {s.password}\n"
              f"  (set CROSSTRACK_LS_PASSWORD / CROSSTRACK_LS_TOKEN before a first start to choose them)\n"
              f"  annotations come back by webhook to {s.webhook_url}; stop with `crosstrack review stop`")
    typer.echo(json.dumps({"url": s.url, "user": s.user, "reused": s.reused}))


@review_app.command("stop")
def review_stop() -> None:
    """Stop the Label Studio server and webhook receiver `review serve` started."""
    from review.ls_server import stop

    stopped = stop(Settings.from_env())
    err.print("stopped" if stopped else "nothing was running")


@review_app.command("push")
def review_push(
    file: Annotated[Path, typer.Argument(help="extract records (`crosstrack extract --jsonl`)")],
    auto_out: Annotated[Optional[Path], typer.Option(help="write the auto-accepted records here, as verified records")] = None,
    policy: Annotated[Optional[Path], typer.Option(help="routing policy (default: CROSSTRACK_REVIEW_POLICY, <home>/review/policy.toml, the shipped one)")] = None,
) -> None:
    """Route records; send `review` and `audit` ones to Label Studio (once each); last line: JSON counts."""
    from review.ls_tasks import push
    from review.policy import load_policy

    settings = Settings.from_env()
    try:
        records = _read_records(file)
        with progress() as bar:
            task = bar.add_task("push", total=None)
            res = push(records, settings, load_policy(policy), auto_out=auto_out, advance=lambda n: bar.advance(task, n))
    except CrosstrackError as e:
        _fail(e)
    if res.already:
        err.print(f"{res.already} records were already tasks of the project: not sent again")
    if res.missing:
        err.print(f"[yellow]not pushed:[/yellow] the records of {len(res.missing)} documents that could not be cropped "
                  f"(sha256 {', '.join(res.missing[:5])}): not in the store nor at their source path, or changed "
                  "since extraction: ingest or re-extract them, then push again")
    typer.echo(json.dumps(res.summary()))


@review_app.command("pull")
def review_pull(
    out: Annotated[Path, typer.Option(help="write the verified records of newly completed tasks here (JSON Lines)")],
    poll: Annotated[bool, typer.Option(help="also poll Label Studio for completed tasks the webhook missed")] = True,
) -> None:
    """Completed tasks (new or updated since the last pull) as verified records; last line: JSON counts."""
    from review.ls_sync import pull

    settings = Settings.from_env()
    try:
        res = pull(settings, out, poll=poll)
    except CrosstrackError as e:
        _fail(e)
    if res.not_reviews:
        err.print(f"{res.not_reviews} annotations were not reviews of records pushed from this data directory: skipped")
    typer.echo(json.dumps(res.summary()))


def _read_records(path: Path) -> list[dict]:
    """Extract records; a line `extract` wrote for a rejected file (it has an "error") is skipped."""
    if not path.is_file():
        err.print(f"[red]error:[/red] {path} does not exist")
        raise typer.Exit(int(ExitCode.bad_args))
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            err.print(f"[red]error:[/red] {path}:{n} is not JSON: give the output of `crosstrack extract --jsonl`")
            raise typer.Exit(int(ExitCode.bad_args)) from None
        if isinstance(obj, dict) and "error" not in obj:
            out.append(obj)
    return out
