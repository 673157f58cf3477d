"""crosstrack review …: routing records to reviewers in Label Studio and taking their work back."""

from __future__ import annotations

import typer

from .cli import app

review_app = typer.Typer(help="Human review in Label Studio: route, serve, push, pull, calibrate.", no_args_is_help=True)
app.add_typer(review_app, name="review")
