"""crosstrack commands: repo."""

from __future__ import annotations

from .cli import app, bench_app  # noqa: F401
