"""Fiche sheets split into exactly their frames, in their grid positions; other images are not sheets."""

from __future__ import annotations

import numpy as np
import pytest

from digitize.cleanup import deskew_sheet, split_sheet
from digitize.samplegen import make_frame, make_sheet


def positions(frames) -> set[tuple[int, int]]:
    return {(f.row, f.col) for f in frames or []}


@pytest.mark.parametrize(
    ("seed", "rows", "cols", "degradations"),
    [
        (0, 5, 12, ["negative", "scratches", "vignette"]),
        (1, 7, 14, ["negative", "blur", "fade", "dust"]),
        (3, 7, 14, ["negative", "noise"]),
        (5, 5, 12, []),  # positive film
        (9, 7, 14, ["skew", "negative"]),
        (6, 3, 4, ["negative", "vignette"]),
    ],
)
def test_sheet_split_matches_truth(seed, rows, cols, degradations):
    image, truth = make_sheet(seed, rows, cols, frame_size=(600, 450), degradations=degradations)
    expected = {(p["frame"]["row"], p["frame"]["col"]) for p in truth["pages"] if not p["blank"]}
    assert 0 < len(expected) < rows * cols or rows * cols == len(expected)
    frames = split_sheet(deskew_sheet(image))
    assert positions(frames) == expected


@pytest.mark.parametrize(
    ("seed", "rows", "cols"),
    [
        (1029, 7, 14),  # negative, skew, noise: the noise swamps the text's cue to the skew
        (1011, 7, 14),  # noise, scratches: a scratched blank frame is still blank
        (1004, 5, 12),  # blur, noise, vignette, jpeg: blank frames off the margin's tone
        (1013, 7, 14),  # negative, skew, blur, scratches
    ],
)
def test_eval_sheets_split_matches_truth(seed, rows, cols):
    """Sheets as `crosstrack eval ocr --sheets` draws them (random degradations, held-out layouts)."""
    image, truth = make_sheet(seed, rows, cols, frame_size=(600, 450), split="heldout")
    expected = {(p["frame"]["row"], p["frame"]["col"]) for p in truth["pages"] if not p["blank"]}
    assert positions(split_sheet(deskew_sheet(image))) == expected


def test_frame_boxes_cover_their_frames():
    image, truth = make_sheet(2, 5, 12, frame_size=(600, 450), degradations=["negative"])
    frames = {(f.row, f.col): f.box for f in split_sheet(image)}
    for page in truth["pages"]:
        if page["blank"]:
            continue
        x0, y0, x1, y1 = frames[(page["frame"]["row"], page["frame"]["col"])]
        t = page["frame_bbox"]
        inter = max(0, min(x1, t[2]) - max(x0, t[0])) * max(0, min(y1, t[3]) - max(y0, t[1]))
        assert inter >= 0.9 * (t[2] - t[0]) * (t[3] - t[1])


@pytest.mark.parametrize("seed", range(6))
def test_single_frames_and_scans_are_not_sheets(seed):
    image, _ = make_frame(seed, kind="frame" if seed % 2 else "scan")
    assert split_sheet(image) is None


def test_blank_image_is_not_a_sheet():
    assert split_sheet(np.full((800, 1200), 40, np.uint8)) is None


def test_grid_follows_the_frames():
    """Cells are centred on their frames, not merely near enough to round to the right position."""
    image, truth = make_sheet(1022, 5, 12, frame_size=(600, 450), degradations=["negative"])
    frames = {(f.row, f.col): f.box for f in split_sheet(image)}
    for page in truth["pages"]:
        box = frames.get((page["frame"]["row"], page["frame"]["col"]))
        if box is None:
            continue
        t = page["frame_bbox"]
        assert abs((box[1] + box[3]) - (t[1] + t[3])) / 2 < 0.06 * (t[3] - t[1])
        assert abs((box[0] + box[2]) - (t[0] + t[2])) / 2 < 0.06 * (t[2] - t[0])
