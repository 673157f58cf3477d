"""Fault-injecting OCR engines, for failure paths only (accuracy is tested with real engines)."""
