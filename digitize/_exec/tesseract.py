"""The `tesseract` program: probe its version, run it, keep its stderr (OCRmyPDF's `_exec`)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from models.errors import MissingDependencyError, OcrEngineError


@cache
def version() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise MissingDependencyError(
            "tesseract is not installed: run `make setup` (Debian package tesseract-ocr)"
        )
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()
    return first[0].split()[-1] if first else "unknown"


def run_tsv(png: bytes, *, language: str, psm: int, timeout: float = 180.0) -> str:
    """OCR one PNG given as bytes; return Tesseract's TSV output."""
    version()
    cmd = ["tesseract", "stdin", "stdout", "-l", language, "--psm", str(psm), "tsv"]
    try:
        proc = subprocess.run(
            cmd, input=png, capture_output=True, timeout=timeout, check=False,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
    except subprocess.TimeoutExpired as e:
        raise OcrEngineError(f"tesseract timed out after {timeout:.0f} s") from e
    if proc.returncode != 0:
        raise OcrEngineError(
            f"tesseract exited with {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}"
        )
    return proc.stdout.decode("utf-8", errors="replace")
