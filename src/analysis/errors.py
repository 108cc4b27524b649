"""Errors the command line reports as one readable line (no traceback).

Every error the library raises on bad input is a ``ValueError`` subclass named here, so
``except ValueError`` catches them all and ``except analysis.UnknownNameError`` only the
unknown names.

Kept free of heavy imports so the CLI starts fast.
"""


class SchemaValidationError(ValueError):
    """A table breaks its schema; the message names the file and the failing check."""


class OutputError(RuntimeError):
    """An output could not be written (disk full, no permission, ...)."""


class UnknownNameError(ValueError):
    """A city, theme, area or dimension that is not in the data; the one-line message lists the known ones.

    ``kind`` (``'city'``, ``'theme'``, ``'area'`` …), ``names`` (what was asked for) and
    ``known`` (what the data hold) are kept as attributes for code that wants to react.
    """

    def __init__(self, message: str, *, kind: str | None = None, names=(), known=()):
        super().__init__(message)
        self.kind, self.names, self.known = kind, tuple(names), tuple(known)

    @classmethod
    def listing(cls, kind: str, names, known, plural: str | None = None) -> "UnknownNameError":
        """``unknown theme 'Transport'; known themes: Economy, Education, …`` (one line).

        Examples
        --------
        >>> from analysis.errors import UnknownNameError
        >>> error = UnknownNameError.listing("area", ["mobility"], ["digital", "safety"])
        >>> str(error), error.kind, error.known
        ("unknown area 'mobility'; known areas: digital, safety", 'area', ('digital', 'safety'))
        """
        names, known = [str(name) for name in names], [str(name) for name in known]
        plural = plural or kind + "s"
        asked = f"{kind} {names[0]!r}" if len(names) == 1 else f"{plural} {', '.join(repr(n) for n in names)}"
        return cls(f"unknown {asked}; known {plural}: {', '.join(known)}", kind=kind, names=names, known=known)


class UnknownCityError(UnknownNameError):
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
