"""Reads of the programme catalogue, scoped to what the user may see."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from talenthub.core.choices import Region
from talenthub.core.models import Organisation, Profile
from talenthub.core.permissions import is_programme_manager, user_provider

from . import contributions
from .models import (
    Franchise,
    Module,
    Programme,
    ProgrammeAlert,
    ProgrammeCareerLevel,
    ProgrammeSector,
    ProgrammeVersion,
    ProviderUpdates,
    SubsidyScheme,
)

SEARCH_CONFIG = "english"


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Published programmes for everyone; superusers also see drafts and archived ones,
    and a programme manager those owned by their own provider."""
    queryset = Programme.objects.all()
    if getattr(user, "is_superuser", False):
        return queryset
    provider = user_provider(user) if is_programme_manager(user) else None
    if provider is not None:
        return queryset.filter(Q(status=Programme.Status.PUBLISHED) | Q(owner=provider))
    return queryset.published()


def programme_catalogue() -> QuerySet[Programme]:
    """The public catalogue: published programmes with what a result card shows, in a
    fixed number of queries whatever the page size."""
    return (
        Programme.objects.published()
        .select_related("owner")
        .prefetch_related("audience_levels")
        .order_by("title", "pk")
    )


def catalogue_providers(today: datetime.date | None = None) -> QuerySet[Organisation]:
    """The providers a visitor can filter the catalogue by: those that own a published
    programme or hold a current franchise of one (a franchisee such as East Midlands
    Councils runs its own Aspire cohorts, so people look for it by name)."""
    published = Programme.objects.published()
    owns = published.filter(owner=OuterRef("pk"))
    franchised = Franchise.objects.current(today).filter(
        franchisee=OuterRef("pk"), programme__in=published
    )
    return Organisation.objects.providers().filter(Exists(owns) | Exists(franchised))


def programmes_open_now(queryset: QuerySet[Programme], now=None) -> QuerySet[Programme]:
    """Programmes with something a member can act on now: an event taking bookings or a
    cohort (of any version, run by any provider) open for applications. Each source is an
    ``Exists`` subquery registered by its app (``contributions.register_open_now``: events
    and cohorts sit above the catalogue), so a programme appears once and the query count
    does not depend on how many events or cohorts match."""
    return queryset.filter(contributions.open_now_q(now or timezone.now()))


def programme_search(queryset: QuerySet[Programme], text: str) -> QuerySet[Programme]:
    """Programmes whose title, summary, or the title or summary of one of their modules
    (any version) match ``text``.

    On PostgreSQL this is full-text search (English stemming, so "strategies" finds
    "strategy"), best matches first; elsewhere (SQLite) a case-insensitive match on
    every word. Module matches are a subquery, so a programme appears once however many
    of its modules match."""
    text = " ".join(text.split())
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgres(queryset, text)
    return _search_plain(queryset, text)


def _search_postgres(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    programme_vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "summary", weight="B", config=SEARCH_CONFIG
    )
    module_vector = SearchVector("title", "summary", config=SEARCH_CONFIG)
    matching_modules = (
        Module.objects.annotate(search=module_vector)
        .filter(search=query)
        .values("version__programme_id")
    )
    return (
        queryset.annotate(search=programme_vector, rank=SearchRank(programme_vector, query))
        .filter(Q(search=query) | Q(pk__in=matching_modules))
        .order_by("-rank", "title", "pk")
    )


def _search_plain(queryset, text):
    for word in text.split():
        matching_modules = Module.objects.filter(
            Q(title__icontains=word) | Q(summary__icontains=word)
        ).values("version__programme_id")
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(pk__in=matching_modules)
        )
    return queryset


@dataclass
class ProgrammePage:
    """What the programme page shows, fetched in a fixed number of queries."""

    programme: Programme
    current_version: ProgrammeVersion | None
    earlier_versions: list[ProgrammeVersion]
    franchises: list[Franchise]
    subsidy_schemes: list[SubsidyScheme]
    upcoming_versions: list[ProgrammeVersion] = field(default_factory=list)


def programme_page(*, slug: str, user, today: datetime.date | None = None) -> ProgrammePage:
    """The programme with ``slug`` if ``user`` may see it (else ``Http404``), with its
    current version (the latest launched on or before today) and its modules, earlier
    versions as history, current franchisees and the subsidy schemes that fund it."""
    today = today or timezone.localdate()
    versions = ProgrammeVersion.objects.order_by("-launched_on", "-pk").prefetch_related(
        Prefetch("modules", queryset=Module.objects.order_by("order"))
    )
    programme = (
        programmes_visible_to(user)
        .select_related("owner")
        .prefetch_related(
            "partners",
            "functional_areas",
            "audience_levels",
            "audience_sectors",
            Prefetch("versions", queryset=versions),
            Prefetch(
                "franchises",
                queryset=Franchise.objects.current(today)
                .select_related("franchisee")
                .order_by("franchisee__name"),
                to_attr="current_franchises",
            ),
            Prefetch(
                "subsidy_schemes",
                queryset=SubsidyScheme.objects.with_places_used()
                .select_related("funder")
                .order_by("name"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if programme is None:
        raise Http404("No such programme.")
    launched = [v for v in programme.versions.all() if v.launched_on <= today]
    upcoming = [v for v in programme.versions.all() if v.launched_on > today]
    return ProgrammePage(
        programme=programme,
        current_version=launched[0] if launched else None,
        earlier_versions=launched[1:],
        franchises=programme.current_franchises,
        subsidy_schemes=list(programme.subsidy_schemes.all()),
        upcoming_versions=sorted(upcoming, key=lambda v: v.launched_on),
    )


def programmes_runnable_by(provider, on: datetime.date | None = None) -> QuerySet[Programme]:
    """Programmes ``provider`` may run cohorts of on ``on`` (today by default): those it
    owns and those it holds a franchise of on that day. Archived programmes are left out;
    drafts are included (a cohort can be prepared before the programme is published)."""
    return (
        Programme.objects.exclude(status=Programme.Status.ARCHIVED)
        .run_by(provider, on)
        .select_related("owner")
    )


# The audience rule ---------------------------------------------------------------------------


def audience_q(*, provider: Organisation, programme_id: int | None = None) -> Q:
    """A filter on users: the people a provider's event or programme is for.

    - **Where**: members in the provider's region (their profile's region, else their
      organisation's), or in its network (they work for the provider, or have taken part
      in one of its cohorts: ``contributions.register_audience_network``). A provider
      whose region is *National* reaches every region, and so does a member whose region
      is *National*.
    - **Who**, only when ``programme_id`` is given: the programme's audience career levels,
      functional areas (any one in common) and sectors (of the member's organisation).

    An empty audience dimension means everyone on it; a member who has not told us their
    value on a dimension (no region and no organisation, no career level, no functional
    areas) is not left out on that dimension. Every part is a join along one-to-one or
    many-to-one keys or an ``Exists`` subquery, so a user appears once and one query
    answers for any number of people."""
    if provider.region == Region.NATIONAL:
        where = Q()
    else:
        where = (
            Q(profile__region__in=[provider.region, Region.NATIONAL])
            | Q(
                profile__region="",
                profile__organisation__region__in=[provider.region, Region.NATIONAL],
            )
            | Q(profile__region="", profile__organisation__isnull=True)
            | Q(profile__organisation_id=provider.pk)
            # Its cohorts' participants: registered by cohorts (contributions.py).
            | contributions.audience_network_q(provider)
        )
    if programme_id is None:
        return where
    levels = ProgrammeCareerLevel.objects.filter(programme_id=programme_id)
    sectors = ProgrammeSector.objects.filter(programme_id=programme_id)
    areas = Programme.functional_areas.through.objects.filter(programme_id=programme_id)
    member_areas = Profile.functional_areas.through.objects.filter(
        profile_id=OuterRef("profile__pk")
    )
    return (
        where
        & (
            ~Exists(levels)
            | Q(profile__career_level__isnull=True)
            | Exists(levels.filter(level=OuterRef("profile__career_level")))
        )
        & (
            ~Exists(areas)
            | ~Exists(member_areas)
            | Exists(member_areas.filter(functionalarea_id__in=areas.values("functionalarea_id")))
        )
        & (
            ~Exists(sectors)
            | Q(profile__organisation__isnull=True)
            | Exists(sectors.filter(sector=OuterRef("profile__organisation__sector")))
        )
    )


def audience_description(*, provider: Organisation, programme: Programme | None = None):
    """The audience of ``audience_q`` in words, one line per dimension, for the manager
    confirming an announcement (prefetch the programme's audience rows to save queries)."""
    if provider.region == Region.NATIONAL:
        lines = [_("Every region (the provider is national)")]
    else:
        lines = [
            _("Members in %(region)s, or in %(organiser)s's network")
            % {"region": provider.get_region_display(), "organiser": provider}
        ]
    if programme is not None:
        levels = programme.career_level_values()
        areas = [str(area) for area in programme.functional_areas.all()]
        sectors = [str(label) for label in programme.sector_labels()]
        lines += [
            _("Career levels: %s") % (", ".join(map(str, levels)) or _("all")),
            _("Functional areas: %s") % ("; ".join(areas) or _("all")),
            _("Sectors: %s") % ("; ".join(sectors) or _("all")),
        ]
    return lines


def announcement_audience(
    users: QuerySet, *, provider: Organisation, opted_in: Q, programme_id: int | None = None
) -> QuerySet:
    """Who a provider's announcement reaches among ``users``: those who opted in
    (``opted_in``, a preference) and are in its audience (``audience_q``), and everyone
    registered for the provider's updates (``ProviderUpdates``), whatever their audience
    and preferences. Annotated ``registered_for_updates`` so that the fan-out gives those
    the link that stops the provider's updates (``fanout.queue_batch``)."""
    registered = ProviderUpdates.objects.filter(provider=provider, member=OuterRef("pk"))
    return users.annotate(registered_for_updates=Exists(registered)).filter(
        (opted_in & audience_q(provider=provider, programme_id=programme_id))
        | Q(registered_for_updates=True)
    )


def member_updates(user) -> tuple[list[ProgrammeAlert], list[ProviderUpdates]]:
    """The member's live "tell me when it opens" alerts and their registrations for
    providers' updates: two queries."""
    live = list(
        ProgrammeAlert.objects.filter(member=user, sent_at__isnull=True)
        .select_related("programme__owner")
        .order_by("programme__title", "pk")
    )
    registrations = list(
        ProviderUpdates.objects.filter(member=user)
        .select_related("provider")
        .order_by("provider__name", "pk")
    )
    return live, registrations


def programme_updates_state(programme: Programme, user) -> dict:
    """For the programme page: the member's registration for the programme's owner's
    updates, if any (nothing for a visitor). One small query. (The "tell me when it
    opens" parts are the apps' above: cohorts and alumni.)"""
    if not user.is_authenticated:
        return {"provider_updates": None}
    return {
        "provider_updates": ProviderUpdates.objects.filter(
            provider_id=programme.owner_id, member=user
        ).first()
    }
