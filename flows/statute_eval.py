"""`crosstrack eval statutes`: the statute normalizer on the offence tables' own citation texts.

Truth comes from the tables, not from the parser: the complaint index's offence code
(`265/13A/B` -> 265/13A) and, for full canonical form, each table's one fixed citation style
read with a strict pattern. Every text is also scored after deterministic OCR-style damage.
"""

from __future__ import annotations

import csv
import random
import re
import time
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from extract.charges import normalize_charge
from extract.normalize.statutes import parse_citation
from extract.offences import OffenceTable, index_rows, load_offence_table
from models.reference import OFFENSE_CATEGORIES_CSV, years_in_force

SEED = 1984
MAX_FAILURES = 12
# Each table prints citations one way; these strict patterns are the eval's reference reading.
_INDEX_CITE = re.compile(r"[cC]\.?\s?(\d+[A-Z]?)\s?§+\s?(\d+[A-Z]*)(\s?½|1/2)?((?:\s?\([^)]*\))*)")
_CATEGORY_CITE = re.compile(r"Ch\.\s?(\d+[A-Z]?)\s+S\s+(\d+[A-Z]*)(½)?((?:\([^)]*\))*)")
_CODE_STATUTE = re.compile(r"^(\d+[A-Z]?)/(\d+[A-Z]*)(?:/|$)")
_CONF_BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))


@dataclass(frozen=True)
class Case:
    source: str               # "index" or "categories"
    text: str                 # offence text with its citation, as the table prints it
    statute: str              # true chapter/section
    canonical: str            # true chapter/section(subsections)
    description: str          # the text without its citation
    code: str | None          # true offence code (index only)
    year: int | None
    consistent: bool = True   # the printed citation names the code's chapter/section


def _canonical(chapter: str, section: str, half: str | None, subs: str) -> str:
    parts = [s.strip().lower().replace(" cent", "½") for s in re.findall(r"\(([^)]*)\)", subs)]
    return f"{chapter}/{section}{'½' if half else ''}" + "".join(f"({p})" for p in parts)


def index_cases() -> list[Case]:
    """Complaint-index rows with a General Laws citation; truth chapter/section from the code."""
    cases = []
    for code, text, eff, _, _ in index_rows():
        cm, m = _CODE_STATUTE.match(code), _INDEX_CITE.search(text)
        if not cm or not m:
            continue  # by-laws, CMR regulations, common law
        start, end = years_in_force(eff)
        truth, printed = f"{cm.group(1)}/{cm.group(2)}", f"{m.group(1)}/{m.group(2)}{'½' if m.group(3) else ''}"
        if printed.endswith("½") and truth == printed[:-1] + "12":
            truth = printed  # codes spell ½ as 12: 272/8012 is §80½
        cases.append(Case("index", text, truth, _canonical(m.group(1), m.group(2), m.group(3), m.group(4)),
                          text[: m.start()].strip(), code, start or end, consistent=truth == printed))
    return cases


def category_cases() -> list[Case]:
    """offense_categories.csv texts that cite a statute (`A&B  Ch. 265 S 13A(a)`)."""
    cases = []
    with OFFENSE_CATEGORIES_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = row["Untruncated Offense"]
            m = _CATEGORY_CITE.search(text)
            if m:
                cases.append(Case("categories", text, f"{m.group(1)}/{m.group(2)}{'½' if m.group(3) else ''}",
                                  _canonical(m.group(1), m.group(2), m.group(3), m.group(4)),
                                  text[: m.start()].strip(), None, None))
    return cases


def ocr_damage(text: str, rng: random.Random) -> str:
    """Typewriter-OCR confusions, applied at fixed rates: § as S/$/5/8, 0/O, 1/l/I, spacing."""
    out = []
    for ch in text:
        r = rng.random()
        if ch == "§":
            ch = rng.choice(["S", "$", "5", "8", "s", "§"])
        elif ch == "0" and r < 0.3:
            ch = "O"
        elif ch == "1" and r < 0.3:
            ch = rng.choice(["l", "I"])
        elif ch == "O" and r < 0.1:
            ch = "0"
        elif ch == "I" and r < 0.1:
            ch = "1"
        elif ch == " " and r < 0.1:
            ch = ""
        elif r > 0.985:
            ch += " "
        out.append(ch)
    return "".join(out)


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def _score(cases: list[Case], table: OffenceTable, failures: list[dict], label: str) -> dict:
    n = len(cases)
    agreeing = sum(c.consistent for c in cases)
    cited = cited_agreeing = canonical = code_hits = desc_statute = desc_code = spurious = 0
    coded = 0
    bins = [[0, 0] for _ in _CONF_BINS]
    for c in cases:
        cite = parse_citation(c.text, known=table.has_statute)
        got = cite.statute if cite else None
        cited += got == c.statute
        cited_agreeing += c.consistent and got == c.statute
        canonical += bool(cite) and cite.canonical == c.canonical
        if got != c.statute and c.consistent and len(failures) < MAX_FAILURES:
            failures.append({"set": label, "text": c.text, "expected": c.statute, "got": got})
        matches = table.match_description(c.description, c.year)
        top = matches[0][0] if matches else None
        desc_statute += bool(top) and f"{top.chapter}/{top.section}" == c.statute
        spurious += parse_citation(c.description) is not None
        if c.code:
            coded += 1
            norm = normalize_charge(c.text, table, c.year)
            right = norm.offense_code == c.code
            code_hits += right
            desc_code += bool(top) and top.code == c.code
            for b, (lo, hi) in enumerate(_CONF_BINS):
                if lo <= norm.confidence < hi:
                    bins[b][0] += 1
                    bins[b][1] += right and (norm.statute or "").split("(")[0] == c.statute
    return {
        "set": label, "n": n, "citation": _rate(cited, n), "agreeing": agreeing,
        "citation_agreeing": _rate(cited_agreeing, agreeing), "canonical": _rate(canonical, n),
        "code_top1": _rate(code_hits, coded), "description_statute": _rate(desc_statute, n),
        "description_code": _rate(desc_code, coded), "spurious_in_description": _rate(spurious, n),
        "calibration": [{"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": k, "accuracy": _rate(h, k)}
                        for (lo, hi), (k, h) in zip(_CONF_BINS, bins)] if coded else [],
    }


def _speed(cases: list[Case], table: OffenceTable) -> float:
    """normalize_charge calls per second on one core, on texts it has not seen (no cache hits)."""
    texts = [f"{c.text} #{i}" for i, c in enumerate(cases[:2000])]
    t0 = time.process_time()  # CPU time: one core, whatever else the machine runs
    for t in texts:
        normalize_charge(t, table)
    return round(len(texts) / (time.process_time() - t0), 1)


def run_statute_eval(limit: int | None = None) -> dict:
    """Accuracy of citation parsing, offence codes and description matching; JSON-able.

    `limit` takes every k-th case so a quick run still spans the whole table.
    """
    table = load_offence_table()
    sets = {"index": index_cases(), "categories": category_cases()}
    if limit:
        sets = {k: v[:: max(1, len(v) // limit)] for k, v in sets.items()}
    rows, failures = [], []
    for name, cases in sets.items():
        rng = random.Random(SEED)
        damaged = [Case(c.source, ocr_damage(c.text, rng), c.statute, c.canonical,
                        ocr_damage(c.description, rng), c.code, c.year, c.consistent) for c in cases]
        rows.append(_score(cases, table, failures, f"{name} clean"))
        rows.append(_score(damaged, table, failures, f"{name} OCR"))
    all_index = sets["index"]
    return {"rows": rows, "failures": failures, "offences": len(table.offences),
            "charges_per_second": _speed(all_index, table)}


def print_statute_report(report: dict, console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"Statute normalizer on the offence tables ({report['offences']} offences)")
    cols = (("set", "set"), ("n", "texts"), ("citation", "ch/sec"), ("agreeing", "agreeing"),
            ("citation_agreeing", "ch/sec (agreeing)"), ("canonical", "+subsections"),
            ("code_top1", "code top-1"), ("description_statute", "words: ch/sec"),
            ("description_code", "words: code"), ("spurious_in_description", "false cites"))
    for _, title in cols:
        t.add_column(title, justify="left" if title == "set" else "right")
    for r in report["rows"]:
        t.add_row(*("—" if r[k] is None else (f"{r[k]:.2%}" if isinstance(r[k], float) else str(r[k])) for k, _ in cols))
    console.print(t)
    console.print("ch/sec is scored against the offence code; 'agreeing' rows are those whose printed "
                  "citation names the code's own chapter/section (the rest are the table's own disagreements).")
    for r in report["rows"]:
        if r["calibration"]:
            console.print(f"{r['set']}: confidence vs right " + ", ".join(
                f"{b['bin']}: {b['accuracy'] if b['accuracy'] is not None else '—'} (n={b['n']})" for b in r["calibration"]))
    console.print(f"normalize_charge: {report['charges_per_second']:,.0f} charges/s on one core (uncached texts)")
    if report["failures"]:
        ft = Table(title="Some misread citations")
        for col in ("set", "text", "expected", "got"):
            ft.add_column(col)
        for f in report["failures"]:
            ft.add_row(f["set"], f["text"], f["expected"], str(f["got"]))
        console.print(ft)
