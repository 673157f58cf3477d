"""The `crosstrack` command line. Only this module turns exceptions into exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from digitize.cleanup import CleanupOptions
from digitize.cleanup.context import STEP_NAMES
from digitize.reader import ReadOptions
from models.errors import CrosstrackError, ExitCode
from models.settings import Settings

from .console import err, progress

app = typer.Typer(help="crosstrack: criminal-justice archives to a linked repository of events.", no_args_is_help=True)
samples_app = typer.Typer(help="Generated sample documents with ground truth.", no_args_is_help=True)
eval_app = typer.Typer(help="Accuracy evaluations.", no_args_is_help=True)
bench_app = typer.Typer(help="Speed benchmarks.", no_args_is_help=True)
app.add_typer(samples_app, name="samples")
app.add_typer(eval_app, name="eval")
app.add_typer(bench_app, name="bench")

EngineOpt = Annotated[Optional[str], typer.Option(help="OCR engine: ppocr (default), paddle or tesseract; CROSSTRACK_OCR_ENGINE")]
UrlOpt = Annotated[Optional[str], typer.Option("--database-url", help="the repository (default CROSSTRACK_DATABASE_URL, else a SQLite file in CROSSTRACK_HOME)")]
SkipOpt = Annotated[list[str], typer.Option("--skip", help=f"cleanup step to switch off (repeatable): {', '.join(STEP_NAMES)}, fiche")]


def _fail(e: CrosstrackError) -> None:
    err.print(f"[red]error:[/red] {e}")
    raise typer.Exit(int(e.exit_code))


@app.command()
def digitize(
    files: Annotated[list[str], typer.Argument(help="image or PDF files")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout, one object per page or frame")] = False,
    engine: EngineOpt = None,
    skip: SkipOpt = [],
    dpi: Annotated[int, typer.Option(help="resolution for rendering PDF pages without a text layer")] = 300,
    debug_dir: Annotated[Optional[Path], typer.Option(help="write each cleanup step's image here")] = None,
    workers: Annotated[Optional[int], typer.Option(help="OCR processes (default: one per core; CROSSTRACK_OCR_WORKERS)")] = None,
) -> None:
    """Read files into page text with word boxes and confidences."""
    from digitize.parallel import Rejected, read_files

    settings = Settings.from_env()
    try:
        options = ReadOptions(cleanup=CleanupOptions.without(*skip), dpi=dpi, debug_dir=debug_dir)
    except ValueError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(int(ExitCode.bad_args)) from None
    rejected = 0
    try:
        with progress() as bar:
            task = bar.add_task("digitize", total=len(files))
            for item in read_files(files, settings, engine or settings.ocr_engine, options, workers, lambda _: bar.advance(task)):
                if isinstance(item, Rejected):
                    rejected += 1
                    err.print(f"[yellow]rejected[/yellow] {item.source}: {item.error}")
                if as_json:
                    sys.stdout.write(json.dumps(item.cli_record(), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                elif not isinstance(item, Rejected):
                    where = f" frame r{item.frame.row}c{item.frame.col}" if item.frame else ""
                    typer.echo(f"== {item.source} page {item.page}{where} ({item.engine})\n{item.text}\n")
    except CrosstrackError as e:
        _fail(e)
    raise typer.Exit(int(ExitCode.rejected) if rejected else 0)


ProvOpt = lambda name: typer.Option(help=f"provenance: {name} (a manifest row overrides it)")  # noqa: E731


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest")],
    manifest: Annotated[Optional[Path], typer.Option(help="CSV: path,agency,county,series,reel,fiche,frame,box,folder")] = None,
    batch: Annotated[Optional[str], typer.Option(help="batch id (default: derived from the content)")] = None,
    agency: Annotated[Optional[str], ProvOpt("agency")] = None,
    county: Annotated[Optional[str], ProvOpt("county")] = None,
    series: Annotated[Optional[str], ProvOpt("series")] = None,
    reel: Annotated[Optional[str], ProvOpt("reel")] = None,
    fiche: Annotated[Optional[str], ProvOpt("fiche")] = None,
    box: Annotated[Optional[str], ProvOpt("box")] = None,
    folder: Annotated[Optional[str], ProvOpt("folder")] = None,
) -> None:
    """Check, type by content and store files with their provenance; rejected files are listed with why."""
    from digitize.intake import ingest as run_ingest
    from models.provenance import Provenance

    settings = Settings.from_env()
    prov = Provenance(agency=agency, county=county, series=series, reel=reel, fiche=fiche, box=box, folder=folder)
    try:
        result = run_ingest(paths, settings, prov, manifest, batch)
    except CrosstrackError as e:
        _fail(e)
    for e in result.rejected:
        err.print(f"[yellow]rejected[/yellow] {e.path}: {e.reason}")
    summary = {"batch": result.batch_id, "stored": len(result.stored), "rejected": len(result.rejected),
               "duplicates": sum(e.status == "duplicate" for e in result.entries), "documents": len(result.document_ids),
               "manifest": str(settings.batches_dir / f"{result.batch_id}.json")}
    typer.echo(json.dumps(summary))
    raise typer.Exit(int(ExitCode.rejected) if result.rejected else 0)


@app.command()
def demo(
    samples: Annotated[Path, typer.Option(help="folder of documents with a manifest.csv")] = Path("samples"),
    engine: EngineOpt = None,
    review: Annotated[bool, typer.Option("--review/--no-review", help="start Label Studio with the review tasks")] = True,
) -> None:
    """The main job: the sample batch end to end under Prefect (digitize, extract, route, merge the
    auto-accepted), its review tasks in Label Studio, and how to look at the result."""
    from . import prefect_env
    from .cli_run import ingest_batch, run_with_progress, summary, task_runner
    from .report import print_run

    settings = Settings.from_env()
    prefect_env.configure(settings)
    manifest = samples / "manifest.csv"
    # The manifest lists the good documents with their provenance; bad/ holds files intake must refuse.
    paths = [samples / "bad"] if (samples / "bad").is_dir() else []
    try:
        batch = ingest_batch(settings, paths, manifest if manifest.exists() else None, "demo")
        server = None
        if review:
            from review.ls_server import serve
            with err.status("starting Label Studio (a first start sets up its database: about a minute)"):
                server = serve(settings)
        status = run_with_progress(settings, batch.batch_id, len({e.sha256 for e in batch.stored}),
                                   engine or settings.ocr_engine, review, task_runner(False, None, None))
        feeds = _demo_feeds(settings, samples / "feeds")
    except CrosstrackError as e:
        _fail(e)
    result = summary(status)
    if feeds:
        result["feeds"] = feeds
    print_run(result, settings)
    if server is not None:
        err.print(f"Label Studio: [bold]{server.url}[/bold], log in as {server.user} with the password {server.password}; "
                  "`crosstrack review stop` stops it")
    typer.echo(json.dumps(result))


def _demo_feeds(settings: Settings, root: Path) -> dict | None:
    """The sample agency extracts (one per feed, bad rows and all) into the same repository."""
    from extract.feeds.mapping import load_mapping
    from models.db import engine_for

    from .cli_repo import ensure_repository
    from .feed_import import COUNTS, import_file

    if not root.is_dir():
        return None
    engine = engine_for(settings)
    ensure_repository(engine)
    total = dict.fromkeys(("files", *COUNTS), 0)
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for f in sorted(folder.iterdir()):
            if f.name != "expected.csv":  # the samples' answer key, not an extract
                # workers=1: Prefect's threads are still about after the batch; no fork beside them
                res = import_file(engine, load_mapping(folder.name), f, report_dir=settings.home / "feeds" / "reports",
                                  workers=1)
                total["files"] += 1
                for k in COUNTS:
                    total[k] += getattr(res, k)
    engine.dispose()
    return total


@samples_app.command("generate")
def samples_generate(
    out: Annotated[Path, typer.Option(help="output folder (truth.jsonl goes there)")],
    count: Annotated[int, typer.Option(help="number of files")] = 20,
    seed: int = 0,
    split: Annotated[str, typer.Option(help="tune, heldout or all")] = "all",
    kinds: Annotated[str, typer.Option(help="comma-separated: frame,scan,sheet,pdf_text,pdf_scanned,pdf_mixed")] = "frame,scan,sheet,pdf_text,pdf_scanned,pdf_mixed",
    bad: Annotated[bool, typer.Option(help="also write bad files for intake tests")] = False,
) -> None:
    """Generate documents of Massachusetts record layouts with ground truth."""
    from digitize.samplegen import generate_dataset

    with progress() as bar:
        task = bar.add_task("generate", total=count)
        truth = generate_dataset(out, count=count, seed=seed, split=split, kinds=tuple(kinds.split(",")),
                                 include_bad=bad, progress=lambda i, n: bar.update(task, completed=i))
    typer.echo(str(truth))


@samples_app.command("write-set")
def samples_write_set(out: Path = Path("samples")) -> None:
    """Write the small committed sample set (every kind, layout and degradation, bad files)."""
    from digitize.samplegen import write_sample_set

    write_sample_set(out)
    typer.echo(str(out))


@eval_app.command("ocr")
def eval_ocr(
    engines: Annotated[str, typer.Option(help="comma-separated engines")] = "ppocr,tesseract",
    count: Annotated[int, typer.Option(help="held-out documents to generate and read")] = 40,
    seed: int = 1000,
    ablation: Annotated[int, typer.Option(help="documents for the cleanup-step ablation (0: skip)")] = 12,
    sheets: Annotated[int, typer.Option(help="generated fiche sheets to split and check (0: skip)")] = 30,
    split: Annotated[str, typer.Option(help="heldout (layouts and fonts never tuned on), tune or all")] = "heldout",
    data: Annotated[Optional[Path], typer.Option(help="dataset folder (default: generated under the data directory)")] = None,
    out: Annotated[Optional[Path], typer.Option(help="report folder")] = None,
) -> None:
    """CER and WER per engine, layout, font and degradation, on held-out generated documents and real scans."""
    from .ocr_eval import run_ocr_eval
    from .report import print_ocr_eval

    settings = Settings.from_env()
    data = data or settings.home / "eval" / f"ocr-{split}-{seed}-{count}"
    out = out or settings.results_dir / "eval-ocr"
    try:
        with progress() as bar:
            report = run_ocr_eval(out, data, engines.split(","), count, seed, ablation, settings, bar, sheets, split)
    except CrosstrackError as e:
        _fail(e)
    print_ocr_eval(report)
    typer.echo(f"report: {out / 'ocr_eval.json'}; charts: {', '.join(report['charts'])}")


@bench_app.command("ocr")
def bench_ocr(
    engines: Annotated[str, typer.Option(help="comma-separated engines")] = "ppocr,tesseract",
    frames: Annotated[int, typer.Option(help="frames in the batch")] = 50,
    seed: int = 2000,
    out: Annotated[Optional[Path], typer.Option(help="report folder")] = None,
) -> None:
    """Frames per second (model loading included) and peak memory per engine, in one run."""
    from .ocr_bench import run_ocr_bench
    from .report import print_ocr_bench

    settings = Settings.from_env()
    out = out or settings.results_dir / "bench-ocr"
    with progress() as bar:
        report = run_ocr_bench(out, settings.home / "bench" / f"frames-{seed}-{frames}", engines.split(","), frames, seed, bar)
    print_ocr_bench(report)
    typer.echo(json.dumps(report))



train_app = typer.Typer(help="Train the project's models.", no_args_is_help=True)
app.add_typer(train_app, name="train")


def _read_pages(path: Path):
    """`crosstrack digitize --json` output: page objects, and the error objects of rejected files."""
    from digitize.parallel import Rejected
    from models.page import PageText

    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                yield Rejected(obj["source"], obj["error"]) if "error" in obj else PageText.model_validate(obj)
            except (ValueError, KeyError) as e:
                yield Rejected(f"{path}:{n}", f"not a page object of `crosstrack digitize --json`: {e}")


@app.command()
def extract(
    files: Annotated[Optional[list[str]], typer.Argument(help="image or PDF files (digitized first)")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines on stdout, one object per record")] = False,
    from_pages: Annotated[Optional[Path], typer.Option(help="read page text from this `crosstrack digitize --json` output instead")] = None,
    engine: EngineOpt = None,
    workers: Annotated[Optional[int], typer.Option(help="OCR processes")] = None,
) -> None:
    """Find records in documents: fields and charges, normalized, each with its text, box and confidence."""
    from digitize.parallel import Rejected, read_files
    from extract.pipeline import Extractor

    settings = Settings.from_env()
    if not files and from_pages is None:
        err.print("[red]error:[/red] give files, or --from-pages with the output of `crosstrack digitize --json`")
        raise typer.Exit(int(ExitCode.bad_args))
    rejected = 0
    try:
        extractor = Extractor.load()
        with progress() as bar:
            task = bar.add_task("extract", total=len(files or []) or None)
            items = _read_pages(from_pages) if from_pages else read_files(files, settings, engine or settings.ocr_engine, ReadOptions(), workers, lambda _: bar.advance(task))
            for item in items:
                if isinstance(item, Rejected):
                    rejected += 1
                    err.print(f"[yellow]rejected[/yellow] {item.source}: {item.error}")
                    records = [item.cli_record()]
                else:
                    records = [r.cli_record() for r in extractor.extract_pages([item])]
                for rec in records:
                    if jsonl:
                        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    else:
                        typer.echo(json.dumps(rec, ensure_ascii=False, indent=1))
                sys.stdout.flush()
    except CrosstrackError as e:
        _fail(e)
    raise typer.Exit(int(ExitCode.rejected) if rejected else 0)


@app.command("normalize-charges")
def normalize_charges(
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines out (the default and only format)")] = True,
    year: Annotated[Optional[int], typer.Option(help="the records' year, to prefer offences in force then")] = None,
) -> None:
    """Read one charge text per line on stdin; write its statute, offence code, description, category and level."""
    from extract.charges import normalize_charge
    from extract.offences import load_offence_table

    table = load_offence_table()
    for line in sys.stdin:
        text = line.rstrip("\n")
        if text.strip():
            sys.stdout.write(json.dumps(normalize_charge(text, table, year).cli_record(), ensure_ascii=False) + "\n")


@train_app.command("ner")
def train_ner(
    out: Annotated[Optional[Path], typer.Option(help="model folder (default: the one the extractor loads)")] = None,
    n_train: Annotated[int, typer.Option(help="generated training documents")] = 3000,
    n_dev: Annotated[int, typer.Option(help="generated dev documents (early stopping, calibration)")] = 400,
    max_steps: Annotated[int, typer.Option(help="training steps")] = 3000,
    seed: int = 0,
    with_corrections: Annotated[bool, typer.Option("--with-corrections", help="also train on the reviewers' corrections (<home>/review/corrections.jsonl), a keyed fifth of them held out to score before and after")] = False,
) -> None:
    """Train the NER from spacy.blank("en") on the generated corpus, then fit the confidence model."""
    from extract.nlp.train import TrainOptions, train_ner as run_train
    from extract.pipeline import model_dir

    target = out or model_dir()
    corrections = Settings.from_env().home / "review" / "corrections.jsonl" if with_corrections else None
    if corrections is not None and not corrections.exists():
        err.print(f"[red]error:[/red] no corrections at {corrections}: `crosstrack review pull` writes them")
        raise typer.Exit(int(ExitCode.bad_args))
    result = run_train(target, TrainOptions(n_train=n_train, n_dev=n_dev, seed=seed, max_steps=max_steps,
                                            corrections=corrections), log=err.print)
    typer.echo(json.dumps({"model": str(target), **result}))


@train_app.command("calibrate")
def train_calibrate(
    n_dev: Annotated[int, typer.Option(help="generated dev documents")] = 600,
    seed: int = 1,
) -> None:
    """Refit the confidence model for the current NER model (after changing rules or normalizers)."""
    from extract.corpus import generate
    from extract.nlp.train import calibrate
    from extract.pipeline import model_dir

    result = calibrate(model_dir(), generate(n_dev, "dev", seed=seed, noise=0.35), log=err.print)
    typer.echo(json.dumps(result))


@eval_app.command("extract")
def eval_extract(
    count: Annotated[int, typer.Option(help="generated documents")] = 600,
    seed: int = 4242,
    split: Annotated[str, typer.Option(help="heldout (layout families never trained on) or dev")] = "heldout",
    modes: Annotated[str, typer.Option(help="comma-separated: both, rules, ner")] = "both,rules,ner",
    noise: Annotated[float, typer.Option(help="share of documents with OCR noise")] = 0.3,
    images: Annotated[int, typer.Option(help="also OCR this many generated frames and scans and score end to end (0: skip)")] = 0,
    engine: EngineOpt = None,
    out: Annotated[Optional[Path], typer.Option(help="report folder")] = None,
) -> None:
    """Field precision, recall and F1 per field and layout; calibration of confidences."""
    from .extract_eval import run_extract_eval
    from .report import print_extract_eval

    settings = Settings.from_env()
    out = out or settings.results_dir / "eval-extract"
    try:
        with progress() as bar:
            report = run_extract_eval(out, count, seed, split, modes.split(","), noise, bar,
                                      settings.home / "review" / "corrections.jsonl")
            if images:
                from .extract_image_eval import run_image_eval
                image_split = "heldout" if split == "heldout" else "tune"
                report["images"] = run_image_eval(out, images, seed, image_split, engine or settings.ocr_engine, settings, bar)
    except CrosstrackError as e:
        _fail(e)
    print_extract_eval(report)
    if images:
        typer.echo(json.dumps({"images_ocr": report["images"]["ocr"]["overall"], "images_text": report["images"]["text"]["overall"]}))
    typer.echo(f"report: {out / 'extract_eval.json'}; charts: {', '.join(report['charts'])}")


@eval_app.command("statutes")
def eval_statutes() -> None:
    """Citation parsing and offence-table lookup on the real offence table's own citation texts."""
    from .report import out as console
    from .statute_eval import print_statute_report, run_statute_eval

    report = run_statute_eval()
    print_statute_report(report, console)
    typer.echo(json.dumps({k: v for k, v in report.items() if k not in {"rows", "failures"}}))


@bench_app.command("extract")
def bench_extract(
    count: Annotated[int, typer.Option(help="generated documents")] = 400,
    seed: int = 77,
    modes: Annotated[str, typer.Option(help="comma-separated: both, rules, ner")] = "both,rules",
) -> None:
    """Records per second after OCR (one process)."""
    from .extract_bench import run_extract_bench

    try:
        report = run_extract_bench(count, seed, modes.split(","))
    except CrosstrackError as e:
        _fail(e)
    typer.echo(json.dumps(report))


# The repository's commands live beside this module; importing them registers them on `app`.
from . import cli_feed, cli_link, cli_portal, cli_repo, cli_review, cli_routing, cli_run, cli_synth, cli_views  # noqa: E402,F401
