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

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from analysis.errors import CityNameError, UnknownCityError

# The longest name a city may have, in characters (after NFC). Real place names in everyday use
# stay well below it (Llanfairpwllgwyngyll… is 58); a longer one would break its report's title
# and every page's navigation. data/raw/cities/README.md states it.
MAX_NAME_LENGTH = 60
# A slug is at most this long: long ASCII names are cut and keep a hash of the whole name.
MAX_SLUG_LENGTH = 64
_NAME_PUNCTUATION = " .'’-"
# Latin letters that Unicode does not decompose into an ASCII letter and an accent.
_LATIN_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)
CONFUSABLES = Path(__file__).with_name("confusables.tsv")


def _is_place_name(name: str) -> bool:
    """Letters of any script (with their combining marks), digits, spaces, - ' . ; starts with a letter or digit."""
    body = name[1:] if name[:1] in "'’" else name
    if not body or not body[0].isalnum():
        return False
    return all(ch.isalnum() or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M") for ch in body)


def _hash(name: str, length: int = 8) -> str:
    key = unicodedata.normalize("NFC", name).casefold()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


def city_slug(city: str) -> str:
    """Lower-case ASCII slug of a city name: ``'Bielsko-Biała'`` → ``'bielsko-biala'``.

    Letters that do not fold to ASCII (another script, e.g. ``'Київ'``) cannot be spelled in a
    slug: the slug then ends in a short hash of the whole name (``'x-…'`` when nothing else is
    left), so it stays valid, unique and at most :data:`MAX_SLUG_LENGTH` characters.
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", city).translate(_LATIN_FOLD))
    lost = any(ch.isalnum() and not ch.isascii() for ch in text)
    text = "".join(ch for ch in text if ch.isascii())
    slug = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    slug = "-".join(part for part in slug.split("-") if part)
    if not lost and len(slug) <= MAX_SLUG_LENGTH:
        return slug
    if not slug and not any(ch.isalnum() for ch in city):
        return ""
    slug = slug[: MAX_SLUG_LENGTH - 10].rstrip("-") or "x"
    return f"{slug}-{_hash(city)}"


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    table = {}
    for line in CONFUSABLES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, prototype = line.split("\t")
            table[chr(int(source, 16))] = "".join(chr(int(point, 16)) for point in prototype.split())
    return table


def skeleton(name: str) -> str:
    """The TR39 skeleton of a name: names that look alike have one skeleton.

    ``skeleton('Gdyni\u0430')`` (Cyrillic а) equals ``skeleton('Gdynia')``. NFD, each character
    replaced by its prototype in Unicode's confusables.txt (:data:`CONFUSABLES`), NFD again.
    """
    table = _confusables()
    text = unicodedata.normalize("NFD", name)
    text = "".join(table.get(ch, ch) for ch in text)
    return unicodedata.normalize("NFD", text)


def city_name_from_path(path: Path) -> str:
    """``data/raw/cities/bielsko-biala.csv`` → ``Bielsko-Biala``; refuses names that are not place names."""
    path = Path(path)
    name = unicodedata.normalize("NFC", path.stem.replace("_", " ")).strip().title()
    if len(name) > MAX_NAME_LENGTH:
        raise CityNameError(f"{path}: the city's name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are allowed")
    if not _is_place_name(name):
        bad = sorted({ch for ch in name if not (ch.isalnum() or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M"))})
        shown = " ".join(repr(ch) for ch in bad) or "a name that does not begin with a letter or digit"
        raise CityNameError(f"{path}: the file name must be the city's name (letters, digits, spaces, - ' .); found {shown}")
    return name


def check_city_identities(cities: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{slug: name}`` for ``(name, source)`` pairs; two cities with one slug fail naming both sources.

    ``source`` says where the city comes from (a file, or a column of the printed table).
    Two names whose skeletons are equal (:func:`skeleton`: ``Gdynia`` and ``Gdyni\u0430`` with
    a Cyrillic а) look like one city and fail the same way.
    """
    seen: dict[str, tuple[str, str]] = {}
    looks: dict[str, tuple[str, str]] = {}
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
        # As written and case-folded: a small Cyrillic к looks like a small capital, not like k.
        look = {skeleton(name), skeleton(name.casefold())}
        clash = next((key for key in look if key in looks), None)
        if clash is not None:
            other_name, other_source = looks[clash]
            odd = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in dict.fromkeys(name) if ch not in other_name)
            raise CityNameError(
                f"{source}: city {name!r} looks the same as {other_name!r} from {other_source}"
                + (f" (it differs by {odd})" if odd else "")
                + "; rename one of the two files"
            )
        seen[slug] = (name, source)
        looks.update(dict.fromkeys(look, (name, source)))
    return {slug: name for slug, (name, _) in seen.items()}


def resolve_city(name: str, known: Sequence[str]) -> str:
    """The city in ``known`` that ``name`` means (case-, accent- and slug-insensitive)."""
    by_slug = {city_slug(city): city for city in known}
    found = by_slug.get(city_slug(name)) if name and name.strip() else None
    if found is None:
        raise UnknownCityError(f"unknown city {name!r}; known cities: {', '.join(known)}", kind="city", names=[name], known=known)
    return found
