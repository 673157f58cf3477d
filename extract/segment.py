"""Record segmentation: one record per page, or one per item of a list under a shared header.

A probation printout lists a person's cases one a line, a movement history lists commitments,
a jail register lists people: each item line carries its own key (a docket, or a date with a
court or facility, or its own name with a date). A docket page with several counts is one record
(its counts are charges). Fields printed once in the header belong to every item under it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extract.entities import Entity
from extract.geometry import PageGeometry

# What a list's header can give each item under it (an item's own reading comes first).
SHARED = {"PERSON", "DOB", "SID", "PCF", "COMMIT_NO", "DATE", "COURT", "FACILITY"}


@dataclass
class Region:
    first_line: int
    last_line: int
    entities: list[Entity]
    shared: list[Entity] = field(default_factory=list)  # header entities every item inherits
    kind: str = "page"  # "page" or "item"
    header_line: int | None = None  # the column-header line above a list, for date roles


# The values that make a list line what it is; optional ones (a DOB, a sentence) may come and go.
CORE = {"PERSON", "DOCKET", "DATE", "COURT", "FACILITY", "OFFENSE"}


def _is_item(labels: set[str]) -> bool:
    return ("DOCKET" in labels and len(labels & {"DATE", "COURT", "OFFENSE", "STATUTE", "DISPOSITION"}) >= 1) \
        or ("DATE" in labels and bool(labels & {"COURT", "FACILITY"})) \
        or ("PERSON" in labels and bool(labels & {"OFFENSE", "STATUTE", "DOCKET"})) \
        or ("PERSON" in labels and "DATE" in labels and bool(labels & {"FACILITY", "COURT", "DOB"})) \
        or ("STATUTE" in labels and "DATE" in labels and bool(labels & {"OFFENSE", "DISPOSITION"}))


def _list_items(by_line: dict[int, list[Entity]]) -> list[int]:
    """The longest run of item lines that look alike (same kinds of values), a few lines apart.

    A list repeats one line pattern; a form's lines that happen to qualify (a warrant number
    with its date, a name with its number) differ from each other, and are not a list.
    """
    cands = [i for i in sorted(by_line) if _is_item({e.label for e in by_line[i]})]
    best: list[int] = []
    for i in cands:
        sig = {e.label for e in by_line[i]} & CORE
        run = [i]
        for j in cands:
            if j <= run[-1]:
                continue
            if j - run[-1] > 4:
                break
            other = {e.label for e in by_line[j]} & CORE
            if len(sig & other) / max(1, len(sig | other)) >= 0.5:
                run.append(j)
        if len(run) > len(best):
            best = run
    gaps = sorted(j - i for i, j in zip(best, best[1:]))
    if gaps and gaps[(len(gaps) - 1) // 2] == 1:
        # A one-line-per-item list: every line inside it that holds a core value is an item,
        # even when a noisy reading missed the values that qualified its neighbours.
        first, last = min(best), max(best)
        while _case_line(by_line.get(last + 1)):
            last += 1
        while _case_line(by_line.get(first - 1)):
            first -= 1
        best = [i for i in range(first, last + 1) if i in by_line and len({e.label for e in by_line[i]} & CORE) >= 1
                and len(by_line[i]) >= 2]
    return best


def _median_gap(items: list[int]) -> int:
    gaps = sorted(j - i for i, j in zip(items, items[1:]))
    return gaps[(len(gaps) - 1) // 2] if gaps else 0


def _case_line(ents: list[Entity] | None) -> bool:
    """A line that carries a case of its own (not the header's identity lines)."""
    labels = {e.label for e in ents or ()}
    # A value that is never a column's title (a docket, a citation, a date) and a case word.
    return len(ents or ()) >= 2 and bool(labels & {"DOCKET", "STATUTE", "DATE"}) \
        and bool(labels & {"DOCKET", "OFFENSE", "STATUTE", "DISPOSITION"})


def _key(ents: list[Entity]) -> str:
    for lab in ("DOCKET", "PERSON", "DATE"):
        for e in ents:
            if e.label == lab:
                return lab + ":" + e.text
    return ""


def segment(entities: list[Entity], geo: PageGeometry) -> list[Region]:
    n_lines = len(geo.line_starts)
    by_line: dict[int, list[Entity]] = {}
    for e in entities:
        by_line.setdefault(e.line, []).append(e)
    items = _list_items(by_line)
    while items and not re.search(r"\d", geo.line_text(items[0])):
        items = items[1:]   # a row of column titles the NER read values in (`COMMITTED BY`) is the list's header
    keys = {_key(by_line[i]) for i in items}
    is_list = len(items) >= 2 and len(keys) >= len(items) * 0.8
    # Items several lines apart are blocks (a rap sheet's arrests, a CORI's cases) whose lines that
    # qualify as items may be any of theirs: the blocks' repeated opening label bounds them better.
    blocks = _blocks(by_line, geo) if not is_list or _median_gap(items) > 1 else []
    if is_list and len(blocks) < len(items):
        first = items[0]
        shared = _mark_shared([e for e in entities if e.line < first and e.label in SHARED])
        if 2 * sum(any(e.label == "PERSON" for e in by_line[i]) for i in items) >= len(items):
            # A list of people (a blotter, a register): a name above it is no item's, nor is its birth date.
            shared = [e for e in shared if e.label not in ("PERSON", "DOB")]
        ends = [items[k + 1] - 1 for k in range(len(items) - 1)] + [_tail_end(by_line, items[-1], n_lines)]
        return [Region(i, end, [e for e in entities if i <= e.line <= end], shared, "item", first - 1 if first else None)
                for i, end in zip(items, ends)]
    if len(blocks) >= 2:
        shared = _mark_shared([e for e in entities if e.line < blocks[0][0] and e.label in SHARED])
        return [Region(a, b, [e for e in entities if a <= e.line <= b], shared, "item", None) for a, b in blocks]
    return [Region(0, max(0, n_lines - 1), entities)]


def _mark_shared(ents: list[Entity]) -> list[Entity]:
    for e in ents:
        e.shared = True
    return ents


CASE = {"OFFENSE", "STATUTE", "DISPOSITION"}


def _anchor_key(ents: list[Entity], geo: PageGeometry, line: int) -> str | None:
    """The label words before a line's first date or docket (`CASE #`, `DOA`, `ARR DATE`)."""
    first = min((e for e in ents if e.label in ("DATE", "DOCKET")), key=lambda e: e.start, default=None)
    if first is None:
        return None
    prev_end = max((e.end for e in ents if e.end <= first.start), default=geo.line_starts[line])
    words = [w for w in re.findall(r"[A-Za-z]+", geo.text[prev_end:first.start].upper()) if w not in _PROSE]
    # The label is the word next to the value (`MSP - CONCORD  DOA <date>`, `ARRESTED ON <date>`);
    # prose words are not labels. A bare `DT` or `NO.` takes the word before it: `ARR. DT` and
    # `DISP DT` open different lines of one block.
    if len(words) >= 2 and words[-1] in _GENERIC:
        return " ".join(words[-2:])
    return words[-1] if words else None


_GENERIC = {"DT", "DATE", "NO", "NUM", "NUMBER"}


_PROSE = {"ON", "OF", "THE", "AND", "AT", "IN", "TO", "BY", "FROM", "DATED", "WAS", "IS", "FOR"}


def _snap_to_blank_lines(starts: list[int], geo: PageGeometry) -> list[int]:
    """Blocks are usually set apart by blank lines: when the repeated label is not a block's first
    line, its block begins after the blank line above it."""
    out, prev = [], -1
    for s in starts:
        blanks = [j for j in range(max(prev + 1, s - 6), s) if not geo.line_text(j).strip()]
        out.append(blanks[-1] + 1 if blanks else s)
        prev = s
    return out


def _blocks(by_line: dict[int, list[Entity]], geo: PageGeometry) -> list[tuple[int, int]]:
    """Records of several lines each (a CORI printout, a rap sheet): every block opens with the
    same label before a date or docket, and holds a case of its own."""
    keyed = {i: k for i in sorted(by_line) if (k := _anchor_key(by_line[i], geo, i))}
    counts = Counter(keyed.values())
    for i, k in keyed.items():  # the earliest repeated label opens the blocks
        if counts[k] < 2:
            continue
        starts = [j for j, kk in keyed.items() if kk == k or len(k) >= 4 and fuzz.ratio(kk, k) >= 75]  # `DATC` is `DATE`
        # A block whose opening value OCR could not read still has its label.
        label = re.compile(r"\b" + r"\W*".join(map(re.escape, k.split())) + r"\b\s*[:.;#-]?\s*\S", re.I)
        keyed_starts = set(starts)
        starts = sorted(keyed_starts | {j for j in range(starts[0], len(geo.line_starts))
                                        if label.search(geo.line_text(j))
                                        and not any(e.label in CASE for e in by_line.get(j, ()))})
        if min(b - a for a, b in zip(starts, starts[1:])) < 2:
            continue
        if any(e.label in CASE for j in by_line if j < starts[0] for e in by_line[j]):
            continue  # a case read before the first block: the label repeats inside one record
        shifted = _cycle_starts(starts, by_line, geo)
        keyed_starts = {j - (starts[0] - shifted[0]) for j in keyed_starts}
        starts = shifted
        while len(starts) >= 2:
            bounds = _bounds(by_line, _snap_to_blank_lines(starts, geo))
            # A line found by its label alone that opens no case (`No Other Entries`) opens no block.
            empty = [n for n, (a, b) in enumerate(bounds) if starts[n] not in keyed_starts and not _has_case(by_line, a, b)]
            if not empty:
                break
            del starts[empty[0]]
        if len(starts) >= 2 and all(_has_case(by_line, a, b) for a, b in bounds) and not _header_in_first(by_line, bounds):
            return bounds
    return []


def _lead_words(line: int, by_line: dict[int, list[Entity]], geo: PageGeometry) -> str:
    """The label words that open a line, before its first value (`TRIAL COURT`)."""
    first = min((e.start for e in by_line.get(line, ())), default=None)
    text = geo.line_text(line)
    if first is not None:
        text = text[:first - geo.line_starts[line]]
    return " ".join(re.findall(r"[A-Za-z]{2,}", text.upper())[:3])


def _cycle_starts(starts: list[int], by_line: dict[int, list[Entity]], geo: PageGeometry) -> list[int]:
    """Blocks that print the same labels in the same order (`Trial Court`, `Criminal No.`,
    `Offense Desc`, ...) open at the first of them: while the line above every start opens with
    one and the same label, the starts move up to it."""
    for _ in range(3):
        above = [s - 1 for s in starts]
        if min(above) < 0 or any(b in starts for b in above):
            break
        labels = {_lead_words(b, by_line, geo) for b in above}
        if len(labels) != 1 or not next(iter(labels)) or not all(b in by_line for b in above):
            break
        starts = above
    return starts


def _bounds(by_line: dict[int, list[Entity]], starts: list[int]) -> list[tuple[int, int]]:
    span = max(b - a for a, b in zip(starts, starts[1:])) if len(starts) > 1 else 1
    last = max(j for j in by_line if j < starts[-1] + span)
    return list(zip(starts, [b - 1 for b in starts[1:]] + [max(last, starts[-1])]))


def _header_in_first(by_line: dict[int, list[Entity]], bounds: list[tuple[int, int]]) -> bool:
    """The subject's name or birth date inside the first block only: a form's header and its body
    (`Indictment No.` ... `Incident No.`), not a list of cases under a header."""
    def who(a: int, b: int) -> bool:
        return any(e.label in ("PERSON", "DOB") for j in range(a, b + 1) for e in by_line.get(j, ()))
    return who(*bounds[0]) and not any(who(a, b) for a, b in bounds[1:])


def _has_case(by_line: dict[int, list[Entity]], a: int, b: int) -> bool:
    return any(e.label in CASE for j in range(a, b + 1) for e in by_line.get(j, ()))


def _tail_end(by_line: dict[int, list[Entity]], last_item: int, n_lines: int) -> int:
    """The last item takes its continuation lines, up to the first line that holds no entity."""
    end = last_item
    for j in range(last_item + 1, n_lines):
        if j not in by_line or {e.label for e in by_line[j]} <= {"DATE"}:
            break
        end = j
    return end
