"""`crosstrack bench ocr`: frames per second and peak memory per engine, one engine per process.

Each engine runs the real `crosstrack digitize` in a child process over the same frames, so the
time includes loading the models and the memory is that engine's own peak (wait4's ru_maxrss).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from digitize.evaluation import load_truth

from .charts import grouped_bars
from .ocr_eval import ensure_dataset


def time_engine(engine: str, files: list[Path]) -> dict:
    cmd = [sys.executable, "-m", "flows", "digitize", "--json", "--engine", engine, *map(str, files)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    pages = [json.loads(line) for line in out.splitlines() if line.strip()]
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{engine} benchmark run failed with status {status}")
    return {
        "engine": engine,
        "frames": len(files),
        "pages_read": sum(1 for p in pages if "error" not in p),
        "seconds": round(wall, 2),
        "frames_per_second": round(len(files) / wall, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def run_ocr_bench(out_dir: Path, data_dir: Path, engines: list[str], count: int, seed: int, progress) -> dict:
    truth = ensure_dataset(data_dir, count, seed, "all", kinds=("frame",))
    files = [data_dir / item["file"] for item in load_truth(truth)][:count]
    task = progress.add_task("bench", total=len(engines))
    rows = []
    for engine in engines:
        rows.append(time_engine(engine, files))
        progress.advance(task)
    report = {"cpu_count": os.cpu_count(), "frames": len(files), "results": rows}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ocr_bench.json").write_text(json.dumps(report, indent=2))
    grouped_bars(out_dir / "ocr_bench.png", f"OCR speed, {len(files)} frames, {os.cpu_count()} cores", [r["engine"] for r in rows],
                 {"frames/s": [r["frames_per_second"] for r in rows]}, "frames per second", 0.5)
    return report
