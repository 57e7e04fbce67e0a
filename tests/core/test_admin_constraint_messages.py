"""Every database constraint a manager can break in the admin is told in plain words.

Walks the events, cohorts and programmes admin add and change forms as a browser would
(every field the page renders, with its value), breaks one constraint at a time and
checks the page says what is wrong and never names the constraint ("Constraint
“event_ends_after_start” is violated.", "cohort_capacity_positive"). A second test keeps
every constraint of the project's models given a message, so a new one cannot bring the
raw name back.
"""

from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db.models import BaseConstraint
from django.urls import reverse

from tests.cohorts.factories import CohortFactory, CohortReviewerFactory, SessionFactory
from tests.events.factories import EventFactory
from tests.factories import MemberFactory
from tests.programmes.factories import FranchiseFactory, ProgrammeVersionFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"core", "programmes", "events", "cohorts"}
DATE = "%d/%m/%Y"


class _FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the page's admin form (checked
    boxes only, selected options, textareas), minus the inlines' empty templates."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
                return
            self.data[name] = a.get("value") or ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def page_form(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    parser.data.pop("_save", None)
    return parser.data


def day_before(value: str) -> str:
    return (datetime.strptime(value, DATE) - timedelta(days=1)).strftime(DATE)


def day_after(value: str) -> str:
    return (datetime.strptime(value, DATE) + timedelta(days=1)).strftime(DATE)


def assert_plain_refusal(response, message, constraint_names):
    assert response.status_code == 200, "the form should be shown again with the refusal"
    body = response.content.decode()
    assert message in body
    assert "is violated" not in body
    for name in constraint_names:
        assert name not in body


def all_constraint_names():
    return [
        c.name
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for c in model._meta.constraints
    ]


def test_every_constraint_of_the_project_has_a_plain_message():
    default = BaseConstraint.default_violation_error_message
    raw = [
        f"{model._meta.label}.{c.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for c in model._meta.constraints
        if str(c.violation_error_message) == str(default)
    ]
    assert raw == []


def _event_breakers(data):
    return [
        (
            {"ends_at_0": day_before(data["starts_at_0"])},
            "An event must end after it starts.",
        ),
        (
            {"booking_closes_at_0": day_before(data["booking_opens_at_0"])},
            "Booking must close after it opens.",
        ),
        (
            {"booking_closes_at_0": day_after(data["starts_at_0"])},
            "Booking must close before the event starts.",
        ),
        ({"capacity": "0"}, "An event needs at least one place."),
        ({"offer_hours": "0"}, "An offer must stay open for at least one hour."),
        ({"venue": "", "online_link": ""}, "Give a venue, an online link, or both."),
    ]


def test_event_add_and_change_forms_refuse_in_plain_words(admin_client):
    event = EventFactory(venue="Birmingham Council House")
    change_url = reverse("admin:events_event_change", args=[event.pk])
    names = all_constraint_names()
    base = page_form(admin_client, change_url)
    for changes, message in _event_breakers(base):
        response = admin_client.post(change_url, {**base, **changes})
        assert_plain_refusal(response, message, names)
        # The add form, with the same values and a fresh slug.
        add = {**base, **changes, "slug": "a-new-event", "bookings-TOTAL_FORMS": "0",
               "bookings-INITIAL_FORMS": "0"}  # fmt: skip
        response = admin_client.post(reverse("admin:events_event_add"), add)
        assert_plain_refusal(response, message, names)


def test_cohort_forms_and_their_inlines_refuse_in_plain_words(client, manager, provider):
    cohort = CohortFactory(provider=provider, version__programme__owner=provider)
    session = SessionFactory(cohort=cohort, venue="Wolverhampton")
    reviewer = CohortReviewerFactory(cohort=cohort)
    client.force_login(manager)
    change_url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    names = all_constraint_names()
    base = page_form(client, change_url)
    session_row = next(
        key.removesuffix("-id")
        for key, value in base.items()
        if key.endswith("-id") and value == str(session.pk)
    )
    reviewers = next(
        key.removesuffix("-TOTAL_FORMS")
        for key in base
        if key.endswith("-TOTAL_FORMS") and "reviewer" in key
    )
    breakers = [
        ({"capacity": "0"}, "A cohort needs at least one place."),
        ({"ends_on": day_before(base["starts_on"])}, "A cohort cannot end before it starts."),
        (
            {"applications_close_at_0": day_before(base["applications_open_at_0"])},
            "Applications must close after they open.",
        ),
        ({"offer_acceptance_days": "0"}, "An offer must stay open for at least one day."),
        (
            {f"{session_row}-ends_at": "09:00", f"{session_row}-starts_at": "10:00"},
            "A session must end after it starts.",
        ),
        (
            {f"{session_row}-venue": "", f"{session_row}-online_url": ""},
            "Give a venue, an online link, or both.",
        ),
        (
            {
                f"{reviewers}-TOTAL_FORMS": str(int(base[f"{reviewers}-TOTAL_FORMS"]) + 1),
                f"{reviewers}-{base[f'{reviewers}-TOTAL_FORMS']}-email": reviewer.user.email,
                f"{reviewers}-{base[f'{reviewers}-TOTAL_FORMS']}-cohort": str(cohort.pk),
            },
            "This person is already a reviewer for this cohort.",
        ),
    ]
    for changes, message in breakers:
        response = client.post(change_url, {**base, **changes})
        assert_plain_refusal(response, message, names)
    # The add form refuses the cohort's own rules the same way.
    add_url = reverse("admin:cohorts_cohort_add")
    fresh = page_form(client, add_url)
    own = {k: v for k, v in base.items() if "-" not in k or k.endswith("_0") or k.endswith("_1")}
    for changes, message in breakers[:4]:
        data = {**fresh, **own, **changes, "slug": "a-new-cohort"}
        response = client.post(add_url, data)
        assert_plain_refusal(response, message, names)


def test_programme_version_and_franchise_rules_in_plain_words(admin_client):
    version = ProgrammeVersionFactory(name="Aspire 2.0")
    programme = version.programme
    FranchiseFactory(programme=programme)
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    names = all_constraint_names()
    base = page_form(admin_client, url)
    versions = next(
        k.removesuffix("-TOTAL_FORMS")
        for k in base
        if k.endswith("-TOTAL_FORMS") and "version" in k
    )
    n = base[f"{versions}-TOTAL_FORMS"]
    duplicate = {
        f"{versions}-TOTAL_FORMS": str(int(n) + 1),
        f"{versions}-{n}-name": "Aspire 2.0",
        f"{versions}-{n}-programme": str(programme.pk),
    }
    for key in [k for k in base if k.startswith(f"{versions}-0-") and not k.endswith("-id")]:
        field = key.removeprefix(f"{versions}-0-")
        duplicate.setdefault(f"{versions}-{n}-{field}", base[key] if field != "name" else "")
    duplicate[f"{versions}-{n}-name"] = "Aspire 2.0"
    duplicate.pop(f"{versions}-{n}-DELETE", None)
    response = admin_client.post(url, {**base, **duplicate})
    assert response.status_code == 200
    body = response.content.decode()
    assert "is violated" not in body and not [name for name in names if name in body]
    franchises = next(
        k.removesuffix("-TOTAL_FORMS")
        for k in base
        if k.endswith("-TOTAL_FORMS") and "franchise" in k
    )
    starts = base[f"{franchises}-0-starts_on"]
    response = admin_client.post(url, {**base, f"{franchises}-0-ends_on": day_before(starts)})
    assert_plain_refusal(response, "A franchise cannot end before it starts.", names)


def test_a_duplicate_account_email_is_told_in_plain_words(admin_client):
    MemberFactory(email="ada.okafor@nhs.example")
    url = reverse("admin:core_user_add")
    data = page_form(admin_client, url)
    data.update({"email": "Ada.Okafor@NHS.example", "password1": "x-Long-pass-9876",
                 "password2": "x-Long-pass-9876", "full_name": "Ada Okafor"})  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "is violated" not in body
    assert "user_email_case_insensitive_unique" not in body
