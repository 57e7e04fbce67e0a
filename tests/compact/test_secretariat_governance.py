"""The secretariat's pages for terms of reference versions and statements of annual
priorities (issue 19, item 5): a draft is seen only by editors and is never in force;
adopting keeps the overdue-review flag right; publishing puts a statement on the public
pages and keeps the one before in the archive; a priority with no aims is refused.
Errors asserted by code."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compact import selectors, services
from compact.exceptions import CompactError
from compact.models import PrioritiesStatement, TermsOfReference
from talenthub.core.models import AuditLog, OutboundEmail
from tests.compact.conftest import AIMS
from tests.compact.factories import PriorityFactory, StatementFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
TEXT = {
    "title": "Terms of reference",
    "purpose": "To improve public services in the county.",
    "mode_of_operation": "A representative steering group.",
    "steering_group_role": "Agree an action plan.",
    "change_note": "Aim 6 added: data sharing.",
}
NEW_AIMS = [*AIMS[:-1], ("5", "celebrate the aims"), ("6", "share workforce data")]


def draft_terms(world):
    return services.terms_draft_create(
        compact=world.compact, aims=NEW_AIMS, actor=world.secretariat, **TEXT
    )


def pages(world):
    slug = world.compact.slug
    terms = draft_terms(world)
    statement = services.statement_draft_create(
        compact=world.compact,
        year="2027-28",
        starts_on=world.statement.ends_on + DAY,
        ends_on=world.statement.ends_on + 365 * DAY,
        actor=world.secretariat,
    )
    return [
        reverse("compact:terms_manage", args=[slug]),
        reverse("compact:terms_draft_create", args=[slug]),
        reverse("compact:terms_draft_edit", args=[slug, terms.pk]),
        reverse("compact:terms_adopt", args=[slug, terms.pk]),
        reverse("compact:statement_manage", args=[slug]),
        reverse("compact:statement_compose", args=[slug, statement.pk]),
        reverse("compact:statement_edit", args=[slug, statement.pk]),
        reverse("compact:statement_publish", args=[slug, statement.pk]),
    ]


def test_each_page_per_role(client, world):
    urls = pages(world)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for who in [world.representative, world.org_member, world.outsider, world.other_secretariat]:
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
            assert client.post(url, {}).status_code == 404, (who, url)
    for who in [world.secretariat, world.steering_member]:
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)


def test_another_compacts_drafts_and_adopted_versions_are_refused(client, world):
    other_terms = services.terms_draft_create(
        compact=world.other, aims=AIMS, actor=world.other_secretariat, **TEXT
    )
    slug = world.compact.slug
    client.force_login(world.secretariat)
    for url in [
        reverse("compact:terms_draft_edit", args=[slug, other_terms.pk]),
        reverse("compact:terms_adopt", args=[slug, other_terms.pk]),
        # An adopted version is no draft: not edited here.
        reverse("compact:terms_draft_edit", args=[slug, world.terms.pk]),
        reverse("compact:terms_adopt", args=[slug, world.terms.pk]),
        reverse("compact:statement_compose", args=[slug, world.statement.pk]),
        reverse("compact:statement_publish", args=[slug, world.statement.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    other_terms.refresh_from_db()
    assert other_terms.is_draft


# Terms of reference -----------------------------------------------------------------------


def test_a_draft_is_never_in_force_nor_public(client, world):
    terms = draft_terms(world)
    assert terms.version == 3 and terms.is_draft and terms.aims.count() == len(NEW_AIMS)
    assert selectors.terms_in_force(compact=world.compact) == world.terms
    assert (
        client.get(reverse("compact:terms_detail", args=[world.compact.slug, 3])).status_code == 404
    )
    assert list(selectors.terms_list(compact=world.compact)) == [
        world.terms,
        world.compact.terms.get(version=1),
    ]
    with pytest.raises(CompactError) as refused:
        draft_terms(world)
    assert refused.value.code == "terms_draft_exists"
    # The import/demo path waits for the draft too (versions follow adoption order).
    with pytest.raises(CompactError) as refused:
        services.terms_create(
            compact=world.compact,
            aims=AIMS,
            adopted_on=TODAY(),
            review_due_on=TODAY() + 300 * DAY,
            **TEXT,
        )
    assert refused.value.code == "terms_draft_exists"


def test_editing_a_draft_replaces_its_aims(world):
    terms = draft_terms(world)
    with pytest.raises(CompactError) as refused:
        services.terms_draft_update(
            terms=terms, aims=[("2.1", "before its parent")], actor=world.secretariat, **TEXT
        )
    assert refused.value.code == "aim_before_parent"
    with pytest.raises(CompactError) as refused:
        services.terms_draft_update(terms=terms, aims=[], actor=world.secretariat, **TEXT)
    assert refused.value.code == "terms_without_aims"
    services.terms_draft_update(
        terms=terms, aims=[("1", "one aim")], actor=world.secretariat, **{**TEXT, "title": "New"}
    )
    terms.refresh_from_db()
    assert terms.title == "New" and [a.number for a in terms.aims.all()] == ["1"]
    assert AuditLog.objects.filter(action="compact.terms_draft_updated", object_id=str(terms.pk))


def test_adopting_keeps_the_overdue_flag_right(client, world):
    """The terms in force are overdue for review; a draft does not clear the flag, and
    adopting it with a review date ahead does, at once."""
    TermsOfReference.objects.filter(pk=world.terms.pk).update(review_due_on=TODAY() - DAY)
    manage = reverse("compact:terms_manage", args=[world.compact.slug])
    public = reverse("compact:terms_list", args=[world.compact.slug])
    client.force_login(world.secretariat)
    terms = draft_terms(world)
    assert client.get(public).context["review_overdue"] is True
    assert client.get(manage).context["review_overdue"] is True
    adopt = {"terms": terms, "actor": world.secretariat}
    for adopted_on, review_due_on, code in [
        (TODAY() + DAY, TODAY() + 365 * DAY, "terms_adopted_in_future"),
        (world.terms.adopted_on, TODAY() + 365 * DAY, "terms_not_after_previous"),
        (TODAY(), TODAY(), "terms_review_not_ahead"),
        (TODAY() - 400 * DAY + 350 * DAY, TODAY() - DAY, "terms_review_not_ahead"),
    ]:
        with pytest.raises(CompactError) as refused:
            services.terms_adopt(**adopt, adopted_on=adopted_on, review_due_on=review_due_on)
        assert refused.value.code == code, (adopted_on, review_due_on)
    assert client.get(public).context["review_overdue"] is True
    services.terms_adopt(**adopt, adopted_on=TODAY(), review_due_on=TODAY() + 365 * DAY)
    assert selectors.terms_in_force(compact=world.compact) == terms
    assert client.get(public).context["review_overdue"] is False
    assert client.get(manage).context["review_overdue"] is False
    # The review reminder follows the version in force: nothing is due for a year.
    assert services.send_terms_review_reminders(today=TODAY()) == 0
    with pytest.raises(CompactError) as refused:
        services.terms_adopt(**adopt, adopted_on=TODAY(), review_due_on=TODAY() + 365 * DAY)
    assert refused.value.code == "terms_not_draft"
    assert AuditLog.objects.filter(action="compact.terms_adopted", object_id=str(terms.pk))


def test_the_terms_pages(client, world, django_assert_max_num_queries):
    client.force_login(world.steering_member)
    slug = world.compact.slug
    response = client.get(reverse("compact:terms_draft_create", args=[slug]))
    initial = response.context["form"].initial
    assert initial["purpose"] == world.terms.purpose and initial["aims"].startswith("1 bring")
    data = {**TEXT, "aims": "1 bring together employers\n2.1 a sub-aim first"}
    response = client.post(reverse("compact:terms_draft_create", args=[slug]), data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    data["aims"] = "1 bring together employers\nno number here"
    response = client.post(reverse("compact:terms_draft_create", args=[slug]), data)
    assert "govuk-error-summary" in response.content.decode()
    data["aims"] = "1 bring together employers\n2 strengthen skills\n2.1 training needs"
    assert client.post(reverse("compact:terms_draft_create", args=[slug]), data).status_code == 302
    terms = TermsOfReference.objects.get(compact=world.compact, status="draft")
    assert [a.number for a in terms.aims.all()] == ["1", "2", "2.1"]
    assert terms.aims.get(number="2.1").parent.number == "2"
    adopt = reverse("compact:terms_adopt", args=[slug, terms.pk])
    dates = {"adopted_on": str(TODAY()), "review_due_on": str(TODAY() + 365 * DAY)}
    response = client.post(adopt, dates)  # not confirmed
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(adopt, {**dates, "review_due_on": str(TODAY()), "confirm": "on"})
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(adopt, {**dates, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == terms.get_absolute_url()
    for version in range(4, 14):
        TermsOfReference.objects.create(
            compact=world.compact,
            version=version,
            adopted_on=TODAY() - (100 - version) * DAY,
            review_due_on=TODAY() + 100 * DAY,
            **TEXT,
        )
    with django_assert_max_num_queries(10):
        assert client.get(reverse("compact:terms_manage", args=[slug])).status_code == 200


# Statements of annual priorities -----------------------------------------------------------


def next_year(world, **kwargs):
    return services.statement_draft_create(
        compact=world.compact,
        year="2027-28",
        starts_on=kwargs.get("starts_on", TODAY() + DAY),
        ends_on=kwargs.get("ends_on", TODAY() + 365 * DAY),
        actor=world.secretariat,
    )


def test_a_priority_with_no_aims_is_refused(world):
    draft = next_year(world)
    with pytest.raises(CompactError) as refused:
        services.statement_priority_add(
            statement=draft, title="Data sharing", aims=[], actor=world.secretariat
        )
    assert refused.value.code == "priority_without_aims"
    old_aim = world.compact.terms.get(version=1).aims.get(number="5")
    with pytest.raises(CompactError) as refused:
        services.statement_priority_add(
            statement=draft, title="Data sharing", aims=[old_aim], actor=world.secretariat
        )
    assert refused.value.code == "aim_not_in_terms"
    assert not draft.priorities.exists()


def test_publishing_a_statement(client, world):
    draft = next_year(world)
    archive = reverse("compact:priorities_archive", args=[world.compact.slug])
    assert "2027-28" not in client.get(archive).content.decode()
    assert selectors.current_statement(compact=world.compact) == world.statement
    with pytest.raises(CompactError) as refused:
        services.statement_publish(statement=draft, actor=world.secretariat)
    assert refused.value.code == "statement_without_priorities"
    services.statement_priority_add(
        statement=draft,
        title="To share workforce data across the public sector",
        aims=[world.terms.aims.get(number="3")],
        actor=world.secretariat,
    )
    with pytest.raises(CompactError) as refused:
        next_year(world)
    assert refused.value.code == "statement_draft_exists"
    services.statement_publish(statement=draft, actor=world.secretariat)
    draft.refresh_from_db()
    assert draft.status == PrioritiesStatement.Status.PUBLISHED and draft.published_at
    body = client.get(archive).content.decode()
    assert "2027-28" in body and "2026-27" in body  # the one before stays in the archive
    # The year has started: the compact page shows the new statement.
    assert selectors.current_statement(compact=world.compact, on=TODAY() + 2 * DAY) == draft
    with pytest.raises(CompactError) as refused:
        services.statement_publish(statement=draft, actor=world.secretariat)
    assert refused.value.code == "statement_not_draft"
    with pytest.raises(CompactError) as refused:
        services.statement_priority_add(
            statement=draft, title="Late", aims=[world.terms.aims.first()], actor=None
        )
    assert refused.value.code == "statement_not_draft"
    assert not OutboundEmail.objects.exists()  # publishing emails nobody


def test_a_statement_starts_after_the_latest_published_one(world):
    draft = next_year(world, starts_on=world.statement.starts_on - DAY)
    services.statement_priority_add(
        statement=draft, title="Skills", aims=[world.terms.aims.get(number="2")], actor=None
    )
    with pytest.raises(CompactError) as refused:
        services.statement_publish(statement=draft, actor=world.secretariat)
    assert refused.value.code == "statement_not_after_previous"


def test_a_draft_follows_terms_adopted_since(world):
    draft = next_year(world)
    services.statement_priority_add(
        statement=draft, title="Skills", aims=[world.terms.aims.get(number="2")], actor=None
    )
    terms = draft_terms(world)
    services.terms_adopt(
        terms=terms, adopted_on=TODAY(), review_due_on=TODAY() + 365 * DAY, actor=None
    )
    with pytest.raises(CompactError) as refused:
        services.statement_publish(statement=draft, actor=world.secretariat)
    assert refused.value.code == "terms_not_in_force"
    # Its dates saved again bind it to the new terms, once its priority cites their aims.
    common = {"statement": draft, "year": "2027-28", "actor": world.secretariat}
    dates = {"starts_on": TODAY() + DAY, "ends_on": TODAY() + 365 * DAY}
    with pytest.raises(CompactError) as refused:
        services.statement_draft_update(**common, **dates)
    assert refused.value.code == "aim_not_in_terms"
    priority = draft.priorities.get()
    services.statement_priority_remove(priority=priority, actor=world.secretariat)
    services.statement_draft_update(**common, **dates)
    draft.refresh_from_db()
    assert draft.terms == terms


def test_the_statement_pages(client, world, django_assert_max_num_queries):
    for n in range(8):
        statement = StatementFactory(
            compact=world.compact,
            terms=world.compact.terms.get(version=1),
            year=f"20{n:02d}-{n + 1:02d}",
            starts_on=datetime.date(2000 + n, 4, 1),
            ends_on=datetime.date(2001 + n, 3, 31),
        )
        PriorityFactory(statement=statement)
    client.force_login(world.secretariat)
    slug = world.compact.slug
    manage = reverse("compact:statement_manage", args=[slug])
    with django_assert_max_num_queries(10):
        assert client.get(manage).status_code == 200
    dates = {"starts_on": str(TODAY() + DAY), "ends_on": str(TODAY())}
    response = client.post(manage, {"year": "2027-28", **dates})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    dates["ends_on"] = str(TODAY() + 365 * DAY)
    response = client.post(manage, {"year": "2027-28", **dates})
    draft = PrioritiesStatement.objects.get(compact=world.compact, status="draft")
    compose = reverse("compact:statement_compose", args=[slug, draft.pk])
    assert response["Location"] == compose
    response = client.post(compose, {"title": "Share workforce data"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Choose the aims" in page  # next to its field
    aims = [world.terms.aims.get(number=n).pk for n in ("3", "4")]
    assert client.post(compose, {"title": "Share workforce data", "aims": aims}).status_code == 302
    assert client.post(compose, {"title": "Celebrate", "aims": aims[:1]}).status_code == 302
    removed = draft.priorities.get(title="Celebrate")
    assert client.post(compose, {"remove": removed.pk}).status_code == 302
    assert list(draft.priorities.values_list("title", flat=True)) == ["Share workforce data"]
    with django_assert_max_num_queries(12):
        assert client.get(compose).status_code == 200
    publish = reverse("compact:statement_publish", args=[slug, draft.pk])
    response = client.post(publish, {})
    assert "govuk-error-summary" in response.content.decode()
    assert client.post(publish, {"confirm": "on"}).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft
    assert AuditLog.objects.filter(action="compact.statement_published", actor=world.secretariat)
