"""The admin's list filters that find their choices from the small table's side
(``talenthub.core.admin_filters``, issue 16): on the demo, every such filter of every
changelist offers exactly the choices Django's ``RelatedOnlyFieldListFilter`` offered,
as the site administrator and as a programme manager (whose lists are scoped); the
cohort year filters the years Django's ``dates()`` gave; the booking list's event menu
still filters with its old parameter, keeps the other filters, and offers only the
manager's events."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.test import RequestFactory
from django.urls import reverse

from talenthub.core.admin_filters import (
    RelatedExistsFieldListFilter,
    RelatedSelectFieldListFilter,
    _KeptDatesQuerySet,
    related_rows_with,
)
from tests.core.test_aggregate_joins import ADMIN, MANAGER, demo  # noqa: F401

pytestmark = pytest.mark.django_db


def _changelist(model_admin, user, query="") -> ChangeList:
    request = RequestFactory().get("/admin/?" + query)
    request.user = user
    return model_admin.get_changelist_instance(request), request


def _old_choices(spec, request, model_admin):
    """What Django's RelatedOnlyFieldListFilter offered for the same filter."""
    return admin.RelatedOnlyFieldListFilter.field_choices(spec, spec.field, request, model_admin)


def _old_years(spec, request, model_admin):
    years = model_admin.get_queryset(request).dates(spec.date_field, "year", order="DESC")
    return [(str(d.year), str(d.year)) for d in years]


def test_every_related_filter_offers_what_related_only_offered(demo):  # noqa: F811
    from cohorts.admin import YearFilter
    from talenthub.core.models import User

    compared, offered, years_compared = 0, 0, 0
    for email in (ADMIN, MANAGER):
        user = User.objects.get(email=email)
        for model_admin in admin.site._registry.values():
            request = RequestFactory().get("/admin/")
            request.user = user
            if not model_admin.has_view_or_change_permission(request):
                continue
            changelist, request = _changelist(model_admin, user)
            for spec in changelist.filter_specs:
                if isinstance(spec, RelatedExistsFieldListFilter):
                    old = _old_choices(spec, request, model_admin)
                    assert spec.lookup_choices == old, (email, model_admin, spec.field_path)
                    compared += 1
                    offered += len(old)
                elif isinstance(spec, YearFilter):
                    old = _old_years(spec, request, model_admin)
                    assert spec.lookup_choices == old, (email, model_admin, spec.date_field)
                    years_compared += 1
    # The comparison saw real choices: the manager's scoped filters and the admin's.
    assert compared >= 20 and offered >= 60 and years_compared >= 6


def test_related_rows_with_follows_each_kind_of_path(demo):  # noqa: F811
    """A chain of foreign keys hop by hop; a reverse relation in one EXISTS; both the
    rows ``pk__in`` the path's values gives, and a scoped queryset gives fewer."""
    from cohorts.models import Application, Cohort
    from programmes.models import Programme
    from talenthub.core.models import Organisation

    applications = Application.objects.submitted()
    for path, model in [
        ("cohort", Cohort),
        ("cohort__version__programme", Programme),
        ("cohort__provider", Organisation),
    ]:
        old = set(model.objects.filter(pk__in=applications.values(f"{path}__pk")))
        assert set(related_rows_with(applications, path)) == old
        assert old
    # A reverse path: cohorts that have a submitted application, from the cohorts' side.
    cohorts = Cohort.objects.all()
    reverse_rows = related_rows_with(cohorts, "version")
    assert set(reverse_rows) == {c.version for c in cohorts}
    one = Cohort.objects.filter(applications__isnull=False).first()
    scoped = applications.filter(cohort=one)
    assert set(related_rows_with(scoped, "cohort")) == {one}


def _booking_page(client, query=""):
    response = client.get(reverse("admin:events_booking_changelist") + query)
    assert response.status_code == 200
    return response


def test_booking_event_menu_filters_with_the_old_parameter(client, demo):  # noqa: F811
    from events.models import Booking
    from talenthub.core.models import User

    client.force_login(User.objects.get(email=ADMIN))
    event = Booking.objects.values_list("event", flat=True).first()
    expected = Booking.objects.filter(event=event).count()
    assert expected < Booking.objects.count()

    response = _booking_page(client, f"?event__id__exact={event}&status__exact=confirmed")
    changelist = response.context["cl"]
    assert (
        changelist.result_count
        == expected - Booking.objects.filter(event=event).exclude(status="confirmed").count()
    )
    assert {b.event_id for b in changelist.result_list} == {event}
    html = response.content.decode()
    # The menu shows the event chosen, and keeps the other filter as a hidden field.
    assert f'<option value="{event}" selected>' in html
    assert '<input type="hidden" name="status__exact" value="confirmed">' in html
    assert '<select name="event__id__exact"' in html

    # The menu sent at "---------" (no event) lists every booking, not an error.
    response = _booking_page(client, "?event__id__exact=&status__exact=confirmed")
    assert response.context["cl"].result_count == Booking.objects.filter(status="confirmed").count()


def test_booking_event_menu_offers_every_booked_event_once_in_order(client, demo):  # noqa: F811
    from events.models import Booking, Event
    from talenthub.core.models import User

    client.force_login(User.objects.get(email=ADMIN))
    html = _booking_page(client).content.decode()
    menu = re.search(r'<select name="event__id__exact"[^>]*>(.*?)</select>', html, re.S)
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', menu.group(1))
    booked = Event.objects.filter(pk__in=Booking.objects.values("event")).order_by(
        "starts_at", "pk"
    )
    from django.utils.html import escape

    assert options == [(str(e.pk), escape(str(e))) for e in booked]
    # No link per event any more: the choices are the menu's options.
    assert "event__id__exact=" not in re.sub(r"<form.*?</form>", "", html, flags=re.S)


def test_manager_event_menu_offers_only_their_events(client, demo):  # noqa: F811
    from events.models import Booking
    from talenthub.core.models import User
    from talenthub.core.permissions import user_provider
    from tests.events.factories import BookingFactory

    manager = User.objects.get(email=MANAGER)
    provider = user_provider(manager)
    # The demo's manager organises no booked event: give their provider two.
    BookingFactory(event__organiser=provider, event__slug="theirs-1")
    BookingFactory(event__organiser=provider, event__slug="theirs-2")
    client.force_login(manager)
    html = _booking_page(client).content.decode()
    offered = set(map(int, re.findall(r'<option value="(\d+)"', html)))
    theirs = set(Booking.objects.filter(event__organiser=provider).values_list("event", flat=True))
    assert len(theirs) == 2
    assert offered == theirs
    assert set(Booking.objects.values_list("event", flat=True)) - theirs


def test_select_filter_is_a_related_only_filter():
    """The scoped admins' check (``tests/compact/test_admin_scoping.py``) and
    ``related_only_list_filter`` treat these as related-only filters."""
    assert issubclass(RelatedSelectFieldListFilter, admin.RelatedOnlyFieldListFilter)


def test_career_entry_date_hierarchy_shows_djangos_years(client, demo):  # noqa: F811
    """The unfiltered list's years come from ``years_by_index``: the years Django's
    ``dates()`` gives, gaps and the last day of a year included; a searched list and a
    year's months are Django's own."""
    import datetime

    from django.db import connection

    from alumni.models import CareerEntry
    from talenthub.core.admin_filters import years_by_index
    from talenthub.core.models import User
    from tests.alumni.factories import CareerEntryFactory

    CareerEntryFactory(started_on=datetime.date(1975, 12, 31))  # a lone year, a gap after
    CareerEntryFactory(started_on=datetime.date(1976, 1, 1))
    CareerEntryFactory(started_on=datetime.date(1981, 6, 1), role="Rare role")
    expected = list(CareerEntry.objects.dates("started_on", "year"))
    assert len(expected) >= 5
    if connection.vendor == "postgresql":  # CI; on SQLite the list uses Django's dates()
        assert years_by_index(CareerEntry, "started_on") == expected

    client.force_login(User.objects.get(email=ADMIN))
    url = reverse("admin:alumni_careerentry_changelist")
    html = client.get(url).content.decode()
    shown = re.findall(r'href="\?started_on__year=(\d+)"', html)
    assert shown == [str(d.year) for d in expected]

    html = client.get(url + "?q=Rare+role").content.decode()
    # One entry matches: Django's own queries go straight to its year, month and day.
    assert re.findall(r'href="\?q=Rare\+role&amp;started_on__(\w+)=(\d+)', html) == [
        ("year", "1981"),
        ("day", "1"),
    ]
    response = client.get(url + "?started_on__year=1975")
    assert [e.started_on for e in response.context["cl"].result_list] == [
        datetime.date(1975, 12, 31)
    ]


def test_filters_build_the_admins_queryset_once_per_request(demo, monkeypatch):  # noqa: F811
    """The cohort list's four filters that read the admin's queryset (programme,
    provider, subsidy scheme, year) share one build of it (``admin_queryset``), besides
    the changelist's own; another request builds its own, so a manager's scope is never
    an administrator's (the choices are compared with Django's above)."""
    from cohorts.admin import CohortAdmin
    from cohorts.models import Cohort
    from talenthub.core.admin_filters import admin_queryset
    from talenthub.core.models import User

    builds = []
    original = CohortAdmin.get_queryset

    def counted(self, request):
        builds.append(request)
        return original(self, request)

    monkeypatch.setattr(CohortAdmin, "get_queryset", counted)
    model_admin = admin.site._registry[Cohort]
    for email in (ADMIN, MANAGER):
        builds.clear()
        changelist, request = _changelist(model_admin, User.objects.get(email=email))
        filters = [
            spec
            for spec in changelist.filter_specs
            if isinstance(spec, RelatedExistsFieldListFilter) or hasattr(spec, "date_field")
        ]
        assert len(filters) == 4
        # One build for the changelist (Django's), one shared by the filters.
        assert len(builds) == 2, email
        assert builds == [request, request]
        assert admin_queryset(model_admin, request) is admin_queryset(model_admin, request)
        assert len(builds) == 2


def _filter_choices(client, url, title):
    """The links of the list filter headed ``title`` (its <details> block)."""
    html = client.get(url).content.decode()
    block = re.search(rf'<details data-filter-title="{title}" open>(.*?)</details>', html, re.S)
    return re.findall(r'<a href="\?[^"]*">([^<]*)</a>', block.group(1))


def test_kept_choices_change_with_the_data_and_differ_by_user(
    client,
    demo,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    """With a shared cache the filters' choices are kept per data version and user: the
    second request of the cohort list runs none of the filters' queries; a committed
    cohort of another provider shows in its provider filter on the next request; the
    manager, after the administrator, is offered only the providers of the cohorts they
    see (their own key)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from talenthub.core.models import Organisation, User
    from tests.cohorts.factories import CohortFactory

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    cache.clear()
    url = reverse("admin:cohorts_cohort_changelist")
    client.force_login(User.objects.get(email=ADMIN))
    with CaptureQueriesContext(connection) as first:
        everyone = _filter_choices(client, url, "provider")
    with CaptureQueriesContext(connection) as again:
        assert _filter_choices(client, url, "provider") == everyone
    # The programme, provider and subsidy scheme filters' queries, the year filter's, and
    # the date hierarchy's two (KeptDateHierarchyMixin).
    assert len(again) == len(first) - 6

    newcomer = Organisation.objects.create(
        name="Aardvark Training", slug="aardvark-training", is_provider=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        CohortFactory(version__programme__owner=newcomer)
    assert _filter_choices(client, url, "provider") == ["All", "Aardvark Training", *everyone[1:]]

    client.force_login(User.objects.get(email=MANAGER))
    theirs = _filter_choices(client, url, "provider")
    assert "Aardvark Training" not in theirs and "West Midlands Employers" in theirs


def test_kept_date_hierarchy_shows_djangos_dates_and_a_committed_change(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """With a shared cache the session list's date hierarchy (first and last dates,
    then the years; a chosen year's months) is kept per data version, user and full
    path: the list asked again runs neither query and shows the same links; a chosen
    year is its own; a committed session in a new year shows on the next request."""
    import datetime

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cohorts.factories import SessionFactory

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    cache.clear()
    first = SessionFactory(date=datetime.date(2025, 3, 4))
    SessionFactory(cohort=first.cohort, date=datetime.date(2026, 5, 6))
    SessionFactory(cohort=first.cohort, date=datetime.date(2026, 7, 8))
    url = reverse("admin:cohorts_session_changelist")

    def hierarchy(query=""):
        with CaptureQueriesContext(connection) as captured:
            html = admin_client.get(url + query).content.decode()
        links = re.findall(r'href="\?(date__\w+=\d+(?:&amp;date__\w+=\d+)*)"', html)
        return links, len(captured)

    years, built = hierarchy()
    assert years == ["date__year=2025", "date__year=2026"]
    # The hierarchy's first and last dates and years, the provider and year filters'.
    assert hierarchy() == (years, built - 4)
    months, _ = hierarchy("?date__year=2026")
    assert [m for m in months if "month" in m] == [
        "date__month=5&amp;date__year=2026",
        "date__month=7&amp;date__year=2026",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(cohort=first.cohort, date=datetime.date(2027, 1, 2))
    assert hierarchy()[0] == [*years, "date__year=2027"]
    # The list's queryset gets the keeping mixed in by one class per queryset class, made
    # once, not a new class a request.
    classes = {type(admin_client.get(url).context["cl"].queryset) for _ in range(2)}
    assert len(classes) == 1 and issubclass(classes.pop(), _KeptDatesQuerySet)


def test_kept_datetime_hierarchy_of_the_event_list(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """The event list's hierarchy is on a datetime (``starts_at``): Django asks
    ``datetimes()``, truncated in the current time zone, which is kept too: the list asked
    again runs neither the first-and-last query nor the years' and shows the same links;
    a chosen year's months are their own; an event committed in a new year shows on the
    next request; another time zone is its own (a late-evening event in UTC is the next
    day in Tokyo, the next year on New Year's Eve)."""
    import datetime
    import zoneinfo

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.events.factories import EventFactory

    settings.TALENTHUB = {**settings.TALENTHUB, "PUBLIC_PAGE_CACHE_SECONDS": 60}
    cache.clear()
    london = zoneinfo.ZoneInfo("Europe/London")

    def event(*when):
        starts = datetime.datetime(*when, tzinfo=london)
        return EventFactory(
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            booking_opens_at=starts - datetime.timedelta(days=30),
            booking_closes_at=starts - datetime.timedelta(hours=1),
        )

    event(2025, 3, 4, 10)
    event(2026, 5, 6, 10)
    event(2026, 12, 31, 20)
    url = reverse("admin:events_event_changelist")

    def hierarchy(query=""):
        with CaptureQueriesContext(connection) as captured:
            html = admin_client.get(url + query).content.decode()
        links = re.findall(r'href="\?(starts_at__\w+=\d+(?:&amp;starts_at__\w+=\d+)*)"', html)
        sql = [q["sql"] for q in captured]
        return links, sql

    years, built = hierarchy()
    assert years == ["starts_at__year=2025", "starts_at__year=2026"]
    again, sql = hierarchy()
    assert again == years
    assert len(sql) == len(built) - 3  # first and last, years, the organiser filter's
    assert not [q for q in sql if "DATE_TRUNC" in q.upper() or "MIN(" in q.upper()]
    months, _ = hierarchy("?starts_at__year=2026")
    assert [m for m in months if "month" in m] == [
        "starts_at__month=5&amp;starts_at__year=2026",
        "starts_at__month=12&amp;starts_at__year=2026",
    ]
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        from django.contrib.admin.templatetags.admin_list import date_hierarchy

        cl = admin_client.get(url).context["cl"]
        tokyo = [c["title"] for c in date_hierarchy(cl)["choices"]]
    assert tokyo == ["2025", "2026", "2027"]  # 20:00 on 31 December in London
    with django_capture_on_commit_callbacks(execute=True):
        event(2028, 1, 2, 10)
    assert hierarchy()[0] == [*years, "starts_at__year=2028"]


def test_menu_options_made_once_are_the_options_made_per_request(demo):  # noqa: F811
    """The booking list's event menu marks the chosen event in the options made with its
    choices (``MenuChoices``): the same HTML as options made one by one, whichever event
    is chosen, none, or one that is not offered (a value that is no id is refused before:
    Django's IncorrectLookupParameters), and with facets on (options made one by one);
    the choices kept in the cache (pickled) carry their options."""
    import pickle

    from events.models import Booking, Event
    from talenthub.core.admin_filters import MenuChoices
    from talenthub.core.models import User

    Event.objects.filter(pk=Booking.objects.values("event")[:1]).update(
        title='Rights & "wrongs" <b>'
    )
    model_admin = admin.site._registry[Booking]
    admin_user = User.objects.get(email=ADMIN)
    event = Booking.objects.values_list("event", flat=True).first()
    queries = ["", f"event__id__exact={event}", "event__id__exact=999999",
               f"event__id__exact={event}&_facets=1"]  # fmt: skip
    for query in queries:
        changelist, _ = _changelist(model_admin, admin_user, query)
        (spec,) = [
            s for s in changelist.filter_specs if isinstance(s, RelatedSelectFieldListFilter)
        ]
        assert isinstance(spec.lookup_choices, MenuChoices)
        kept = pickle.loads(pickle.dumps(spec.lookup_choices))
        assert kept.options == spec.lookup_choices.options and kept == spec.lookup_choices
        spec.lookup_choices = kept
        list(spec.choices(changelist))
        made_once = (spec.menu_html(), spec.menu_selected)
        spec.lookup_choices = list(kept)  # plain choices: each option made here
        list(spec.choices(changelist))
        assert (spec.menu_html(), spec.menu_selected) == made_once, query
        assert ("selected>" in made_once[0].split("</option>", 1)[1]) is (
            query.startswith(f"event__id__exact={event}")
        )
    assert "Rights &amp; &quot;wrongs&quot; &lt;b&gt;" in made_once[0]
