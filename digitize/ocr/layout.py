"""Words to lines in reading order, the same way for every engine.

Engines split a visual line at wide gaps (label/value columns, table cells) and some merge or
drop spaces. Grouping words by vertical overlap and joining them left to right with one space
gives one reading order for all engines, and the one the ground truth uses.
"""

from __future__ import annotations

from models.page import BBox, Line, Word


def _vertical_overlap(a: BBox, b: BBox) -> float:
    inter = min(a[3], b[3]) - max(a[1], b[1])
    return inter / max(1.0, min(a[3] - a[1], b[3] - b[1]))


def _union(boxes: list[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def group_lines(words: list[Word], min_overlap: float = 0.5) -> list[Line]:
    """Cluster words into lines by vertical overlap; order lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    boxes: list[BBox] = []
    for w in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        best, best_overlap = None, min_overlap
        for i, box in enumerate(boxes):
            ov = _vertical_overlap(box, w.bbox)
            # A word that overlaps a line but would sit inside one of its words is another row.
            if ov >= best_overlap and not any(_horizontal_clash(o.bbox, w.bbox) for o in lines[i]):
                best, best_overlap = i, ov
        if best is None:
            lines.append([w])
            boxes.append(w.bbox)
        else:
            lines[best].append(w)
            # Keep the band of the line's core, not its union, so tall words don't swallow neighbours.
            boxes[best] = _median_band(lines[best])
    out = []
    for ws in lines:
        ws.sort(key=lambda w: w.bbox[0])
        text = " ".join(w.text for w in ws)
        n = sum(len(w.text) for w in ws)
        conf = sum(w.confidence * len(w.text) for w in ws) / max(1, n)
        out.append(Line(text=text, bbox=_union([w.bbox for w in ws]), confidence=conf, words=ws))
    out.sort(key=lambda line: ((line.bbox[1] + line.bbox[3]) / 2, line.bbox[0]))
    return out


def _horizontal_clash(a: BBox, b: BBox) -> bool:
    inter = min(a[2], b[2]) - max(a[0], b[0])
    return inter > 0.5 * min(a[2] - a[0], b[2] - b[0])


def _median_band(ws: list[Word]) -> BBox:
    tops = sorted(w.bbox[1] for w in ws)
    bottoms = sorted(w.bbox[3] for w in ws)
    mid = len(ws) // 2
    return (min(w.bbox[0] for w in ws), tops[mid], max(w.bbox[2] for w in ws), bottoms[mid])
