"""crosstrack commands: portal (the web service), portal user add / set / list."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from models.errors import ExitCode
from models.settings import Settings

from .cli import app
from .console import err

portal_app = typer.Typer(help="The web service: `crosstrack portal` serves it; `portal user` manages accounts.",
                         invoke_without_command=True)
user_app = typer.Typer(help="Portal accounts.", no_args_is_help=True)
portal_app.add_typer(user_app, name="user")
app.add_typer(portal_app, name="portal")


@portal_app.callback()
def portal_cmd(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    host: Annotated[str, typer.Option(help="address to listen on (put a TLS proxy in front beyond this machine)")] = "127.0.0.1",
) -> None:
    """Serve the portal: batches, review queue, anonymized and restricted views, audit log."""
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from portal.app import create_app

    settings = Settings.from_env()
    web = create_app(settings)
    err.print(f"portal on [bold]http://{host}:{port}[/bold] (data in {settings.home}); "
              "`crosstrack portal user add NAME --role R` makes an account")
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _engine():
    from flows.cli_repo import ensure_repository
    from models.db import engine_for

    engine = engine_for(Settings.from_env())
    ensure_repository(engine)
    return engine


def _run(fn) -> None:
    from portal.web import PortalError

    try:
        fn()
    except PortalError as e:
        err.print(f"[red]error:[/red] {e.message}")
        raise typer.Exit(int(ExitCode.bad_args)) from None


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="the sign-in name")],
    role: Annotated[str, typer.Option(help="archivist, reviewer, analyst_public, analyst_cleared or admin")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")] = False,
) -> None:
    """Add an account (the password is asked for, or read from stdin)."""
    from portal import auth

    password = _password(password_stdin)
    _run(lambda: auth.add_user(_engine(), name, role, password))
    typer.echo(json.dumps({"user": name, "role": role}))


@user_app.command("set")
def user_set(
    name: Annotated[str, typer.Argument(help="the sign-in name")],
    role: Annotated[Optional[str], typer.Option(help="a new role")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="a new password, from the first line of stdin")] = False,
    active: Annotated[Optional[bool], typer.Option("--active/--disabled", help="allow or refuse sign-in")] = None,
) -> None:
    """Change an account's role, password or whether it may sign in (its sessions end)."""
    from portal import auth

    password = _password(True) if password_stdin else None
    _run(lambda: auth.set_user(_engine(), name, role, password, active))
    typer.echo(json.dumps({"user": name, "role": role, "active": active}))


@user_app.command("list")
def user_list() -> None:
    """Every account with its role."""
    from portal import auth

    for u in auth.list_users(_engine()):
        typer.echo(json.dumps({"user": u["name"], "role": u["role"], "active": u["active"]}))


# ---- bench portal (helper B: flows/portal_bench.py) ------------------------------------------------

from .cli import bench_app  # noqa: E402


@bench_app.command("portal")
def bench_portal(
    events: Annotated[int, typer.Option(help="events in the benchmark repository (synth + merge + views refresh; kept and reused)", min=1000)] = 1_000_000,
    seed: Annotated[int, typer.Option(help="synth seed")] = 0,
    reps: Annotated[int, typer.Option(help="repetitions of each query for p50/p95", min=5)] = 30,
    concurrency: Annotated[int, typer.Option(help="concurrent clients in the load test", min=1, max=256)] = 16,
    seconds: Annotated[float, typer.Option(help="length of the load test", min=1, max=600)] = 20,
) -> None:
    """p50/p95 of the portal's main API queries over HTTP, and requests/s under a bounded load."""
    from models.errors import CrosstrackError

    from .portal_bench import run_portal_bench

    try:
        result = run_portal_bench(Settings.from_env(), events, seed, reps, concurrency, seconds,
                                  lambda s: err.print(s))
    except CrosstrackError as e:
        from .cli import _fail
        _fail(e)
    lat, load = result["latency"], result["load"]
    err.print(f"build {result['build']['build_s']} s{' (reused)' if result['build']['reused'] else ''}; "
              f"aggregates p50 {lat['aggregates']['p50_ms']} ms, p95 {lat['aggregates']['p95_ms']} ms "
              f"(target < {result['target_aggregate_p95_ms']}); load {load['requests_per_s']} req/s, "
              f"{load['errors']} errors")
    typer.echo(json.dumps(result))
