"""Meetings as each user may see them, and what is coming up (public meetings and
good-practice events)."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from ..models import Attendance, Compact, Document, Group, Meeting
from .compacts import Access


def meetings_to_hold(*, group: Group):
    """The group's scheduled meetings whose time has come: they are marked held (with
    their attendance) rather than recorded again."""
    return (
        Meeting.objects.filter(
            group=group, status=Meeting.Status.SCHEDULED, starts_at__lte=timezone.now()
        )
        .select_related("group__compact")
        .order_by("-starts_at")
    )


def meetings_for_documents(*, compact: Compact):
    """Meetings a paper or minutes may be attached to (not moved or cancelled)."""
    return (
        Meeting.objects.filter(
            group__compact=compact,
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
        )
        .select_related("group")
        .order_by("-starts_at")
    )


def meetings_for(*, compact: Compact, access: Access):
    qs = (
        Meeting.objects.filter(group__compact=compact)
        .select_related("group__compact")
        .annotate(
            present_count=Count("attendances", filter=Q(attendances__status="present")),
            apologies_count=Count("attendances", filter=Q(attendances__status="apologies")),
        )
        .order_by("-starts_at")
    )
    if not access.is_member:
        qs = qs.filter(is_public=True)
    return qs


def upcoming_good_practice_events(*, compact: Compact, limit: int = 5):
    """The compact's published good-practice events that have not ended, soonest first,
    with their place counts."""
    from events.models import Event

    return list(
        Event.objects.published()
        .filter(compacts=compact)
        .upcoming()
        .with_place_counts()
        .select_related("organiser")[:limit]
    )


def upcoming_public_meetings(*, compact: Compact, limit: int = 5):
    return (
        Meeting.objects.filter(
            group__compact=compact,
            is_public=True,
            starts_at__gte=timezone.now(),
            status=Meeting.Status.SCHEDULED,
        )
        .select_related("group__compact")
        .order_by("starts_at")[:limit]
    )


def meeting_get(*, compact: Compact, access: Access, pk: int) -> Meeting:
    meeting = (
        meetings_for(compact=compact, access=access)
        .select_related("moved_to__group__compact")
        .prefetch_related(
            "agenda_items",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "organisation").order_by(
                    "organisation__name", "person__full_name"
                ),
            ),
            Prefetch(
                "documents",
                queryset=Document.objects.visible_at(access.document_levels)
                .select_related("compact")
                .order_by("title"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def group_meetings_feed(*, compact: Compact, access: Access, group_pk: int):
    """The meetings of one group for its calendar feed: those the access may see (the
    public ones for anyone else), from a year ago on, soonest first. 404 for a group of
    another compact."""
    from .groups import group_get

    group = group_get(compact=compact, pk=group_pk)
    since = timezone.now() - datetime.timedelta(days=365)
    meetings = (
        meetings_for(compact=compact, access=access)
        .filter(group=group, starts_at__gte=since)
        .order_by("starts_at")
    )
    return group, meetings
