"""`crosstrack eval extract --images N`: record extraction scored end to end on generated images.

Generates frames and scans with samplegen (`generate_dataset`, kinds frame and scan), reads them
with the OCR engine (page text cached under the output folder, so a re-run skips OCR), extracts
records and scores field precision/recall/F1 per field and per layout against the truth samplegen
returns — converted here to the corpus' normalized `TruthRecord`s, keeping only what the image
actually prints.

The same extractor also reads each image's *printed* text (samplegen's truth text, no OCR), so
the report separates what OCR costs from what the extractor itself gets wrong.

Conventions follow the text corpus the extractor is trained and evaluated on (extract/corpus):
- court docket: event `disposition` (the corpus says `sentencing` when a count prints a
  sentence, but the assembler types any record whose counts carry dispositions `disposition`);
- probation card: one `disposition` record per case line sharing the header's identity; its date
  column is headed by a bare `DATE`, which the corpus (DATE_ROLES["probation_cf"]) maps to
  `arraignment_date` (PROBATION_DATE_FIELD below);
- parole hearing: granted/reserve → `parole_granted`, denied/review → `parole_denied`,
  revoked → `parole_revoked`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from extract.corpus.types import TruthCharge, TruthRecord
from extract.evaluation import Score, _same, reliability, score_records
from extract.normalize.dates import normalize_date
from extract.normalize.names import format_name
from extract.normalize.places import normalize_court, normalize_facility
from extract.normalize.sentences import normalize_sentence
from extract.normalize.statutes import parse_citation

ALL_LINES = (0, 10 ** 6)
LIST_LAYOUTS = {"probation_card"}
PROBATION_DATE_FIELD = "arraignment_date"
DISPO_CANON = {"GUILTY": "guilty", "NOT GUILTY": "not_guilty", "DISMISSED": "dismissed",
               "NOLLE PROSEQUI": "nolle_prosequi", "CWOF": "cwof", "FILED": "filed"}
# dispo_word's variants (digitize/samplegen/content.py), longest first, to split "GUILTY FINE $500"
_DISPO_WORDS = sorted({"GUILTY", "G", "FOUND GUILTY", "PLEA GUILTY", "NOT GUILTY", "NG", "N.G.", "DISMISSED",
                       "DISM", "DISM.", "NOLLE PROSEQUI", "NOLLE PROS", "NOL PROS", "NOLLE PROS.", "CWOF",
                       "CONT W/O FINDING", "FILED", "PLACED ON FILE"}, key=len, reverse=True)


# -- truth ---------------------------------------------------------------------------------------
def _id(v: str | None) -> str | None:
    v = re.sub(r"\s", "", v or "").upper()
    return v or None


def _name(fields: dict) -> str | None:
    if not fields.get("name_as_printed") or not fields.get("name"):
        return None
    n = fields["name"]
    printed = re.findall(r"[A-Z][A-Z'\-]*", fields["name_as_printed"].upper())
    rest = list(printed)
    for w in (n["last"], n["first"]):
        if w.upper() in rest:
            rest.remove(w.upper())
    if n["last"].upper() not in printed or n["first"].upper() not in printed:
        return None  # cut off: what is printed is no whole name
    middle = n.get("middle") or ""
    return format_name(n["last"], n["first"], middle if middle and middle.upper() in rest else "")


def _court(printed: str | None) -> str | None:
    if not printed:
        return None
    n = normalize_court(printed)
    return n.value if n.ok else None


def _facility(printed: str | None) -> str | None:
    if not printed:
        return None
    n = normalize_facility(printed)
    return n.value if n.ok else None


def _statute(printed: str | None) -> str | None:
    c = parse_citation(printed) if printed else None
    return c.canonical if c else None


def _sentence(text: str | None) -> dict | None:
    if not text or not text.strip():
        return None
    n = normalize_sentence(text)
    return n.value if n.ok else None


def _label(labels: dict, *keys: str) -> str | None:
    for k in keys:
        if labels.get(k):
            return labels[k]
    return None


def _put(d: dict, key: str, value) -> None:
    if value:
        d[key] = value


def _charge(c: dict, *, desc_printed: bool, stat_printed: str | None, dispo: bool, sentence: str | None) -> TruthCharge:
    return TruthCharge(description=c.get("description") if desc_printed else None,
                       statute=_statute(stat_printed),
                       offense_code=c.get("offence_code") if (desc_printed or stat_printed) else None,
                       disposition=DISPO_CANON.get((c.get("disposition") or "").upper()) if dispo else None,
                       sentence=_sentence(sentence))


def _split_dispo(printed: str) -> tuple[str, str]:
    """("GUILTY", "FINE $500") from "GUILTY FINE $500" (a probation card's DISP. cell)."""
    p = printed.strip()
    for w in _DISPO_WORDS:
        if p == w or p.startswith(w + " "):
            return w, p[len(w):].strip()
    return p, ""


def _date_printed(text: str | None, case: dict) -> bool:
    """Whether a probation case line prints its whole date (a narrow column cuts `24 DEC 1977`
    to `24 DEC 197`)."""
    if text is None:
        return True
    key = case.get("docket") or case.get("court_as_printed")
    if not key:
        return False
    for line in text.splitlines():
        if key in line:
            head = line.split(case["court_as_printed"])[0] if case.get("court_as_printed") else line.split()[0]
            return normalize_date(head.strip()).value == case.get("date")
    return False


def truth_records(layout: str, fields: dict, text: str | None = None) -> list[TruthRecord]:
    """The normalized truth records of one samplegen image, from `draw`'s fields dict.

    Only what the image prints: a value cut off the page (an empty `*_as_printed`, a missing
    label) is no truth. `text` (the page's printed text, samplegen's truth) refines what cannot
    be told from the fields (whether a docket prints its disposition date with the counts).
    Single-record layouts span lines 0..10**6; probation-card records carry no usable lines (pair
    them with `score_image_doc`, by docket)."""
    labels = fields.get("labels") or {}
    f: dict[str, str] = {}
    _put(f, "name", _name(fields))
    if layout == "court_docket":
        _put(f, "court", _court(fields.get("court")))
        _put(f, "docket", _id(fields.get("docket")))
        if _label(labels, "Date of Birth"):
            _put(f, "dob", fields.get("dob"))
        _put(f, "sid", _id(_label(labels, "SID") and fields.get("sid")))
        _put(f, "pcf", _id(_label(labels, "PCF No.")))
        if _label(labels, "Arraigned"):
            _put(f, "arraignment_date", fields.get("arraigned"))
        # the table variant prints no disposition date (only in docket entries: no field)
        table_variant = bool(text and re.search(r"^\s*CT\s+STATUTE\b", text, re.I | re.M))
        if fields.get("charges") and not table_variant:
            _put(f, "disposition_date", fields.get("disposition_date"))
        charges = [_charge(c, desc_printed=bool(c.get("description_as_printed")), stat_printed=c.get("statute_as_printed"),
                           dispo=bool(c.get("disposition_as_printed")), sentence=c.get("sentence_text"))
                   for c in fields.get("charges", [])]
        return [TruthRecord(*ALL_LINES, "disposition", f, charges)]
    if layout == "doc_commitment_card":
        _put(f, "commitment_no", _id(fields.get("commitment")))
        if _label(labels, "DOB", "Date of Birth"):
            _put(f, "dob", fields.get("dob"))
        _put(f, "sid", _id(_label(labels, "SID") and fields.get("sid")))
        _put(f, "facility", _facility(_label(labels, "Institution")))
        _put(f, "court", _court(_label(labels, "Committed from", "Committed From")))
        _put(f, "docket", _id(_label(labels, "Docket")))
        if _label(labels, "Admitted"):
            _put(f, "admission_date", fields.get("admitted"))
        if _label(labels, "Sentence Date"):
            _put(f, "sentence_date", fields.get("sentenced"))
        if fields.get("released") and _label(labels, "Released", "Discharged", "Paroled"):
            _put(f, "release_date", fields.get("released"))
        charges = [_charge(c, desc_printed=bool(c.get("description_as_printed")), stat_printed=c.get("statute_as_printed"),
                           dispo=False, sentence=c.get("sentence_text")) for c in fields.get("charges", [])]
        return [TruthRecord(*ALL_LINES, "admission", f, charges)]
    if layout == "arrest_card":
        if _label(labels, "DOB"):
            _put(f, "dob", fields.get("dob"))
        _put(f, "sid", _id(_label(labels, "SID") and fields.get("sid")))
        if _label(labels, "Date Arrested"):
            _put(f, "arrest_date", fields.get("arrest_date"))
        charges = []
        for c in fields.get("charges", []):
            ln = c.get("as_printed") or ""
            if not ln:
                continue
            stat = c.get("statute_as_printed") if c.get("statute_as_printed") and ln.endswith(c["statute_as_printed"]) else None
            charges.append(_charge(c, desc_printed=c.get("description", "") in ln, stat_printed=stat, dispo=False, sentence=None))
        return [TruthRecord(*ALL_LINES, "arrest", f, charges)]
    if layout == "hoc_booking":
        _put(f, "booking_no", _id(fields.get("booking_no")))
        _put(f, "booking_date", fields.get("booked"))
        _put(f, "facility", _facility(fields.get("facility")))
        if _label(labels, "DOB"):
            _put(f, "dob", fields.get("dob"))
        _put(f, "sid", _id(_label(labels, "SID") and fields.get("sid")))
        _put(f, "court", _court(_label(labels, "Committing Court")))
        _put(f, "docket", _id(_label(labels, "Docket")))
        charges = [_charge(c, desc_printed=bool(c.get("description_as_printed")), stat_printed=c.get("statute_as_printed"),
                           dispo=False, sentence=c.get("sentence_text")) for c in fields.get("charges", [])]
        return [TruthRecord(*ALL_LINES, "booking", f, charges)]
    if layout == "parole_hearing":
        _put(f, "commitment_no", _id(fields.get("commitment")))
        _put(f, "facility", _facility(_label(labels, "Institution")))
        if _label(labels, "Hearing Date"):
            _put(f, "hearing_date", fields.get("hearing_date"))
        if _label(labels, "Date of Birth"):
            _put(f, "dob", fields.get("dob"))
        _put(f, "sid", _id(_label(labels, "SID") and fields.get("sid")))
        _put(f, "court", _court(_label(labels, "Committing Court")))
        charges = []
        for c in fields.get("offences", []):
            ln = c.get("as_printed") or ""
            if not ln:
                continue
            stat = c.get("statute_as_printed") if c.get("statute_as_printed") and c["statute_as_printed"] in ln else None
            charges.append(_charge(c, desc_printed=ln.startswith(c.get("description", "\0")), stat_printed=stat,
                                   dispo=False, sentence=None))
        d = (fields.get("decision") or "").upper()
        event = ("parole_revoked" if "REVOKED" in d else "parole_granted" if ("GRANTED" in d or d.startswith("RESERVE"))
                 else "parole_denied" if ("DENIED" in d or d.startswith("REVIEW")) else "")
        return [TruthRecord(*ALL_LINES, event, f, charges)]
    if layout == "probation_card":
        shared = dict(f)
        _put(shared, "pcf", _id(fields.get("pcf")))
        if _label(labels, "DOB"):
            _put(shared, "dob", fields.get("dob"))
        _put(shared, "sid", _id(_label(labels, "SID") and fields.get("sid")))
        out = []
        for i, c in enumerate(fields.get("cases", [])):
            rf = dict(shared)
            _put(rf, "docket", _id(c.get("docket")))
            _put(rf, "court", _court(c.get("court_as_printed")))
            if _date_printed(text, c):
                _put(rf, PROBATION_DATE_FIELD, c.get("date"))
            off = c.get("offence_as_printed") or ""
            stat = _statute(off) if re.match(r"\s*(c|ch|g\.?l|m\.?g\.?l|\d)", off, re.I) else None
            word, rest = _split_dispo(c.get("disposition_as_printed") or "")
            charge = TruthCharge(description=c.get("description") if off else None, statute=stat,
                                 offense_code=c.get("offence_code") if off else None,
                                 disposition=DISPO_CANON.get((c.get("disposition") or "").upper()) if word else None,
                                 sentence=_sentence(rest))
            out.append(TruthRecord(i, i + 1, "disposition", rf, [charge]))
        return out
    raise ValueError(f"unknown layout {layout!r}")


# -- scoring -------------------------------------------------------------------------------------
def _agreement(t: TruthRecord, p) -> int:
    pf = p.assembled.fields
    return sum(1 for k, v in t.fields.items() if k in pf and _same(v, pf[k].value))


def pair_records(layout: str, truth: list[TruthRecord], pred: list) -> list[tuple]:
    """(truth, predicted) pairs: list records by docket then in order; a single record with the
    predicted record that agrees with it most (ties: the first)."""
    pred = sorted(pred, key=lambda p: (p.assembled.first_line, p.assembled.last_line))
    used: set[int] = set()
    pairs: list[list] = [[t, None] for t in truth]
    if len(truth) > 1 or layout in LIST_LAYOUTS:
        by_docket = {}
        for j, p in enumerate(pred):
            d = p.assembled.fields.get("docket")
            if d is not None and isinstance(d.value, str):
                by_docket.setdefault(_id(d.value), j)
        for pair in pairs:
            j = by_docket.get(pair[0].fields.get("docket"))
            if j is not None and j not in used:
                pair[1] = pred[j]
                used.add(j)
        for pair in pairs:  # the rest in order
            if pair[1] is None:
                j = next((j for j in range(len(pred)) if j not in used), None)
                if j is not None:
                    pair[1] = pred[j]
                    used.add(j)
    elif truth and pred:
        j = max(range(len(pred)), key=lambda j: (_agreement(truth[0], pred[j]), -j))
        pairs[0][1] = pred[j]
        used.add(j)
    return [tuple(p) for p in pairs] + [(None, p) for j, p in enumerate(pred) if j not in used]


def score_image_doc(score: Score, layout: str, truth: list[TruthRecord], pred: list,
                    errors: list | None = None) -> None:
    """Add one image's comparison to `score`, its records paired by `pair_records`."""
    score_records(score, layout, truth, pred, pair_records(layout, truth, pred), errors)


def _summary(score: Score) -> dict:
    rows, ece = reliability(score.calibration)
    return {"overall": score.total().row(),
            "fields": {k: v.row() for k, v in sorted(score.per_field.items())},
            "layouts": {k: v.row() for k, v in sorted(score.per_layout.items())},
            "records": {"true": score.records_true, "predicted": score.records_pred, "matched": score.records_matched},
            "ece": ece, "accuracy_at_0.95": round(score.high_confidence(), 4)}


def _per_layout_fields(scores: dict[str, Score]) -> dict:
    return {lay: {k: v.row()["f1"] for k, v in sorted(s.per_field.items())} for lay, s in sorted(scores.items())}


# -- OCR cache -----------------------------------------------------------------------------------
def _load_cache(path: Path, engine: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get("engine") == engine:
                out[obj["file"]] = obj
    return out


def _ocr(files: list[Path], cache_path: Path, engine: str, settings, workers: int | None, advance) -> dict[str, list]:
    """file → (its PageTexts, error or None), reading only the files the cache lacks (by content hash)."""
    from digitize.parallel import Rejected, read_files
    from digitize.reader import ReadOptions
    from models.page import PageText

    cache = _load_cache(cache_path, engine)
    digest = {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    todo = [f for f in files if str(f) not in cache or cache[str(f)].get("sha256") != digest[str(f)]]
    for f in files:
        if f not in todo:
            advance()
    if todo:
        got: dict[str, dict] = {str(f): {"file": str(f), "engine": engine, "sha256": digest[str(f)], "pages": [], "error": None}
                                for f in todo}
        seen: set[str] = set()

        def on_file(src: str) -> None:
            if src not in seen:
                seen.add(src)
                advance()

        for item in read_files([str(f) for f in todo], settings, engine, ReadOptions(), workers, on_file):
            if isinstance(item, Rejected):
                got[item.source]["error"] = item.error
            else:
                got[item.source]["pages"].append(item.cli_record())
        with cache_path.open("a", encoding="utf-8") as fh:
            for obj in got.values():
                fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        cache.update(got)
    return {str(f): ([PageText.model_validate(p) for p in cache[str(f)]["pages"]], cache[str(f)].get("error"))
            for f in files}


# -- the run -------------------------------------------------------------------------------------
def run_image_eval(out: Path, count: int, seed: int, split: str, engine: str, settings, progress=None,
                   mode: str | None = None, workers: int | None = None) -> dict:
    """Generate `count` frames/scans of `split`, OCR (cached), extract, score; writes and returns
    `out/extract_image_eval.json` (and the misses, one JSON line per field, in
    `extract_image_errors.jsonl`). `mode`: the extractor's mode; default "both" when the trained
    NER model exists, else "rules"."""
    from digitize.samplegen import generate_dataset
    from extract.pipeline import Extractor, model_dir

    out = Path(out)
    data = out / "images"
    truth_path = data / "truth.jsonl"
    want = {"count": count, "seed": seed, "split": split}
    stamp = data / "params.json"
    if not (truth_path.exists() and stamp.exists() and json.loads(stamp.read_text()) == want):
        generate_dataset(data, count=count, seed=seed, split=split, kinds=("frame", "scan"))
        stamp.write_text(json.dumps(want))
    items = [json.loads(ln) for ln in truth_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    files = [data / it["file"] for it in items]

    task = progress.add_task("eval extract (images)", total=len(files)) if progress else None
    advance = (lambda: progress.advance(task)) if progress else (lambda: None)
    pages = _ocr(files, out / "ocr_pages.jsonl", engine, settings, workers, advance)

    mode = mode or ("both" if (model_dir() / "meta.json").exists() else "rules")
    extractor = Extractor.load(mode)
    ocr_items, text_items = [], []
    for it, f in zip(items, files):
        ps, _err = pages[str(f)]
        ocr_items.append((ps[0].text, ps[0]) if ps else ("", None))
        text_items.append((it["pages"][0]["text"] if it["pages"] else "", None))
    ocr_preds = list(extractor.extract_texts(ocr_items))
    text_preds = list(extractor.extract_texts(text_items))

    report: dict = {"split": split, "count": len(items), "seed": seed, "engine": engine, "mode": mode,
                    "kinds": ["frame", "scan"], "probation_date_field": PROBATION_DATE_FIELD}
    errors_path = out / "extract_image_errors.jsonl"
    per_source: dict[str, dict] = {}
    with errors_path.open("w", encoding="utf-8") as eh:
        for name, preds in (("ocr", ocr_preds), ("text", text_preds)):
            score, by_layout = Score(), {}
            for it, f, pred, (txt, _) in zip(items, files, preds, ocr_items if name == "ocr" else text_items):
                lay = it["layout"]
                fields = it["pages"][0]["fields"] if it["pages"] else {}
                truth = truth_records(lay, fields, it["pages"][0]["text"] if it["pages"] else None)
                errs: list = []
                score_image_doc(score, lay, truth, pred, errs)
                score_image_doc(by_layout.setdefault(lay, Score()), lay, truth, pred)
                if errs:
                    eh.write(json.dumps({"source": name, "file": it["file"], "layout": lay, "font": it.get("font"),
                                         "ocr_error": pages[str(f)][1], "misses": errs, "text": txt},
                                        ensure_ascii=False, default=str) + "\n")
            per_source[name] = {**_summary(score), "layout_fields": _per_layout_fields(by_layout)}
    report["ocr"] = per_source["ocr"]
    report["text"] = per_source["text"]
    report["rejected"] = sorted(str(f) for f in files if pages[str(f)][1])
    report["errors"] = str(errors_path)
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract_image_eval.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    return report
