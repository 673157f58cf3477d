"""`crosstrack eval ocr`: CER/WER per engine, layout, font and degradation, on held-out generated
documents and on real scans that registry packages ship; plus each cleanup step's effect."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from digitize.cleanup import CleanupOptions
from digitize.cleanup.context import STEP_NAMES
from digitize.evaluation import Breakdown, load_truth, page_key
from digitize.ocr import get_ocr_engine
from digitize.reader import PageReader, ReadOptions
from models.errors import RejectedFileError
from models.settings import Settings

from .charts import grouped_bars

REALSCANS = Path(__file__).resolve().parent.parent / "tests" / "resources" / "realscans"
EVAL_KINDS = ("frame", "scan", "pdf_scanned")


def ensure_dataset(data_dir: Path, count: int, seed: int, split: str, kinds: tuple[str, ...] = EVAL_KINDS) -> Path:
    """The generated dataset's truth.jsonl, generating it on first use."""
    truth = data_dir / "truth.jsonl"
    if not truth.exists():
        from digitize.samplegen import generate_dataset

        generate_dataset(data_dir, count=count, seed=seed, split=split, kinds=kinds)
    return truth


def score_items(reader: PageReader, items: list[dict], root: Path, tick: Callable[[], None]) -> Breakdown:
    result = Breakdown()
    for item in items:
        try:
            pages = {page_key(p.page, p.frame and p.frame.model_dump()): p.text for p in reader.read_file(root / item["file"])}
        except RejectedFileError:
            pages = {}
        for tp in item["pages"]:
            key = page_key(tp["page"], tp.get("frame"))
            if tp.get("blank") and key not in pages:
                continue
            tags = {k: item[k] for k in ("layout", "font", "kind", "split") if item.get(k)}
            tags["degradation"] = item.get("degradations") or ["clean"]
            result.add(pages.get(key, ""), tp["text"], tags)
        tick()
    return result


def real_scan_items(folder: Path) -> list[dict]:
    """Real scans' truth in the generated truth's shape: one item per file, its pages listed."""
    truth = folder / "truth.jsonl"
    if not truth.exists():
        return []
    items: dict[str, dict] = {}
    for row in load_truth(truth):
        item = items.setdefault(row["file"], {"file": row["file"], "layout": "real", "kind": "real", "pages": []})
        item["pages"].append({"page": row.get("page", 1), "frame": None, "text": row["text"]})
    return list(items.values())


def run_ocr_eval(
    out_dir: Path,
    data_dir: Path,
    engines: list[str],
    count: int,
    seed: int,
    ablation_count: int,
    settings: Settings,
    progress,
    sheets: int = 0,
    split: str = "heldout",
) -> dict:
    truth = ensure_dataset(data_dir, count, seed, split)
    items = load_truth(truth)[:count]
    real = real_scan_items(REALSCANS)
    report: dict = {"dataset": str(data_dir), "split": split, "items": len(items), "real_scans": len(real), "engines": {}}
    for name in engines:
        reader = PageReader(get_ocr_engine(name), settings, ReadOptions())
        task = progress.add_task(f"eval {name}", total=len(items) + len(real))
        tick = lambda: progress.advance(task)  # noqa: E731
        report["engines"][name] = {
            "generated": score_items(reader, items, data_dir, tick).as_dict(),
            "real": score_items(reader, real, REALSCANS, tick).as_dict() if real else None,
        }
    if ablation_count:
        report["ablation"] = run_ablation(items[:ablation_count], data_dir, engines[0], settings, progress)
    if sheets:
        report["sheets"] = run_sheet_eval(sheets, seed, split, progress)
    report["charts"] = [str(p) for p in charts(report, out_dir)]
    (out_dir / "ocr_eval.json").write_text(json.dumps(report, indent=2))
    return report


def run_ablation(items: list[dict], root: Path, engine: str, settings: Settings, progress) -> dict:
    """CER with every step on, each step off in turn, and all off."""
    variants = {"all steps": CleanupOptions()}
    variants |= {f"no {s}": CleanupOptions.without(s) for s in STEP_NAMES if s != "binarize"}
    variants["+ binarize"] = CleanupOptions(binarize=True)
    variants["no cleanup"] = CleanupOptions.without(*STEP_NAMES)
    ocr = get_ocr_engine(engine)
    task = progress.add_task(f"ablation {engine}", total=len(variants) * len(items))
    out = {}
    for label, opts in variants.items():
        reader = PageReader(ocr, settings, ReadOptions(cleanup=opts))
        out[label] = score_items(reader, items, root, lambda: progress.advance(task)).overall.as_dict()
    return out


def run_sheet_eval(n: int, seed: int, split: str, progress) -> dict:
    """Fiche sheets (5x12 and 7x14, generated with blank frames and degradations) split into
    exactly their frames at their grid positions."""
    from digitize.cleanup import deskew_sheet, split_sheet
    from digitize.samplegen import make_sheet

    task = progress.add_task("sheets", total=n)
    exact = found = expected = extra = 0
    failures = []
    for i in range(n):
        rows, cols = ((5, 12), (7, 14))[i % 2]
        image, truth = make_sheet(seed + i, rows, cols, frame_size=(600, 450), split=split)
        want = {(p["frame"]["row"], p["frame"]["col"]) for p in truth["pages"] if not p["blank"]}
        got = {(f.row, f.col) for f in split_sheet(deskew_sheet(image)) or []}
        exact += got == want
        found += len(got & want)
        expected += len(want)
        extra += len(got - want)
        if got != want:
            failures.append({"seed": seed + i, "grid": [rows, cols], "degradations": truth["degradations"],
                             "missing": sorted(want - got), "extra": sorted(got - want)})
        progress.advance(task)
    return {"sheets": n, "exact": exact, "frames_expected": expected, "frames_found": found,
            "frames_extra": extra, "failures": failures}


def charts(report: dict, out_dir: Path) -> list[Path]:
    made = []
    engines = report["engines"]
    for dim in ("layout", "degradation", "font"):
        groups = sorted({g for e in engines.values() for g in e["generated"].get(dim, {})})
        if not groups:
            continue
        series = {n: [e["generated"][dim].get(g, {}).get("cer", 0.0) for g in groups] for n, e in engines.items()}
        title = f"CER by {dim} (generated, {report['split']})"
        made.append(grouped_bars(out_dir / f"cer_by_{dim}.png", title, groups, series, "CER", 0.02))
    if "ablation" in report:
        labels = list(report["ablation"])
        made.append(grouped_bars(out_dir / "cleanup_ablation.png", "Cleanup steps: CER with each step off", labels,
                                 {"ppocr": [report["ablation"][v]["cer"] for v in labels]}, "CER"))
    return made
