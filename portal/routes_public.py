"""The public analysts' pages and API: the anonymized view only (anon_events and agg_counts, through
portal.queries). Trends by any one or two dimensions within a cohort, charts, a pseudonymous
timeline, the standard reports as pages, CSV and PDF, and the k-anonymous dataset."""

from __future__ import annotations

import json
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from models import privacy, views
from models.db import make_engine
from models.errors import CrosstrackError

from . import charts, queries
from .auth import User, require_roles
from .report_files import cells_csv, report_csv, report_pdf
from .web import PortalError, engine_of, render

ANALYSTS = ("analyst_public", "analyst_cleared", "admin")
Analyst = Annotated[User, Depends(require_roles(*ANALYSTS))]
router = APIRouter()

Dim = Literal[tuple(views.DIMENSIONS)]  # type: ignore[valid-type]
ReportName = Literal[tuple(queries.REPORTS)]  # type: ignore[valid-type]

F = Annotated[str | None, Query(max_length=80)]


def cohort_filters(year: F = None, county: F = None, agency: F = None, event_type: F = None,
                   offence_category: F = None, level: F = None, disposition: F = None, sentence_type: F = None,
                   sentence_band: F = None, gender: F = None, race: F = None, ethnicity: F = None,
                   age_band: F = None) -> dict[str, str]:
    """Cohort filters: only events with these values are counted (one query parameter per dimension)."""
    return {k: v for k, v in locals().items() if v}


ByQ = Annotated[Dim, Query(description="the dimension counted along (x axis)")]
SeriesQ = Annotated[Dim | None, Query(description="an optional second dimension: one series per value")]
ThresholdQ = Annotated[int, Query(ge=privacy.THRESHOLD, le=1000, description="counts below this are suppressed")]
CohortQ = Annotated[dict[str, str], Depends(cohort_filters)]


def public_engine(request: Request):
    """The engine public reads go through: on PostgreSQL a crosstrack_public connection when
    CROSSTRACK_PUBLIC_DATABASE_URL names one (built once per app), else the app's engine."""
    state = request.app.state
    if not hasattr(state, "public_engine"):
        url = state.settings.public_database_url
        state.public_engine = make_engine(url) if url else engine_of(request)
    return state.public_engine


def table_cache(request: Request) -> queries.TableCache:
    state = request.app.state
    if not hasattr(state, "table_cache"):
        state.table_cache = queries.TableCache()
    return state.table_cache


def _trend(request: Request, by: str, series: str | None, cohort: dict[str, str], threshold: int) -> queries.Trend:
    dims = [by] + ([series] if series and series != by else [])
    return queries.trend(public_engine(request), dims, cohort, threshold, table_cache(request))


def _title(t: queries.Trend) -> str:
    what = " and ".join(d.replace("_", " ") for d in t.by)
    cohort = "; ".join(f"{k.replace('_', ' ')} = {v}" for k, v in t.filters.items())
    return f"Events by {what}" + (f" ({cohort})" if cohort else "")


# ---------------------------------------------------------------- API

@router.get("/api/public/dimensions", summary="Each dimension's values, for cohort filters")
def api_dimensions(request: Request, user: Analyst) -> dict:
    return queries.dimension_values(public_engine(request))


@router.get("/api/public/trend", summary="Counts by one or two dimensions within a cohort, small cells suppressed")
def api_trend(request: Request, user: Analyst, cohort: CohortQ, by: ByQ = "year", series: SeriesQ = None,
              threshold: ThresholdQ = privacy.THRESHOLD) -> dict:
    return _trend(request, by, series, cohort, threshold).as_dict()


@router.get("/api/public/trend.csv", summary="The same counts as CSV (suppressed cells blank)",
            response_class=Response)
def api_trend_csv(request: Request, user: Analyst, cohort: CohortQ, by: ByQ = "year", series: SeriesQ = None,
                  threshold: ThresholdQ = privacy.THRESHOLD) -> Response:
    t = _trend(request, by, series, cohort, threshold)
    name = "-".join(t.by)
    return Response(cells_csv(t.rows(), list(t.by)), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="trend-{name}.csv"'})


@router.get("/api/public/chart.svg", summary="The counts as a chart (SVG)", response_class=Response)
def api_chart(request: Request, user: Analyst, cohort: CohortQ, by: ByQ = "year", series: SeriesQ = None,
              threshold: ThresholdQ = privacy.THRESHOLD) -> Response:
    t = _trend(request, by, series, cohort, threshold)
    return Response(charts.trend_svg(t.rows(), t.by, _title(t)), media_type="image/svg+xml")


@router.get("/api/public/timeline/{pseudonym}", summary="A pseudonymous person's events in order")
def api_timeline(request: Request, user: Analyst, pseudonym: Annotated[str, Path(max_length=40)]) -> dict:
    rows = queries.timeline_public(public_engine(request), pseudonym)
    if not rows:
        raise PortalError(404, "no events under that pseudonym")
    return {"pseudonym": pseudonym.lower(), "events": rows}


@router.get("/api/public/reports", summary="The standard reports")
def api_reports(user: Analyst) -> list[dict]:
    return [{"name": s.name, "title": s.title} for s in queries.REPORTS.values()]


@router.get("/api/public/reports/{name}", summary="A standard report as JSON, CSV or PDF",
            responses={200: {"content": {"text/csv": {}, "application/pdf": {}}}})
def api_report(request: Request, user: Analyst, name: ReportName,
               format: Literal["json", "csv", "pdf"] = "json") -> Response:
    rep = queries.report(public_engine(request), name, table_cache(request))
    if format == "csv":
        return Response(report_csv(rep), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if format == "pdf":
        return Response(report_pdf(rep), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return Response(json.dumps(rep.as_dict()), media_type="application/json")


@router.get("/api/public/dataset.csv", summary="The anonymized events, released only k-anonymous",
            response_class=Response)
def api_dataset(request: Request, user: Analyst,
                k: Annotated[int, Query(ge=queries.MIN_K, le=100, description="people per quasi-identifier class")] = queries.MIN_K
                ) -> Response:
    released, rep = queries.released_dataset(public_engine(request), k)
    return Response(released.to_csv(index=False), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="anonymized-k{k}.csv"',
                             "X-K-Anonymity": json.dumps(rep.as_dict())})


# ---------------------------------------------------------------- pages

@router.get("/public", response_class=HTMLResponse, summary="Trends: a chart and its table")
def trends_page(request: Request, user: Analyst, cohort: CohortQ, by: ByQ = "year", series: SeriesQ = None,
                threshold: ThresholdQ = privacy.THRESHOLD) -> Response:
    engine = public_engine(request)
    error, t = None, None
    try:
        t = _trend(request, by, series, cohort, threshold)
    except CrosstrackError as e:
        error = str(e)
    params = {"by": by, **({"series": series} if series else {}), **cohort}
    if threshold != privacy.THRESHOLD:
        params["threshold"] = threshold
    return render(request, "public_trends.html", trend=t, title=_title(t) if t else "", error=error,
                  dims=list(views.DIMENSIONS), values=queries.dimension_values(engine), by=by, series=series,
                  filters=cohort, query=urlencode(params), threshold=threshold, table=_grid(t) if t and t.table else None)


def _grid(t: queries.Trend) -> dict:
    """The cells as a grid for the page: rows along the first dimension, a column per series."""
    cells = t.rows()
    if len(t.by) == 1:
        return {"columns": ["n"], "rows": [(c[t.by[0]], [c]) for c in cells]}
    cols = list(t.table.labels[1])
    grid: dict[str, dict] = {}
    for c in cells:
        grid.setdefault(c[t.by[0]], {})[c[t.by[1]]] = c
    return {"columns": cols, "rows": [(r, [grid[r].get(col, {"n": 0, "suppressed": False}) for col in cols])
                                      for r in t.table.labels[0]]}


@router.get("/public/timeline", response_class=HTMLResponse, summary="A pseudonymous person's timeline")
def timeline_page(request: Request, user: Analyst,
                  pseudonym: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    engine = public_engine(request)
    rows, error = [], None
    if pseudonym:
        try:
            rows = queries.timeline_public(engine, pseudonym)
            error = None if rows else "no events under that pseudonym"
        except CrosstrackError as e:
            error = str(e)
    return render(request, "public_timeline.html", pseudonym=pseudonym or "", rows=rows, error=error,
                  examples=queries.sample_pseudonyms(engine, 5))


@router.get("/public/reports", response_class=HTMLResponse, summary="The standard reports")
def reports_page(request: Request, user: Analyst) -> Response:
    return render(request, "public_reports.html", reports=list(queries.REPORTS.values()), k=queries.MIN_K)


@router.get("/public/reports/{name}", response_class=HTMLResponse, summary="A standard report as a page")
def report_page(request: Request, user: Analyst, name: ReportName) -> Response:
    return render(request, "public_report.html", report=queries.report(public_engine(request), name, table_cache(request)))
