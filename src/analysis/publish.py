"""Publish the reports: papermill runs the notebooks, nbconvert turns them into offline HTML.

``python -m analysis reports`` builds every report, ``python -m analysis report
--city gdynia`` one city's benchmark. For each report:

1. its *key* is a hash of everything it depends on (notebook, parameters, processed
   data, library source, HTML template); if the published report was built from
   the same key it is skipped, without starting a kernel;
2. papermill executes the notebook into ``build/<name>.ipynb`` (CSV tables go to
   ``build/<name>-tables/``);
3. nbconvert exports it with code hidden and nothing loaded from the network;
4. CSVs, then the HTML, then the record ``build/<name>.json`` are renamed into
   place atomically. A failing run never replaces a published report.

Runs go in parallel over the available cores; one lock serialises whole builds so
two builds started at once cannot interleave their writes. This module imports
nothing heavy at the top, so a build with nothing to do finishes in about a second.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import html
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import config
from .errors import OutputError, UnknownCityError
from .storage import atomic_write_bytes, atomic_write_text

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SOURCE_NOTE = "Kielce smart-city diagnosis, Smart Factor, v2.0, 12.06.2018"


@dataclass
class ReportJob:
    """One report: which notebook, with which parameters, reading which inputs."""

    name: str
    title: str
    notebook: Path
    parameters: dict
    inputs: list[Path]
    vintage: str = ""

    @property
    def html_path(self) -> Path:
        return config.REPORTS_DIR / f"{self.name}.html"

    @property
    def record_path(self) -> Path:
        return config.BUILD_DIR / f"{self.name}.json"

    @property
    def executed_path(self) -> Path:
        return config.BUILD_DIR / f"{self.name}.ipynb"

    @property
    def tables_dir(self) -> Path:
        return config.BUILD_DIR / f"{self.name}-tables"


@dataclass
class JobResult:
    name: str
    status: str  # "built", "skipped" or "failed"
    seconds: float = 0.0
    message: str = ""
    record: dict = field(default_factory=dict)


# --- what to build -------------------------------------------------------------------


def known_cities(indicators_csv: Path | None = None) -> list[str]:
    """Cities in the processed indicator table, in table order (read without pandas)."""
    path = Path(indicators_csv or config.INDICATORS_CSV)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; run `make data` first")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(dict.fromkeys(row["city"] for row in csv.DictReader(handle)))


def _years(indicators_csv: Path, cities: set[str]) -> list[int]:
    with indicators_csv.open(encoding="utf-8", newline="") as handle:
        return [int(row["year"]) for row in csv.DictReader(handle) if row["city"] in cities and row["year"]]


def benchmark_job(city: str, cities: list[str], extra_parameters: dict | None = None) -> ReportJob:
    from .cities import city_slug, resolve_city

    focal = resolve_city(city, cities)
    years = _years(config.INDICATORS_CSV, set(cities))
    vintage = f"reference years {min(years)}–{max(years)}; {SOURCE_NOTE}" if years else SOURCE_NOTE
    return ReportJob(
        name=f"benchmark-{city_slug(focal)}",
        title=f"ISO 37120 benchmark: {focal}",
        notebook=config.NOTEBOOKS_DIR / "benchmark.ipynb",
        parameters={"focal_city": focal, **(extra_parameters or {})},
        inputs=[config.INDICATORS_CSV, config.INDICATOR_METADATA],
        vintage=vintage,
    )


def dispersion_job(extra_parameters: dict | None = None) -> ReportJob:
    return ReportJob(
        name="score-dispersion",
        title="Maturity scores: dispersion and rater agreement",
        notebook=config.NOTEBOOKS_DIR / "score_dispersion.ipynb",
        parameters=dict(extra_parameters or {}),
        inputs=[config.MATURITY_SCORES_CSV, config.MATURITY_DIMENSIONS, config.MATURITY_AREAS],
        vintage=f"stakeholder survey and expert assessment, spring 2018; {SOURCE_NOTE}",
    )


def all_jobs() -> list[ReportJob]:
    cities = known_cities()
    jobs = [benchmark_job(city, cities) for city in cities]
    if (config.NOTEBOOKS_DIR / "score_dispersion.ipynb").exists():
        jobs.append(dispersion_job())
    return jobs


# --- change detection ----------------------------------------------------------------


def job_key(job: ReportJob) -> str:
    """Hash of everything the report depends on."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"name": job.name, "parameters": job.parameters}, sort_keys=True).encode())
    library = sorted(Path(__file__).resolve().parent.rglob("*"))
    for path in [job.notebook, *job.inputs, *library]:
        if path.is_file() and path.suffix != ".pyc":
            digest.update(str(path.name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_record(job: ReportJob) -> dict | None:
    try:
        return json.loads(job.record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_up_to_date(job: ReportJob, key: str) -> bool:
    record = read_record(job)
    if record is None or record.get("key") != key or not job.html_path.exists():
        return False
    return all((config.REPORT_DATA_DIR / name).exists() for name in record.get("tables", []))


# --- running one report ----------------------------------------------------------------


def export_html(executed_notebook: Path) -> str:
    """The executed notebook as one offline HTML page, code hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed_notebook, as_version=4)
    for cell in notebook.cells:
        # Warnings printed to stderr are for the console, not for the reader.
        cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return body


def _stderr_lines(executed_notebook: Path) -> list[str]:
    import nbformat

    notebook = nbformat.read(executed_notebook, as_version=4)
    lines = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines.append(f"cell {index}: {output.get('text', '').strip()[:300]}")
    return lines


# Each worker process keeps one kernel and runs its notebooks in it, one after the
# other, with the namespace reset in between. Starting a kernel and importing
# pandas, matplotlib and scipy costs a few seconds per report otherwise.
_WORKER_KERNEL = None


def _worker_kernel():
    """This worker's kernel manager, started (or restarted) as needed, with a clean namespace."""
    global _WORKER_KERNEL
    from jupyter_client.manager import KernelManager

    if _WORKER_KERNEL is not None and not _WORKER_KERNEL.is_alive():
        _discard_worker_kernel()
    if _WORKER_KERNEL is None:
        manager = KernelManager(kernel_name="python3")
        log = open(config.BUILD_DIR / f"kernel-{os.getpid()}.log", "ab")
        manager.start_kernel(cwd=str(config.PROJ_ROOT), stdout=log, stderr=log)
        _WORKER_KERNEL = manager
        import multiprocessing.util

        # Shut the kernel down when the worker exits (atexit does not run in pool workers).
        multiprocessing.util.Finalize(None, _discard_worker_kernel, exitpriority=10)
    else:
        client = _WORKER_KERNEL.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive("%reset -f\nimport matplotlib.pyplot\nmatplotlib.pyplot.close('all')", timeout=60)
        finally:
            client.stop_channels()
    return _WORKER_KERNEL


def _discard_worker_kernel() -> None:
    global _WORKER_KERNEL
    if _WORKER_KERNEL is not None:
        try:
            _WORKER_KERNEL.shutdown_kernel(now=True)
        except Exception:
            pass
        _WORKER_KERNEL = None


def _failing_cell(executed: Path, exec_count: int | None) -> str:
    """'cell N (first line)', N counted in the source notebook (papermill's added cells left out)."""
    added_by_papermill = {"injected-parameters", "papermill-error-cell-tag"}
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells
        source_cells = [cell for cell in cells if not added_by_papermill & set(cell.get("metadata", {}).get("tags", []))]
        position = next(i for i, cell in enumerate(source_cells) if cell.get("execution_count") == exec_count)
        first_line = (source_cells[position].source.strip().splitlines() or [""])[0][:80]
        return f"cell {position} ({first_line!r})"
    except Exception:  # the executed copy may be missing or unreadable after a crash
        return f"the cell with execution count {exec_count}"


@contextmanager
def _stderr_to(log_path: Path):
    """Send this process's stderr (and the kernel's, which inherits it) to a log file."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log_path, "w") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_job(job: ReportJob, key: str) -> JobResult:
    """Execute, export and publish one report. Never raises: failures come back as a result."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    config.BUILD_DIR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(job.tables_dir, ignore_errors=True)
    job.tables_dir.mkdir(parents=True)
    scratch = job.executed_path.with_name(f".{job.name}.{os.getpid()}.ipynb")
    log_path = config.BUILD_DIR / f"{job.name}.log"
    try:
        with _stderr_to(log_path):
            papermill.execute_notebook(
                str(job.notebook),
                str(scratch),
                parameters={**job.parameters, "output_dir": str(job.tables_dir)},
                kernel_name="python3",
                progress_bar=False,
                cwd=str(config.PROJ_ROOT),
                km=_worker_kernel(),
                # Save the executed notebook once at the end, not after every cell.
                request_save_on_cell_execute=False,
            )
    except PapermillExecutionError as exc:
        _discard_worker_kernel()
        where = _failing_cell(scratch, exc.exec_count)
        return JobResult(job.name, "failed", time.perf_counter() - start,
                         f"notebook {job.notebook.name} failed at {where}: {exc.ename}: {exc.evalue} (log: {log_path})")
    except Exception as exc:  # kernel died, notebook missing, ...
        _discard_worker_kernel()
        return JobResult(job.name, "failed", time.perf_counter() - start, f"{type(exc).__name__}: {exc} (log: {log_path})")
    try:
        os.replace(scratch, job.executed_path)
        warnings = _stderr_lines(job.executed_path)
        page = export_html(job.executed_path)
        tables = sorted(path.name for path in job.tables_dir.glob("*.csv"))
        for name in tables:
            atomic_write_bytes(config.REPORT_DATA_DIR / name, (job.tables_dir / name).read_bytes())
        atomic_write_text(job.html_path, page)
        record = {
            "name": job.name,
            "title": job.title,
            "parameters": job.parameters,
            "vintage": job.vintage,
            "built_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "key": key,
            "tables": tables,
        }
        atomic_write_text(job.record_path, json.dumps(record, indent=2, sort_keys=True))
    except OutputError as exc:
        return JobResult(job.name, "failed", time.perf_counter() - start, str(exc))
    except Exception as exc:
        return JobResult(job.name, "failed", time.perf_counter() - start, f"export failed: {type(exc).__name__}: {exc}")
    finally:
        scratch.unlink(missing_ok=True)
    message = f"{len(warnings)} warning(s) printed by the notebook: " + " | ".join(warnings) if warnings else ""
    return JobResult(job.name, "built", time.perf_counter() - start, message, record)


# --- the batch -----------------------------------------------------------------------------


@contextmanager
def build_lock():
    """One build at a time: a second build waits for the first to finish."""
    config.BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with open(config.BUILD_DIR / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another build is running; waiting for it to finish", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def check_reports_writable() -> None:
    """Fail early, with a clear message, when reports/ cannot be written."""
    for directory in (config.REPORTS_DIR, config.REPORT_DATA_DIR, config.BUILD_DIR):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from exc
        if not os.access(directory, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write to {directory}: permission denied")


def remove_stale_temporaries() -> None:
    """Delete half-written temporary files a killed build left behind (we hold the lock)."""
    for directory in (config.REPORTS_DIR, config.REPORT_DATA_DIR, config.BUILD_DIR):
        for leftover in directory.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
        for leftover in directory.glob(".*.ipynb"):
            leftover.unlink(missing_ok=True)


def publish(jobs: list[ReportJob], max_workers: int | None = None, out=sys.stdout) -> list[JobResult]:
    """Build ``jobs`` (skipping unchanged ones), then rewrite the index."""
    with build_lock():
        check_reports_writable()
        remove_stale_temporaries()
        total = len(jobs)
        results: list[JobResult] = []
        pending = []
        for job in jobs:
            key = job_key(job)
            if is_up_to_date(job, key):
                results.append(JobResult(job.name, "skipped", record=read_record(job) or {}))
                print(f"[{len(results)}/{total}] {job.name}: up to date, skipped", file=out, flush=True)
            else:
                pending.append((job, key))
        if pending:
            workers = max(1, min(max_workers or os.cpu_count() or 1, len(pending)))
            print(f"building {len(pending)} report(s) on {workers} worker(s): {', '.join(j.name for j, _ in pending)}", file=out, flush=True)
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(run_job, job, key): job for job, key in pending}
                for future in as_completed(futures):
                    result = future.result()
                    results.append(result)
                    line = f"[{len(results)}/{total}] {result.name}: "
                    if result.status == "built":
                        line += f"built in {result.seconds:.1f}s"
                        if result.message:
                            line += f" ({result.message})"
                    else:
                        line += f"FAILED after {result.seconds:.1f}s — {result.message}; the previous report is kept"
                    print(line, file=out, flush=True)
        write_index()
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} of {total} report(s) failed: {', '.join(r.name for r in failed)}", file=out, flush=True)
    return results


def write_index() -> Path:
    """``reports/index.html``: every published report with parameters, data vintage and build time."""
    records = []
    for record_path in sorted(config.BUILD_DIR.glob("*.json")):
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (config.REPORTS_DIR / f"{record.get('name')}.html").exists():
            records.append(record)
    records.sort(key=lambda r: (not r["name"].startswith("benchmark-"), r["name"]))
    rows = []
    for record in records:
        parameters = ", ".join(f"{k} = {v}" for k, v in sorted(record["parameters"].items())) or "defaults"
        tables = " ".join(f'<a href="data/{html.escape(t)}">{html.escape(t)}</a>' for t in record.get("tables", []))
        rows.append(
            "<tr>"
            f'<td><a href="{html.escape(record["name"])}.html">{html.escape(record["title"])}</a></td>'
            f"<td>{html.escape(parameters)}</td><td>{html.escape(record.get('vintage', ''))}</td>"
            f"<td>{html.escape(record.get('built_at', ''))}</td><td>{tables}</td>"
            "</tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kielce Smart City Benchmarks — reports</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }}
 table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
 th, td {{ text-align: left; padding: 6px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }}
 th {{ background: #f4f4f4; }}
 td a {{ margin-right: 0.6em; }}
</style>
</head>
<body>
<h1>Kielce Smart City Benchmarks</h1>
<p>Reports built from the 2018 diagnosis of Kielce on its path to becoming a smart city
(Smart Factor for the City of Kielce, version 2.0, 12 June 2018): ISO 37120 indicators of
Kielce, Eindhoven, Gdynia, Oakville and Porto, and the smart-city maturity scores of an
expert and of the city's stakeholders. Each page works offline.</p>
<table>
<thead><tr><th>Report</th><th>Parameters</th><th>Data vintage</th><th>Built</th><th>Tables (CSV)</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""
    path = config.REPORTS_DIR / "index.html"
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        atomic_write_text(path, page)
    return path


# --- command line ------------------------------------------------------------------------


def _cmd_reports(args) -> int:
    results = publish(all_jobs(), max_workers=args.jobs)
    return 1 if any(r.status == "failed" for r in results) else 0


def parse_parameters(pairs: list[str]) -> dict:
    """``["max_year_gap=5", "peers=[Kielce, Porto]"]`` → {"max_year_gap": 5, "peers": ["Kielce", "Porto"]} (YAML values)."""
    import yaml

    parameters = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ValueError(f"parameter {pair!r} is not of the form name=value")
        parameters[name.strip()] = yaml.safe_load(value)
    return parameters


def _cmd_report(args) -> int:
    try:
        extra = parse_parameters(args.param)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.city:
        jobs = [benchmark_job(args.city, known_cities(), extra)]  # raises UnknownCityError before any kernel starts
    else:
        jobs = [dispersion_job(extra)]
    results = publish(jobs, max_workers=1)
    return 1 if any(r.status == "failed" for r in results) else 0


def add_cli_commands(commands) -> None:
    reports = commands.add_parser("reports", help="publish every report (unchanged ones are skipped)")
    reports.add_argument("--jobs", type=int, default=None, help="parallel notebook runs (default: number of cores)")
    reports.set_defaults(func=_cmd_reports)
    report = commands.add_parser("report", help="publish one report")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--city", help="the focal city of a benchmark report, e.g. gdynia")
    which.add_argument("--dispersion", action="store_true", help="the score-dispersion report")
    report.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                        help="a notebook parameter, e.g. -p max_year_gap=5 (repeatable; values are YAML)")
    report.set_defaults(func=_cmd_report)


__all__ = ["ReportJob", "JobResult", "publish", "all_jobs", "benchmark_job", "dispersion_job", "known_cities", "UnknownCityError"]
