"""Field confidence: a logistic model per kind of field over the evidence for a value.

Evidence: NER/rule agreement, the weakest OCR word confidence, how much repair normalizing
needed, and validation. The model is fitted on held-out generated records where truth is known
(`crosstrack train ner` does it after training) so a stated 0.95 is right about 95 % of the time;
until then conservative defaults apply.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from extract.assemble import Evidence

FEATURES = ("bias", "both", "ner_only", "rules_only", "conflict", "ocr", "certainty", "valid", "exact")
_DEFAULT = [-2.0, 2.5, 1.0, 1.0, -1.0, 2.0, 2.0, 1.0, 0.5]


def features(ev: Evidence) -> list[float]:
    return [1.0, float(ev.agreement == "both"), float(ev.agreement == "ner"), float(ev.agreement == "rules"),
            float(ev.agreement == "conflict"), ev.ocr, ev.certainty, float(ev.valid), float(ev.exact)]


@dataclass
class ConfidenceModel:
    weights: dict[str, list[float]] = field(default_factory=dict)

    def score(self, group: str, ev: Evidence) -> float:
        w = self.weights.get(group, _DEFAULT)
        z = sum(a * b for a, b in zip(w, features(ev)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def fit(cls, samples: list[tuple[str, Evidence, bool]], l2: float = 1.0) -> "ConfidenceModel":
        weights = {}
        for group in sorted({g for g, _, _ in samples}):
            X = np.array([features(ev) for g, ev, _ in samples if g == group])
            y = np.array([float(ok) for g, _, ok in samples if g == group])
            if len(y) >= 20 and 0 < y.sum() < len(y):
                weights[group] = _logistic(X, y, l2).round(4).tolist()
        return cls(weights)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"features": FEATURES, "weights": self.weights}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> "ConfidenceModel":
        if not path.exists():
            return cls()
        return cls(json.loads(path.read_text())["weights"])


def _logistic(X: np.ndarray, y: np.ndarray, l2: float, iters: int = 50) -> np.ndarray:
    """L2-regularized logistic regression by Newton's method (a handful of features)."""
    w = np.zeros(X.shape[1])
    reg = l2 * np.eye(X.shape[1])
    reg[0, 0] = 0.0  # no penalty on the bias
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (p - y) + reg @ w
        hess = (X * (p * (1 - p))[:, None]).T @ X + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w
