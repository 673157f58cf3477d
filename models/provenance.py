"""Where a document came from, as the archivist states it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Provenance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: str | None = None
    county: str | None = None
    series: str | None = None
    reel: str | None = None
    fiche: str | None = None
    frame: str | None = None
    box: str | None = None
    folder: str | None = None

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())
