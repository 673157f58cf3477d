"""Charts of the public aggregates, as SVG text (matplotlib's Agg backend: no display). A
suppressed cell is drawn as a gap (no point, no bar) under a shaded band with a mark on the top
edge, never at a height that would read as a count. Bands sort by their numbers, not as text."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (a Figure per call: no pyplot global state)

from models import privacy  # noqa: E402

MAX_SERIES = 12  # more series than this: the largest ones are drawn, the rest listed in the table


def sort_key(dim: str, value: str) -> tuple:
    """The order of a dimension's values on an axis: numeric for bands (`<18`, `18-20`, ..., `55+`,
    `<6m`, `1-2y`, `10y+`), by their lower bound in months or years; text otherwise; unknown last."""
    if value == privacy.UNKNOWN:
        return (2, 0.0, value)
    if dim in ("age_band", "sentence_band"):
        m = re.match(r"^(<)?(\d+(?:\.\d+)?)", value)
        if m:
            lower = 0.0 if m.group(1) else float(m.group(2))
            u = re.search(r"[my]", value)
            unit = 12.0 if u and u.group() == "y" else 1.0
            return (0, lower * unit, value)
        return (1, 0.0, value)  # "none", "life": after the bands
    return (0, 0.0, value)


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def trend_svg(cells: list[dict], by: tuple[str, ...], title: str) -> str:
    """A line per series (the second dimension, if any) over the first dimension; bars when the
    first dimension is not ordered (counties, agencies ...). Margins (ALL) are left out."""
    x_dim = by[0]
    series_dim = by[1] if len(by) > 1 else None
    xs = sorted({c[x_dim] for c in cells if c[x_dim] != privacy.ALL}, key=lambda v: sort_key(x_dim, v))
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
    hidden_at: set[int] = set()
    for k, g in enumerate(shown):
        ys = [groups[g].get(x) for x in xs]
        hidden_at |= {i for i, x in enumerate(xs) if x in groups[g] and groups[g][x] is None}
        if ordered:  # a suppressed point is a gap in its line (nan), never a value
            ax.plot(range(len(xs)), [float("nan") if y is None else y for y in ys], marker="o", markersize=3,
                    label=g)
        else:
            shown_at = [i for i, y in enumerate(ys) if y is not None]
            ax.bar([i + k * 0.8 / len(shown) for i in shown_at], [ys[i] for i in shown_at],
                   width=0.8 / len(shown), label=g)
    for i in sorted(hidden_at):  # a band over the whole column, apart from any value's height
        ax.axvspan(i - 0.4, i + 0.4, color="grey", alpha=0.15, linewidth=0, gid=f"suppressed-{i}")
    if hidden_at:
        ax.plot(sorted(hidden_at), [1.0] * len(hidden_at), linestyle="none", marker="v", color="grey",
                transform=ax.get_xaxis_transform(), clip_on=False)  # markers on the top edge, in axes units
    step = max(1, len(xs) // 25)
    ax.set_xticks(range(0, len(xs), step))
    ax.set_xticklabels(xs[::step], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel("events")
    ax.set_title(title, fontsize=10)
    if series_dim:
        ax.legend(fontsize=7, ncols=2)
    ax.text(1.0, -0.32, f"shaded, marked on top: suppressed (fewer than {privacy.THRESHOLD}, or its complement)",
            transform=ax.transAxes, ha="right", fontsize=7, color="grey")
    fig.tight_layout()
    return _svg(fig)
