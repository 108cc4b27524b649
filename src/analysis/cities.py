"""City names and slugs (no pandas here: the build resolves cities before importing it)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .errors import UnknownCityError


def city_slug(city: str) -> str:
    """Lower-case ASCII slug of a city name: ``'Bielsko-Biała'`` → ``'bielsko-biala'``."""
    text = unicodedata.normalize("NFKD", city.replace("ł", "l").replace("Ł", "L"))
    text = "".join(ch for ch in text if ch.isascii())
    slug = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in slug.split("-") if part)


def resolve_city(name: str, known: Sequence[str]) -> str:
    """The city in ``known`` that ``name`` means (case-, accent- and slug-insensitive)."""
    by_slug = {city_slug(city): city for city in known}
    found = by_slug.get(city_slug(name))
    if found is None:
        raise UnknownCityError(f"unknown city {name!r}; known cities: {', '.join(known)}")
    return found
