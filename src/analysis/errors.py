"""Errors the command line reports as one readable line (no traceback).

Kept free of heavy imports so the CLI starts fast.
"""


class SchemaValidationError(ValueError):
    """A table breaks its schema; the message names the file and the failing check."""


class OutputError(RuntimeError):
    """An output could not be written (disk full, no permission, ...)."""


class UnknownCityError(ValueError):
    """A city that is not in the data; the message lists the known cities."""
