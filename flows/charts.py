"""Charts for evaluation and benchmark results (PNG, matplotlib's Agg backend: no display)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def grouped_bars(path: Path, title: str, groups: list[str], series: dict[str, list[float]], ylabel: str, hline: float | None = None) -> Path:
    """One bar per series in each group: e.g. CER per engine for each layout."""
    fig, ax = plt.subplots(figsize=(min(14, max(6, 0.6 * len(groups) * max(1, len(series)) + 2)), 4.5))
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        xs = [g + i * width for g in range(len(groups))]
        ax.bar(xs, values, width, label=name)
    ax.set_xticks([g + 0.4 - width / 2 for g in range(len(groups))])
    ax.set_xticklabels(groups, rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if hline is not None:
        ax.axhline(hline, color="red", linestyle="--", linewidth=1, label=f"target {hline}")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def reliability_chart(path: Path, rows: list[dict], title: str) -> Path:
    """Stated confidence against observed accuracy per bin; the diagonal is perfect calibration."""
    fig, ax = plt.subplots(figsize=(5, 5))
    xs = [r["confidence"] for r in rows]
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect")
    ax.plot(xs, [r["accuracy"] for r in rows], marker="o", label="observed")
    for r in rows:
        ax.annotate(str(r["n"]), (r["confidence"], r["accuracy"]), fontsize=7, textcoords="offset points", xytext=(3, -9))
    ax.set_xlabel("stated confidence")
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
