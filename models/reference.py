"""Reference data the project ships: the real Massachusetts offence tables (see its README)."""

from __future__ import annotations

from pathlib import Path

OFFENCES_DIR = Path(__file__).resolve().parent / "data" / "ma-offenses"
COMPLAINT_INDEX_CSV = OFFENCES_DIR / "complaint_manual_index.csv"
OFFENSE_CATEGORIES_CSV = OFFENCES_DIR / "offense_categories.csv"
CODES_EXPLAINED_CSV = OFFENCES_DIR / "codes_explained.csv"
