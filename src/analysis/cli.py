"""Command line: ``python -m analysis data|reports|report``.

``--from-env`` is how the Makefile passes what a person typed (``make report
CITY=... PARAMS=... AS=...``): through the environment, never pasted into a shell
line, so a quote, a space or a ``;`` in a value is only text (see :func:`_from_env`).

Errors go to stderr as one readable line and the exit status is non-zero. SIGTERM
and SIGHUP stop a build as Ctrl-C does: published files stay old or new and
complete, and the next build repairs what was interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from analysis.data.parsing import CellParseError
from analysis.errors import (
    CityNameError,
    DataError,
    ManifestError,
    OutputError,
    ParameterError,
    SchemaValidationError,
    UnknownCityError,
    shortened,
)

EXPECTED_ERRORS = (
    CellParseError,
    SchemaValidationError,
    OutputError,
    UnknownCityError,
    FileNotFoundError,
    DataError,
    CityNameError,
    ParameterError,
    ManifestError,
)


# What `make report` and `make reports` pass (the Makefile sets these from CITY, REPORT, PARAMS, AS, JOBS, DRY_RUN).
FROM_ENV = {
    "city": "KIELCE_CITY",
    "report": "KIELCE_REPORT",
    "params": "KIELCE_PARAMS",
    "variant": "KIELCE_AS",
    "jobs": "KIELCE_JOBS",
    "dry_run": "KIELCE_DRY_RUN",
}


# Which of CITY, REPORT, JOBS … were typed on make's command line, even empty: `make report CITY=`
# is refused, not taken for "no city" (which built the dispersion report).
GIVEN_ENV = "KIELCE_GIVEN"
MAKE_NAMES = {"city": "CITY", "report": "REPORT", "params": "PARAMS", "variant": "AS", "jobs": "JOBS", "dry_run": "DRY_RUN"}


def _from_env(args, parser) -> None:
    """Fill ``args`` from the KIELCE_* variables the Makefile exports; an empty variable was not given,
    unless make says it was typed (``KIELCE_GIVEN``): then it is refused, in one line (ParameterError)."""
    values = {name: os.environ.get(variable, "") for name, variable in FROM_ENV.items()}
    typed = set(os.environ.get(GIVEN_ENV, "").split())
    blank = [
        name for name in (("jobs",) if args.command == "reports" else ("city", "report")) if MAKE_NAMES[name] in typed and not values[name].strip()
    ]
    if blank:
        example = {"city": "CITY=gdynia", "report": "REPORT=score-dispersion", "jobs": "JOBS=2"}[blank[0]]
        raise ParameterError(f"{MAKE_NAMES[blank[0]]} is empty; give a value (e.g. {example}) or leave it out")
    if args.command == "reports":
        if values["jobs"].strip():
            args.jobs = _jobs(values["jobs"], f"JOBS={shortened(values['jobs'])}")
    else:
        if "JOBS" in typed:
            # A sweep: `make report CITY=gdynia JOBS=abc` ignored JOBS and published, exit 0.
            raise ParameterError(
                f"JOBS={shortened(values['jobs'])} applies to `make reports` (every report, several at a time); `make report` builds one report: leave JOBS out"
            )
        if values["city"] and values["report"]:
            raise ParameterError(
                f"CITY={shortened(values['city'])} and REPORT={shortened(values['report'])} given together; give one: "
                "CITY=NAME for a city's benchmark, or REPORT=NAME for another report"
            )
        if values["city"]:
            args.city = values["city"]
        else:
            args.report = values["report"] or "score-dispersion"
        args.params = values["params"] or None
        args.variant = values["variant"] or None
    args.dry_run = args.dry_run or bool(values["dry_run"])


def _jobs(text: str, what: str) -> int:
    """A number of parallel notebook runs: a whole number of at least 1 (ParameterError otherwise)."""
    try:
        jobs = int(text.strip())
    except ValueError:
        jobs = 0
    if jobs < 1 or len(text.strip()) > 6:
        raise ParameterError(f"{what}: expected a whole number of parallel notebook runs of at least 1, e.g. JOBS=2")
    return jobs


def _cmd_data(args) -> int:
    from analysis.data.build import build_processed_data, ensure_processed_data

    if args.force:
        for path in build_processed_data().values():
            print(f"wrote {path}")
    elif not ensure_processed_data():
        print("data/processed is up to date")
    return 0


def _cmd_reports(args) -> int:
    from analysis.data.build import ensure_processed_data
    from analysis.publish import Vocabulary, default_jobs, load_manifest, publish

    manifest = load_manifest()  # validated before anything runs
    ensure_processed_data()
    jobs = default_jobs(manifest, Vocabulary.from_data())
    if args.dry_run:
        print(f"dry run: {len(jobs)} reports in {', '.join(manifest.languages)}, {args.jobs or 'one per core'} at a time; no kernel started")
        return 0
    results = publish(jobs, jobs, manifest, max_workers=args.jobs, remove_stale=True)
    return 1 if any(r.status == "failed" for r in results) else 0


def _cmd_report(args) -> int:
    from analysis import config
    from analysis.data.build import ensure_processed_data
    from analysis.publish import Vocabulary, default_jobs, find_job, load_manifest, make_variant, parse_assignments, publish
    from analysis.publish.batch import check_variant_name

    manifest = load_manifest()
    pairs = list(args.param or [])
    pairs += [pair.strip() for pair in (args.params or "").split(";") if pair.strip()]
    given = parse_assignments(pairs)
    ensure_processed_data()
    vocabulary = Vocabulary.from_data()
    if args.city is not None:
        job = find_job(manifest, vocabulary, city=args.city)
    else:
        job = find_job(manifest, vocabulary, report=args.report or "score-dispersion")
    job = make_variant(job, args.variant, given, vocabulary)  # every check before any kernel starts
    check_variant_name(job, config.paths())  # a name another report's variant has is refused, not taken over
    if args.dry_run:
        print(f"dry run: would publish {job.id} ({job.name})")
        for name, value in job.given.items():
            print(f"  {name} = {value!r}")
        for lang in manifest.languages:
            print(f"  reports/{lang}/{job.id}.html")
        return 0
    # Its editions run side by side, one worker each (one city's rerun took the two in turn: 16 s against about 10).
    results = publish([job], default_jobs(manifest, vocabulary), manifest)
    if job.variant and results and results[0].status != "failed":
        for lang in manifest.languages:
            print(f"published reports/{lang}/{job.id}.html")
    return 1 if any(r.status == "failed" for r in results) else 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="clean data/raw into data/processed (skipped when nothing changed)")
    data.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    data.set_defaults(func=_cmd_data)
    reports = commands.add_parser("reports", help="publish every report of reports.yml in both languages; unchanged ones are skipped")
    reports.add_argument("--jobs", type=int, default=None, help="parallel notebook runs (default: number of cores)")
    reports.add_argument(
        "--from-env", action="store_true", help="take JOBS and DRY_RUN from KIELCE_JOBS, KIELCE_DRY_RUN (what `make reports` passes)"
    )
    reports.add_argument("--dry-run", action="store_true", help="check the manifest and list the reports; start no kernel")
    reports.set_defaults(func=_cmd_reports)
    report = commands.add_parser("report", help="publish one report, or a named variant of it with other parameters")
    which = report.add_mutually_exclusive_group()
    which.add_argument("--city", help="the focal city of a benchmark report, e.g. gdynia")
    which.add_argument("--dispersion", action="store_true", help="the score-dispersion report")
    which.add_argument("--report", help="a report of reports.yml by name, e.g. score-dispersion")
    report.add_argument(
        "-p",
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="a notebook parameter, e.g. -p max_year_gap=5 (repeatable; values are YAML); needs --as",
    )
    report.add_argument(
        "--params",
        metavar="'NAME=VALUE; NAME=VALUE'",
        help="several parameters in one string separated by ';' (what `make report PARAMS=...` passes)",
    )
    report.add_argument(
        "--as", dest="variant", metavar="NAME", help="publish as the variant NAME (reports/<lang>/variants/NAME.html), never overwritten by `reports`"
    )
    report.add_argument(
        "--from-env",
        action="store_true",
        help="take the report from KIELCE_CITY, KIELCE_REPORT, KIELCE_PARAMS, KIELCE_AS, KIELCE_DRY_RUN (what `make report` passes)",
    )
    report.add_argument("--dry-run", action="store_true", help="check the report and its parameters and say what would be published; start no kernel")
    report.set_defaults(func=_cmd_report)
    args = parser.parse_args(argv)
    if getattr(args, "from_env", False):
        if args.command == "report" and (args.city is not None or args.dispersion or args.report or args.param or args.params or args.variant):
            parser.error("--from-env takes the report from the environment; give no other option with it")
        try:
            _from_env(args, parser)
        except ParameterError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        print(f"error: --jobs {args.jobs}: expected a whole number of parallel notebook runs of at least 1, e.g. --jobs 2", file=sys.stderr)
        return 2
    elif args.command == "report" and args.city is None and not args.dispersion and not args.report:
        parser.error("one of the arguments --city --dispersion --report is required")
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return args.func(args)
    except EXPECTED_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        # str(), not the exception: Ctrl-C's KeyboardInterrupt has no message (it printed "interrupted ()").
        name = str(exc) or "SIGINT"
        print(f"interrupted ({name}): published files are unchanged or complete; run the build again to finish", file=sys.stderr)
        return 128 + signal.Signals[name]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exit_like(status: int) -> None:
    """Leave the program with ``status``; after an interruption, by dying of the same signal.

    That is how an interrupted program tells its caller (a shell or make stops its loop;
    the shell shows 128 + the signal's number). Exiting with 130 instead was not even
    reliable: when the interrupt came inside a C extension's ``PyRun_String``, Python
    itself ended killed by SIGINT after the message, so the status changed from run to run.
    """
    signum = status - 128
    if signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})
        os.kill(os.getpid(), signum)
    sys.exit(status)


if __name__ == "__main__":
    exit_like(main())
