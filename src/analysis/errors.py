"""Errors the command line reports as one readable line (no traceback).

Kept free of heavy imports so the CLI starts fast.
"""


class SchemaValidationError(ValueError):
    """A table breaks its schema; the message names the file and the failing check."""


class OutputError(RuntimeError):
    """An output could not be written (disk full, no permission, ...)."""


class UnknownCityError(ValueError):
    """A city that is not in the data; the message lists the known cities."""


class DataError(ValueError):
    """A raw table that is readable but wrong (empty, unknown column, out-of-range value, ...).

    The message is one line: ``file:line, row 'r', column 'c': what is wrong``.
    """

    def __init__(self, message: str, *, file=None, line=None, row=None, column=None):
        self.file, self.line, self.row, self.column = file, line, row, column
        where = []
        if file is not None:
            where.append(f"{file}" + (f":{line}" if line is not None else ""))
        if row is not None:
            where.append(f"row {row!r}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__((", ".join(where) + ": " if where else "") + message)


class ParameterError(ValueError):
    """A report parameter that the manifest does not allow; the message lists what is allowed."""


class ManifestError(ValueError):
    """``reports.yml`` is not a valid manifest; the message names the file and the entry."""


class CityNameError(ValueError):
    """Two city files map to one report, or a file name cannot be a city's name."""
