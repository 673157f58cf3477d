"""What a whole page says about every record on it: the kind of form it is, its era (the latest
year printed in full), how damaged its words look, and whether it is a county jail's own form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract.evidence import text_noise
from extract.form_kind import form_kind, title


@dataclass(frozen=True)
class PageContext:
    """What the whole page says about each record on it: its form's kind, its era, how damaged
    its words look."""

    form: str | None   # extract.form_kind: "court", "police", "custody" or None
    era: int | None    # the latest year printed in full (two-digit years lean to its century)
    noise: float = 0.0  # share of the page's words that look OCR-damaged
    jail: bool = False  # a county jail's or house of correction's own form (its numbers are bookings)

    @classmethod
    def of(cls, text: str) -> "PageContext":
        upper = text.upper()
        years = [int(y) for y in _FULL_YEAR.findall(upper) if 1850 <= int(y) <= dt.date.today().year + 1]
        form = form_kind(upper)
        jail = form == "custody" and bool(_JAIL_TITLE.search(title(upper)))
        return cls(form, max(years, default=None), text_noise(text), jail)


_JAIL_TITLE = re.compile(r"SHERIFF|HOUSE OF CORRECTION|H\.O\.C\.|\bHOC\b|\bJAIL\b")
_FULL_YEAR = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})(?![0-9])")
