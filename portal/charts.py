"""Charts of the public aggregates, as SVG text (matplotlib's Agg backend: no display). A
suppressed cell is drawn as a gap with a mark, never as a number."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (a Figure per call: no pyplot global state)

from models import privacy  # noqa: E402

MAX_SERIES = 12  # more series than this: the largest ones are drawn, the rest listed in the table


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def trend_svg(cells: list[dict], by: tuple[str, ...], title: str) -> str:
    """A line per series (the second dimension, if any) over the first dimension; bars when the
    first dimension is not ordered (counties, agencies ...). Margins (ALL) are left out."""
    x_dim = by[0]
    series_dim = by[1] if len(by) > 1 else None
    xs = sorted({c[x_dim] for c in cells if c[x_dim] != privacy.ALL})
    groups: dict[str, dict[str, int | None]] = {}
    for c in cells:
        if c[x_dim] == privacy.ALL:
            continue
        name = c[series_dim] if series_dim else "all"
        if name == privacy.ALL and series_dim:
            continue
        groups.setdefault(name, {})[c[x_dim]] = c["n"]
    totals = {g: sum(v or 0 for v in vals.values()) for g, vals in groups.items()}
    shown = sorted(groups, key=lambda g: -totals[g])[:MAX_SERIES]
    ordered = x_dim in ("year", "age_band", "sentence_band")
    fig = Figure(figsize=(9, 4.2))
    ax = fig.add_subplot()
    for k, g in enumerate(shown):
        ys = [groups[g].get(x) for x in xs]
        if ordered:
            ax.plot(range(len(xs)), [float("nan") if y is None else y for y in ys], marker="o", markersize=3,
                    label=g)
            hidden = [i for i, y in enumerate(ys) if y is None]
            ax.plot(hidden, [0] * len(hidden), linestyle="none", marker="x", color="grey")
        else:
            ax.bar([i + k * 0.8 / len(shown) for i in range(len(xs))], [y or 0 for y in ys],
                   width=0.8 / len(shown), label=g)
    step = max(1, len(xs) // 25)
    ax.set_xticks(range(0, len(xs), step))
    ax.set_xticklabels(xs[::step], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel("events")
    ax.set_title(title, fontsize=10)
    if series_dim:
        ax.legend(fontsize=7, ncols=2)
    ax.text(1.0, -0.32, f"x: suppressed (fewer than {privacy.THRESHOLD}, or its complement)", transform=ax.transAxes,
            ha="right", fontsize=7, color="grey")
    fig.tight_layout()
    return _svg(fig)
