"""The admin changelist's rows made once per column (``talenthub.core.admin_changelist``)
are Django's, byte for byte (issue 16).

Every registered changelist is rendered on the demo, as the site administrator (sorted,
filtered, searched and on its second page too) and as a programme manager, once through
Django's ``result_list`` (``TALENTHUB["ADMIN_LEAN_CHANGELIST"] = False``) and once through
ours, and the whole pages are compared (the CSRF token aside, which differs per request).
A model admin with every kind of column Django knows is compared cell by cell.
"""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.test import RequestFactory
from django.utils import dateformat, formats, timezone, translation
from django.utils.safestring import mark_safe

from talenthub.core import admin_changelist
from tests.core.test_aggregate_joins import ADMIN, MANAGER, admin_changelists, demo  # noqa: F401

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _render(client, settings, url: str, *, lean: bool):
    settings.TALENTHUB = {**settings.TALENTHUB, "ADMIN_LEAN_CHANGELIST": lean}
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return CSRF.sub("csrf", response.content.decode()), response


def _variants(url: str, cl) -> list[str]:
    """The list sorted by its last sortable column, then by two columns; filtered by its
    first filter's first choice; searched; its second page."""
    urls = []
    headers = list(admin_list.result_headers(cl))
    sortable = [i for i, header in enumerate(headers) if header["sortable"]]
    if sortable:
        urls.append(url + headers[sortable[-1]]["url_primary"])
        urls.append(f"{url}?o=-{sortable[-1]}.{sortable[0]}")
    for spec in cl.filter_specs[:1]:
        chosen = [c for c in spec.choices(cl) if not c.get("selected")]
        if chosen:
            urls.append(url + chosen[0]["query_string"])
    if cl.search_fields:
        urls.append(url + "?q=a")
    if cl.paginator.num_pages > 1:
        urls.append(url + "?p=2")
    return urls


def _hostile_rows():
    """Names that must be escaped, blanks that show as the empty value."""
    from tests.factories import MemberFactory, OrganisationFactory

    organisation = OrganisationFactory(name='<b>"O\'Hara & Sons"</b>', website="javascript:x")
    MemberFactory(full_name="<script>alert('x')</script> & co", profile__organisation=None)
    MemberFactory(full_name="   ", profile__organisation=organisation)


def test_every_changelist_renders_as_djangos(client, settings, demo):  # noqa: F811
    from talenthub.core.models import User

    _hostile_rows()
    compared = 0
    for who, url in admin_changelists():
        client.logout()
        client.force_login(User.objects.get(email=who))
        ours, response = _render(client, settings, url, lean=True)
        urls = [url] + (_variants(url, response.context["cl"]) if who == ADMIN else [])
        for page in urls:
            ours, response = _render(client, settings, page, lean=True)
            django, _response = _render(client, settings, page, lean=False)
            assert ours == django, (who, page)
            compared += 1
    assert compared > 150


@pytest.mark.parametrize(
    "language, zone", [("es", "America/St_Johns"), ("de", "Australia/Lord_Howe")]
)
def test_every_changelist_renders_as_djangos_in_another_language_and_zone(
    client,
    settings,
    demo,  # noqa: F811
    language,
    zone,
):
    """The dates and times worked out once a page (``_DateFormat``: the format split once,
    month names and "a.m."/"p.m." translated once) read the page's language and time
    zone: Spanish and German formats (escaped letters, full month names, 24-hour times),
    zones with half-hour offsets."""
    from talenthub.core.models import User

    settings.LANGUAGE_CODE = language
    settings.TIME_ZONE = zone
    client.force_login(User.objects.get(email=ADMIN))
    compared = 0
    for who, url in admin_changelists():
        if who != ADMIN:
            continue
        ours, _response = _render(client, settings, url, lean=True)
        django, _response = _render(client, settings, url, lean=False)
        assert ours == django, (language, url)
        compared += 1
    assert compared > 60


def _moments():
    """Datetimes through every hour (on the hour, at :30 and at 12:00 and 00:00 exactly),
    month, weekday and a year below 1000, with seconds and microseconds."""
    moments = [
        datetime.datetime(2026, 1, 1) + datetime.timedelta(minutes=30 * n) for n in range(48)
    ]
    moments += [
        datetime.datetime(2025, month, 1 + 2 * month, 12, 5, 7, 1234) for month in range(1, 13)
    ]
    moments += [datetime.datetime(2026, 3, 29, 1, 30), datetime.datetime(2026, 10, 25, 1, 30)]
    moments += [datetime.datetime(7, 2, 28, 23, 59, 59, 999999), datetime.datetime(2024, 2, 29)]
    return moments


# Every format character the lean cells read, alone and together, with escaped letters.
_FORMATS = [*"aAfgGhHiPsubdDEFjlmMnNyY", r"D, j M Y \a\t P (l F N E b) g:i:s.u A a G H h y m n d f"]


@pytest.mark.parametrize("language", [code for code, _name in django_settings.LANGUAGES])
def test_dates_are_formatted_as_djangos_in_every_language(language):
    """``_DateFormat`` gives ``dateformat.format``'s text for each character it reads and
    for every language's own date, time and datetime formats, for aware datetimes (in
    two zones), naive ones, dates and times; characters it does not read (time zones,
    ordinals, ISO weeks), and a time character in a date's format or a date character in
    a time's, are left to Django."""
    from talenthub.core.admin_changelist import _DateFormat

    zones = [zoneinfo.ZoneInfo("Europe/London"), zoneinfo.ZoneInfo("Asia/Kathmandu")]
    with translation.override(language):
        own = [
            formats.get_format(name) for name in ("DATETIME_FORMAT", "DATE_FORMAT", "TIME_FORMAT")
        ]
        for format_string in _FORMATS + own:
            aware = _DateFormat.compile(format_string, datetime.datetime)
            day = _DateFormat.compile(format_string, datetime.date)
            clock = _DateFormat.compile(format_string, datetime.time)
            if format_string in _FORMATS:
                assert aware is not None, format_string
            elif aware is None:  # a time zone character ("T" in Bosnian): Django's code
                unread = set(dateformat.re_formatchars.findall(format_string)) - set(
                    _DateFormat.READERS
                )
                assert unread, format_string
                continue
            for moment in _moments():
                assert aware.format(moment) == dateformat.format(moment, format_string)
                for zone in zones:
                    local = timezone.make_aware(moment, datetime.UTC).astimezone(zone)
                    assert aware.format(local) == dateformat.format(local, format_string)
                if day is not None:
                    assert day.format(moment.date()) == dateformat.format(
                        moment.date(), format_string
                    )
                if clock is not None:
                    assert clock.format(moment.time()) == dateformat.time_format(
                        moment.time(), format_string
                    )
        assert _DateFormat.compile("j M Y, P", datetime.date) is None  # Django raises
        assert _DateFormat.compile("P j", datetime.time) is None  # Django has no "j" for a time
        assert _DateFormat.compile("j M Y", datetime.date) is not None
        assert _DateFormat.compile("P", datetime.time) is not None
        for character in "eIOTZrUcSwLtzWo":
            assert _DateFormat.compile(f"j {character}", datetime.datetime) is None, character


def test_a_list_editable_changelist_is_djangos(client, settings, demo):  # noqa: F811
    """With ``list_editable`` forms the list goes to Django's code whole."""
    from talenthub.core.models import User

    client.force_login(User.objects.get(email=ADMIN))
    ours, response = _render(client, settings, "/admin/core/functionalarea/", lean=True)
    assert response.context["cl"].formset is not None
    django, _response = _render(client, settings, "/admin/core/functionalarea/", lean=False)
    assert ours == django


@admin.display(boolean=True, description="Public sector")
def _public(obj):
    return obj.sector == "local_government" if obj.pk % 3 else None


class _Everything(admin.ModelAdmin):
    """Every kind of column ``items_for_result`` knows, on organisations."""

    list_display = [
        "name", "__str__", "id", "sector", "region", "is_provider", "website", "slug",
        _public, "founded", "nothing", "spaced", "safe_html", "number", "flag",
        "kinds", "maybe_bool", "profiles__job_title",
        (lambda obj: obj.name.upper()),
    ]  # fmt: skip
    list_display_links = ["sector"]
    search_fields = ["name"]

    @admin.display(description="Founded", ordering="name")
    def founded(self, obj):
        return datetime.date(2000 + obj.pk % 20, 1 + obj.pk % 12, 1)

    @admin.display(empty_value="<none> & nothing")
    def nothing(self, obj):
        return None if obj.pk % 2 else ""

    def spaced(self, obj):
        return "   "

    def safe_html(self, obj):
        return mark_safe(f"<em>{obj.pk}</em>")

    def number(self, obj):
        return obj.pk * 1000 + 0.5 if obj.pk % 2 else obj.pk * 1000

    @admin.display(boolean=True)
    def flag(self, obj):
        return obj.pk % 2 == 0

    def kinds(self, obj):
        return ["a", obj.pk]

    @admin.display(boolean=True)
    def maybe_bool(self, obj):
        return 1 if obj.pk % 2 else 0


@pytest.mark.parametrize(
    "query, links",
    [
        ({}, ["sector"]),
        ({"o": "2.-1", "q": "a", "is_provider__exact": "1"}, ["sector"]),
        ({}, []),
        ({}, None),
        ({"o": "-3"}, ["name", "founded"]),
    ],
)
def test_every_kind_of_column_renders_as_djangos(query, links):
    from talenthub.core.models import Organisation, User
    from tests.factories import MemberFactory, OrganisationFactory

    _hostile_rows()
    for n in range(6):
        OrganisationFactory(name=f"Organisation {n} & <i>co</i>", is_provider=n % 2 == 0)
    MemberFactory(profile__organisation=Organisation.objects.first())

    class Everything(_Everything):
        list_display_links = links
        list_filter = ["is_provider"]

    model_admin = Everything(Organisation, admin.site)
    request = RequestFactory().get("/admin/core/organisation/", query)
    request.user = User.objects.create_superuser("root@example.com", "x")
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view sets it without list_editable
    assert len(cl.result_list) >= 3
    django = [list(row) for row in admin_list.result_list(cl)["results"]]
    ours = [list(row) for row in admin_changelist.rows(cl)]
    assert ours == django


def test_the_cells_escape_as_conditional_escape():
    """``_html`` and ``_escape_object`` (Django's ``conditional_escape`` without its lazy
    wrapper) give its text and its type for plain, safe, lazy and HTML-bearing values, and
    for an object whose text is marked safe (escaped all the same, as Django's ``escape``
    of an object does)."""
    from django.utils.html import conditional_escape
    from django.utils.translation import gettext_lazy

    from talenthub.core.admin_changelist import _escape_object, _html

    class Html:
        def __html__(self):
            return "<b>as html</b>"

    class SafeText:
        def __str__(self):
            return mark_safe("<i>safe</i> & sound")

    texts = ["", "plain", "<script>'x' & \"y\"</script>", mark_safe("<b>ok</b>"),
             gettext_lazy("p.m."), Html()]  # fmt: skip
    for text in texts:
        assert _html(text) == conditional_escape(text)
        assert type(_html(text)) is type(conditional_escape(text))
    for value in [Html(), SafeText(), 42, datetime.date(2026, 1, 2)]:
        assert _escape_object(value) == conditional_escape(value)
