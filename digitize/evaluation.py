"""OCR accuracy against ground truth: character and word error rates, broken down."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein


_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "—": "-", "–": "-"})


def canonical(text: str) -> str:
    """Compare text, not typography: NFKC, ASCII quotes and dashes, one space between words."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def char_errors(predicted: str, truth: str) -> tuple[int, int]:
    p, t = canonical(predicted), canonical(truth)
    return Levenshtein.distance(p, t), len(t)


def word_errors(predicted: str, truth: str) -> tuple[int, int]:
    p, t = canonical(predicted).split(), canonical(truth).split()
    return Levenshtein.distance(p, t), len(t)


@dataclass
class Tally:
    char_edits: int = 0
    chars: int = 0
    word_edits: int = 0
    words: int = 0
    pages: int = 0

    def add(self, predicted: str, truth: str) -> None:
        ce, cn = char_errors(predicted, truth)
        we, wn = word_errors(predicted, truth)
        self.char_edits += ce
        self.chars += cn
        self.word_edits += we
        self.words += wn
        self.pages += 1

    @property
    def cer(self) -> float:
        return self.char_edits / max(1, self.chars)

    @property
    def wer(self) -> float:
        return self.word_edits / max(1, self.words)

    def as_dict(self) -> dict:
        return {"cer": round(self.cer, 4), "wer": round(self.wer, 4), "pages": self.pages, "chars": self.chars}


@dataclass
class Breakdown:
    """Tallies overall and per group (layout, font, degradation, kind, split)."""

    overall: Tally = field(default_factory=Tally)
    groups: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Tally)))

    def add(self, predicted: str, truth: str, tags: dict[str, Iterable[str] | str]) -> None:
        self.overall.add(predicted, truth)
        for dim, values in tags.items():
            for v in [values] if isinstance(values, str) else values:
                self.groups[dim][v].add(predicted, truth)

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            **{dim: {k: t.as_dict() for k, t in sorted(g.items())} for dim, g in self.groups.items()},
        }


def load_truth(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def page_key(page: int, frame: dict | None) -> tuple:
    """Pages match by number, fiche frames by grid position (a sheet is one image page)."""
    return ("page", page) if frame is None else ("frame", frame["row"], frame["col"])
