"""The manifest of reports (``reports.yml``) and the jobs it declares.

:func:`load_manifest` reads and validates the file into pydantic models;
:func:`default_jobs` expands it into one :class:`Job` per page (one per city for
a ``per_city`` report); :func:`check_parameters` checks parameters a person gives
(``-p name=value``) with the report's parameter model (:mod:`analysis.params`) before any
kernel starts. Nothing here imports pandas or starts a kernel.
"""

from __future__ import annotations

import csv
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from analysis import config
from analysis.data.cities import city_slug, resolve_city
from analysis.data.storage import read_regular_bytes
from analysis.errors import ManifestError, ParameterError, shortened
from analysis.params import Parameter, ReportParams, model_from_declarations

__all__ = ["Parameter", "Report", "Manifest", "Vocabulary", "Job", "load_manifest", "default_jobs", "find_job", "make_variant", "check_parameters"]

# Given by the build to every notebook, never declared or set by a person.
BUILD_PARAMETERS = ("output_dir",)
VARIANT_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # the whole name (fullmatch: `$` let a trailing newline through)


def _import_model(path: str) -> type[ReportParams]:
    """``analysis.params.BenchmarkParams`` → the class (a :class:`~analysis.params.ReportParams`)."""
    module, _, name = path.rpartition(".")
    try:
        model = getattr(importlib.import_module(module), name) if module else None
    except (ImportError, AttributeError):
        model = None
    if not (isinstance(model, type) and issubclass(model, ReportParams)):
        raise ValueError(f"{path!r} is not a parameter model (a class of analysis.params, e.g. analysis.params.BenchmarkParams)")
    return model


class Report(BaseModel):
    """One report: a notebook, its title, the parameters it takes and the inputs it reads."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9-]*(\{city\})?[a-z0-9-]*$")
    notebook: Path
    title: str
    nav_label: str
    per_city: bool = False
    # Also publish the report's tables as an Excel workbook per edition (reports/<lang>/<id>.xlsx).
    workbook: bool = False
    # Also publish a two-page A4 profile per edition (reports/<lang>/<id>.pdf): the page's cells tagged
    # "profile", printed by Chromium (analysis.publish.pdf).
    pdf: bool = False
    vintage: str
    inputs: list[Path] = []
    # The name of the report's parameter model (analysis.params): its types, ranges, choices,
    # defaults and labels. (Inline declarations, name -> Parameter, serve the tests' tiny notebooks.)
    parameters: str | dict[str, Parameter] = {}
    _model_path: str | None = PrivateAttr(default=None)
    _model: type[ReportParams] | None = PrivateAttr(default=None)

    @property
    def model(self) -> type[ReportParams]:
        """The report's parameter model: every check of a value and every default come from it."""
        if self._model is None:
            if self._model_path is not None:
                self._model = _import_model(self._model_path)
            else:
                self._model = model_from_declarations("InlineParams", self.parameters, report=f"the report {self.name}")
        return self._model

    def __getstate__(self):
        # Jobs go to worker processes by pickle; a model made from inline declarations cannot be
        # pickled, so a worker makes it again from the declarations (or imports it by name).
        state = super().__getstate__()
        return {**state, "__pydantic_private__": {**(state.get("__pydantic_private__") or {}), "_model": None}}

    @field_validator("parameters")
    @classmethod
    def _a_model(cls, value):
        if isinstance(value, str):
            _import_model(value)  # a name that is not a model fails here, naming the entry
        return value

    @model_validator(mode="after")
    def _consistent(self):
        if isinstance(self.parameters, str):
            self._model_path = self.parameters
        self.parameters = parameters = self.model.declared()  # what the publisher reads, derived from the model
        if self.per_city != ("{city}" in self.name):
            raise ValueError("a per_city report's name contains {city}, and only such a report's")
        if self.per_city and "focal_city" not in parameters:
            raise ValueError("a per_city report declares the parameter focal_city")
        if "lang" not in parameters:
            raise ValueError("every report declares the parameter lang (one page per edition)")
        for name in parameters:
            if name in BUILD_PARAMETERS or not name.isidentifier():
                raise ValueError(f"{name!r} cannot be a declared parameter")
        return self


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    languages: list[Literal["pl", "en"]] = Field(min_length=1)
    source_note: str
    # Who publishes the pages and how to reach them (shown in every page's footer, translated).
    publisher: str = Field(min_length=1)
    contact: str = Field(min_length=1)
    reports: list[Report] = Field(min_length=1)

    def site_facts(self) -> dict[str, str]:
        """What every page's footer says about the publication: source, publisher, contact (English; translated there)."""
        return {"source_note": self.source_note, "publisher": self.publisher, "contact": self.contact}

    @model_validator(mode="after")
    def _unique_names(self):
        names = [report.name for report in self.reports]
        if len(set(names)) != len(names):
            raise ValueError(f"report names must be unique: {names}")
        return self

    def report(self, name: str) -> Report:
        return next(report for report in self.reports if report.name == name)


def load_manifest(path: Path | None = None) -> Manifest:
    """The validated manifest; an invalid one fails with one line naming the file and the entry."""
    path = Path(path) if path is not None else config.paths().manifest
    try:
        data = yaml.safe_load(read_regular_bytes(path).decode("utf-8"))  # a named pipe is refused, never waited on
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: cannot read the manifest: not UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ManifestError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ManifestError(
            f"{path}: {where}: {first['msg']}" + (f" (and {exc.error_count() - 1} more error(s))" if exc.error_count() > 1 else "")
        ) from None


# --- the data's vocabularies ---------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The values a parameter may take, read from the processed data (csv module, no pandas)."""

    cities: tuple[str, ...]
    themes: tuple[str, ...]
    areas: tuple[str, ...] = config.AREAS
    languages: tuple[str, ...] = ("pl", "en")
    years: tuple[int, int] | None = None
    # (city, theme) → (first, last) reference year: a variant limited to some peers or themes gives its own range.
    year_spans: dict = field(default_factory=dict, compare=False, repr=False)

    def years_of(self, cities, themes=None) -> tuple[int, int] | None:
        """The first and last reference year of ``cities`` (and of ``themes``, every theme when None)."""
        spans = [span for (city, theme), span in self.year_spans.items() if city in set(cities) and (themes is None or theme in set(themes))]
        return (min(first for first, _ in spans), max(last for _, last in spans)) if spans else None

    @classmethod
    def from_data(cls, paths: config.Paths | None = None) -> Vocabulary:
        paths = paths or config.paths()
        if not paths.indicators_csv.exists():
            raise FileNotFoundError(f"{paths.indicators_csv} does not exist; run `make data` first")
        cities: dict[str, None] = {}
        years = []
        spans: dict[tuple[str, str], tuple[int, int]] = {}
        with paths.indicators_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                cities.setdefault(row["city"])
                if row["year"]:
                    year = int(row["year"])
                    years.append(year)
                    key = (row["city"], row.get("theme", ""))
                    first, last = spans.get(key, (year, year))
                    spans[key] = (min(first, year), max(last, year))
        with paths.indicator_metadata.open(encoding="utf-8", newline="") as handle:
            themes = tuple(dict.fromkeys(row["theme"] for row in csv.DictReader(handle)))
        return cls(tuple(cities), themes, years=(min(years), max(years)) if years else None, year_spans=spans)

    def allowed(self, kind: str) -> tuple[str, ...]:
        return {"city": self.cities, "theme": self.themes, "area": self.areas, "language": self.languages}[kind]


# --- jobs --------------------------------------------------------------------------------------


@dataclass
class Job:
    """One page in every edition: a report with its parameters, published by default or as a variant."""

    report: Report
    name: str
    parameters: dict  # every declared parameter except lang, with its value
    city: str | None = None
    variant: str | None = None
    vintage_years: tuple[int, int] | None = None
    given: dict = field(default_factory=dict)  # what the person set with -p (variants)

    @property
    def id(self) -> str:
        return f"variants/{self.variant}" if self.variant else self.name

    def page(self, paths: config.Paths, lang: str) -> Path:
        return paths.reports / lang / f"{self.id}.html"

    def workbook(self, paths: config.Paths, lang: str) -> Path:
        """The edition's Excel workbook of the report's tables (published when the report asks for one)."""
        return paths.reports / lang / f"{self.id}.xlsx"

    def profile(self, paths: config.Paths, lang: str) -> Path:
        """The edition's two-page PDF profile (published when the report asks for one)."""
        return paths.reports / lang / f"{self.id}.pdf"

    def csv_dir(self, paths: config.Paths) -> Path:
        return paths.report_data / "variants" / self.variant if self.variant else paths.report_data

    def record_path(self, paths: config.Paths) -> Path:
        return paths.build / "records" / f"{self.id}.json"

    def executed_path(self, paths: config.Paths, lang: str) -> Path:
        return paths.build / "executed" / f"{self.id}.{lang}.ipynb"


def default_jobs(manifest: Manifest, vocabulary: Vocabulary) -> list[Job]:
    """Every report's default page: per-city reports once per city in the data, in data order."""
    jobs = []
    for report in manifest.reports:
        defaults = {name: value for name, value in report.model.defaults().items() if name != "lang"}
        if report.per_city:
            for city in vocabulary.cities:
                jobs.append(
                    Job(
                        report,
                        report.name.replace("{city}", city_slug(city)),
                        {**defaults, "focal_city": city},
                        city=city,
                        vintage_years=vocabulary.years,
                    )
                )
        else:
            jobs.append(Job(report, report.name, defaults))
    return jobs


def find_job(manifest: Manifest, vocabulary: Vocabulary, *, city: str | None = None, report: str | None = None) -> Job:
    """The default job of one report: a city's benchmark (``city``), or a report by name."""
    jobs = default_jobs(manifest, vocabulary)
    if city is not None:
        focal = resolve_city(city, vocabulary.cities)  # '' and unknown names fail listing the known cities
        return next(job for job in jobs if job.city == focal)
    names = [job.name for job in jobs if job.city is None]
    if report not in names:
        raise ParameterError(f"unknown report {shortened(report)}; reports: {', '.join(names)} (or --city NAME)")
    return next(job for job in jobs if job.name == report)


def make_variant(job: Job, variant: str | None, given: dict, vocabulary: Vocabulary) -> Job:
    """``job`` with the parameters ``given`` (checked); published as ``variant``.

    Custom parameters without a variant name are refused: the default page shows
    the defaults, always (``make reports`` would otherwise silently put them back).
    """
    checked = check_parameters(job.report, given, vocabulary, base=job.parameters, page=job.name)
    if not checked:
        if variant is not None:
            raise ParameterError(f"--as {variant} needs at least one parameter (-p NAME=VALUE); without -p the default page is built")
        return job
    if variant is None:
        raise ParameterError(
            f"custom parameters ({', '.join(checked)}) are not published on the default page {job.name}; "
            "name the variant: --as NAME (make report ... AS=NAME)"
        )
    if not VARIANT_NAME.fullmatch(variant):
        raise ParameterError(f"variant name {shortened(variant)}: use lower-case letters, digits and hyphens (e.g. gdynia-gap5)")
    parameters = {**job.parameters, **checked}
    # The years of the cities and themes the variant compares (a parameter sweep: a peers=Gdynia page said "2001–2017 (all
    # cities of the comparison)", the range of all five cities).
    vintage = job.vintage_years
    if job.vintage_years is not None and job.city and ("peers" in checked or "themes" in checked) and vocabulary.year_spans:
        focal = parameters.get("focal_city") or job.city
        peers = parameters.get("peers") or [city for city in vocabulary.cities if city != focal]
        vintage = vocabulary.years_of([focal, *peers], parameters.get("themes")) or job.vintage_years
    return Job(job.report, job.name, parameters, city=job.city, variant=variant, vintage_years=vintage, given=checked)


# --- parameter values: YAML as a person writes it -----------------------------------------------

# The most digits a number given with -p may have: far more than any parameter needs, and a
# 5000-digit number is refused here in one line (Python's int() gives up at 4300).
MAX_DIGITS = 40


class ParameterLoader(yaml.SafeLoader):
    """YAML for one parameter value, read as a person writes it.

    Numbers are decimal only: ``5``, ``-2``, ``0.25``, ``.5``, ``1e-1`` and ``2.5E3`` are numbers
    (PyYAML's YAML 1.1 read ``1e-1`` as text but ``0x1e`` as 30, ``0o17`` as 15, ``1_0`` as 10 and
    ``1:30`` as 90); ``0x1e`` is text, which a numeric parameter then refuses. ``true``, ``false``
    (and YAML's ``yes``, ``no``, ``on``, ``off``) are booleans; ``null``, ``~`` and nothing are null;
    dates stay text. Anchors, aliases and explicit tags are refused: an alias "bomb" (a few
    lines that expand to millions of items) is never expanded, nor echoed.
    """

    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "YAML anchors and aliases (&name, *name) are not allowed in a parameter value", event.start_mark
            )
        if getattr(event, "tag", None) not in (None, "!"):
            raise yaml.composer.ComposerError(None, None, f"YAML tags ({event.tag}) are not allowed in a parameter value", event.start_mark)
        return super().compose_node(parent, index)

    def construct_number(self, node):
        text = self.construct_scalar(node)
        digits = sum(character.isdigit() for character in text)
        if digits > MAX_DIGITS:
            raise yaml.constructor.ConstructorError(None, None, f"a number of {digits} digits (at most {MAX_DIGITS})", node.start_mark)
        return int(text) if _INTEGER.fullmatch(text) else float(text)


_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
ParameterLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"), list("yYnNtTfFoO")
)
ParameterLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
ParameterLoader.add_implicit_resolver("tag:kielce,number", re.compile(f"^{_NUMBER.pattern}$"), list("-+.0123456789"))
ParameterLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+."))
ParameterLoader.add_constructor("tag:kielce,number", ParameterLoader.construct_number)


class _Empty:
    """A parameter given with nothing after "=" (``peers=``): refused by :func:`check_parameters`, as ``CITY=`` is, not
    read as YAML's null (a parameter sweep: ``peers=`` published a copy of the default page as a variant, while
    ``top_n=`` was refused). ``null`` stays the way to ask for a parameter's "all"."""

    def __repr__(self) -> str:
        return "empty"


EMPTY = _Empty()


def parse_value(text: str):
    """One parameter value (YAML read by :class:`ParameterLoader`); ``yaml.YAMLError`` when it cannot be read."""
    loader = ParameterLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_assignments(pairs: list[str] | None) -> dict:
    """``["max_year_gap=5", "peers=[Kielce, Porto]"]`` → {"max_year_gap": 5, "peers": ["Kielce", "Porto"]} (YAML values).

    A parameter given twice is refused (which one was meant?), as is a value that cannot be
    read; the message repeats at most the first characters of what it refuses.
    """
    parameters = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ParameterError(f"parameter {shortened(pair)} is not of the form NAME=VALUE (e.g. max_year_gap=5)")
        if name in parameters:
            raise ParameterError(f"parameter {name if len(name) <= 60 else shortened(name)} is given twice; give each parameter once")
        try:
            parameters[name] = parse_value(value) if value.strip() else EMPTY
        except yaml.YAMLError as exc:
            reason = getattr(exc, "problem", None) or "not valid YAML"
            raise ParameterError(f"parameter {name}: cannot read the value {shortened(value.strip())}: {reason}") from None
    return parameters


def check_parameters(report: Report, given: dict, vocabulary: Vocabulary, *, base: dict | None = None, page: str | None = None) -> dict:
    """``given`` with each value checked by the report's model and normalised (city names as in the
    data); ParameterError in one line otherwise. ``base`` holds the other parameters of the page
    (its focal city, say), checked together with ``given``; default the model's defaults."""
    declared = report.parameters
    settable = [name for name, p in declared.items() if not p.set_by_build]
    for name in given:
        if name not in declared or declared[name].set_by_build:
            # The page's own name, not the report's template ("benchmark-{city}": a parameter sweep).
            why = "is set by the build of" if name in declared else "is not a parameter of"
            raise ParameterError(f"parameter {shortened(name)} {why} the report {page or report.name}; allowed: {', '.join(settable)}")
    for name, value in given.items():
        if value is EMPTY:
            raise ParameterError(f"parameter {name} is empty: expected {report.model.describe(name, vocabulary)}; give a value or leave it out")
    values = report.model.check({**(base or {}), **given}, vocabulary=vocabulary)
    return {name: getattr(values, name) for name in given}
