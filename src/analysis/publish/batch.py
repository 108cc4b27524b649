"""The batch: which pages are out of date, building them in parallel under one lock,
publishing each report as a whole, removing what no longer exists, writing the index.

Change detection lives here and only here (the Makefile has no file lists). A
report has two keys: the *execution key* hashes what its numbers depend on
(notebook, parameters, input files, library), the *page key* adds what its page
looks like (templates, the site's navigation, this package). A report whose page
key is unchanged is skipped without a kernel; one whose execution key is
unchanged but whose navigation changed (a city added elsewhere) is re-exported
from its executed notebooks, still without a kernel.

A report is published as a whole: its CSVs and both editions' pages are first
written to temporary files next to their targets, then renamed into place with
signals held back, then its record is written. A failure before the renames
leaves the previous version; the record, written last, makes the next build
redo anything a crash interrupted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from analysis import config
from analysis.data.storage import (
    atomic_write_text,
    commit_staged,
    discard_staged,
    process_lock,
    read_regular_bytes,
    remove_temporaries,
    sha256_file,
    stage_bytes,
)
from analysis.errors import OutputError, ParameterError
from analysis.publish.manifest import Job, Manifest

PACKAGE = Path(__file__).resolve().parent
LIBRARY = PACKAGE.parent


@dataclass
class JobResult:
    id: str
    status: str  # "built", "exported", "skipped" or "failed"
    seconds: float = 0.0
    message: str = ""
    record: dict = field(default_factory=dict)


# --- keys ------------------------------------------------------------------------------------------


def _hash_files(digest, files) -> None:
    for path in files:
        path = Path(path)
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")


def execution_key(job: Job, paths: config.Paths, languages: list[str]) -> str:
    """Hash of everything the report's numbers and prose depend on."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"id": job.id, "parameters": job.parameters, "languages": languages}, sort_keys=True).encode())
    # Every source the prose comes from too: the .j2 templates (a template-only change left pages stale).
    library = sorted(LIBRARY.rglob("*.py")) + sorted(LIBRARY.rglob("*.po")) + sorted(LIBRARY.rglob("*.j2"))
    _hash_files(digest, [paths.root / job.report.notebook, *(paths.root / p for p in job.report.inputs), *library])
    return digest.hexdigest()


def page_key(job: Job, execution: str, nav: list, manifest: Manifest) -> str:
    """Hash of the execution key and of everything around the notebook's content on the page."""
    digest = hashlib.sha256(execution.encode())
    digest.update(json.dumps([[entry.id, entry.city] for entry in nav]).encode())
    digest.update(manifest.model_dump_json().encode())
    _hash_files(digest, sorted((LIBRARY / "templates").rglob("*")) + sorted(PACKAGE.glob("*.py")))
    return digest.hexdigest()


def read_record(path: Path) -> dict | None:
    try:
        record = json.loads(read_regular_bytes(path).decode("utf-8"))  # a named pipe is not waited on
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _output_name(path: Path, paths: config.Paths) -> str:
    """How a published file is named in its record: relative to ``reports/`` (``en/benchmark-kielce.html``)."""
    return Path(path).relative_to(paths.reports).as_posix()


def _intact(path: Path, expected: str | None) -> bool:
    """True when ``path`` is a regular file with the SHA-256 its record holds."""
    if expected is None:
        return False
    try:
        return sha256_file(path) == expected
    except OSError:  # missing, a directory, a named pipe (never waited on)
        return False


def _tables_intact(job: Job, record: dict, paths: config.Paths) -> bool:
    hashes = record.get("outputs")
    if not isinstance(hashes, dict):
        return False
    return all(_intact(job.csv_dir(paths) / name, hashes.get(_output_name(job.csv_dir(paths) / name, paths))) for name in record.get("tables", []))


def _published(job: Job, record: dict | None, paths: config.Paths, languages: list[str]) -> bool:
    """Every page and CSV of the report, and every other file its record lists (workbooks, PDF profiles),
    holds the bytes its record says it was published with.

    Checked by content, not presence: a truncated page, a damaged CSV or a named pipe in
    place of either makes the report out of date, and the next build publishes it again.
    """
    if record is None or not isinstance(record.get("outputs"), dict):
        return False
    hashes = record["outputs"]
    pages = all(_intact(job.page(paths, lang), hashes.get(_output_name(job.page(paths, lang), paths))) for lang in languages)
    profiles = not job.report.pdf or all(
        _intact(job.profile(paths, lang), hashes.get(_output_name(job.profile(paths, lang), paths))) for lang in languages
    )
    others = all(_intact(paths.reports / name, expected) for name, expected in hashes.items() if _own_name(name) and isinstance(expected, str))
    return pages and profiles and others and _tables_intact(job, record, paths)


def _own_name(name) -> bool:
    """A name a record may hold for one of its outputs: relative, under reports/ (``pl/benchmark-kielce.pdf``)."""
    return isinstance(name, str) and not Path(name).is_absolute() and ".." not in Path(name).parts


# --- one report (runs in a worker) ----------------------------------------------------------------


def build_time() -> str:
    """The build's moment, UTC to the second: ``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds
    convention: a rebuild of the same inputs then gives the same bytes, the printed profiles' footers included),
    else now. :class:`ParameterError` in one line when it is not a whole number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc).isoformat()
    except (ValueError, OverflowError, OSError):
        raise ParameterError(f"SOURCE_DATE_EPOCH={epoch[:40]!r}: expected whole seconds since 1970-01-01 UTC, e.g. 1764547200") from None


def reusable(job: Job, execution: str, record: dict | None, paths: config.Paths, languages: list[str]) -> bool:
    """True when the report's numbers need no kernel: same execution key, and its CSVs and executed notebooks
    hold what its record says (the pages are exported again in any case)."""
    return (
        record is not None
        and record.get("execution_key") == execution
        and _tables_intact(job, record, paths)
        and all(_intact(job.executed_path(paths, lang), (record.get("executed") or {}).get(lang)) for lang in languages)
    )


def edition_log(job: Job, lang: str, paths: config.Paths) -> Path:
    """Where one edition's run writes its stderr (the kernel's included): one file per edition, as the two
    editions of a report may run at the same time in two workers."""
    return paths.build / "logs" / f"{job.id}.{lang}.log"


def execute_edition(job: Job, lang: str, first: bool, root: str) -> tuple[bool, float, str]:
    """Run one edition's notebook into ``build/executed`` (runs in a worker). Never raises.

    The first edition also writes the report's CSVs (they do not depend on the language) into
    ``build/tables/<id>``, from an empty folder. Returns (succeeded, seconds, message).
    """
    from analysis.publish import runner

    paths = config.paths(root)
    start = time.perf_counter()
    log_path = edition_log(job, lang, paths)
    tables_dir = paths.build / "tables" / job.id
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        if first:
            shutil.rmtree(tables_dir, ignore_errors=True)
            tables_dir.mkdir(parents=True)
        parameters = {**job.parameters, "lang": lang, "output_dir": str(tables_dir) if first else None}
        runner.execute(paths.root / job.report.notebook, job.executed_path(paths, lang), parameters, root=paths.root, log_path=log_path)
    except runner.NotebookFailed as exc:
        return False, time.perf_counter() - start, str(exc)
    except Exception as exc:
        return False, time.perf_counter() - start, f"{type(exc).__name__}: {exc} (log: {log_path})"
    return True, time.perf_counter() - start, ""


def build_report(job: Job, keys: tuple[str, str], nav: list, site_facts: dict, languages: list[str], root: str, executed: bool = False) -> JobResult:
    """Execute (unless only the page changed, or ``executed``: its editions have just run, see
    :func:`execute_edition`), export both editions, publish as a whole. Never raises."""
    from analysis.publish import runner, site
    from analysis.text.i18n import Lang

    paths = config.paths(root)
    start = time.perf_counter()
    execution, page = keys
    record_path = job.record_path(paths)
    old = read_record(record_path)
    log_path = edition_log(job, languages[0], paths)
    tables_dir = paths.build / "tables" / job.id
    reuse = not executed and reusable(job, execution, old, paths, languages)
    staged: list[tuple[Path, Path]] = []
    hashes: dict[str, str] = {}  # what each published file holds, by its name under reports/ (the record keeps them)
    try:
        if reuse:
            tables = list(old.get("tables", []))
            for name in tables:
                key = _output_name(job.csv_dir(paths) / name, paths)
                hashes[key] = old["outputs"][key]
        else:
            if not executed:
                for position, lang in enumerate(languages):
                    ran, _, message = execute_edition(job, lang, position == 0, str(paths.root))
                    if not ran:
                        return JobResult(job.id, "failed", time.perf_counter() - start, message)
            tables = sorted(path.name for path in tables_dir.glob("*.csv"))
        built_at = build_time()
        warnings = []
        notes = []
        if not reuse:
            for name in tables:
                data = (tables_dir / name).read_bytes()
                staged.append((stage_bytes(job.csv_dir(paths) / name, data), job.csv_dir(paths) / name))
                hashes[_output_name(job.csv_dir(paths) / name, paths)] = hashlib.sha256(data).hexdigest()
        workbook = job.report.workbook and bool(tables)
        if workbook:
            from analysis.publish.workbook import workbook_bytes

            sources = tables_dir if not reuse else job.csv_dir(paths)
            csv_bytes = {name: (sources / name).read_bytes() for name in tables}
        if job.report.pdf:
            from analysis.publish import pdf

            printer = pdf.worker_printer()  # one Chromium per worker, launched on first use, for both editions
        for lang in languages:
            tr = Lang(lang)
            title = site.page_title(job, tr)
            header = site.header_html(job.id, lang, nav, tr, downloads=bool(tables))
            footer = site.footer_html(
                job,
                tables,
                tr,
                built_at,
                site_facts,
                workbook=job.workbook(paths, lang).name if workbook else None,
                profile=job.profile(paths, lang).name if job.report.pdf else None,
            )
            if workbook:
                about = [
                    (tr("Report"), title),
                    (tr("Page"), f"{job.id}.html"),
                    (tr("Built"), site.format_built(built_at, tr)),
                    *((item["label"], item["text"]) for item in site.publication(site_facts, tr)),
                    # Every parameter the page was computed with (a parameter sweep: a peers=Gdynia workbook could not be
                    # told from the default one).
                    *((tr("Parameter: {label}", label=item["label"]), item["value"]) for item in site.describe_parameters(job, tr, every=True)),
                    (tr("Tables"), tr("One sheet per table of the page; the CSV files next to the page are the machine-readable version.")),
                ]
                # The tables are named after the page (benchmark-kielce-themes.csv), a variant's too: its sheets are named
                # from job.name, not job.id (a parameter sweep: a variant's Polish workbook had sheets named after the
                # English CSV files, cut at 31 characters).
                data = workbook_bytes(job.name, csv_bytes, tr, about=about, built_iso=built_at)
                staged.append((stage_bytes(job.workbook(paths, lang), data), job.workbook(paths, lang)))
                hashes[_output_name(job.workbook(paths, lang), paths)] = hashlib.sha256(data).hexdigest()
            html_text, printed = runner.export_page(
                job.executed_path(paths, lang),
                lang=lang,
                title=title,
                header_html=header,
                footer_html=footer,
                byline_html=site.byline_html(site_facts, built_at, tr),
                built_iso=built_at,
                toc=lambda p, tr=tr: site.toc_html(p, tr),
            )
            warnings += printed
            if job.report.pdf:
                # Printed from the page about to be published; staged with it, so both or neither are replaced. The
                # published reports keep to two pages (a build refuses a longer one); a variant's other parameters can
                # list more, and its build says so instead of failing (a parameter sweep: peers=[Gdynia, Porto] stopped
                # with "3 pages, more than 2", a valid command).
                data = printer.print_profile(
                    html_text,
                    name=f"{job.id} ({lang})",
                    built_iso=built_at,
                    footer=f"{title} · {site.format_built(built_at, tr)}",
                    page_word=tr("Page"),
                    max_pages=None if job.variant else pdf.MAX_PAGES,
                )
                pages = pdf.count_pages(data) if job.variant else 0
                if pages > pdf.MAX_PAGES:
                    notes.append(f"{job.id} ({lang}): the printed profile has {pages} pages (the published reports keep to {pdf.MAX_PAGES})")
                staged.append((stage_bytes(job.profile(paths, lang), data), job.profile(paths, lang)))
                hashes[_output_name(job.profile(paths, lang), paths)] = hashlib.sha256(data).hexdigest()
            data = html_text.encode("utf-8")
            staged.append((stage_bytes(job.page(paths, lang), data), job.page(paths, lang)))
            hashes[_output_name(job.page(paths, lang), paths)] = hashlib.sha256(data).hexdigest()
        commit_staged(staged)
        staged = []
        record = {
            "id": job.id,
            "name": job.name,
            "report": job.report.name,
            "variant": job.variant,
            "city": job.city,
            "parameters": job.parameters,
            "given": job.given,
            "vintage_years": list(job.vintage_years) if job.vintage_years else None,
            "built_at": built_at,
            "execution_key": execution,
            "page_key": page,
            "tables": tables,
            "languages": languages,
            "outputs": hashes,
            # What each executed notebook holds: a damaged one (truncated by a crash, edited) is run again, not
            # exported (a third sweep: a truncated build/executed notebook blocked the report until deleted).
            "executed": {lang: sha256_file(job.executed_path(paths, lang)) for lang in languages},
        }
        atomic_write_text(record_path, json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False))
        for name in set((old or {}).get("tables", [])) - set(tables):
            (job.csv_dir(paths) / name).unlink(missing_ok=True)
    except runner.NotebookFailed as exc:
        return JobResult(job.id, "failed", time.perf_counter() - start, str(exc))
    except OutputError as exc:
        return JobResult(job.id, "failed", time.perf_counter() - start, str(exc))
    except Exception as exc:
        return JobResult(job.id, "failed", time.perf_counter() - start, f"{type(exc).__name__}: {exc} (log: {log_path})")
    finally:
        discard_staged(staged)
    message = "; ".join([*notes, *([f"{len(warnings)} warning(s) printed by the notebook: " + " | ".join(warnings)] if warnings else [])])
    return JobResult(job.id, "exported" if reuse else "built", time.perf_counter() - start, message, record)


# --- the batch ---------------------------------------------------------------------------------------


def preload_for_workers() -> None:
    """Import the notebook machinery once, in the parent, so that every forked worker inherits it.

    Importing papermill imports nbformat, which imports jsonschema, whose format checkers
    compile some forty grammars (rfc3987-syntax, via lark): about 1.5 s alone, but about 10 s
    in each of two workers doing it at once (each also competing with its kernel's start for the
    cores, and with garbage collections over the heap it inherited). Freezing that heap
    (``gc.freeze``) keeps the workers' collections off it.
    """
    import gc

    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    gc.freeze()


STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
# After Ctrl-C or SIGTERM, how long the workers get to stop their kernels before they are killed.
STOP_GRACE_SECONDS = 2.0
PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGTERM, parent: int | None = None) -> None:
    """Have the kernel send ``signum`` to this process when its parent dies (Linux ``prctl``; a no-op elsewhere).

    A ``kill -9`` of the build gives it no chance to stop its workers; without this they ran on,
    with their kernels. If the parent is already gone (it died before this call), exit now.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(128 + int(signum))


def _worker_started(parent: int | None = None) -> None:
    """In each worker: stop with the batch, and leave Ctrl-C to the batch.

    SIGTERM or SIGHUP (the batch stopping it, or its parent dying: ``PR_SET_PDEATHSIG``) kills
    the worker's kernel and ends the worker at once. SIGINT is ignored: Ctrl-C reaches the
    whole process group, and the batch alone decides (before, each worker printed its own
    traceback and shut its kernel down politely, 20-34 s in all). The batch forks the workers
    with these signals blocked (:func:`publish`), so none arrives before the handlers are set.
    """

    def stop(signum, frame):
        from analysis.publish.runner import kill_worker_kernel

        kill_worker_kernel()
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    die_with_parent(signal.SIGTERM, parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def stop_workers(pool: ProcessPoolExecutor, grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM every worker (each kills its kernel), SIGKILL those still alive after ``grace`` seconds."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # A second Ctrl-C while stopping must not leave the workers half-stopped (the first one is being handled).
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOP_SIGNALS}
    try:
        _stop(processes, grace)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    pool.shutdown(wait=False, cancel_futures=True)


def _stop(processes, grace: float) -> None:
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError):
            pass
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()  # its kernel dies with it (PR_SET_PDEATHSIG, see runner.start_kernel)
            process.join(timeout=1)


@contextmanager
def build_lock(paths: config.Paths, out=sys.stdout):
    """One build at a time: a second build waits for the first to finish.

    ``build/.lock`` is a POSIX record lock (see :func:`analysis.data.storage.process_lock`):
    it is this process's alone, so the workers it forks do not hold it (with ``flock`` they
    inherited it and kept it after a ``kill -9`` of the build), and it is released when the
    build dies, however it dies.
    """
    with process_lock(paths.build / ".lock", "another build", out=out):
        yield


def check_variant_name(job: Job, paths: config.Paths) -> None:
    """Refuse a variant name already published for another report (it would silently replace that variant).

    Rebuilding a variant of the same report (the same command again, or other parameters) is allowed.
    """
    if not job.variant:
        return
    record = read_record(job.record_path(paths))
    if record is not None and record.get("name") not in (None, job.name):
        raise ParameterError(
            f"variant name {job.variant} is already used by a variant of {record['name']}; choose another name with --as (AS=), "
            f"or rerun that variant's own command to rebuild it"
        )


def check_writable(paths: config.Paths, languages: list[str]) -> None:
    """Fail early, with a clear message, when reports/ cannot be written."""
    for directory in (paths.reports, paths.report_data, paths.build, *(paths.reports / lang for lang in languages)):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from exc
        if not os.access(directory, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write to {directory}: permission denied")


def remove_stale_temporaries(paths: config.Paths) -> None:
    """Delete temporary files a killed build left behind (we hold the lock)."""
    remove_temporaries(paths.reports, paths.build)


def prune(jobs: list[Job], paths: config.Paths, languages: list[str], out) -> list[str]:
    """Remove the pages, CSVs, executed notebooks and records of default reports that no longer exist.

    A city's report is removed only when the city is gone from ``data/raw/`` (its file
    deleted), never because the processed data no longer list it: a damaged processed
    table must not delete the site. A report of no city goes when reports.yml drops it.
    """
    from analysis.data.build import raw_city_slugs
    from analysis.data.cities import city_slug

    current = {job.id for job in jobs if not job.variant}
    in_raw = raw_city_slugs(paths)
    removed = []
    records = paths.build / "records"
    for record_path in sorted(records.glob("*.json")) if records.is_dir() else []:
        record = read_record(record_path)
        page_id = record_path.stem
        if page_id in current:
            continue
        if record is None:
            continue  # unreadable: its report is rebuilt if still wanted, and the record rewritten
        if record.get("city") and city_slug(record["city"]) in in_raw:
            print(f"{page_id}: kept, its city is still in data/raw/ although the processed data do not list it", file=out, flush=True)
            continue
        for lang in (*languages, *record.get("languages", [])):
            (paths.reports / lang / f"{page_id}.html").unlink(missing_ok=True)
            (paths.reports / lang / f"{page_id}.xlsx").unlink(missing_ok=True)
            (paths.reports / lang / f"{page_id}.pdf").unlink(missing_ok=True)
            (paths.build / "executed" / f"{page_id}.{lang}.ipynb").unlink(missing_ok=True)
        for name in record.get("tables", []):
            (paths.report_data / name).unlink(missing_ok=True)
        record_path.unlink(missing_ok=True)
        removed.append(page_id)
        print(f"{page_id}: no longer in the data, removed with its tables", file=out, flush=True)
    # Pages of the single-language layout before the two editions (reports/*.html, build/*.json).
    for legacy in paths.reports.glob("*.html"):
        if legacy.name != "index.html":
            legacy.unlink()
    for legacy in paths.build.glob("*.json"):
        legacy.unlink()
    return removed


def publish(
    jobs: list[Job],
    nav_jobs: list[Job],
    manifest: Manifest,
    *,
    paths: config.Paths | None = None,
    max_workers: int | None = None,
    remove_stale: bool = False,
    out=sys.stdout,
) -> list[JobResult]:
    """Build ``jobs`` in every edition (skipping unchanged ones), then rewrite the index pages.

    ``nav_jobs`` are the default pages the navigation lists. With ``remove_stale``
    (a full build), default reports not among ``jobs`` are removed.
    """
    from analysis.publish.site import nav_entries

    paths = paths or config.paths()
    languages = list(manifest.languages)
    nav = nav_entries(nav_jobs)
    build_time()  # a bad SOURCE_DATE_EPOCH stops here, in one line, before any kernel starts
    with build_lock(paths, out):
        for job in jobs:
            check_variant_name(job, paths)  # again under the lock: another build may have taken the name meanwhile
        check_writable(paths, languages)
        remove_stale_temporaries(paths)
        if remove_stale:
            prune(nav_jobs, paths, languages, out)
        total = len(jobs)
        results: list[JobResult] = []
        pending = []
        for job in jobs:
            execution = execution_key(job, paths, languages)
            keys = (execution, page_key(job, execution, nav, manifest))
            record = read_record(job.record_path(paths))
            if record is not None and record.get("page_key") == keys[1] and _published(job, record, paths, languages):
                results.append(JobResult(job.id, "skipped", record=record))
                print(f"[{len(results)}/{total}] {job.id}: up to date, skipped", file=out, flush=True)
            else:
                pending.append((job, keys))
        if pending:
            if any(job.report.pdf for job, _ in pending):
                from analysis.publish.pdf import check_printer

                check_printer()  # no Chromium or no playwright: one line saying what to install, before any kernel starts
            workers = worker_count(max_workers, len(pending), len(languages))
            print(
                f"building {len(pending)} report(s) in {len(languages)} languages on {workers} worker(s): {', '.join(job.id for job, _ in pending)}",
                file=out,
                flush=True,
            )
            preload_for_workers()
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started, initargs=(os.getpid(),))
            try:
                for result in _run_pending(pool, pending, nav, manifest.site_facts(), languages, paths):
                    results.append(result)
                    line = f"[{len(results)}/{total}] {result.id}: "
                    if result.status in ("built", "exported"):
                        line += f"{'built' if result.status == 'built' else 'pages rebuilt (no change in its data)'} in {result.seconds:.1f}s"
                        if result.message:
                            line += f" ({result.message})"
                    else:
                        line += f"FAILED after {result.seconds:.1f}s — {result.message}; the previous report is kept"
                    print(line, file=out, flush=True)
            except BaseException:
                # Ctrl-C or SIGTERM: stop the workers within seconds; a report whose renames had begun
                # finishes them first (signals held back), so published files are old or new, never partial.
                stop_workers(pool)
                raise
            pool.shutdown(wait=True)
        write_indexes(manifest, nav_jobs, paths)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} of {total} report(s) failed: {', '.join(r.id for r in failed)}", file=out, flush=True)
    return results


def worker_count(max_workers: int | None, reports: int, languages: int) -> int:
    """How many workers a build starts: one per core (or ``max_workers``), no more than there are editions to run
    (one task each, see :func:`_run_pending`): a single report's two editions get two workers."""
    return max(1, min(max_workers or os.cpu_count() or 1, reports * languages))


def _submit(pool: ProcessPoolExecutor, fn, *args):
    """Submit with the stop signals blocked: a submit may fork a worker, which must start with them
    blocked until its handlers are in place (_worker_started)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        return pool.submit(fn, *args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _run_pending(pool: ProcessPoolExecutor, pending: list, nav: list, site_facts: dict, languages: list[str], paths: config.Paths):
    """Build ``pending`` reports on ``pool``, yielding each report's :class:`JobResult` as it ends.

    Each edition's notebook runs as a task of its own, so that two workers share the work evenly (five
    benchmark reports of two editions each are ten equal tasks; as five reports, one worker got three).
    When a report's editions have all run, one more task exports and publishes it as a whole. A report
    whose numbers need no kernel (:func:`reusable`) is only exported. The longest reports go first, as
    listed. A report's seconds are its tasks' time in the workers.
    """
    root = str(paths.root)
    tasks: dict = {}  # future -> (job, keys, lang or None for the export)
    ran: dict[str, dict[str, tuple[bool, float, str]]] = {}
    for job, keys in pending:
        if reusable(job, keys[0], read_record(job.record_path(paths)), paths, languages):
            tasks[_submit(pool, build_report, job, keys, nav, site_facts, languages, root)] = (job, keys, None)
        else:
            ran[job.id] = {}
            for position, lang in enumerate(languages):
                tasks[_submit(pool, execute_edition, job, lang, position == 0, root)] = (job, keys, lang)
    waiting = set(tasks)
    while waiting:
        done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        for future in done:
            job, keys, lang = tasks.pop(future)
            if lang is None:
                result = future.result()
                result.seconds += sum(seconds for _, seconds, _ in ran.get(job.id, {}).values())
                yield result
                continue
            ran[job.id][lang] = future.result()
            if len(ran[job.id]) < len(languages):
                continue
            failures = [message for lang in languages for ok, _, message in [ran[job.id][lang]] if not ok]
            if failures:
                yield JobResult(job.id, "failed", sum(seconds for _, seconds, _ in ran[job.id].values()), failures[0])
                continue
            export = _submit(pool, build_report, job, keys, nav, site_facts, languages, root, True)
            tasks[export] = (job, keys, None)
            waiting.add(export)


def published_records(paths: config.Paths, languages: list[str]) -> list[dict]:
    records_dir = paths.build / "records"
    records = []
    for record_path in sorted(records_dir.rglob("*.json")) if records_dir.is_dir() else []:
        record = read_record(record_path)
        if record and all((paths.reports / lang / f"{record['id']}.html").exists() for lang in languages):
            records.append(record)
    return records


def write_indexes(manifest: Manifest, nav_jobs: list[Job], paths: config.Paths) -> None:
    """``reports/<lang>/index.html`` for every edition and ``reports/index.html``, the language chooser."""
    from analysis.publish.site import chooser_html, index_html, nav_entries

    languages = list(manifest.languages)
    records = published_records(paths, languages)
    order = {job.id: position for position, job in enumerate(nav_jobs)}
    records.sort(key=lambda r: (r["variant"] is not None, order.get(r["id"], len(order)), r["id"]))
    jobs_by_id = {}
    names = {report.name for report in manifest.reports}
    records = [r for r in records if r["report"] in names]
    for record in records:
        jobs_by_id[record["id"]] = Job(
            manifest.report(record["report"]),
            record["name"],
            record["parameters"],
            city=record["city"],
            variant=record["variant"],
            vintage_years=tuple(record["vintage_years"]) if record.get("vintage_years") else None,
            given=record.get("given") or {},
        )
    nav = nav_entries(nav_jobs)
    pages = {paths.reports / lang / "index.html": index_html(lang, records, jobs_by_id, nav, manifest) for lang in languages}
    pages[paths.reports / "index.html"] = chooser_html(languages)
    staged = []
    try:
        for path, text in pages.items():
            if _read_or_none(path) != text.encode("utf-8"):  # missing, damaged or a named pipe: written again
                staged.append((stage_bytes(path, text.encode("utf-8")), path))
        package_path = paths.report_data / PACKAGE_NAME
        key_path = paths.build / PACKAGE_KEY
        tables = published_tables(paths, records)
        key = package_key(paths, tables)
        # The key file holds what the package depends on and the SHA-256 of the package written for it,
        # so a package damaged (or replaced) since is written again.
        current = (_read_or_none(key_path) or b"").decode("utf-8", "replace").split()
        package = _read_or_none(package_path)
        if current[:1] != [key] or package is None or current[1:] != [hashlib.sha256(package).hexdigest()]:
            package = published_package_bytes(tables)
            staged.append((stage_bytes(package_path, package), package_path))
        # The index pages and the data package change together (renames only, signals held back).
        commit_staged(staged)
        staged = []
    finally:
        discard_staged(staged)
    stamp = f"{key} {hashlib.sha256(package).hexdigest()}"
    if " ".join(current) != stamp:
        atomic_write_text(key_path, stamp)


def _read_or_none(path: Path) -> bytes | None:
    """The bytes of a regular file, or None (missing, a directory, a named pipe: never waited on)."""
    try:
        return read_regular_bytes(path)
    except OSError:
        return None


# --- the data package of reports/data --------------------------------------------------------------

PACKAGE_NAME = "datapackage.json"
PACKAGE_KEY = "datapackage.key"


@dataclass(frozen=True)
class PublishedTable:
    path: str  # relative to reports/data, e.g. "benchmark-kielce.csv" or "variants/gdynia-gap5/benchmark-gdynia.csv"
    record: dict | None  # the report that published it (None for a CSV no report claims)


def published_tables(paths: config.Paths, records: list[dict]) -> list[PublishedTable]:
    """Every CSV in ``reports/data/`` (variants included), with the report that published it.

    Only regular files (a named pipe is never opened), and not a CSV that no longer holds the
    bytes its report's record holds: a damaged table is left out of the data package until
    its report is built again, never described from its damaged header.
    """
    data = paths.report_data
    files = sorted(p.relative_to(data).as_posix() for p in [*data.glob("*.csv"), *data.glob("variants/*/*.csv")] if p.is_file())
    owner = {}
    for record in records:
        folder = f"variants/{record['variant']}/" if record.get("variant") else ""
        for name in record.get("tables", []):
            owner[folder + name] = record
    tables = []
    for path in files:
        record = owner.get(path)
        hashes = (record or {}).get("outputs")
        if isinstance(hashes, dict) and not _intact(data / path, hashes.get(_output_name(data / path, paths))):
            continue
        tables.append(PublishedTable(path, record))
    return tables


def package_key(paths: config.Paths, tables: list[PublishedTable]) -> str:
    """What ``reports/data/datapackage.json`` depends on: the CSVs' names and headers, their reports, the library."""
    from analysis.data.datapackage import csv_header

    digest = hashlib.sha256()
    for table in tables:
        record = table.record or {}
        digest.update(
            json.dumps(
                [table.path, csv_header(paths.report_data / table.path), record.get("report"), record.get("city"), record.get("variant")],
                ensure_ascii=False,
            ).encode()
        )
    # Every module, subpackages included: the published schemas live in analysis/data (a sceptical reader found the
    # package describing peer_median as it was before a change to analysis/data/published_schemas.py).
    _hash_files(digest, sorted(LIBRARY.rglob("*.py")))
    return digest.hexdigest()


def published_package_bytes(tables: list[PublishedTable], paths: config.Paths | None = None) -> bytes:
    """``reports/data/datapackage.json``: every published CSV described from its pandera schema."""
    from analysis.data import datapackage
    from analysis.data.cities import city_slug
    from analysis.data.published_schemas import schema_for

    paths = paths or config.paths()
    described = []
    groups: dict[str, dict[str, str]] = {}
    for table in tables:
        record = table.record or {}
        folder, _, name = table.path.rpartition("/")
        slug = city_slug(record["city"]) if record.get("city") else None
        schema = schema_for(name, slug)
        stem = name[: -len(".csv")]
        resource = (
            f"variants.{record['variant']}.{stem}" if record.get("variant") else (stem if not folder else folder.replace("/", ".") + "." + stem)
        )
        group = groups.setdefault(record.get("id") or table.path, {})
        if schema is not None:
            group.setdefault(schema.name, resource)
        title = None
        if schema is not None:
            title = schema.title + (f" ({record['city']})" if record.get("city") else "")
            if record.get("variant"):
                title += f", variant {record['variant']}"
        description = None
        if schema is not None and record:
            description = schema.description + f" Published with the report {record['id']}."
        described.append(
            datapackage.Table(
                path=table.path,
                name=resource,
                schema=schema,
                header=datapackage.csv_header(paths.report_data / table.path),
                title=title,
                description=description,
                siblings=group,
            )
        )
    descriptor = datapackage.package(
        "kielce-smart-city-reports-data",
        "Kielce smart-city benchmarks: the tables of the published reports",
        "Every CSV published in reports/data/ by the reports of Kielce Smart City Benchmarks (the ISO 37120 "
        "benchmark of each city and the dispersion of the smart-city maturity scores), including the tables of "
        "named variants in variants/<name>/. English column names, codes and plain numbers in every edition. "
        "Indicator codes are those of indicator_metadata.csv and cities those of indicators.csv in the tidy-data "
        "package data/processed/datapackage.json written by `make data`; that package is not part of this folder, "
        "so those references are stated here rather than as foreign keys.",
        described,
    )
    return datapackage.to_bytes(descriptor)
