"""The routing policy: per-kind confidence thresholds, the audit sample and the error target,
kept as versioned data (a TOML file) and loaded into pydantic settings.

A field's kind is its name (`dob`, `arrest_date`, `docket`), a charge part's kind the part
(`statute`): on generated truth, fields of one family (dates, identifiers, places) differ ten-fold
in error at the same confidence (an arrest date misread as 67 % of the time at 0.80-0.85 where a
disposition date is 7 %; a docket 0.1 % at 0.97+ where a SID is 2 %), so one shared threshold would
hold back the good ones for the bad ones. Fields the extractor does not know share DEFAULT_KIND.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from extract.corpus.types import FIELD_KEYS
from models.errors import ConfigError
from models.record import CHARGE_PARTS
from models.settings import Settings

SHIPPED = Path(__file__).with_name("policy.toml")
DEFAULT_KIND = "other"
KINDS = (*FIELD_KEYS, *CHARGE_PARTS, DEFAULT_KIND)


def field_kind(path: str) -> str:
    """The kind of a field path: `fields.dob` -> "dob", `charges.0.statute` -> "statute"."""
    parts = path.split(".")
    if parts[0] == "charges" and len(parts) == 3:
        return parts[2] if parts[2] in CHARGE_PARTS else DEFAULT_KIND
    return parts[-1] if parts[-1] in FIELD_KEYS else DEFAULT_KIND


class RoutingPolicy(BaseModel):
    thresholds: dict[str, float] = Field(default_factory=dict)  # per field kind (KINDS)
    default_threshold: float = Field(0.9, ge=0.0, le=2.0)
    audit_rate: float = Field(0.03, ge=0.0, le=1.0)
    # The audit draw is a keyed hash of the record key: the same record always routes the same way.
    audit_seed: str = Field("crosstrack-audit", min_length=1)
    error_target: float = Field(0.005, gt=0.0, lt=1.0)
    # What the thresholds were calibrated on and what they were expected to cost (informational).
    calibration: dict[str, str | int | float] = Field(default_factory=dict)

    @field_validator("thresholds")
    @classmethod
    def _in_range(cls, v: dict[str, float]) -> dict[str, float]:
        # A threshold above 1 means "never auto-accept this kind".
        bad = [k for k, t in v.items() if not 0.0 <= t <= 2.0]
        if bad:
            raise ValueError(f"thresholds must lie in [0, 2] (above 1: never auto-accept): {', '.join(sorted(bad))}")
        return v

    def threshold(self, kind: str) -> float:
        return self.thresholds.get(kind, self.default_threshold)


def policy_path(path: Path | None = None) -> Path:
    """`path`, else $CROSSTRACK_REVIEW_POLICY, else <home>/review/policy.toml if it exists, else the shipped one."""
    if path is not None:
        return Path(path)
    env = os.environ.get("CROSSTRACK_REVIEW_POLICY")
    if env:
        return Path(env)
    home = Settings.from_env().home / "review" / "policy.toml"
    return home if home.exists() else SHIPPED


def load_policy(path: Path | None = None) -> RoutingPolicy:
    where = policy_path(path)
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
        return RoutingPolicy.model_validate(data)
    except FileNotFoundError:
        raise ConfigError(f"no routing policy at {where}: run `crosstrack review calibrate` or unset CROSSTRACK_REVIEW_POLICY") from None
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise ConfigError(f"the routing policy {where} is invalid ({e}): fix it or rerun `crosstrack review calibrate`") from None


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(float(v)) if isinstance(v, float) else str(v)
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def dump_policy(policy: RoutingPolicy, header: str = "") -> str:
    """The policy as TOML (comment lines from `header` first)."""
    lines = [f"# {ln}" if ln else "#" for ln in header.splitlines()]
    for key in ("default_threshold", "audit_rate", "audit_seed", "error_target"):
        lines.append(f"{key} = {_toml_value(getattr(policy, key))}")
    lines += ["", "[thresholds]"]
    lines += [f"{k} = {_toml_value(round(v, 4))}" for k, v in sorted(policy.thresholds.items())]
    if policy.calibration:
        lines += ["", "[calibration]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in sorted(policy.calibration.items())]
    return "\n".join(lines) + "\n"


def save_policy(policy: RoutingPolicy, path: Path, header: str = "") -> Path:
    """Write the policy whole or not at all (a temporary file renamed over the target)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dump_policy(policy, header), encoding="utf-8")
    tmp.replace(path)
    return path
