"""Errors the command line reports as one readable line (no traceback).

Every error the library raises on bad input is a ``ValueError`` subclass named here, so
``except ValueError`` catches them all and ``except analysis.UnknownNameError`` only the
unknown names.

Kept free of heavy imports so the CLI starts fast.
"""

ECHO_LIMIT = 60  # characters of a refused value an error message repeats


def shortened(value, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)``, cut to ``limit`` characters and ``…``: how an error repeats what it refuses.

    Bounded however large the value (a nested list of millions of items, a 5000-digit number):
    an error is one readable line, never the value itself.

    >>> shortened("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"
    >>> shortened([1, 2]), shortened(10**5000)
    ('[1, 2]', '<a whole number of about 5001 digits>')
    """
    import reprlib

    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"<a whole number of about {int(value.bit_length() * 0.30103) + 1} digits>"  # str() refuses over 4300 digits
    bounded = reprlib.Repr()
    bounded.maxlevel, bounded.maxstring, bounded.maxother = 3, 10 * limit, 10 * limit
    bounded.maxlist = bounded.maxtuple = bounded.maxdict = bounded.maxset = bounded.maxfrozenset = 20
    if isinstance(value, str):
        text = repr(value[: limit + 1])  # the whole text repeated, cut below (not reprlib's middle '...')
    else:
        try:
            text = bounded.repr(value)
        except Exception:  # a value whose repr fails
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit] + "…"


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
        asked = f"{kind} {shortened(names[0])}" if len(names) == 1 else f"{plural} {', '.join(shortened(n) for n in names[:10])}"
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
