"""Command line: ``python -m analysis data|reports|report``.

Errors go to stderr as one readable line and the exit status is non-zero.
"""

from __future__ import annotations

import argparse
import sys

from .parsing import CellParseError
from .schemas import SchemaValidationError
from .storage import OutputError

EXPECTED_ERRORS = (CellParseError, SchemaValidationError, OutputError, FileNotFoundError)


def _cmd_data(args) -> int:
    from .build_data import build_processed_data

    for name, path in build_processed_data().items():
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("data", help="clean data/raw into data/processed").set_defaults(func=_cmd_data)
    _add_report_commands(commands)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EXPECTED_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _add_report_commands(commands) -> None:
    """Report commands live in :mod:`analysis.publish`; added there once it exists."""
    try:
        from .publish import add_cli_commands
    except ImportError:  # pragma: no cover - publishing not installed yet
        return
    add_cli_commands(commands)


if __name__ == "__main__":
    sys.exit(main())
