"""Digitize files one after another with one loaded engine; rejected files don't stop the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digitize.ocr import get_ocr_engine
from digitize.reader import PageReader, ReadOptions
from models.errors import RejectedFileError
from models.page import PageText
from models.settings import Settings


@dataclass
class Rejected:
    source: str
    error: str

    def cli_record(self) -> dict:
        return {"source": self.source, "error": self.error}


def digitize_files(
    files: list[str],
    settings: Settings,
    engine: str,
    options: ReadOptions,
    on_file: Callable[[str], None] | None = None,
) -> Iterator[PageText | Rejected]:
    reader = PageReader(get_ocr_engine(engine), settings, options)
    for source in files:
        try:
            yield from reader.read_file(Path(source), source=source)
        except RejectedFileError as e:
            yield Rejected(source=source, error=e.reason)
        if on_file:
            on_file(source)
