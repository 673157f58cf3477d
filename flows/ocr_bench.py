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

from .charts import grouped_bars


def ensure_frames(data_dir: Path, count: int, seed: int) -> list[Path]:
    truth = data_dir / "truth.jsonl"
    if not truth.exists():
        from digitize.samplegen import generate_dataset

        generate_dataset(data_dir, count=count, seed=seed, split="all", kinds=("frame",))
    files = [data_dir / json.loads(line)["file"] for line in truth.read_text().splitlines() if line.strip()]
    return files[:count]


def time_engine(engine: str, files: list[Path], extra_env: dict[str, str] | None = None) -> dict:
    cmd = [sys.executable, "-m", "flows", "digitize", "--json", "--engine", engine, *map(str, files)]
    env = {**os.environ, **(extra_env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
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
    files = ensure_frames(data_dir, count, seed)
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
