"""Rich tables for what the commands report."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table

from models.batches import STAGES
from models.settings import Settings

# Piped to a file or a CI log, rich would wrap tables at 80 columns and cut their figures.
out = Console() if sys.stdout.isatty() else Console(width=160)


def print_ocr_eval(report: dict) -> None:
    t = Table(title="OCR accuracy (CER / WER)")
    t.add_column("engine")
    t.add_column("set")
    t.add_column("pages", justify="right")
    t.add_column("CER", justify="right")
    t.add_column("WER", justify="right")
    for name, r in report["engines"].items():
        for label, part in ((f"generated ({report['split']})", r["generated"]), ("real scans", r["real"])):
            if part:
                o = part["overall"]
                t.add_row(name, label, str(o["pages"]), f"{o['cer']:.4f}", f"{o['wer']:.4f}")
    out.print(t)
    for dim in ("layout", "font", "degradation", "kind"):
        t = Table(title=f"CER by {dim} (generated, {report['split']})")
        t.add_column(dim)
        names = list(report["engines"])
        for n in names:
            t.add_column(n, justify="right")
        groups = sorted({g for n in names for g in report["engines"][n]["generated"].get(dim, {})})
        for g in groups:
            t.add_row(g, *(f"{report['engines'][n]['generated'].get(dim, {}).get(g, {}).get('cer', float('nan')):.4f}" for n in names))
        out.print(t)
    if "ablation" in report:
        t = Table(title="cleanup ablation (CER, first engine)")
        t.add_column("variant")
        t.add_column("CER", justify="right")
        t.add_column("WER", justify="right")
        for label, r in report["ablation"].items():
            t.add_row(label, f"{r['cer']:.4f}", f"{r['wer']:.4f}")
        out.print(t)
    if "sheets" in report:
        s = report["sheets"]
        out.print(f"fiche sheets split exactly: {s['exact']}/{s['sheets']} (frames found {s['frames_found']}/{s['frames_expected']})")


def print_ocr_bench(report: dict) -> None:
    t = Table(title=f"OCR speed: {report['frames']} frames, {report['cpu_count']} cores, model loading included")
    for col in ("engine", "seconds", "frames/s", "peak RSS MB"):
        t.add_column(col, justify="right")
    for r in report["results"]:
        t.add_row(r["engine"], f"{r['seconds']:.1f}", f"{r['frames_per_second']:.3f}", f"{r['peak_rss_mb']:.0f}")
    out.print(t)


def print_extract_eval(report: dict) -> None:
    if report["documents"]:
        _print_text_eval(report)
    if "images" in report:
        _print_image_eval(report["images"])
    c = report.get("corrections")
    if c and c["examples"]:
        out.print(f"reviewers' held-out corrections ({c['examples']}): NER span precision {c['precision']:.4f}, "
                  f"recall {c['recall']:.4f}, F1 {c['f1']:.4f}")


def _print_image_eval(im: dict) -> None:
    t = Table(title=f"End to end on {im['count']} {im['split']} images ({im['engine']}): F1 from OCR text and from the true text")
    for col in ("field", "ocr", "true text"):
        t.add_column(col, justify="right" if col != "field" else "left")
    for f in sorted(set(im["ocr"]["fields"]) | set(im["text"]["fields"])):
        t.add_row(f, *(f"{im[s]['fields'].get(f, {}).get('f1', float('nan')):.3f}" for s in ("ocr", "text")))
    t.add_row("[bold]all fields[/bold]", *(f"[bold]{im[s]['overall']['f1']:.4f}[/bold]" for s in ("ocr", "text")))
    out.print(t)
    o = im["ocr"]
    out.print(f"from OCR: ECE {o['ece']:.4f}; accuracy at >= 0.95: {o['accuracy_at_0.95']:.4f}")


def _print_text_eval(report: dict) -> None:
    modes = list(report["modes"])
    t = Table(title=f"Extraction on {report['split']} layouts ({report['documents']} documents): F1")
    t.add_column("field")
    for m in modes:
        t.add_column(m, justify="right")
    fields = sorted({f for m in modes for f in report["modes"][m]["fields"]})
    for f in fields:
        t.add_row(f, *(f"{report['modes'][m]['fields'].get(f, {}).get('f1', float('nan')):.3f}" for m in modes))
    t.add_row("[bold]all fields[/bold]", *(f"[bold]{report['modes'][m]['overall']['f1']:.4f}[/bold]" for m in modes))
    out.print(t)
    lt = Table(title="F1 per layout family")
    lt.add_column("layout")
    for m in modes:
        lt.add_column(m, justify="right")
    for lay in sorted(report["modes"][modes[0]]["layouts"]):
        lt.add_row(lay, *(f"{report['modes'][m]['layouts'].get(lay, {}).get('f1', float('nan')):.3f}" for m in modes))
    out.print(lt)
    if "both" in report["modes"]:
        b = report["modes"]["both"]
        rt = Table(title=f"Confidence calibration (both): ECE {b['ece']:.4f}; accuracy at >= 0.95: {b['accuracy_at_0.95']:.4f} ({b['share_at_0.95']:.0%} of values)")
        for col in ("bin", "n", "confidence", "accuracy"):
            rt.add_column(col, justify="right")
        for r in b["reliability"]:
            rt.add_row(r["bin"], str(r["n"]), f"{r['confidence']:.3f}", f"{r['accuracy']:.3f}")
        out.print(rt)


def print_run(s: dict, settings: Settings) -> None:
    """`crosstrack run`'s summary: the counts, every rejected or failed document and why, what next."""
    if "batch" in s:
        t = Table(title=f"batch {s['batch'][:16]}")
        cols = ("documents", "pages", "frames", "records", "auto", "review", "audit", "merged", "rejected", "failed")
        for col in cols:
            t.add_column(col, justify="right")
        m = s["merged"]
        t.add_row(*(str(v) for v in (s["documents"], s["pages"], s["frames"], s["records"], s["auto"], s["review"],
                                     s["audit"], m["inserted"] + m["updated"] + m["unchanged"], len(s["rejected"]),
                                     len(s["failed"]))))
        out.print(t)
        for r in s["rejected"]:
            out.print(f"[yellow]rejected[/yellow] {r['path']}: {r['reason']}")
        for f in s["failed"]:
            out.print(f"[red]failed[/red] {f['path']} at {f['stage']}: {f['error']}")
        if s["review"] + s["audit"]:
            where = (f"in Label Studio at [bold]{settings.ls_url}[/bold] (`crosstrack review serve` prints how to log in)"
                     if s["pushed"] else
                     f"in the review queue ({settings.results_dir / 'review-queue'}): `crosstrack review push` sends them")
            out.print(f"{s['review'] + s['audit']} records wait for review {where}; "
                      "`crosstrack run --sync` merges what reviewers finished")
        out.print("query the repository: `crosstrack timeline PERSON`, `crosstrack export --view anonymized|aggregates`; "
                  f"the batch again: `crosstrack status {s['batch'][:16]}…`")
    if "feeds" in s:
        f = s["feeds"]
        out.print(f"agency feeds: {f['files']} extracts, {f['rows']} rows: {f['inserted']} inserted, {f['updated']} updated, "
                  f"{f['unchanged']} unchanged, {f['quarantined']} quarantined (reasons in "
                  f"{settings.home / 'feeds' / 'reports'}; `crosstrack feed quarantine` lists them)")
    if "sync" in s:
        out.print(f"reviews: {json.dumps(s['sync'])}")


def print_status(found: list[dict]) -> None:
    t = Table(title="batches")
    for col in ("batch", "updated", "files", "documents", "rejected", *STAGES, "failed"):
        t.add_column(col, justify="left" if col in ("batch", "updated") else "right")
    for b in found:
        t.add_row(b["batch"][:16], b["updated_at"][:19], str(b["files"]), str(b["documents"]), str(len(b["rejected"])),
                  *(f"{b['done'].get(st, 0)}/{b['documents']}" for st in STAGES), str(len(b["failures"])))
    out.print(t)
    for b in found:
        for r in b["rejected"]:
            out.print(f"{b['batch'][:16]} [yellow]rejected[/yellow] {r['path']}: {r['reason']}")
        for f in b["failures"]:
            out.print(f"{b['batch'][:16]} [red]failed[/red] {f['path']} at {f['stage']}: {f['error']}")
