"""Synthetic Massachusetts criminal-justice documents with ground truth, for OCR and NER evaluation.

generate_dataset() writes a dataset and its truth.jsonl; make_frame() / make_sheet() / make_pdf()
build single items in memory; write_sample_set() writes the small set committed under samples/.
"""

from .badfiles import write_bad_files
from .dataset import KINDS, generate_dataset, make_item, write_sample_set
from .frame import make_frame, render_frame
from .layouts import HELDOUT_LAYOUTS, LAYOUTS, TUNE_LAYOUTS
from .fonts import FONTS, HELDOUT_FONTS, TUNE_FONTS
from .pdfs import make_pdf
from .sheet import make_sheet

generate_sheet = make_sheet  # alias named in the design brief

__all__ = ["generate_dataset", "write_sample_set", "make_item", "make_frame", "render_frame",
           "make_sheet", "generate_sheet", "make_pdf", "write_bad_files", "KINDS", "LAYOUTS",
           "TUNE_LAYOUTS", "HELDOUT_LAYOUTS", "FONTS", "TUNE_FONTS", "HELDOUT_FONTS"]
