"""Every write to the programme catalogue. Each function is one transaction and
validates with ``full_clean()`` (``clean_or_raise``) so that a broken rule is a
``ProgrammeError`` with a stable ``code``, never a ``ValidationError`` or a database
error."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from talenthub.core import alerts
from talenthub.core.choices import CareerLevel, Sector
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.models import ConsentRecord, Organisation
from talenthub.core.services import audit_record

from .exceptions import ProgrammeError
from .models import (
    Franchise,
    Module,
    Programme,
    ProgrammeAlert,
    ProgrammeCareerLevel,
    ProgrammeSector,
    ProgrammeVersion,
    ProviderUpdates,
    SubsidyAllocation,
    SubsidyScheme,
)


def duplicate_orders(orders: Iterable[int | None]) -> list[int]:
    """The order numbers that occur more than once, sorted (blanks ignored)."""
    seen: set[int] = set()
    duplicates: set[int] = set()
    for order in orders:
        if order is None:
            continue
        (duplicates if order in seen else seen).add(order)
    return sorted(duplicates)


def duplicate_orders_message(duplicates: list[int]) -> str:
    numbers = ", ".join(str(n) for n in duplicates)
    return _(
        "Each module of a version needs its own order number: %(numbers)s is used more than once."
    ) % {"numbers": numbers}


@transaction.atomic
def programme_set_audience(
    *,
    programme: Programme,
    career_levels: Iterable[int],
    sectors: Iterable[str],
    functional_areas=None,
) -> Programme:
    """Replace the programme's audience: its career levels (1 to 4), sectors and, when
    given, functional areas. Unknown levels or sectors raise ``ProgrammeError`` (on the
    field) and change nothing."""
    levels = sorted({int(level) for level in career_levels})
    sector_values = sorted(set(sectors))
    bad_levels = [level for level in levels if level not in CareerLevel.values]
    if bad_levels:
        message = _("Career levels run from 1 to 4, not %(levels)s.") % {
            "levels": ", ".join(map(str, bad_levels))
        }
        raise ProgrammeError(
            message,
            code="unknown_career_level",
            field_errors={"career_levels": [message]},
            non_field_errors=[],
        )
    bad_sectors = [s for s in sector_values if s not in Sector.values]
    if bad_sectors:
        message = _("Unknown sector: %(sectors)s.") % {"sectors": ", ".join(bad_sectors)}
        raise ProgrammeError(
            message, code="unknown_sector", field_errors={"sectors": [message]}, non_field_errors=[]
        )
    programme.audience_levels.exclude(level__in=levels).delete()
    existing_levels = set(programme.audience_levels.values_list("level", flat=True))
    ProgrammeCareerLevel.objects.bulk_create(
        ProgrammeCareerLevel(programme=programme, level=level)
        for level in levels
        if level not in existing_levels
    )
    programme.audience_sectors.exclude(sector__in=sector_values).delete()
    existing_sectors = set(programme.audience_sectors.values_list("sector", flat=True))
    ProgrammeSector.objects.bulk_create(
        ProgrammeSector(programme=programme, sector=sector)
        for sector in sector_values
        if sector not in existing_sectors
    )
    if functional_areas is not None:
        programme.functional_areas.set(functional_areas)
    return programme


@transaction.atomic
def version_set_modules(*, version: ProgrammeVersion, modules: list[dict]) -> list[Module]:
    """Replace a version's modules with ``modules`` (dicts of order, title, summary,
    learning_outcomes). Order numbers must be unique within the version: duplicates raise
    ``ProgrammeError`` naming them, and nothing changes."""
    duplicates = duplicate_orders(m.get("order") for m in modules)
    if duplicates:
        raise ProgrammeError(duplicate_orders_message(duplicates), code="duplicate_module_order")
    version.modules.all().delete()
    created = []
    for data in modules:
        module = Module(version=version, **data)
        clean_or_raise(module, ProgrammeError)
        module.save()
        created.append(module)
    return created


@transaction.atomic
def franchise_grant(
    *,
    programme: Programme,
    franchisee,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    actor=None,
) -> Franchise:
    """License ``programme`` to another provider from ``starts_on`` (until ``ends_on``).
    Guarantees: the franchisee is a provider and not the owner, the period is valid and
    does not overlap another franchise of the same programme held by the same provider."""
    # Serialise grants per programme so two overlapping grants cannot both pass clean().
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    franchise = Franchise(
        programme=programme, franchisee=franchisee, starts_on=starts_on, ends_on=ends_on
    )
    clean_or_raise(franchise, ProgrammeError)
    franchise.save()
    audit_record(actor=actor, action="programmes.franchise_granted", obj=franchise)
    return franchise


@transaction.atomic
def franchise_end(*, franchise: Franchise, ends_on: datetime.date, actor=None) -> Franchise:
    """End a franchise on ``ends_on`` (inclusive); it cannot end before it started."""
    franchise = Franchise.objects.select_for_update().get(pk=franchise.pk)
    franchise.ends_on = ends_on
    clean_or_raise(franchise, ProgrammeError)
    franchise.save(update_fields=["ends_on", "updated_at"])
    audit_record(actor=actor, action="programmes.franchise_ended", obj=franchise)
    return franchise


@transaction.atomic
def subsidy_scheme_set_cap(*, scheme: SubsidyScheme, total_places: int, actor=None):
    """Change a scheme's cap. Guarantees the cap is never below the places already used,
    even while places are being allocated: the scheme row is locked, then counted."""
    scheme = SubsidyScheme.objects.select_for_update().get(pk=scheme.pk)
    previous = scheme.total_places
    scheme.total_places = total_places
    # SubsidyScheme.clean() compares the cap with the places used.
    clean_or_raise(scheme, ProgrammeError)
    scheme.save(update_fields=["total_places", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.subsidy_cap_changed",
        obj=scheme,
        data={"from": previous, "to": total_places},
    )
    return scheme


@transaction.atomic
def subsidy_place_allocate(
    *, scheme: SubsidyScheme, programme: Programme, recipient, description: str = "", actor=None
) -> SubsidyAllocation:
    """Use one subsidised place of ``scheme`` for ``recipient`` on ``programme``.

    Guarantees, however many allocations run at once: never more allocations than the
    scheme's cap (the scheme row is locked before counting), only on programmes the
    scheme applies to, only to a person the scheme's eligibility rules admit (their
    organisation's sector), and at most one place per person per programme per scheme.
    Raises ``ProgrammeError`` with a user-facing message otherwise."""
    scheme = SubsidyScheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.programmes.filter(pk=programme.pk).exists():
        raise ProgrammeError(
            _("%(scheme)s does not fund places on %(programme)s.")
            % {"scheme": scheme, "programme": programme},
            code="scheme_not_for_programme",
        )
    refusal = scheme.eligibility_refusal(recipient)
    if refusal:
        raise ProgrammeError(refusal, code="subsidy_not_eligible")
    if SubsidyAllocation.objects.filter(
        scheme=scheme, programme=programme, recipient=recipient
    ).exists():
        raise ProgrammeError(
            _("%(person)s already has a subsidised place on %(programme)s from %(scheme)s.")
            % {"person": recipient, "programme": programme, "scheme": scheme},
            code="already_subsidised",
        )
    if scheme.allocations.count() >= scheme.total_places:
        raise ProgrammeError(
            _("All %(total)s places of %(scheme)s have been used.")
            % {"total": scheme.total_places, "scheme": scheme},
            code="subsidy_cap_reached",
        )
    allocation = SubsidyAllocation(
        scheme=scheme, programme=programme, recipient=recipient, description=description
    )
    clean_or_raise(allocation, ProgrammeError)
    allocation.save()
    audit_record(actor=actor, action="programmes.subsidised_place_allocated", obj=allocation)
    return allocation


@transaction.atomic
def subsidy_place_release(*, allocation: SubsidyAllocation, actor=None, reason: str = ""):
    """Give a subsidised place back to its scheme (a withdrawal before the cohort
    starts): the allocation row is deleted, so the place counts as free again."""
    SubsidyScheme.objects.select_for_update().filter(pk=allocation.scheme_id).first()
    audit_record(
        actor=actor, action="programmes.subsidised_place_released", obj=allocation, reason=reason
    )
    allocation.delete()


# "Tell me when it next opens" (issue 18, item 5). Whether asking makes sense depends on
# what opens, which the apps above know (cohorts: a cohort's applications; alumni: a
# pool's intake): they check, then call ``programme_alert_create`` in their transaction.


def programme_alert_create(*, programme: Programme, member) -> ProgrammeAlert:
    """The member's live alert on ``programme``, made if there is none (asking twice
    keeps one). Only for a published programme; the caller has checked it is not open."""
    if programme.status != Programme.Status.PUBLISHED:
        raise ProgrammeError(_("This programme is not published."), code="programme_not_published")
    return alerts.alert_subscribe(
        ProgrammeAlert, error_class=ProgrammeError, programme=programme, member=member
    )


@transaction.atomic
def programme_alert_unsubscribe(*, programme: Programme, member) -> bool:
    """Stop the member's alert on ``programme`` not yet sent; whether there was one."""
    return alerts.alert_unsubscribe(ProgrammeAlert, programme=programme, member=member)


@transaction.atomic
def provider_updates_subscribe(*, provider: Organisation, member) -> ProviderUpdates:
    """Register the member for a provider's announcements (new cohorts and events),
    whatever their audience and general opt-ins. Idempotent. Only a provider's updates
    can be asked for (code ``not_a_provider``). The consent given is recorded (an opt-in,
    as the profile's announcement choices) and the registration audited."""
    if not provider.is_provider:
        raise ProgrammeError(_("Only a provider sends updates."), code="not_a_provider")
    registration, created = ProviderUpdates.objects.get_or_create(provider=provider, member=member)
    if created:
        _consent(member, provider.pk, given=True, wording=f"Register for updates from {provider}")
        audit_record(actor=member, action="programmes.provider_updates_subscribed", obj=provider)
    return registration


@transaction.atomic
def provider_updates_unsubscribe(*, provider_id: int, member, record_consent: bool = True) -> bool:
    """Stop the member's updates from the provider (the page's button or the email's
    unsubscribe link); whether they were registered. Idempotent. The withdrawn consent
    is recorded (``record_consent=False``: the unsubscribe link records it itself)."""
    deleted, _rows = ProviderUpdates.objects.filter(provider_id=provider_id, member=member).delete()
    if deleted and record_consent:
        _consent(member, provider_id, given=False, wording="Stop updates from this provider")
    return bool(deleted)


def _consent(member, provider_id: int, *, given: bool, wording: str) -> None:
    ConsentRecord.objects.create(
        user=member,
        purpose=f"provider_updates:{provider_id}"[:60],
        given=given,
        wording=wording[:300],
        source="programme page",
    )
