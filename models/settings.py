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
    public_database_url: str | None = Field(None, description="what the portal's public pages connect with "
                                            "(CROSSTRACK_PUBLIC_DATABASE_URL: on PostgreSQL, as crosstrack_public); default the repository's")
    ls_url: str = Field("http://127.0.0.1:8089", description="the Label Studio server `review serve` runs (CROSSTRACK_LS_URL)")
    ls_token: str | None = Field(None, description="its admin API token (CROSSTRACK_LS_TOKEN); default one generated and kept in its data dir")
    ls_user: str = Field("admin@crosstrack.local", description="its admin user, an email (CROSSTRACK_LS_USER)")
    ls_password: str | None = Field(None, description="the admin's password (CROSSTRACK_LS_PASSWORD); default one generated and kept in its data dir")
    ls_webhook_port: int | None = Field(None, description="port of the webhook receiver (CROSSTRACK_LS_WEBHOOK_PORT); default the server's port + 1")

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            home=Path(_env("HOME", "var")).resolve(),
            max_file_mb=float(_env("MAX_FILE_MB", "200")),
            max_pixels=int(_env("MAX_PIXELS", str(300_000_000))),
            ocr_engine=_env("OCR_ENGINE", "ppocr"),
            database_url=_env("DATABASE_URL", "") or None,
            public_database_url=_env("PUBLIC_DATABASE_URL", "") or None,
            ls_url=_env("LS_URL", "http://127.0.0.1:8089"),
            ls_token=_env("LS_TOKEN", "") or None,
            ls_user=_env("LS_USER", "admin@crosstrack.local"),
            ls_password=_env("LS_PASSWORD", "") or None,
            ls_webhook_port=int(_env("LS_WEBHOOK_PORT", "0")) or None,
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

    @property
    def ls_dir(self) -> Path:
        """Label Studio's own data (its database, log, generated credentials)."""
        return self.home / "label-studio"

    @property
    def review_dir(self) -> Path:
        return self.home / "review"
