"""The reports' parameters, declared once: one frozen pydantic model per report.

Each model gives every parameter its type, range or choices, default and the label a
person reads (English; its Polish form is in ``text/locales/pl/LC_MESSAGES/messages.po``, kept with ``make i18n``).
Everything else is derived from these models:

* ``reports.yml`` names the model of each report (``parameters: analysis.params.BenchmarkParams``);
  the publisher (:mod:`analysis.publish.manifest`) checks ``-p`` values with it before any
  kernel starts and writes the page footers from its labels;
* the notebooks build their model from their ``parameters`` cell (:meth:`ReportParams.from_namespace`;
  ``tests/test_params.py`` checks that the cell and the model agree);
* the library takes a model (``run_benchmark(frame, params)``, ``run_dispersion(scores, params)``)
  and its results carry it (``result.params``);
* the README's parameter table is :func:`markdown_table` (``python -m analysis.params`` prints it).

A bad value fails once, as a :class:`~analysis.errors.ParameterError` whose one-line message
names the parameter and what is allowed. City, theme and area names are checked against the
data when a *vocabulary* is given (the publisher's); the library checks them against its table.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, create_model, model_validator
from pydantic_core import PydanticCustomError

from analysis import config
from analysis.data.cities import city_slug, resolve_city
from analysis.errors import ParameterError, UnknownCityError, shortened

# The kinds of parameter a report may declare (a model's field says its kind by its type).
ParameterType = Literal["str", "int", "float", "bool", "language", "city", "theme", "area", "list[city]", "list[theme]", "list[area]"]


class Parameter(BaseModel):
    """How one parameter is declared: its kind, default, allowed values and the words a person reads.

    Derived from a model's field (:meth:`ReportParams.declared`); a test manifest may also declare
    one inline in ``reports.yml`` (:func:`model_from_declarations` makes the model of those).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: ParameterType
    default: Any = None
    min: float | None = None
    max: float | None = None
    label: str
    all_label: str | None = None  # what a default of null means ("all other cities")
    format: Literal["share", "code"] | None = None  # code: a number that names, not counts (a seed: no digit grouping)
    choices: list[str] | None = None  # for type str: the only values allowed
    choice_labels: dict[str, str] | None = None  # how a person reads each choice (translated like labels)
    set_by_build: bool = False  # given by the build (one page per language, per city), never by -p

    @model_validator(mode="after")
    def _choices_for_text(self):
        if self.choices is not None and self.type != "str":
            raise ValueError("choices are declared only for a parameter of type str")
        if self.choices is not None and self.default is not None and self.default not in self.choices:
            raise ValueError(f"the default {self.default!r} is not one of the choices {self.choices}")
        return self


# --- the value types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """Marks a field's type with the parameter kind it stands for (``int``, ``city``, …)."""

    name: str


def _refuse(reason: str = ""):
    raise PydanticCustomError("parameter", reason or "not allowed")


def _is_bool(value) -> bool:
    kind = type(value)  # numpy's bool (np.bool_) too, without importing numpy
    return isinstance(value, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool"))


def _whole_number(value):
    if _is_bool(value) or not isinstance(value, numbers.Real):
        _refuse()
    if isinstance(value, numbers.Integral):
        return int(value)
    if not math.isfinite(value) or not float(value).is_integer():
        _refuse()
    return int(value)


def _finite_number(value):
    if _is_bool(value) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        _refuse()  # NaN passes every range check (nan < 0 and nan > 1 are both false): refused here
    return float(value)


def _true_or_false(value):
    if not _is_bool(value):
        _refuse()
    return bool(value)


def _text(value):
    if not isinstance(value, str):
        _refuse()
    return value


def _vocabulary(info: ValidationInfo):
    return (info.context or {}).get("vocabulary")


def _name(kind: str):
    def check(value: str, info: ValidationInfo) -> str:
        if kind == "language":
            if value not in config.LANGUAGES:
                _refuse()
            return value
        vocabulary = _vocabulary(info)
        if vocabulary is None:
            return value  # the library checks names against its own table
        if kind == "city":
            try:
                return resolve_city(value, vocabulary.cities)
            except UnknownCityError:
                _refuse()
        if value not in vocabulary.allowed(kind):
            _refuse()
        return value

    return check


def _one_or_more(value):
    if isinstance(value, str):
        return [value]  # peers=Porto means the one-city list, not the letters of "Porto"
    if not isinstance(value, (list, tuple)) or not value:
        _refuse()
    return list(value)


def _distinct(kind: str):
    def check(values: list[str]) -> list[str]:
        keys = [city_slug(v) if kind == "city" else v for v in values]
        if len(set(keys)) != len(keys):
            _refuse("names a value twice")
        return values

    return check


Int = Annotated[int, Kind("int"), BeforeValidator(_whole_number)]
Float = Annotated[float, Kind("float"), BeforeValidator(_finite_number)]
Bool = Annotated[bool, Kind("bool"), BeforeValidator(_true_or_false)]
Text = Annotated[str, Kind("str"), BeforeValidator(_text)]
Language = Annotated[str, Kind("language"), BeforeValidator(_text), AfterValidator(_name("language"))]
City = Annotated[str, Kind("city"), BeforeValidator(_text), AfterValidator(_name("city"))]
Theme = Annotated[str, Kind("theme"), BeforeValidator(_text), AfterValidator(_name("theme"))]
Area = Annotated[str, Kind("area"), BeforeValidator(_text), AfterValidator(_name("area"))]
Cities = Annotated[list[City], Kind("list[city]"), BeforeValidator(_one_or_more), AfterValidator(_distinct("city"))]
Themes = Annotated[list[Theme], Kind("list[theme]"), BeforeValidator(_one_or_more), AfterValidator(_distinct("theme"))]
Areas = Annotated[list[Area], Kind("list[area]"), BeforeValidator(_one_or_more), AfterValidator(_distinct("area"))]
_TYPES = {"int": Int, "float": Float, "bool": Bool, "str": Text, "language": Language, "city": City, "theme": Theme, "area": Area}
_TYPES |= {"list[city]": Cities, "list[theme]": Themes, "list[area]": Areas}


def param(
    default,
    label: str,
    *,
    ge: float | None = None,
    le: float | None = None,
    all_label: str | None = None,
    share: bool = False,
    code: bool = False,
    choice_labels: dict[str, str] | None = None,
    set_by_build: bool = False,
) -> Any:
    """A model field: its default, range (``ge``/``le``) and the words a person reads."""
    words = {
        "label": label,
        "all_label": all_label,
        "format": "share" if share else "code" if code else None,
        "choice_labels": choice_labels,
        "set_by_build": set_by_build,
    }
    return Field(default, ge=ge, le=le, json_schema_extra={"parameter": {k: v for k, v in words.items() if v is not None}})


def _kind_and_choices(annotation) -> tuple[str, list[str] | None]:
    """The parameter kind of a field's type (``Cities | None`` → ``list[city]``)."""
    if get_origin(annotation) is Literal:
        return "str", [str(choice) for choice in get_args(annotation)]
    if get_origin(annotation) is Annotated:
        for marker in annotation.__metadata__:
            if isinstance(marker, Kind):
                return marker.name, None
    if get_origin(annotation) is Union:
        for arg in get_args(annotation):
            if arg is not type(None):
                return _kind_and_choices(arg)
    raise TypeError(f"{annotation!r} is not a parameter type of analysis.params")


# --- the models ------------------------------------------------------------------------------------


class ReportParams(BaseModel):
    """The parameters of one report (frozen: a run's parameters never change under it)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)
    report: ClassVar[str] = "this report"

    @classmethod
    def declared(cls) -> dict[str, Parameter]:
        """Every parameter's declaration, in the order of the model (the footer's order)."""
        out = {}
        for name, field in cls.model_fields.items():
            marked = [marker.name for marker in field.metadata if isinstance(marker, Kind)]  # pydantic lifts a top-level Annotated
            kind, choices = (marked[0], None) if marked else _kind_and_choices(field.annotation)
            bounds = {"min": None, "max": None}
            for constraint in field.metadata:
                if getattr(constraint, "ge", None) is not None:
                    bounds["min"] = constraint.ge
                if getattr(constraint, "le", None) is not None:
                    bounds["max"] = constraint.le
            words = (field.json_schema_extra or {}).get("parameter", {})
            out[name] = Parameter(type=kind, default=field.default, choices=choices, **bounds, **words)
        return out

    @classmethod
    def defaults(cls) -> dict:
        return {name: field.default for name, field in cls.model_fields.items()}

    @classmethod
    def check(cls, values: dict | None = None, *, vocabulary=None, **more):
        """The validated model of ``values`` (and ``more``); :class:`ParameterError` in one line otherwise.

        With a ``vocabulary`` (:class:`analysis.publish.manifest.Vocabulary`), city, theme and
        area names are checked against the data and written as the data spell them.
        """
        values = {**(values or {}), **more}
        try:
            return cls.model_validate(values, context={"vocabulary": vocabulary})
        except ValidationError as exc:
            raise ParameterError(cls._explain(exc.errors()[0], values, vocabulary)) from None

    @classmethod
    def from_namespace(cls, namespace: dict, *, vocabulary=None):
        """The model of a notebook's parameters: the values of its ``parameters`` cell (``globals()``)."""
        return cls.check({name: namespace[name] for name in cls.model_fields if name in namespace}, vocabulary=vocabulary)

    @classmethod
    def describe(cls, name: str, vocabulary=None) -> str:
        """What ``name`` allows, as a person reads it: ``a whole number from 0 to 30``."""
        return describe(cls.declared()[name], vocabulary)

    @classmethod
    def _explain(cls, error: dict, values: dict, vocabulary) -> str:
        name = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "extra_forbidden":
            settable = [n for n, p in cls.declared().items() if not p.set_by_build]
            return f"parameter {shortened(name)} is not a parameter of {cls.report}; allowed: {', '.join(settable)}"
        if name not in cls.model_fields:  # a check of the whole model (see _peers_exclude_the_focal_city)
            name, message = error["msg"].split(": ", 1)
            return f"parameter {name}={shortened(values.get(name))}: {message}"
        reason = f"{error['msg']}; " if error["type"] == "parameter" and error["msg"] != "not allowed" else ""
        return f"parameter {_given(name, values.get(name))}: {reason}expected {cls.describe(name, vocabulary)}"


def _given(name: str, value) -> str:
    """How an error repeats a refused value as the person typed it: ``max_year_gap is empty`` (not ``=None``),
    ``max_year_gap=true`` (YAML's spelling, not Python's ``True``): a parameter sweep found Python's spellings."""
    if value is None:
        return f"{name} is empty"
    if isinstance(value, bool):
        return f"{name}={'true' if value else 'false'}"
    return f"{name}={shortened(value)}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(parameter: Parameter, vocabulary=None) -> str:
    """``a whole number from 0 to 30``, ``one of: none, errors, errors+warnings``, ``a list of city names from: …``."""
    kind = parameter.type
    if kind.startswith("list["):
        inner = kind[5:-1]
        text = f"a list of {inner} names" + (f" from: {', '.join(vocabulary.allowed(inner))}" if vocabulary is not None else "")
    elif kind == "language":
        text = f"one of: {', '.join(config.LANGUAGES)}"
    elif kind in ("city", "theme", "area"):
        text = f"one of: {', '.join(vocabulary.allowed(kind))}" if vocabulary is not None else f"{'an' if kind == 'area' else 'a'} {kind} name"
    elif parameter.choices is not None:
        text = f"one of: {', '.join(parameter.choices)}"
    else:
        text = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "a text"}[kind]
        if parameter.min is not None and parameter.max is not None:
            text += f" from {_number(parameter.min)} to {_number(parameter.max)}"
        elif parameter.min is not None:
            text += f" of at least {_number(parameter.min)}"
    if parameter.default is None and parameter.all_label:
        text += f", or null for {parameter.all_label}"
    return text


class BenchmarkParams(ReportParams):
    """The benchmark report (``notebooks/benchmark.ipynb``, :func:`analysis.methods.benchmark.run_benchmark`)."""

    report: ClassVar[str] = "the report benchmark-{city}"

    lang: Language = param("en", "Language", set_by_build=True)
    focal_city: City = param("Kielce", "Focal city", set_by_build=True)
    peers: Cities | None = param(None, "Peer cities", all_label="all other cities")
    themes: Themes | None = param(None, "Themes", all_label="all themes")
    max_year_gap: Int = param(3, "Largest gap between reference years (years)", ge=0, le=30)
    min_coverage: Float = param(0.5, "Minimum share of a theme's indicators reported", ge=0, le=1, share=True)
    top_n: Int = param(5, "Strengths and weaknesses in the detailed tables (at most)", ge=1, le=20)
    # Doubtful values (warnings) are left out of ranks and scores as they are of the verdicts (comparison_table sets
    # every flagged value aside): a sceptical reading found five doubtful Kielce values each scoring 100 in the overall
    # ranking while the page said none was counted. "errors" (the old default) keeps them, as a variant of the grid.
    exclude_flagged: Literal["none", "errors", "errors+warnings"] = param(
        "errors+warnings",
        "Source values left out",
        choice_labels={"none": "none", "errors": "values that cannot be right as printed", "errors+warnings": "impossible and doubtful values"},
    )
    # At most 20 000: each variant costs about 7 KB of memory and 0.5 ms (measured on the real data,
    # 2 cores: 2 304 variants 0.18 GB and 4 s, 20 000 0.30 GB and 15 s, 50 000 0.50 GB); the old
    # limit of 1 000 000 needed about 6.7 GB and took a worker down. The default, 17 280, is the grid of
    # 864 analysis choices with equal weights and 19 random weight draws: with 2 304 (two draws once the
    # grid doubled) "behind Oakville" held in 90.1 % of the variants with the seed 2018 and in 75.7 % with
    # 2019 (an analyst); with 19 draws the seeds give 81-84 %.
    n_variants: Int = param(17280, "Variants of the rank-stability grid asked for (each indicator left out in turn comes on top)", ge=1, le=20_000)
    seed: Int = param(2018, "Random seed", ge=0, le=4294967295, code=True)  # 2018, not 2,018 (an English editor)

    @model_validator(mode="after")
    def _peers_exclude_the_focal_city(self):
        if self.peers is not None and city_slug(self.focal_city) in {city_slug(peer) for peer in self.peers}:
            raise PydanticCustomError(
                "parameter",
                "peers: the focal city {city} is not its own peer; expected a list of other cities, or null for all other cities",
                {"city": self.focal_city},
            )
        return self


class DispersionParams(ReportParams):
    """The score-dispersion report (``notebooks/score_dispersion.ipynb``, :func:`analysis.methods.dispersion.run_dispersion`)."""

    report: ClassVar[str] = "the report score-dispersion"

    lang: Language = param("en", "Language", set_by_build=True)
    areas: Areas | None = param(None, "Areas", all_label="all seven areas")
    collapse_copies: Bool = param(True, "A unit's identical questionnaires counted once")
    exclude_straightliners: Bool = param(False, "Straight-liners excluded")
    n_boot: Int = param(2000, "Bootstrap resamples", ge=100, le=100_000)
    seed: Int = param(2018, "Random seed", ge=0, le=4294967295, code=True)


class ExploreParams(ReportParams):
    """The exploration page (``notebooks/explore.ipynb``)."""

    report: ClassVar[str] = "the report explore"

    lang: Language = param("en", "Language", set_by_build=True)
    city: City = param("Kielce", "City")
    other_city: City = param("Gdynia", "City compared with")
    theme: Theme = param("Transportation", "Theme of the comparison")
    area: Area = param("safety", "Area of the maturity scores")

    @model_validator(mode="after")
    def _two_different_cities(self):
        # A city compared with itself says nothing (a parameter sweep: city=Gdynia, other_city=gdynia was accepted).
        if city_slug(self.city) == city_slug(self.other_city):
            raise PydanticCustomError(
                "parameter",
                "other_city: {city} is the city itself; expected another city than {city}",
                {"city": self.city},
            )
        return self


MODELS = (BenchmarkParams, DispersionParams, ExploreParams)


def model_from_declarations(name: str, declarations: dict[str, Parameter], report: str = "this report") -> type[ReportParams]:
    """A model of parameters declared inline (test manifests); the project's reports name their model."""
    fields = {}
    for key, p in declarations.items():
        annotation = Literal[tuple(p.choices)] if p.choices is not None else _TYPES[p.type]
        if p.default is None:
            annotation = annotation | None
        words = {
            "label": p.label,
            "all_label": p.all_label,
            "share": p.format == "share",
            "code": p.format == "code",
            "choice_labels": p.choice_labels,
        }
        fields[key] = (annotation, param(p.default, ge=p.min, le=p.max, set_by_build=p.set_by_build, **words))
    model = create_model(name, __base__=ReportParams, **fields)
    model.report = report
    return model


def markdown_table(model: type[ReportParams]) -> str:
    """The README's table of a model's parameters (``python -m analysis.params`` prints every model's)."""
    rows = ["| parameter | allowed | default | meaning |", "|---|---|---|---|"]
    for name, p in model.declared().items():
        if p.set_by_build:
            continue
        default = "null" if p.default is None else str(p.default).lower() if isinstance(p.default, bool) else str(p.default)
        rows.append(f"| `{name}` | {describe(p)} | `{default}` | {p.label} |")
    return "\n".join(rows)


def markdown() -> str:
    return "\n\n".join(f"`{model.__name__}` — {model.report.removeprefix('the report ')}:\n\n{markdown_table(model)}" for model in MODELS)


if __name__ == "__main__":
    print(markdown())
