"""The pages' narrative paragraphs: Jinja2 templates translated by the one gettext catalogue.

A paragraph of several sentences is a template in ``text/templates/`` (``<page>-<paragraph>.md.j2``),
written in English with ``jinja2.ext.i18n``::

    {% trans city=city, n=n_variants|num(0) %}Each rank of {{ city }} was recomputed under {{ n }}
    variants.{% endtrans %}
    {%- if fragile %} {% trans count=fragile, n=fragile|num(0) %}{{ n }} claim is fragile.
    {%- pluralize count %}{{ n }} claims are fragile.{% endtrans %}{% endif %}

``pybabel extract`` (``python -m analysis.text.catalogue``, babel.cfg's ``[jinja2]`` section, whitespace
``trimmed``) puts each ``{% trans %}`` block into ``locales/messages.pot`` as one message
(``"Each rank of %(city)s was recomputed under %(n)s variants."``), translated in the same
``locales/pl/LC_MESSAGES/messages.po`` that :class:`~analysis.text.i18n.Lang` reads: changing a
sentence in both languages is one edit of a template and one of the ``.po`` file. Plural forms are
chosen by Babel's plural rule of the page's locale (three in Polish: 1 / 2–4 / 5+), as
:meth:`Lang.plural <analysis.text.i18n.Lang.plural>` chooses them.

**Escaping by default.** The environment does not HTML-autoescape (the output is Markdown), and
Jinja's ``{% trans %}`` with autoescape off puts its variables into the sentence as they are. So
here every value is escaped for Markdown (:func:`analysis.text.common.md_escape`) on its way in:

* ``{{ value }}`` through the environment's ``finalize``;
* the variables of ``{% trans %}`` and of ``gettext``/``ngettext`` by the translated message itself
  (its ``%`` escapes each value);

unless the value is a :class:`markupsafe.Markup`: what the filters below return (numbers written
by the page's :class:`Lang`, a bold name, a list of names, each name escaped first) and what the
calling code marks as Markdown it made itself (a label the code translated, never a name from data).
A name from data is passed as it is and comes out as text, whatever markup it holds.

Filters (each formats with the page's :class:`Lang` and returns ``Markup``): ``num(decimals=1,
signed=False)`` (:meth:`Lang.num`), ``share(decimals=0)``, ``pct(decimals=0)``, ``bold`` (escaped,
then ``**…**``) and ``names`` (each item escaped, joined as the language joins a list: "a, b and c").

:func:`render` returns a plain ``str`` (never ``Markup``, whose ``+`` would HTML-escape the text
it is added to).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from markupsafe import Markup

from analysis.text.common import md_escape
from analysis.text.i18n import Lang

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def escape(value) -> Markup:
    """``value`` as Markdown: a :class:`Markup` as it is, anything else escaped by :func:`md_escape`."""
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(value))


class _Message(Markup):
    """A translated message: Markdown as written; its ``%(name)s`` placeholders take escaped values,
    and a translation's ``%(city:gen)s`` the city declined in that case (:meth:`Lang.decline`)."""

    tr: Lang  # set by _gettext/_ngettext (no __slots__: a str subclass cannot have non-empty ones)

    def __mod__(self, values) -> Markup:
        if not isinstance(values, Mapping):
            raise TypeError("a template message takes named placeholders only: %(name)s")
        text, values = _declined(str(self), values, self.tr)
        return Markup(str.__mod__(text, {key: escape(value) for key, value in values.items()}))


def _tr(context) -> Lang:
    return context["tr"]


_CASE_PLACEHOLDER = re.compile(r"%\((\w+):(\w+)\)s")


def _declined(text: str, values: dict, tr: Lang) -> tuple[str, dict]:
    """A translation's ``%(city:gen)s`` placeholders filled with the declined name (:meth:`Lang.decline`)."""
    if "%(" not in text or not _CASE_PLACEHOLDER.search(text):
        return text, values
    values = dict(values)

    def fill(match) -> str:
        name, case = match.groups()
        key = f"{name}__{case}"
        values[key] = tr.decline(values[name], case)
        return f"%({key})s"

    return _CASE_PLACEHOLDER.sub(fill, text), values


def _message(text: str, tr: Lang) -> _Message:
    message = _Message(text)
    message.tr = tr
    return message


def _gettext(context, message: str, **values) -> Markup:
    """The translation of ``message`` in the page's language (``{% trans %}``, ``gettext()``)."""
    text = _message(_tr(context).text(message), _tr(context))
    return text % values if values else text


def _ngettext(context, singular: str, plural: str, count, **values) -> Markup:
    """The form of a plural message for ``count``, by Babel's plural rule of the page's locale."""
    text = _message(_tr(context).plural_form(singular, plural, count), _tr(context))
    return text % values if values else text


def _num(context, value, decimals: int = 1, signed: bool = False) -> Markup:
    return Markup(_tr(context).num(value, decimals, signed=signed))


def _share(context, value, decimals: int = 0) -> Markup:
    return Markup(_tr(context).share(value, decimals))


def _pct(context, value, decimals: int = 0) -> Markup:
    return Markup(_tr(context).pct(value, decimals))


def _ordinal(context, value) -> Markup:
    return Markup(_tr(context).ordinal(value))


def _names(context, items) -> Markup:
    return Markup(_tr(context).join(escape(item) for item in items))


def _bold(value) -> Markup:
    return Markup(f"**{escape(value)}**")


@cache
def environment():
    """The one Jinja2 environment of the text layer (templates are compiled once per process)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        extensions=["jinja2.ext.i18n"],
        autoescape=False,  # Markdown, not HTML: escaping is done by finalize and the messages' %
        finalize=escape,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts: whitespace runs are one space
    env.install_gettext_callables(pass_context(_gettext), pass_context(_ngettext), newstyle=False)
    env.filters.update(
        num=pass_context(_num),
        share=pass_context(_share),
        pct=pass_context(_pct),
        names=pass_context(_names),
        bold=_bold,
    )
    return env


def _html_gettext(context, message: str, **values) -> Markup:
    """``{% trans %}`` in an HTML template (new-style gettext: the values come with the message): the
    translation as markup, its values HTML-escaped, a translation's ``%(city:gen)s`` the city declined."""
    tr = _tr(context)
    text, values = _declined(tr.text(message), values, tr)
    return Markup(text) % values if values else Markup(text)


def _html_ngettext(context, singular: str, plural: str, num, **values) -> Markup:
    tr = _tr(context)
    values.setdefault("num", num)
    text, values = _declined(tr.plural_form(singular, plural, num), values, tr)
    return Markup(text) % values


@cache
def html_environment():
    """The environment of the few blocks written as HTML (``*.html.j2``): HTML autoescape, the same catalogue."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    # New-style gettext, installed by hand: Jinja passes the values to these callables (install_gettext_callables
    # would wrap them and format with a plain Markup, which knows no declined placeholders).
    env.globals.update(gettext=pass_context(_html_gettext), ngettext=pass_context(_html_ngettext))
    env.newstyle_gettext = True
    env.filters.update(num=pass_context(_num), share=pass_context(_share), pct=pass_context(_pct), ordinal=pass_context(_ordinal))
    return env


def render_html(name: str, tr: Lang, **values) -> str:
    """The HTML of the template ``name`` (``*.html.j2``) in ``tr``'s language; every value is HTML-escaped."""
    return str(html_environment().get_template(name).render(tr=tr, **values))


def render(name: str, tr: Lang, **values) -> str:
    """The Markdown of the template ``name`` (in ``text/templates/``) in ``tr``'s language."""
    return str(environment().get_template(name).render(tr=tr, **values))
