"""Rows of an agency extract, whatever its format: (row number, {column: text}).

A file that cannot be read as its mapping says (not the format, encrypted, empty, its header
missing columns the mapping needs) raises FeedFileError with why, before any row is taken; a row
that cannot be read on its own (a short fixed-width line, a JSON line that is not an object) comes
back as a RowUnreadable in its place, so the rest of the file goes on.
"""

from __future__ import annotations

import codecs
import csv
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from models.errors import FeedFileError

from .mapping import FeedMapping

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx (or an old .xls) is an OLE2 container


@dataclass(frozen=True)
class RowUnreadable:
    reason: str


Row = dict[str, str] | RowUnreadable


def read_rows(mapping: FeedMapping, path: Path) -> Iterator[tuple[int, Row]]:
    """The file's data rows, numbered as a person opening the file would count them (the header
    is row 1 of a CSV or a sheet; line N of a fixed-width or JSON Lines file is row N)."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise FeedFileError(f"{path.name}: cannot be read ({e.strerror})") from None
    if size == 0:
        raise FeedFileError(f"{path.name}: the file is empty")
    with path.open("rb") as f:
        head = f.read(8)
    if mapping.format == "excel":
        yield from _excel(mapping, path, head)
        return
    if head.startswith(_OLE2) or head.startswith(b"PK\x03\x04") or head.startswith(b"%PDF"):
        raise FeedFileError(f"{path.name}: a binary file (an Excel workbook, a zip or a PDF), not the "
                            f"{mapping.format} text this mapping reads")
    try:
        codecs.lookup(mapping.encoding)
    except LookupError:
        raise FeedFileError(f"mapping {mapping.feed}: unknown encoding {mapping.encoding!r}") from None
    reader = {"csv": _csv, "fixed_width": _fixed, "jsonl": _jsonl}[mapping.format]
    yield from reader(mapping, path)


def _text_lines(mapping: FeedMapping, path: Path) -> Iterator[str]:
    with path.open(encoding=mapping.encoding, errors="strict", newline="") as f:
        try:
            yield from f
        except UnicodeDecodeError as e:
            raise FeedFileError(f"{path.name}: not {mapping.encoding} text (byte {e.start} of a line)") from None


def _check_header(path: Path, header: list[str], mapping: FeedMapping) -> None:
    missing = [c for c in mapping.columns() if c not in header]
    if missing:
        raise FeedFileError(f"{path.name}: the header lacks column(s) the mapping reads: {', '.join(missing)} "
                            f"(is this a {mapping.feed} extract?)")


def _csv(mapping: FeedMapping, path: Path) -> Iterator[tuple[int, Row]]:
    reader = csv.reader(_text_lines(mapping, path), delimiter=mapping.csv.delimiter, quotechar=mapping.csv.quotechar,
                        strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FeedFileError(f"{path.name}: no header line") from None
    except csv.Error as e:
        raise FeedFileError(f"{path.name}: not CSV ({e})") from None
    _check_header(path, header, mapping)
    width = len(header)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            # A broken quote swallows what follows it: the reader cannot resynchronize, so the
            # file stops here and says where.
            raise FeedFileError(f"{path.name}: CSV broken at line {reader.line_num} ({e}); the rows before it "
                                f"were read") from None
        row = reader.line_num
        if not cells or cells == [""]:
            continue
        if len(cells) != width:
            yield row, RowUnreadable(f"{len(cells)} cells where the header has {width}")
            continue
        yield row, dict(zip(header, cells))


def _fixed(mapping: FeedMapping, path: Path) -> Iterator[tuple[int, Row]]:
    layout = [(c.column, c.start - 1, c.start - 1 + c.width) for c in mapping.fixed_width]
    need = max(end for _, _, end in layout)
    for n, line in enumerate(_text_lines(mapping, path), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        if len(line) < need:
            yield n, RowUnreadable(f"line is {len(line)} characters, the layout needs {need}")
            continue
        yield n, {name: line[a:b] for name, a, b in layout}


def _jsonl(mapping: FeedMapping, path: Path) -> Iterator[tuple[int, Row]]:
    columns = mapping.columns()
    for n, line in enumerate(_text_lines(mapping, path), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, RowUnreadable(f"not JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield n, RowUnreadable("not a JSON object")
            continue
        if n == 1 and not set(columns) & set(obj):
            raise FeedFileError(f"{path.name}: its first object has none of the mapping's columns "
                                f"(is this a {mapping.feed} extract?)")
        yield n, {c: _cell(obj.get(c)) for c in columns}


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Y" if v else "N"
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def _excel(mapping: FeedMapping, path: Path, head: bytes) -> Iterator[tuple[int, Row]]:
    import openpyxl  # only Excel feeds pay for its import

    if head.startswith(_OLE2):
        raise FeedFileError(f"{path.name}: an encrypted workbook or an old .xls: save it as an unprotected .xlsx")
    if not head.startswith(b"PK\x03\x04"):
        raise FeedFileError(f"{path.name}: not an Excel workbook (.xlsx)")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise FeedFileError(f"{path.name}: a damaged workbook ({type(e).__name__})") from None
    try:
        opts = mapping.excel
        if opts.sheet and opts.sheet not in book.sheetnames:
            raise FeedFileError(f"{path.name}: no sheet {opts.sheet!r} (it has {', '.join(book.sheetnames)})")
        sheet = book[opts.sheet] if opts.sheet else book.worksheets[0]
        rows = sheet.iter_rows(min_row=opts.header_row, values_only=True)
        header_cells = next(rows, None)
        if header_cells is None:
            raise FeedFileError(f"{path.name}: the sheet is empty")
        header = [str(h).strip() if h is not None else "" for h in header_cells]
        _check_header(path, header, mapping)
        for n, cells in enumerate(rows, start=opts.header_row + 1):
            if cells is None or all(c is None or c == "" for c in cells):
                continue
            yield n, {h: _excel_cell(c) for h, c in zip(header, cells) if h}
    finally:
        book.close()


def _excel_cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "date") and hasattr(v, "hour"):  # a datetime cell: its date, as ISO
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
