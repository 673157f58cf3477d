"""OCR noise on text lines, keeping entity spans aligned (truth is never touched).

Confusions seen from PP-OCR and Tesseract on typewritten records: O/0, l/I/1, S/5, B/8, § read as
S, $ or 5, dropped and doubled spaces, a space inside a long word, single letters flipping case,
`.`/`,` swaps and lost characters. Edits never delete the first or last character of a span, never
touch the separator right outside one, and never touch line breaks, so spans stay on token
boundaries and records keep their lines.
"""

from __future__ import annotations

import random

from .types import CorpusDoc, Span

SUBS = {
    "O": "0", "0": "O", "o": "0", "l": "1", "I": "1", "1": "lI", "S": "5", "5": "S", "B": "8", "8": "B",
    "§": "S$5", "c": "C", "C": "c", "s": "S", ".": ",", ",": ".", "G": "6", "Z": "2", "2": "Z",
    "e": "c", "E": "F", "D": "O", "H": "N", "/": "l", ":": ";", "u": "v",
}


def add_noise(doc: CorpusDoc, rng: random.Random, rate: float | None = None) -> CorpusDoc:
    rate = rate if rate is not None else rng.uniform(0.01, 0.03)
    text = doc.text
    n = len(text)
    protect_del = bytearray(n + 1)  # 1: may not be deleted
    for sp in doc.spans:
        for i in (sp.start - 1, sp.start, sp.end - 1, sp.end):
            if 0 <= i < n:
                protect_del[i] = 1
        if sp.end - sp.start <= 3:
            for i in range(sp.start, sp.end):
                protect_del[i] = 1
    out: list[str] = []
    pos = 0
    start_of = [0] * (n + 1)  # new position of old char i
    end_of = [0] * (n + 1)    # new position right after old char i (before text inserted after it)
    for i, ch in enumerate(text):
        start_of[i] = pos
        if ch == "\n":
            out.append(ch)
            pos += 1
            end_of[i] = pos
            continue
        r = rng.random()
        if r < rate:
            kind = rng.random()
            if ch == " ":
                if kind < 0.5 and not protect_del[i]:
                    end_of[i] = pos  # dropped space
                    continue
                out.append("  ")  # doubled space
                pos += 2
                end_of[i] = pos - 1
                continue
            if kind < 0.62 and ch in SUBS and SUBS[ch]:
                c = rng.choice(SUBS[ch])
                if protect_del[i] and not ch.isalnum() and c.isalnum():
                    c = ch  # would glue a value to its neighbour
                out.append(c)
                pos += 1
                end_of[i] = pos
                continue
            if kind < 0.75 and ch.isalpha():
                out.append(ch.swapcase() if ch.upper() in "CSOUVWXZKP" or rng.random() < 0.3 else ch)
                pos += 1
                end_of[i] = pos
                continue
            if kind < 0.87 and not protect_del[i] and ch.isalnum():
                end_of[i] = pos  # lost character
                continue
            if (ch.isalpha() and i + 1 < n and text[i + 1].isalpha() and i >= 3
                    and text[i - 3:i].isalpha() and not protect_del[i + 1]):
                out.append(ch + " ")  # a space inside a long word
                pos += 2
                end_of[i] = pos - 1
                continue
        out.append(ch)
        pos += 1
        end_of[i] = pos
    start_of[n] = pos
    new_text = "".join(out)
    spans = []
    for sp in doc.spans:
        s, e = start_of[sp.start], end_of[sp.end - 1]
        if e > s:
            spans.append(Span(s, e, sp.label))
    lines = new_text.split("\n")
    assert len(lines) == len(doc.lines)
    return CorpusDoc(doc.layout, doc.family, doc.split, lines, spans, doc.records)
