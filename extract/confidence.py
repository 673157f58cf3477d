"""Field confidence: a logistic model per field over the evidence for a value.

Each field (`name`, `arrest_date`, `statute` ...) has its own model, since the same evidence means
different things for different fields (a rules-only reading is safe for a docket number and
risky for a name); a field with too few values, or too few wrong ones, to fit falls back to its
group's model (identity, date, id, place, statute, offense, disposition, sentence), and a group
without one to conservative defaults. The models are fitted on generated dev documents where truth
is known (`crosstrack train calibrate`) so a stated 0.95 is right about 95 % of the time.

Evidence (extract.evidence): NER/rule agreement, the weakest OCR word confidence, normalizer
certainty, validation, where the value came from (its own line, a list's header; for a date the
words that gave its role, and whether they read two ways), how damaged its printed words look and
whether it is plausible as a value of its kind.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from extract.evidence import Evidence
from extract.roles import ROLE_SOURCES

SOURCES = ("shared", *ROLE_SOURCES)
FEATURES = ("bias", "both", "ner_only", "rules_only", "conflict", "exact", "ocr", "certainty", "uncertain",
            "valid", "noise", "page_noise", "record_noise", "plausible", "ambiguous", *(f"from_{s}" for s in SOURCES))
_DEFAULT = {"bias": -2.0, "both": 2.5, "ner_only": 1.0, "rules_only": 1.0, "conflict": -1.0, "exact": 0.5,
            "ocr": 2.0, "certainty": 2.0, "valid": 1.0}
MIN_VALUES = 30    # values of a field needed to fit its own model (shrunk toward its group's)
SHRINK = 3.0       # how strongly a field's weights are pulled toward its group's


def features(ev: Evidence) -> list[float]:
    return [1.0, float(ev.agreement == "both"), float(ev.agreement == "ner"), float(ev.agreement == "rules"),
            float(ev.agreement == "conflict"), float(ev.exact), ev.ocr, ev.certainty, float(ev.certainty < 0.9),
            float(ev.valid), ev.noise, _scaled(ev.page_noise), _scaled(ev.record_noise), ev.plausible, float(ev.ambiguous),
            *(float(ev.source == s) for s in SOURCES)]


def _scaled(share: float) -> float:
    """A page's damaged-word share on a 0-1 scale the penalty does not flatten: one damaged word in
    twenty already marks a damaged page."""
    return min(1.0, 20.0 * share)


@dataclass
class ConfidenceModel:
    weights: dict[str, dict[str, float]] = field(default_factory=dict)   # field or group -> feature -> weight

    def score(self, kind: str, group: str, ev: Evidence) -> float:
        w = self.weights.get(kind) or self.weights.get(group) or _DEFAULT
        z = sum(w.get(name, 0.0) * x for name, x in zip(FEATURES, features(ev)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def fit(cls, samples: list[tuple[str, str, Evidence, bool]], l2: float = 1.0) -> "ConfidenceModel":
        """A model per group, then one per field shrunk toward its group's: a field with few values
        (or few wrong ones) keeps close to the group's weights, one with many finds its own."""
        weights: dict[str, dict[str, float]] = {}
        for group in sorted({g for _, g, _, _ in samples}):
            X, y = _arrays([s for s in samples if s[1] == group])
            if len(y) >= 20 and 0 < y.sum() < len(y):
                weights[group] = dict(zip(FEATURES, _logistic(X, y, l2).round(4).tolist()))
        for kind in sorted({k for k, _, _, _ in samples}):
            rows = [s for s in samples if s[0] == kind]
            prior = weights.get(rows[0][1])
            X, y = _arrays(rows)
            if len(y) < MIN_VALUES or prior is None and not 0 < y.sum() < len(y):
                continue
            w0 = np.array([prior.get(f, 0.0) for f in FEATURES]) if prior else np.zeros(len(FEATURES))
            weights[kind] = dict(zip(FEATURES, _logistic(X, y, SHRINK, w0, penalize_bias=prior is not None).round(4).tolist()))
        return cls(weights)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"features": FEATURES, "weights": self.weights}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> "ConfidenceModel":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text())
        names = data.get("features", FEATURES)
        # Older files keep one list per group, in the order of their own feature names.
        return cls({k: dict(zip(names, w)) if isinstance(w, list) else w for k, w in data["weights"].items()})


def _arrays(rows) -> tuple[np.ndarray, np.ndarray]:
    return np.array([features(ev) for _, _, ev, _ in rows]), np.array([float(ok) for *_, ok in rows])


def _logistic(X: np.ndarray, y: np.ndarray, l2: float, prior: np.ndarray | None = None,
              penalize_bias: bool = False, iters: int = 50) -> np.ndarray:
    """L2-regularized logistic regression by Newton's method (a handful of features), the
    penalty pulling toward `prior` (zero by default; the bias is free unless `penalize_bias`)."""
    w0 = np.zeros(X.shape[1]) if prior is None else prior.astype(float)
    w = w0.copy()
    reg = l2 * np.eye(X.shape[1])
    if not penalize_bias:
        reg[0, 0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (p - y) + reg @ (w - w0)
        hess = (X * (p * (1 - p))[:, None]).T @ X + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w
