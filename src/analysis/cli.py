"""Command line: ``python -m analysis data|reports|report``.

Errors go to stderr as one readable line and the exit status is non-zero.
"""

from __future__ import annotations

import argparse
import sys

from .errors import (
    CityNameError,
    DataError,
    ManifestError,
    OutputError,
    ParameterError,
    SchemaValidationError,
    UnknownCityError,
)
from .parsing import CellParseError

EXPECTED_ERRORS = (CellParseError, SchemaValidationError, OutputError, UnknownCityError, FileNotFoundError,
                   DataError, CityNameError, ParameterError, ManifestError)


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
    from .publish import add_cli_commands

    add_cli_commands(commands)


if __name__ == "__main__":
    sys.exit(main())
