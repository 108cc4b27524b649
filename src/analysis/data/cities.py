"""City names and slugs: one identity per city, computed here and nowhere else.

No pandas here: the build resolves cities before importing it.

A city's *name* comes from the data (a column of the printed table, or the file
name of ``data/raw/cities/<city>.csv``); its *slug* names its report files
(``benchmark-<slug>.html``). Two cities whose slugs are equal would share one
report, so :func:`check_city_identities` refuses them when the data are read.
Names are data: whatever renders them escapes them, and a file name that is
not a plausible place name (markup, control characters) is refused outright.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from analysis.errors import CityNameError, UnknownCityError

# Letters of any script, digits, spaces, hyphens, apostrophes and dots: what place
# names are written with (Bielsko-Biała, Saint-Étienne, 's-Hertogenbosch, St. Gallen).
_PLACE_NAME = re.compile(r"^['’]?[^\W_](?:[^\W_]|[ .'’-])*$")


def city_slug(city: str) -> str:
    """Lower-case ASCII slug of a city name: ``'Bielsko-Biała'`` → ``'bielsko-biala'``."""
    text = unicodedata.normalize("NFKD", city.replace("ł", "l").replace("Ł", "L"))
    text = "".join(ch for ch in text if ch.isascii())
    slug = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in slug.split("-") if part)


def city_name_from_path(path: Path) -> str:
    """``data/raw/cities/bielsko-biala.csv`` → ``Bielsko-Biala``; refuses names that are not place names."""
    path = Path(path)
    name = unicodedata.normalize("NFC", path.stem.replace("_", " ")).strip().title()
    if not _PLACE_NAME.match(name):
        bad = sorted({ch for ch in name if not (ch.isalnum() or ch in " .'’-")})
        shown = " ".join(repr(ch) for ch in bad) or "a name that does not begin with a letter or digit"
        raise CityNameError(f"{path}: the file name must be the city's name (letters, digits, spaces, - ' .); found {shown}")
    return name


def check_city_identities(cities: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{slug: name}`` for ``(name, source)`` pairs; two cities with one slug fail naming both sources.

    ``source`` says where the city comes from (a file, or a column of the printed table).
    """
    seen: dict[str, tuple[str, str]] = {}
    for name, source in cities:
        slug = city_slug(name)
        if not slug:
            raise CityNameError(f"{source}: city {name!r} has no letters or digits to name its report by")
        if slug in seen:
            other_name, other_source = seen[slug]
            raise CityNameError(
                f"{source}: city {name!r} would share the report name benchmark-{slug} with "
                f"{other_name!r} from {other_source}; rename one of the two files"
            )
        seen[slug] = (name, source)
    return {slug: name for slug, (name, _) in seen.items()}


def resolve_city(name: str, known: Sequence[str]) -> str:
    """The city in ``known`` that ``name`` means (case-, accent- and slug-insensitive)."""
    by_slug = {city_slug(city): city for city in known}
    found = by_slug.get(city_slug(name)) if name and name.strip() else None
    if found is None:
        raise UnknownCityError(f"unknown city {name!r}; known cities: {', '.join(known)}", kind="city", names=[name], known=known)
    return found
