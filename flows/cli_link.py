"""crosstrack commands: link."""

from __future__ import annotations

from .cli import app, bench_app  # noqa: F401
