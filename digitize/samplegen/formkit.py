"""Form-drawing helpers shared by the layouts: per-document style, labels, grids, tables."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .canvas import Page
from .content import fmt_date


@dataclass
class Style:
    """Choices a clerk or a form printer made once for the whole document."""
    upper_labels: bool
    colon: bool
    underline: bool
    ruled: bool
    boxed: bool
    date_style: int
    name_style: int
    mixed_values: bool  # some later forms were typed in mixed case

    @classmethod
    def pick(cls, rng: random.Random) -> "Style":
        return cls(upper_labels=rng.random() < 0.75, colon=rng.random() < 0.7,
                   underline=rng.random() < 0.35, ruled=rng.random() < 0.5,
                   boxed=rng.random() < 0.4, date_style=rng.randrange(8),
                   name_style=rng.randrange(4), mixed_values=rng.random() < 0.12)

    def label(self, text: str) -> str:
        t = text.upper() if self.upper_labels else _title(text)
        return t + (":" if self.colon else "")

    def value(self, text: str) -> str:
        return _title(text) if self.mixed_values else text

    def date(self, d) -> str:
        return fmt_date(d, self.date_style) if d else ""


ACRONYMS = {"SID", "DOB", "PCF", "AKA", "MCI", "HOC", "CWOF", "BMC", "DC", "MV", "OUI", "P.D.",
            "AA/NA", "GPS", "II", "III", "JR", "JR.", "SR.", "MA", "PR", "RI", "CV"}


def _title(s: str) -> str:
    small = {"of", "and", "to", "the", "w/", "for", "in", "on", "at", "by"}
    words = []
    for i, w in enumerate(s.split(" ")):
        lw = w.lower()
        bare = w.strip(",;:()")
        if i and lw in small:
            words.append(lw)
        elif (any(ch.isdigit() for ch in w) or bare in ACRONYMS
              or re.fullmatch(r"([A-Z]\.)+[A-Z]?", bare)):
            words.append(w)  # codes and abbreviations (C.C., H.O.C.) keep their case
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(words)


def header(page: Page, lines: list[str], rng: random.Random, *, align: str | None = None,
           big: float = 1.15) -> list[str]:
    """Centered (or left) title lines, the first one larger."""
    align = align or ("center" if rng.random() < 0.75 else "left")
    out = []
    for i, t in enumerate(lines):
        size = page.size * (big if i == 0 else 1.0)
        if align == "center":
            out.append(page.center(t, size=size, strike=i == 0))
        else:
            out.append(page.text(page.left, t, size=size, strike=i == 0))
        page.newline(1.0 if i < len(lines) - 1 else 1.3)
    return out


def kv_rows(page: Page, st: Style, pairs: list[tuple[str, str]], cols: int = 2) -> dict[str, str]:
    """Label/value pairs, `cols` to a line, values aligned on a tab stop per column."""
    printed: dict[str, str] = {}
    width = page.right - page.left
    while cols > 1 and width / cols < page.char_w() * 28:  # narrow page: fewer columns, not cut labels
        cols -= 1
    col_w = width / cols
    for i in range(0, len(pairs), cols):
        if not page.has_room():
            break
        for j, (lab, val) in enumerate(pairs[i:i + cols]):
            x = page.left + j * col_w
            label = st.label(lab)
            tab = max(page.width_of(st.label(l) + " ") for l, _ in pairs[j::cols])
            tab = min(tab, col_w * 0.6)
            lab_p = page.text(x, label, max_w=tab)
            if lab_p:
                printed[lab] = page.text(x + tab, st.value(val), max_w=col_w - tab - page.char_w())
                if st.underline and printed[lab]:
                    yl = page.y + page.size * 0.28
                    page.line(x + tab - 2, yl, x + col_w - page.char_w(), yl, 0.5)
        page.newline()
    return printed


def cells(page: Page, st: Style, items: list[tuple[str, str]], widths: list[float]) -> dict[str, str]:
    """A ruled row of boxes, a small caption on top of each box and the typed value below it."""
    printed: dict[str, str] = {}
    if not page.has_room(2.2):
        return printed
    small = page.size * 0.62
    top = page.y - page.size * 1.05
    x = page.left
    total = sum(widths)
    cap_y = page.y - page.size * 0.15
    val_y = page.y + page.line_h * 0.95
    for (lab, val), w in zip(items, widths):
        w = w / total * (page.right - page.left)
        page.rect(x, top, x + w, val_y + page.size * 0.45, 0.7)
        page.text(x + 3, lab.upper() if st.upper_labels else lab, y=cap_y, size=small, max_w=w - 6)
        printed[lab] = page.text(x + 4, st.value(val), y=val_y, max_w=w - 8)
        x += w
    page.newline(2.3)
    return printed


def table(page: Page, st: Style, headers: list[str], rows: list[list[str]], widths: list[float],
          *, rules: bool | None = None, min_left: int = 0) -> list[list[str]]:
    """Column header and rows; each row one visual line. Returns the rows as printed.

    Stops when the page is full, leaving room for `min_left` more lines.
    """
    total = sum(widths)
    xs, ws = [], []
    x = page.left
    for w in widths:
        w = w / total * (page.right - page.left)
        xs.append(x)
        ws.append(w)
        x += w
    rules = st.ruled if rules is None else rules
    if not page.has_room(2 + min_left):
        return []
    for h, x, w in zip(headers, xs, ws):
        page.text(x, h.upper() if st.upper_labels else h, max_w=w - page.char_w())
    if rules:
        page.rule(0.9, 0.4)
    page.newline(1.15 if rules else 1.0)
    out = []
    for r in rows:
        if not page.has_room(1 + min_left):
            break
        out.append([page.text(x, v, max_w=w - page.char_w()) for v, x, w in zip(r, xs, ws)])
        page.newline()
    if rules:
        page.line(page.left, page.y - page.line_h * 0.55, page.right, page.y - page.line_h * 0.55, 0.6)
    return out


def wrap(page: Page, text: str, x: float | None = None, *, max_w: float | None = None,
         max_lines: int = 99) -> list[str]:
    """A typed paragraph, wrapped on words to the width available."""
    x = page.left if x is None else x
    max_w = max_w or (page.right - x)
    words, lines, cur = text.split(), [], ""
    for w in words:
        cand = (cur + " " + w).strip()
        if page.width_of(cand) <= max_w or not cur:
            cur = cand
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    out = []
    for ln in lines[:max_lines]:
        if not page.has_room():
            break
        p = page.text(x, ln, max_w=max_w)
        if p:
            out.append(p)
        page.newline()
    return out


def signature(page: Page, st: Style, caption: str, x: float | None = None, w: float | None = None) -> None:
    """A signature line with its caption under it (a scrawl is not text, so none is drawn)."""
    if not page.has_room(2.5):
        return
    x = page.left + (page.right - page.left) * 0.5 if x is None else x
    w = w or (page.right - x)
    page.newline(1.2)
    page.line(x, page.y, x + w, page.y, 0.7)
    page.newline(0.9)
    page.text(x, caption.upper() if st.upper_labels else caption, size=page.size * 0.8, max_w=w)
    page.newline()
