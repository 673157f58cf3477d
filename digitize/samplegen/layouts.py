"""Layout registry: which record types exist, their paper sizes, and the tune/held-out split."""

from __future__ import annotations

import random
from typing import Callable

from . import fonts
from .canvas import Page
from .layouts_court import court_docket, parole_hearing, probation_card
from .layouts_custody import arrest_card, doc_commitment_card, hoc_booking

LETTER = (612.0, 792.0)
# name -> (draw function, candidate paper sizes in points, split)
LAYOUTS: dict[str, tuple[Callable[[Page, random.Random, int], dict], list[tuple[float, float]], str]] = {
    "court_docket": (court_docket, [LETTER, (612.0, 1008.0)], "tune"),
    "doc_commitment_card": (doc_commitment_card, [(576.0, 360.0), (612.0, 396.0)], "tune"),
    "arrest_card": (arrest_card, [(576.0, 576.0)], "tune"),
    "hoc_booking": (hoc_booking, [LETTER], "tune"),
    "parole_hearing": (parole_hearing, [LETTER], "heldout"),
    "probation_card": (probation_card, [(576.0, 360.0), (504.0, 360.0)], "heldout"),
}
TUNE_LAYOUTS = [k for k, v in LAYOUTS.items() if v[2] == "tune"]
HELDOUT_LAYOUTS = [k for k, v in LAYOUTS.items() if v[2] == "heldout"]


def item_split(layout: str, font: str) -> str:
    """Held out if the layout or the font is held out."""
    return "heldout" if LAYOUTS[layout][2] == "heldout" or fonts.FONTS[font].split == "heldout" else "tune"


def pick_layout_font(rng: random.Random, split: str, layout: str | None = None,
                     font: str | None = None) -> tuple[str, str]:
    """A (layout, font) pair whose combined split matches `split` ("tune", "heldout" or "all")."""
    for _ in range(100):
        lay = layout or rng.choice(list(LAYOUTS))
        fnt = font or rng.choice([f for f in fonts.FONTS if fonts.available(f)])
        if split == "all" or item_split(lay, fnt) == split:
            return lay, fnt
    if split == "tune":
        return layout or rng.choice(TUNE_LAYOUTS), font or rng.choice(fonts.TUNE_FONTS)
    return layout or rng.choice(HELDOUT_LAYOUTS), font or rng.choice(fonts.HELDOUT_FONTS)


def draw(layout: str, font: str, rng: random.Random, *, page_pt: tuple[float, float] | None = None,
         size_pt: float | None = None, year: int | None = None) -> tuple[Page, dict]:
    """Lay out one record; returns the page (ops in points) and the fields actually printed."""
    fn, sizes, _ = LAYOUTS[layout]
    w, h = page_pt or rng.choice(sizes)
    card = min(w, h) < 450
    size = size_pt or (rng.uniform(9.5, 11.5) if card else rng.uniform(10.5, 12.5))
    margin = min(w, h) * (rng.uniform(0.05, 0.08) if card else rng.uniform(0.06, 0.1))
    page = Page(w, h, font, size=size, margin=margin, leading=rng.uniform(1.3, 1.6))
    year = year or rng.randint(1952, 1999)
    fields = fn(page, rng, year)
    fields["year"] = year
    return page, fields
