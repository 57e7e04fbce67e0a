"""Archives of priority statements and charter versions (public pages), the flagged and
reminded overdue terms review, and charter renewal reminders (issue 19, item 4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compact import services, tasks
from talenthub.core.models import OutboundEmail
from tests.compact.factories import CharterFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


def test_every_priorities_statement_is_browsable(client, world):
    from compact.models import PrioritiesStatement

    earlier = PrioritiesStatement.objects.create(
        compact=world.compact,
        year="2025-26",
        starts_on=world.terms.adopted_on - datetime.timedelta(days=300),
        ends_on=world.terms.adopted_on - datetime.timedelta(days=1),
        terms=world.compact.terms.get(version=1),
    )
    services.priority_create(statement=earlier, title="The Skills Pledge", aim_numbers=["2.2"])
    page = client.get(reverse("compact:priorities_archive", args=[world.compact.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The Skills Pledge" in text and "To increase the number of apprentices" in text
    assert text.index("2026-27") < text.index("2025-26")  # latest first
    assert "None" not in text


def test_every_charter_version_is_browsable(client, world):
    earlier = CharterFactory(
        compact=world.compact,
        title="Members Charter 2008",
        starts_on=datetime.date(2008, 9, 1),
        ends_on=datetime.date(2010, 8, 31),
    )
    SignatoryFactory(charter=earlier, organisation=world.council)
    url = reverse("compact:charter_version", args=[world.compact.slug, earlier.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Derby City Council" in page.content.decode()
    charter = client.get(reverse("compact:charter", args=[world.compact.slug])).content.decode()
    assert url in charter
    assert "Renewed" in charter  # the council signed again: its 2008 signature is not overdue
    other = CharterFactory(compact=world.other)
    assert (
        client.get(
            reverse("compact:charter_version", args=[world.compact.slug, other.pk])
        ).status_code
        == 404
    )


def test_archive_pages_queries_do_not_grow(client, world, django_assert_max_num_queries):
    from compact.models import PrioritiesStatement

    for n in range(5):
        statement = PrioritiesStatement.objects.create(
            compact=world.compact,
            year=f"20{10 + n}",
            starts_on=world.terms.adopted_on - datetime.timedelta(days=40 + n),
            ends_on=world.terms.adopted_on,
            terms=world.compact.terms.get(version=1),
        )
        services.priority_create(statement=statement, title=f"P{n}", aim_numbers=["1", "3"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("compact:priorities_archive", args=[world.compact.slug]))


def test_an_overdue_terms_review_is_flagged_and_reminded_once(client, world):
    world.terms.review_due_on = timezone.localdate() - datetime.timedelta(days=3)
    world.terms.save()
    page = client.get(reverse("compact:terms_list", args=[world.compact.slug]))
    assert "Review overdue" in page.content.decode()
    assert tasks.send_terms_review_reminders() == 2  # due, and overdue
    assert tasks.send_terms_review_reminders() == 0
    overdue = OutboundEmail.objects.get(key__startswith="compact.terms_review_overdue:")
    assert overdue.to == world.secretariat.email


def test_charter_renewal_reminders_once_and_not_after_renewing(world):
    signature = world.charter.signatories.get(organisation=world.council)
    signature.renewal_due_on = timezone.localdate() + datetime.timedelta(days=20)
    signature.save()
    sent = tasks.send_charter_renewal_reminders()
    recipients = set(
        OutboundEmail.objects.filter(key__startswith="compact.charter_renewal:").values_list(
            "to", flat=True
        )
    )
    assert recipients == {signature.senior_representative.email, world.secretariat.email}
    assert sent == 2 and tasks.send_charter_renewal_reminders() == 0
    # Renewed under a later charter: nobody is reminded about the old signature again.
    later = CharterFactory(
        compact=world.compact,
        starts_on=signature.renewal_due_on,
        ends_on=signature.renewal_due_on + datetime.timedelta(days=730),
    )
    SignatoryFactory(charter=later, organisation=world.council)
    OutboundEmail.objects.all().delete()
    assert services.send_charter_renewal_reminders() == 0
