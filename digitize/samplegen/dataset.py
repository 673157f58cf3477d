"""Write generated items to disk with one truth.jsonl line per file; the committed sample set."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from .badfiles import write_bad_files
from .frame import make_frame
from .pdfs import make_pdf
from .sheet import AGENCY, SERIES, make_sheet
from .vocab import COUNTIES

KINDS = ("frame", "scan", "sheet", "pdf_text", "pdf_scanned", "pdf_mixed")


def item_seed(seed: int, index: int) -> int:
    """Independent, stable seed per item, so item i is the same whatever `count` is."""
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def _save_image(img: np.ndarray, path: Path, fmt: str, rng: random.Random) -> None:
    im = Image.fromarray(img)
    if fmt == "jpg":
        im.save(path, format="JPEG", quality=rng.randint(72, 92))
    elif fmt == "tif":
        im.save(path, format="TIFF", compression="tiff_deflate")
    else:
        im.save(path, format="PNG", compress_level=6)


def _default_sheet_frame(cols: int) -> tuple[int, int]:
    # Keep a whole sheet around 6000 px wide: a real fiche scanned at ~1400 dpi.
    w = int(np.clip(6000 / cols, 240, 800))
    return w, int(w * 0.75)


def make_item(out_dir: Path, index: int, kind: str, seed: int, *, split: str = "all",
              sheet_grid: tuple[int, int] | None = None, sheet_frame: tuple[int, int] | None = None,
              layout: str | None = None, font: str | None = None,
              degradations: list[str] | None = None, fmt: str | None = None) -> dict:
    """Generate item `index` of `kind` into out_dir; returns its truth record."""
    s = item_seed(seed, index)
    prng = random.Random(s)
    sub = out_dir / kind
    sub.mkdir(parents=True, exist_ok=True)
    if kind in ("frame", "scan"):
        img, truth = make_frame(s, layout, font, degradations, kind=kind, split=split)
        ext = fmt or ("png" if kind == "frame" else prng.choice(["png", "jpg", "jpg", "tif"]))
        name = f"{kind}_{index:05d}.{ext}"
        _save_image(img, sub / name, ext, prng)
        if ext == "jpg" and "jpeg" not in truth["degradations"]:
            truth["degradations"].append("jpeg")
    elif kind == "sheet":
        rows, cols = sheet_grid or prng.choice([(5, 12), (7, 14), (4, 6), (6, 10)])
        img, truth = make_sheet(s, rows, cols, sheet_frame or _default_sheet_frame(cols), split=split,
                                degradations=degradations)
        name = f"{kind}_{index:05d}.png"
        _save_image(img, sub / name, "png", prng)
    elif kind.startswith("pdf_"):
        data, truth = make_pdf(s, kind, split=split, layout=layout, font=font)
        name = f"{kind}_{index:05d}.pdf"
        (sub / name).write_bytes(data)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return {"file": f"{kind}/{name}", **truth, "seed": s}


def generate_dataset(out_dir: Path, *, count: int, seed: int = 0, split: str = "all",
                     kinds: tuple[str, ...] = KINDS, sheet_grid: tuple[int, int] | None = None,
                     include_bad: bool = False, progress: Callable[[int, int], None] | None = None,
                     sheet_frame: tuple[int, int] | None = None) -> Path:
    """Generate `count` files (kinds round-robin) plus optionally the bad set; returns truth.jsonl.

    split: "tune" (tune layouts and fonts only), "heldout" (a held-out layout and/or font in every
    item) or "all".
    """
    if split not in ("tune", "heldout", "all"):
        raise ValueError("split must be tune, heldout or all")
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise ValueError(f"unknown kinds {bad}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_path = out_dir / "truth.jsonl"
    total = count + (8 if include_bad else 0)
    with truth_path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            rec = make_item(out_dir, i, kinds[i % len(kinds)], seed, split=split, sheet_grid=sheet_grid,
                            sheet_frame=sheet_frame)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if progress:
                progress(i + 1, total)
        if include_bad:
            for rec in write_bad_files(out_dir / "bad", seed):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if progress:
                progress(total, total)
    return truth_path


# -- the committed sample set ------------------------------------------------------------------
# (kind, layout, font, degradations, format) chosen to cover every kind, layout, both font
# splits, negatives and each degradation at least once, while staying a few MB in total.
SAMPLES = [
    ("frame", "court_docket", "Courier Prime", ["negative", "fade", "lowres", "scratches"], "png"),
    ("frame", "doc_commitment_card", "GNU Typewriter", ["negative", "noise", "dust"], "png"),
    ("frame", "arrest_card", "Liberation Mono", ["blur", "vignette", "lowres"], "png"),
    ("frame", "parole_hearing", "IBM 3270", ["negative", "skew", "lowres", "jpeg"], "png"),
    ("frame", "hoc_booking", "Nimbus Mono PS", ["negative", "scratches", "vignette", "lowres"], "png"),
    ("scan", "hoc_booking", "Liberation Serif", ["skew", "border", "jpeg"], "jpg"),
    ("scan", "probation_card", "Nimbus Sans", ["fade", "border"], "tif"),
    ("scan", "court_docket", "CMU Typewriter Text", ["lowres", "dust", "skew"], "jpg"),
    ("scan", "doc_commitment_card", "DejaVu Sans Mono", [], "png"),
    ("scan", "arrest_card", "FreeMono", ["noise", "lowres", "border"], "jpg"),
]


def write_sample_set(out_dir: Path, seed: int = 1952) -> Path:
    """The small sample set committed under samples/: every kind and layout, bad files, manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recs = []
    for i, (kind, lay, fnt, deg, fmt) in enumerate(SAMPLES):
        recs.append(make_item(out_dir, i, kind, seed, layout=lay, font=fnt, degradations=deg, fmt=fmt))
    i = len(SAMPLES)
    recs.append(make_item(out_dir, i, "sheet", seed, sheet_grid=(3, 4), sheet_frame=(600, 450),
                          degradations=["negative", "vignette", "scratches", "dust"]))
    recs.append(make_item(out_dir, i + 1, "pdf_text", seed, layout="court_docket", font="FreeMono"))
    recs.append(make_item(out_dir, i + 2, "pdf_scanned", seed, layout="probation_card"))
    recs.append(make_item(out_dir, i + 3, "pdf_mixed", seed, layout="parole_hearing", font="Liberation Mono"))
    _manifest(out_dir, recs, seed)
    bad = write_bad_files(out_dir / "bad", seed)
    truth_path = out_dir / "truth.jsonl"
    with truth_path.open("w", encoding="utf-8") as fh:
        for rec in recs + bad:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return truth_path


def _manifest(out_dir: Path, recs: list[dict], seed: int) -> None:
    """Plausible provenance: film items carry reel/fiche/frame, paper and PDFs box/folder."""
    rng = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["path", "agency", "county", "series", "reel", "fiche", "frame", "box", "folder"])
    for r in recs:
        lay = r["layout"]
        fields = r["pages"][0]["fields"] if r["pages"] else {}
        county = (fields.get("county") or rng.choice(COUNTIES)).title()
        film = r["kind"] in ("frame", "sheet")
        w.writerow([r["file"], AGENCY[lay].title(), county, SERIES[lay].title(),
                    f"R{rng.randint(1, 250):03d}" if film else "", f"{rng.randint(1, 400):04d}" if film else "",
                    f"{rng.randint(1, 98)}" if r["kind"] == "frame" else "",
                    "" if film else f"BOX {rng.randint(1, 90)}", "" if film else f"F-{rng.randint(1, 40):02d}"])
    (out_dir / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
