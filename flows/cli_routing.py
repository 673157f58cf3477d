"""crosstrack review calibrate and crosstrack eval routing: routing thresholds, chosen and measured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from models.errors import CrosstrackError
from models.settings import Settings

from .cli import _fail, eval_app
from .cli_review import review_app
from .console import err, progress
from .report import out as console


def _pct(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f} %"


@review_app.command("calibrate")
def review_calibrate(
    target: Annotated[Optional[float], typer.Option(help="field error allowed among auto-accepted records (default: the policy's, 0.005)")] = None,
    out: Annotated[Optional[Path], typer.Option(help="policy file to write (default: <home>/review/policy.toml)")] = None,
    count: Annotated[int, typer.Option(help="generated tune documents, when audited outcomes are too few")] = 2000,
    seed: int = 7,
    outcomes: Annotated[Optional[Path], typer.Option(help="reviewers' outcomes (default: <home>/review/outcomes.jsonl)")] = None,
    bags: Annotated[int, typer.Option(min=0, help="bootstrap resamples whose median thresholds are taken (0: one search on all the records)")] = 31,
) -> None:
    """Choose per-kind confidence thresholds that keep the auto-accepted field error under the target."""
    from review.calibrate import audited_or_generated, choose_thresholds, to_policy
    from review.policy import load_policy, policy_path, save_policy

    settings = Settings.from_env()
    out = out or settings.home / "review" / "policy.toml"
    try:
        base = load_policy()
        target = target if target is not None else base.error_target
        if not 0 < target < 1:
            raise typer.BadParameter("--target must lie between 0 and 1")
        with progress() as bar:
            task = bar.add_task("calibrate", total=count)
            records, source, why = audited_or_generated(outcomes or settings.home / "review" / "outcomes.jsonl", base,
                                                   target, count, seed, lambda: bar.advance(task))
        cal = choose_thresholds(records, target, source=source, bags=bags, seed=seed)
        policy = to_policy(cal, base)
        save_policy(policy, out, "Routing policy written by `crosstrack review calibrate` (thresholds per field kind;\n"
                                 "above 1: never auto-accepted). Rerun it after retraining the extractor.")
    except CrosstrackError as e:
        _fail(e)
    table = Table(title="Thresholds per field kind")
    for col in ("kind", "threshold", "records with it", "held back by it"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for kind, row in cal.per_kind.items():
        t = row["threshold"]
        table.add_row(kind, "never" if t > 1 else f"{t:.2f}", f"{row['records_with']:.0f}", f"{row['held_back']:.0f}")
    console.print(table)
    console.print(f"data: {source} ({why})")
    console.print(f"auto-accepted: {_pct(cal.auto_rate, 1)} of {cal.records:.0f} records; expected field error "
                  f"{_pct(cal.error, 3)} (95 % upper bound {_pct(cal.error_upper, 3)}, target {_pct(target, 3)}); "
                  f"base policy {policy_path()}")
    err.print(f"policy written to {out}")
    typer.echo(json.dumps({**cal.summary(), "policy": str(out)}))


@eval_app.command("routing")
def eval_routing(
    count: Annotated[int, typer.Option(help="held-out generated documents")] = 400,
    seed: int = 4242,
    policy_file: Annotated[Optional[Path], typer.Option("--policy", help="routing policy (default: the one `review push` uses)")] = None,
    noise: Annotated[float, typer.Option(help="share of documents with OCR noise")] = 0.3,
    images: Annotated[int, typer.Option(help="also OCR this many held-out generated frames and scans (0: skip; ~5 s each)")] = 0,
    engine: Annotated[Optional[str], typer.Option(help="OCR engine for --images")] = None,
    out: Annotated[Optional[Path], typer.Option(help="report folder")] = None,
) -> None:
    """Auto-accept rate, field error among auto-accepted records and the audit's estimate of it, on held-out records."""
    from review.policy import load_policy, policy_path

    from .routing_eval import run_routing_eval

    settings = Settings.from_env()
    out = out or settings.results_dir / "eval-routing"
    try:
        policy = load_policy(policy_file)
        with progress() as bar:
            report = run_routing_eval(out, count, seed, policy, str(policy_path(policy_file)), noise, images,
                                      engine or settings.ocr_engine, settings, bar)
    except CrosstrackError as e:
        _fail(e)
    _print_routing(report, "text")
    if images:
        _print_routing(report["images"], f"images ({report['images']['engine']})")
    summary = {k: report[k] for k in ("records", "auto_rate", "review_rate", "audit_rate", "auto_accept_rate",
                                      "auto_error", "eligible_error", "auto_event_type_error", "target")}
    summary["audit_estimate"] = report["audit"]["estimate"]
    summary["audit_interval"] = report["audit"]["interval"]
    summary["audit_coverage"] = report["audit"]["simulated"].get("coverage")
    summary["perfect_share"] = report["ceiling"]["perfect_share"]
    summary["oracle_auto_rate"] = report["ceiling"]["oracle_auto_rate"]
    summary["met"] = (report["auto_error"] or 0.0) <= report["target"] and report["auto_accept_rate"] >= 0.8
    if images:
        summary["images"] = {k: report["images"][k] for k in ("records", "auto_rate", "auto_error")}
    err.print(f"report: {out / 'routing_eval.json'}")
    typer.echo(json.dumps(summary))


def _print_routing(r: dict, what: str) -> None:
    a = r["audit"]
    head = Table(title=f"Routing on held-out records ({what})")
    head.add_column("measure")
    head.add_column("value", justify="right")
    for label, value in (("records", str(r["records"])), ("auto", _pct(r["auto_rate"], 1)),
                         ("review", _pct(r["review_rate"], 1)), ("audit", _pct(r["audit_rate"], 1)),
                         ("field error among auto", f"{_pct(r['auto_error'], 3)} ({r['auto_wrong']}/{r['auto_values']})"),
                         ("event type wrong among auto", _pct(r["auto_event_type_error"], 2)),
                         ("values missing per auto record", str(r["auto_missing_per_record"])),
                         ("audit estimate (95 % interval)", f"{_pct(a['estimate'], 3)} [{_pct(a['interval'][0], 3)}, "
                                                            f"{_pct(a['interval'][1], 3)}] from {a['records']} records"),
                         ("true error, auto + audit", _pct(a["truth"], 3)),
                         ("audit interval holds the truth (simulated seeds)", str(a["simulated"].get("coverage"))),
                         ("records with every value right", _pct(r["ceiling"]["perfect_share"], 1)),
                         ("an oracle could auto-accept, at the target", _pct(r["ceiling"]["oracle_auto_rate"], 1)),
                         ("weakest confidence sorts right records first (AUC)", str(r["ceiling"]["weakest_confidence_auc"]))):
        head.add_row(label, value)
    console.print(head)
    kinds = Table(title="Per kind")
    for col in ("kind", "threshold", "values", "error", "below threshold", "auto values", "auto error"):
        kinds.add_column(col, justify="left" if col == "kind" else "right")
    for kind, k in r["per_kind"].items():
        kinds.add_row(kind, "never" if k["threshold"] > 1 else f"{k['threshold']:.2f}", str(k["values"]), _pct(k["error"]),
                      str(k["below_threshold"]), str(k["auto_values"]), _pct(k["auto_error"], 3))
    console.print(kinds)
    reasons = Table(title="Why records went to review")
    reasons.add_column("reason")
    reasons.add_column("records", justify="right")
    for reason, n in r["reasons"].items():
        reasons.add_row(reason, str(n))
    console.print(reasons)
