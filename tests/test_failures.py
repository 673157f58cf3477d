"""An OCR failure on one file is that file's rejection; the rest of the batch goes on."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize import ocr
from digitize.parallel import Rejected, read_files
from digitize.reader import ReadOptions
from digitize.cleanup import CleanupOptions

from .plugins.faulty_ocr import CrashOnWidth


@pytest.mark.parametrize("workers", [1, 2])
def test_ocr_crash_rejects_only_its_file(tmp_path, settings, monkeypatch, workers):
    monkeypatch.setitem(ocr.ENGINES, "crash-on-width", lambda: CrashOnWidth(800))
    files = []
    for i, width in enumerate([600, 800, 700]):
        path = tmp_path / f"page{i}.png"
        cv2.imwrite(str(path), np.full((400, width), 230, np.uint8))
        files.append(str(path))
    options = ReadOptions(cleanup=CleanupOptions.without("rescale", "border", "fiche"))
    done = []
    out = list(read_files(files, settings, "crash-on-width", options, workers, on_file=done.append))
    assert [type(o).__name__ for o in out] == ["PageText", "Rejected", "PageText"]
    assert isinstance(out[1], Rejected) and "injected crash" in out[1].error and out[1].source == files[1]
    assert out[0].text == out[2].text == "OK"
    assert done == files
