"""The archivist's manifest CSV: one row per file with its provenance.

Columns (header row required, names case-insensitive, any order): `path` (required; relative to
the CSV's folder, or absolute) and any of agency, county, series, reel, fiche, frame, box, folder.
Empty cells mean "not stated". A problem with the CSV itself (unknown column, no path column,
an empty path, one file listed twice with different provenance) raises ManifestError; files it
lists that do not exist are returned all the same, and intake rejects them with a reason.
"""

from __future__ import annotations

import csv
from pathlib import Path

from models.errors import ManifestError
from models.provenance import Provenance

PROVENANCE_COLUMNS = tuple(Provenance.model_fields)
COLUMNS = ("path",) + PROVENANCE_COLUMNS


def read_manifest(csv_path: Path) -> dict[Path, Provenance]:
    """{resolved file path: its provenance}, in the CSV's row order."""
    csv_path = Path(csv_path)
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as f:  # -sig: Excel writes a BOM
            rows = list(csv.reader(f))
    except FileNotFoundError as e:
        raise ManifestError(f"the manifest {csv_path} does not exist: check the path") from e
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ManifestError(f"the manifest {csv_path} cannot be read ({e}): save it as UTF-8 CSV") from e
    if not rows:
        raise ManifestError(f"the manifest {csv_path} is empty: it needs a header row ({', '.join(COLUMNS)})")
    header = [name.strip().lower() for name in rows[0]]
    _check_header(csv_path, header)
    result: dict[Path, Provenance] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines are common at the end of hand-edited CSVs
        if len(row) > len(header):
            raise ManifestError(f"{csv_path}, line {line_no}: {len(row)} cells but {len(header)} columns: check for unquoted commas")
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        if not cells["path"]:
            raise ManifestError(f"{csv_path}, line {line_no}: the path cell is empty: fill it in or delete the row")
        path = _resolve(csv_path, cells.pop("path"))
        provenance = Provenance(**{k: v or None for k, v in cells.items()})
        if path in result and result[path] != provenance:
            raise ManifestError(
                f"{csv_path}, line {line_no}: {path} is listed again with different provenance: keep one row per file"
            )
        result[path] = provenance
    return result


def _check_header(csv_path: Path, header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ManifestError(
            f"the manifest {csv_path} has unknown column(s) {', '.join(map(repr, unknown))}: "
            f"the columns are {', '.join(COLUMNS)}"
        )
    if "path" not in header:
        raise ManifestError(f"the manifest {csv_path} has no 'path' column: add one with each file's path")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ManifestError(f"the manifest {csv_path} repeats column(s) {', '.join(repeated)}: keep one of each")


def _resolve(csv_path: Path, cell: str) -> Path:
    path = Path(cell).expanduser()
    if not path.is_absolute():
        path = csv_path.parent / path
    return Path(path).resolve()
