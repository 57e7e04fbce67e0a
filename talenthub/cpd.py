"""A member's CPD record (issue 18, item 4): the hours of continuing professional
development they earned at the events they attended and the cohort sessions they were
marked present at, with the total. Printable, and exported as CSV or XLSX.

It reads two sibling apps (events and cohorts), so, like the personal home, it lives in
the project package above every app. The imports stay inside ``cpd_record`` so loading
the URLconf does not load the apps' selectors."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from talenthub.core.spreadsheets import spreadsheet_response

PAGE_SIZE = 50


@dataclass(frozen=True)
class CpdEntry:
    """One activity that earned CPD hours."""

    date: datetime.date
    activity: str
    kind: str  # "Event" or the session's kind
    provider: str
    hours: Decimal
    part_of: str = ""  # the cohort a session belongs to


def cpd_record(user) -> list[CpdEntry]:
    """Every CPD entry of ``user``, oldest first: two queries, however many entries."""
    from cohorts.selectors import cpd_sessions_of  # noqa: PLC0415 - loaded with the page
    from events.selectors import cpd_bookings_of  # noqa: PLC0415

    entries = [
        CpdEntry(
            date=timezone.localdate(booking.event.starts_at),
            activity=booking.event.title,
            kind="Event",
            provider=booking.event.organiser.name,
            hours=booking.event.cpd_hours_awarded,
        )
        for booking in cpd_bookings_of(user)
    ]
    entries += [
        CpdEntry(
            date=attendance.session.date,
            activity=attendance.session.display_title,
            kind=attendance.session.get_kind_display(),
            provider=attendance.session.cohort.provider.name,
            hours=attendance.session.cpd_hours_awarded,
            part_of=attendance.session.cohort.name,
        )
        for attendance in cpd_sessions_of(user)
    ]
    return sorted(entries, key=lambda e: (e.date, e.activity))


def cpd_total(entries) -> Decimal:
    return sum((e.hours for e in entries), start=Decimal(0))


def cpd_export(user) -> dict:
    """The CPD record for the personal data export."""
    entries = cpd_record(user)
    return {
        "total_hours": str(cpd_total(entries)),
        "entries": [
            {
                "date": e.date,
                "activity": e.activity,
                "kind": e.kind,
                "part_of": e.part_of,
                "provider": e.provider,
                "hours": str(e.hours),
            }
            for e in entries
        ],
    }


EXPORT_HEADER = ["Date", "Activity", "Kind", "Part of", "Provider", "CPD hours"]


class CpdRecordView(LoginRequiredMixin, TemplateView):
    """The signed-in member's own CPD record; ``?format=csv`` or ``xlsx`` downloads it."""

    template_name = "core/cpd_record.html"

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format")
        if file_format:
            if file_format not in {"csv", "xlsx"}:
                raise Http404
            entries = cpd_record(request.user)
            rows = [
                (e.date.isoformat(), e.activity, e.kind, e.part_of, e.provider, float(e.hours))
                for e in entries
            ]
            rows.append(("", "Total", "", "", "", float(cpd_total(entries))))
            return spreadsheet_response("cpd-record", EXPORT_HEADER, rows, file_format=file_format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = cpd_record(self.request.user)
        page = Paginator(entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            entries=page.object_list,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            total_hours=cpd_total(entries),
            activity_count=len(entries),
        )
        return context
