"""The admin changelist's rows, with each column worked out once a page (issue 16).

Django's ``items_for_result`` works out, for every cell of every row, what kind of column
it is (``lookup_field`` asks the model's ``_meta`` and catches ``FieldDoesNotExist`` for
every non-field column), the empty value, a choice's label, the boolean icons' static
URLs, the date and number formats, the row's change URL (a ``reverse()``, and with a
query string a ``resolve()`` too) and the row checkbox (a widget render): about 0.1 ms a
cell, 30-70 % of a changelist's time (docs/benchmarks.md, "Fourth round").

``result_list`` here gives the ``change_list_results.html`` template the same context as
Django's ``result_list`` tag, with rows made by a plan worked out once per page: per
column, how its value is read, how it is shown and its ``<td>`` classes; the change URL
reversed once with a placeholder (an ``int`` primary key is put in its place); the
checkbox rendered once with placeholders (the key and the object's text escaped into
them). Each cell still reads its value the way Django does (the same attribute, method
or callable, in the same order, so the same queries) and anything the plan does not know
goes to Django's own code: a value of an unexpected type to ``display_for_value`` or
``display_for_field``, a non-``int`` key to ``url_for_result``, and a list with
``list_editable`` forms or in a popup to Django's ``result_list`` whole.

The cells are Django's, byte for byte: tests/core/test_admin_changelist.py renders every
registered changelist both ways (sorted, filtered, searched, as a superuser and as a
programme manager) and compares. ``TALENTHUB["ADMIN_LEAN_CHANGELIST"] = False`` sends
every list back to Django's code.
"""

from __future__ import annotations

import datetime
import decimal
from html import escape as html_escape

from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, dates, formats, numberformat, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

try:  # Django raises this for "<fk>_id" in list_display; a private name, so guarded
    from django.contrib.admin.utils import FieldIsAForeignKeyColumnName
except ImportError:  # pragma: no cover
    FieldIsAForeignKeyColumnName = FieldDoesNotExist

# Placeholders for the change URL's key and the checkbox's key and text: letters only,
# so that reversing, quoting and escaping leave them as they are.
_PK = "TalentHubChangelistPkPlaceholder"
_TEXT = "TalentHubChangelistTextPlaceholder"
_MISSING = object()


def _html(text) -> str:
    """``conditional_escape(text)``; a plain ``str`` escaped without Django's ``keep_lazy``
    wrapper (which looks at every argument for a lazy string: about 2 us a call, several
    calls a row)."""
    if type(text) is str:
        return SafeString(html_escape(text))
    return conditional_escape(text)


def _escape_object(value) -> str:
    """``conditional_escape(value)`` of an object that is no string (a related row)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html_escape(str(value)))


def enabled() -> bool:
    return settings.TALENTHUB.get("ADMIN_LEAN_CHANGELIST", True)


def result_list(cl) -> dict:
    """The context of Django's ``result_list`` tag (``admin_list.result_list``)."""
    if not enabled() or cl.formset is not None or cl.is_popup:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],  # only a formset has hidden fields
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        # Each row's cells joined into one item: change_list_results.html prints a row's
        # items one after the other (``{% for item in result %}{{ item }}{% endfor %}``),
        # so the HTML is the same, without a loop turn and a variable node per cell. The
        # row's length (read only for a form's errors) never is: forms go to Django's code.
        "results": [
            admin_list.ResultList(None, [SafeString("".join(cells))]) for cells in rows(cl)
        ],
    }


def rows(cl) -> list:
    """Each result's cells, as ``admin_list.results`` gives them without forms."""
    page = _Page(cl)
    cells = [page.column(index, name) for index, name in enumerate(cl.list_display)]
    return [
        admin_list.ResultList(None, [cell(result) for cell in cells]) for result in cl.result_list
    ]


def _is_boolean(attr) -> bool:
    """``items_for_result``'s reading of a column's ``boolean`` flag."""
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    return boolean


class _Page:
    """What one changelist page's cells share: formats, icons, the change URL."""

    def __init__(self, cl):
        self.cl = cl
        self.model_admin = cl.model_admin
        self.empty = cl.model_admin.get_empty_value_display()
        self.empty_html = conditional_escape(self.empty)
        self.icons = {value: admin_list._boolean_icon(value) for value in (True, False, None)}
        lang = get_language()
        self.decimal_sep = get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", lang, use_l10n=True)
        self.thousand_sep = get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
        self.datetime_format = get_format("DATETIME_FORMAT")
        self.date_format = get_format("DATE_FORMAT")
        self.time_format = get_format("TIME_FORMAT")
        self._date_formats = {}  # value type -> _DateFormat, or None for Django's code
        self._local_zone = _MISSING
        self.first = True  # no column made a link yet (items_for_result's ``first``)
        self._url = _MISSING

    # -- values shown as Django's display_for_value / display_for_field show them ------

    def number(self, value, decimal_pos=None) -> str:
        """``formats.number_format(value, decimal_pos)``."""
        return numberformat.format(
            value, self.decimal_sep, decimal_pos, self.grouping, self.thousand_sep,
            force_grouping=False, use_l10n=True,
        )  # fmt: skip

    def localize(self, value):
        """``formats.localize(value)``."""
        kind = type(value)
        if kind is datetime.datetime or kind is datetime.date or kind is datetime.time:
            try:
                compiled = self._date_formats[kind]
            except KeyError:
                compiled = self._date_formats[kind] = _DateFormat.compile(
                    self.datetime_format
                    if kind is datetime.datetime
                    else self.date_format
                    if kind is datetime.date
                    else self.time_format,
                    kind,
                )
            if compiled is not None:
                return compiled.format(value)
            if kind is datetime.time:
                return dateformat.time_format(value, self.time_format)
            return dateformat.format(
                value, self.datetime_format if kind is datetime.datetime else self.date_format
            )
        if kind is int or kind is decimal.Decimal or kind is float:
            return self.number(value)
        return formats.localize(value)

    def localtime(self, value):
        """``timezone.template_localtime(value)``, the current time zone read once."""
        if self._local_zone is _MISSING:
            self._local_zone = timezone.get_current_timezone() if settings.USE_TZ else None
        if (
            self._local_zone is None
            or not isinstance(value, datetime.datetime)
            or value.utcoffset() is None
            or not getattr(value, "convert_to_local_time", True)
        ):
            return value
        return value.astimezone(self._local_zone)

    def value_html(self, value, empty, boolean) -> str:
        """``conditional_escape(display_for_value(value, empty, boolean))``."""
        if boolean:
            if value is True or value is False or value is None:
                return self.icons[value]
            return admin_list._boolean_icon(value)
        if isinstance(value, str):
            return _html(empty if value == "" else str(value))
        kind = type(value)  # exact types: a bool or a subclass goes to Django's code
        if kind is int or kind is float or kind is decimal.Decimal:
            return _html(self.number(value))
        if kind is datetime.datetime:
            return _html(self.localize(self.localtime(value)))
        if kind is datetime.date or kind is datetime.time:
            return _html(self.localize(value))
        return conditional_escape(display_for_value(value, empty, boolean))

    # -- the change URL ------------------------------------------------------------------

    def url_parts(self):
        """(before, after) the key in a result's escaped change URL with this page's
        preserved filters, or None where Django's ``url_for_result`` should make it."""
        if self._url is _MISSING:
            cl = self.cl
            self._url = None
            try:
                url = reverse(
                    f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                    args=(_PK,),
                    current_app=cl.model_admin.admin_site.name,
                )
            except NoReverseMatch:
                return None
            url = add_preserved_filters(
                {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
            )
            before, found, after = url.partition(_PK)
            if found and "?" not in before and "#" not in before:
                self._url = escape(before), escape(after)
        return self._url

    def link_html(self, result) -> str | None:
        """The escaped change URL of ``result`` as ``items_for_result`` makes it; None
        where Django makes none (``NoReverseMatch``)."""
        parts = self.url_parts()
        cl = self.cl
        pk = getattr(result, cl.pk_attname)
        if parts is not None and type(pk) is int:
            return f"{parts[0]}{pk}{parts[1]}"
        try:
            url = cl.url_for_result(result)
        except NoReverseMatch:
            return None
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )
        return conditional_escape(url)

    # -- columns -------------------------------------------------------------------------

    def column(self, index, name):
        """A function making this column's cell for a result (``<td>`` or ``<th>``,
        safe HTML), as ``items_for_result`` makes it."""
        cl = self.cl
        if cl.list_display_links is None:
            link = False
        elif self.first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "td"
        if link:
            tag = "th" if self.first else "td"
            self.first = False
        field_class = f"field-{admin_list._coerce_field_name(name, index)}"
        show = self._show(name, field_class, link)
        empty = self.empty_html

        if not link:

            def cell(result):
                try:
                    classes, html = show(result)
                except ObjectDoesNotExist:
                    classes, html = field_class, empty
                return SafeString(f'<td class="{classes}">{html}</td>')

            return cell

        def linked_cell(result):
            try:
                classes, html = show(result)
            except ObjectDoesNotExist:
                classes, html = field_class, empty
            url = self.link_html(result)
            if url is not None:
                html = f'<a href="{url}">{html}</a>'
            return SafeString(f'<{tag} class="{classes}">{html}</{tag}>')

        return linked_cell

    def _show(self, name, field_class, link):
        """A function returning (the cell's classes, its escaped content) for a result,
        for the kind of column ``name`` is (``lookup_field``'s branches, in its order)."""
        model_admin = self.model_admin
        try:
            field = _get_non_gfk_field(self.cl.model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None
        if field is not None and not field.auto_created:
            return self._field(name, field, field_class, link)
        if field is not None:  # an auto-created field (the id): shown as a value
            return self._value(
                lambda result: (None, getattr(result, name)), name, field_class, None
            )
        if callable(name):
            attr = name
            return self._value(lambda result: (attr, attr(result)), name, field_class, attr)
        if hasattr(model_admin, name) and name != "__str__":
            attr = getattr(model_admin, name)
            checkbox = self._checkbox(name, attr)
            if checkbox is not None:
                return checkbox
            return self._value(lambda result: (attr, attr(result)), name, field_class, attr)
        return self._value(self._attribute_lookup(name), name, field_class)

    def _attribute_lookup(self, name):
        """``lookup_field``'s last branch: an attribute, method or ``__`` path of the
        result; the attribute of the model class of that name where it has one."""
        model_admin = self.model_admin
        class_attr = _MISSING
        if hasattr(model_admin, "model") and hasattr(model_admin.model, name):
            class_attr = getattr(model_admin.model, name)
        sentinel = object()
        parts = name.split(LOOKUP_SEP)

        def lookup(result):
            attr = getattr(result, name, sentinel)
            if callable(attr):
                value = attr()
            else:
                if attr is sentinel:
                    attr = result
                    for part in parts:
                        attr = getattr(attr, part, sentinel)
                        if attr is sentinel:
                            return None, None  # lookup_field's (None, None, None)
                value = attr
            if class_attr is not _MISSING:
                attr = class_attr
            return attr, value

        return lookup

    def _value(self, lookup, name, field_class, constant_attr=_MISSING):
        """A column shown with ``display_for_value``: a method, a callable, an attribute
        or an auto-created field. ``lookup(result)`` gives (attr, value)."""
        default_empty = self.empty
        base = "action-checkbox" if name == "action_checkbox" else field_class
        dated = f"{base} nowrap"
        value_html = self.value_html
        if constant_attr is not _MISSING:
            empty = getattr(constant_attr, "empty_value_display", default_empty)
            boolean = _is_boolean(constant_attr)

        def show(result):
            attr, value = lookup(result)
            if constant_attr is _MISSING:
                row_empty = getattr(attr, "empty_value_display", default_empty)
                row_boolean = _is_boolean(attr)
            else:
                row_empty, row_boolean = empty, boolean
            if isinstance(value, str) and value.strip() == "":
                value = ""
            html = value_html(value, row_empty, row_boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                return dated, html
            return base, html

        return show

    def _checkbox(self, name, attr):
        """The row checkbox (Django's own ``action_checkbox``), rendered once with
        placeholders; None if it is not Django's or the placeholders do not come out
        whole."""
        if name != "action_checkbox" or type(self.model_admin).action_checkbox is not (
            ModelAdmin.action_checkbox
        ):
            return None

        class Placeholder:
            pk = _PK

            def __str__(self):
                return _TEXT

        html = str(attr(Placeholder()))
        if html.count(_PK) != 1 or html.count(_TEXT) != 1 or html.strip() == "":
            return None
        key_first = html.index(_PK) < html.index(_TEXT)
        first, second = (_PK, _TEXT) if key_first else (_TEXT, _PK)
        head, rest = html.split(first)
        middle, tail = rest.split(second)
        base = "action-checkbox"
        if getattr(attr, "boolean", False) or hasattr(attr, "empty_value_display"):
            return None

        def show(result):
            key = str(result.pk)
            if key == "":
                return base, conditional_escape(str(attr(result)))
            key = _html(key)
            text = _html(str(result))
            if key_first:
                return base, f"{head}{key}{middle}{text}{tail}"
            return base, f"{head}{text}{middle}{key}{tail}"

        return show

    def _field(self, name, field, field_class, link):
        """A model field's column (``display_for_field``, or the related object of a
        foreign key)."""
        empty = self.empty_html
        nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
        classes = f"{field_class} nowrap" if nowrap else field_class

        if isinstance(field.remote_field, models.ManyToOneRel):

            def related(result):  # the object, or None (``name`` is ``field.name``)
                value = getattr(result, name)
                return classes, empty if value is None else _escape_object(value)

            return related

        display = self._field_display(field, link)

        def show(result):
            value = getattr(result, name)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return classes, display(value)

        return show

    def _field_display(self, field, link):
        """``conditional_escape(display_for_field(value, field, empty, link))`` for this
        field, with what does not depend on the value worked out now."""
        empty, empty_html = self.empty, self.empty_html
        empty_values = field.empty_values

        def django(value):
            return conditional_escape(display_for_field(value, field, empty, avoid_link=link))

        if getattr(field, "flatchoices", None):
            try:
                labels = {key: conditional_escape(label) for key, label in field.flatchoices}
            except TypeError:  # choices that cannot be keys: Django's make_hashable
                return django

            def choice(value):
                try:
                    return labels.get(value, empty_html)
                except TypeError:
                    return django(value)

            return choice
        if isinstance(field, models.BooleanField):
            icons = self.icons

            def boolean(value):
                if value is True or value is False or value is None:
                    return icons[value]
                return admin_list._boolean_icon(value)

            return boolean
        if isinstance(field, (models.FileField, models.URLField, models.JSONField)):
            return django
        if isinstance(field, models.DateTimeField):
            localize, localtime = self.localize, self.localtime

            def moment(value):
                if value in empty_values:
                    return empty_html
                return _html(localize(localtime(value)))

            return moment
        if isinstance(field, (models.DateField, models.TimeField)):
            localize = self.localize

            def day(value):
                if value in empty_values:
                    return empty_html
                return _html(localize(value))

            return day
        if isinstance(field, models.DecimalField):
            number, places = self.number, field.decimal_places

            def decimal_number(value):
                if value in empty_values:
                    return empty_html
                return _html(number(value, places))

            return decimal_number
        if isinstance(field, (models.IntegerField, models.FloatField)):
            number = self.number

            def whole_number(value):
                if value in empty_values:
                    return empty_html
                return _html(number(value))

            return whole_number

        def other(value):
            if value in empty_values:
                return empty_html
            if type(value) is str:
                return SafeString(html_escape(value))
            return conditional_escape(display_for_value(value, empty))

        return other


class _DateFormat:
    """``dateformat.format`` (or ``time_format``) of one format string for values of one
    type, with the string split once and the month, day and "a.m."/"p.m." names
    translated once (a page is rendered in one language). Only the format characters that
    read the value's own fields: those that read its time zone (``e I O T Z r U c``), and
    the rarer ones, leave the format to Django's code, as does a time character in a
    date's format (Django raises) or a date character in a time's (Django has none)."""

    # The time characters: TimeFormat's (Django refuses them for a date).
    TIME = frozenset("aAefgGhHiOPsTuZ")

    def __init__(self, pieces):
        self.pieces = pieces
        self.names = {}

    @classmethod
    def compile(cls, format_string, kind) -> _DateFormat | None:
        pieces = []
        for index, piece in enumerate(dateformat.re_formatchars.split(str(format_string))):
            if index % 2:
                if piece not in cls.READERS:
                    return None
                if kind is datetime.date and piece in cls.TIME:
                    return None
                if kind is datetime.time and piece not in cls.TIME:
                    return None
                pieces.append(cls.READERS[piece])
            elif piece:
                pieces.append(dateformat.re_escaped.sub(r"\1", piece))
        return cls(pieces)

    def format(self, value) -> str:
        return "".join([p if type(p) is str else p(self, value) for p in self.pieces])

    def name(self, table, key):
        """A translated name (``str`` of a lazy one, in Django's tables), once a page."""
        try:
            return self.names[id(table), key]
        except KeyError:
            text = self.names[id(table), key] = str(table[key])
            return text

    def word(self, message):
        """``gettext(message)`` once a page."""
        try:
            return self.names[None, message]
        except KeyError:
            text = self.names[None, message] = gettext(message)
            return text

    # DateFormat's and TimeFormat's methods, each ``str(method())``, by character.
    def _f(self, value):
        hour = value.hour % 12 or 12
        return f"{hour}:{value.minute:02d}" if value.minute else str(hour)

    def _a(self, value):
        return self.word("p.m.") if value.hour > 11 else self.word("a.m.")

    def _P(self, value):
        if value.minute == 0 and value.hour == 0:
            return self.word("midnight")
        if value.minute == 0 and value.hour == 12:
            return self.word("noon")
        return f"{self._f(value)} {self._a(value)}"

    READERS = {
        "a": _a,
        "A": lambda self, value: self.word("PM") if value.hour > 11 else self.word("AM"),
        "f": _f,
        "g": lambda self, value: str(value.hour % 12 or 12),
        "G": lambda self, value: str(value.hour),
        "h": lambda self, value: f"{value.hour % 12 or 12:02d}",
        "H": lambda self, value: f"{value.hour:02d}",
        "i": lambda self, value: f"{value.minute:02d}",
        "P": _P,
        "s": lambda self, value: f"{value.second:02d}",
        "u": lambda self, value: f"{value.microsecond:06d}",
        "b": lambda self, value: self.name(dates.MONTHS_3, value.month),
        "d": lambda self, value: f"{value.day:02d}",
        "D": lambda self, value: self.name(dates.WEEKDAYS_ABBR, value.weekday()),
        "E": lambda self, value: self.name(dates.MONTHS_ALT, value.month),
        "F": lambda self, value: self.name(dates.MONTHS, value.month),
        "j": lambda self, value: str(value.day),
        "l": lambda self, value: self.name(dates.WEEKDAYS, value.weekday()),
        "m": lambda self, value: f"{value.month:02d}",
        "M": lambda self, value: self.name(_MONTHS_3_TITLE, value.month),
        "n": lambda self, value: str(value.month),
        "N": lambda self, value: self.name(dates.MONTHS_AP, value.month),
        "y": lambda self, value: f"{value.year % 100:02d}",
        "Y": lambda self, value: f"{value.year:04d}",
    }


class _Title:
    """``MONTHS_3[month].title()``, as DateFormat.M reads it, for ``_DateFormat.name``."""

    def __getitem__(self, month):
        return dates.MONTHS_3[month].title()


_MONTHS_3_TITLE = _Title()
