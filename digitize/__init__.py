"""Bytes to page text: intake, PDF text layers, OpenCV cleanup, OCR."""
