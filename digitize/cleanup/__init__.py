"""OpenCV cleanup of scans and fiche frames before OCR."""

from .context import CleanupContext, CleanupOptions
from .fiche import SheetFrame, deskew_sheet, split_sheet
from .pipeline import STEPS, clean, to_gray

__all__ = ["STEPS", "CleanupContext", "CleanupOptions", "SheetFrame", "clean", "deskew_sheet", "split_sheet", "to_gray"]
