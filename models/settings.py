"""Settings declared once, read from the environment (CROSSTRACK_*), passed to pure functions."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field


def _env(name: str, default: str) -> str:
    return os.environ.get(f"CROSSTRACK_{name}", default)


class Settings(BaseModel):
    home: Path = Field(description="data directory for stored files and results (CROSSTRACK_HOME)")
    max_file_mb: float = Field(description="files larger than this are rejected (CROSSTRACK_MAX_FILE_MB)")
    max_pixels: int = Field(description="images with more pixels are rejected as decompression bombs (CROSSTRACK_MAX_PIXELS)")
    ocr_engine: str = Field(description="default OCR engine (CROSSTRACK_OCR_ENGINE)")
    database_url: str | None = Field(None, description="the repository (CROSSTRACK_DATABASE_URL); default a SQLite file in home")

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            home=Path(_env("HOME", "var")).resolve(),
            max_file_mb=float(_env("MAX_FILE_MB", "200")),
            max_pixels=int(_env("MAX_PIXELS", str(300_000_000))),
            ocr_engine=_env("OCR_ENGINE", "ppocr"),
            database_url=_env("DATABASE_URL", "") or None,
        )

    @property
    def store_dir(self) -> Path:
        return self.home / "store"

    @property
    def batches_dir(self) -> Path:
        return self.home / "batches"

    @property
    def results_dir(self) -> Path:
        return self.home / "results"
