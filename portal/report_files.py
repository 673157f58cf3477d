"""Standard reports and tables as files: CSV (suppressed cells blank, flagged) and PDF (reportlab)."""

from __future__ import annotations

import csv
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models import privacy

from .queries import Report

SUPPRESSED = "*"  # how a hidden cell shows in a page or PDF; blank in CSV


def report_csv(rep: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([rep.spec.rows, *rep.columns, "suppressed_cells"])
    for r in rep.rows:
        cells = [r[c] for c in rep.columns]
        w.writerow([r[rep.spec.rows], *("" if v is None else v for v in cells), sum(v is None for v in cells)])
    return buf.getvalue()


def cells_csv(cells: list[dict], dims: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[*dims, "n", "suppressed"], extrasaction="ignore")
    w.writeheader()
    for c in cells:
        w.writerow({**c, "n": "" if c["n"] is None else c["n"]})
    return buf.getvalue()


def report_pdf(rep: Report) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=rep.spec.title, author="crosstrack")
    styles = getSampleStyleSheet()
    data = [[rep.spec.rows.replace("_", " "), *rep.columns]]
    data += [[r[rep.spec.rows], *(SUPPRESSED if r[c] is None else f"{r[c]:,}" for c in rep.columns)] for r in rep.rows]
    size = 7 if len(rep.columns) > 8 else 8
    table = Table(data, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTSIZE", (0, 0), (-1, -1), size), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold")]))
    note = (f"Anonymized view. {SUPPRESSED}: suppressed (a count from 1 to {rep.threshold - 1}, or a complementary "
            f"cell that would reveal one); {rep.suppressed} cells suppressed. {privacy.ALL}: total.")
    doc.build([Paragraph(rep.spec.title, styles["Title"]), Paragraph(note, styles["Normal"]), Spacer(1, 8), table])
    return buf.getvalue()
