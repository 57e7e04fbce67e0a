"""The API's endpoints (docs/api.md). Each reads through an app's selector (what the
caller may see is decided there, as for the web pages) and writes through an app's
service (same locks, same emails); none holds a rule of its own."""

import hashlib

from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from alumni.selectors import pools_managed_by, supply_and_demand
from cohorts import selectors as cohort_selectors
from cohorts.models import Application, Cohort
from compact import selectors as compact_selectors
from compact.models import Document, Meeting
from events import selectors as event_selectors
from events import services as event_services
from events.filters import EventFilter
from events.models import Booking
from insights import disclosure
from programmes.filters import ProgrammeFilter
from programmes.selectors import programme_catalogue, programme_page
from resources import selectors as resource_selectors

from . import serializers as s
from .permissions import BookingsScope, ProgrammeManager, TalentBoardManager, TokenRequired


class ConditionalGetMixin:
    """``ETag`` on every successful read (a digest of the body) and ``304 Not Modified``
    for an ``If-None-Match`` that matches it, so a poller re-downloads nothing that has
    not changed. The body depends on who asks, so the response varies on
    ``Authorization`` and a shared cache keeps no personal copy."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        response["Cache-Control"] = (
            "private, no-cache" if "HTTP_AUTHORIZATION" in request.META else "public, no-cache"
        )
        return get_conditional_response(request, etag=etag, response=response)


class ReadView(ConditionalGetMixin, generics.GenericAPIView):
    pass


class ListView(ConditionalGetMixin, generics.ListAPIView):
    pass


class DetailView(ConditionalGetMixin, generics.RetrieveAPIView):
    def get_object(self):
        return self.get_selected_object()


# --- the root and the 404 --------------------------------------------------------------------


class RootView(ConditionalGetMixin, APIView):
    """Where everything is."""

    @extend_schema(
        responses=inline_serializer(
            "Root", {"links": serializers.DictField(child=serializers.URLField())}
        )
    )
    def get(self, request):
        names = [
            "programme-list",
            "cohort-list",
            "event-list",
            "career-pathway",
            "framework-list",
            "compact-list",
            "me",
            "my-booking-list",
            "my-application-list",
            "managed-cohort-list",
            "managed-application-list",
            "managed-attendance-list",
            "talent-board-balance",
            "schema",
            "docs",
        ]
        return Response(
            {"links": {n: request.build_absolute_uri(reverse(f"api:v1:{n}")) for n in names}}
        )


class NotFoundView(APIView):
    """Any other address under /api/: a 404 in the API's error shape."""

    schema = None
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        raise NotFound()


# --- programmes ---------------------------------------------------------------------------


# The catalogue's provider and functional area filters take a slug; their FilterSet (the
# page's own) does not say so in a way drf-spectacular can read, so tell it here.
for _name in ("provider", "functional_area"):
    set_override(ProgrammeFilter.base_filters[_name], "field", OpenApiTypes.STR)


class ProgrammeList(ListView):
    """Published programmes, filtered as the catalogue page filters them."""

    serializer_class = s.ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return programme_catalogue()


class ProgrammeDetail(DetailView):
    """A programme with its versions, modules, audience and current franchises."""

    serializer_class = s.ProgrammeDetailSerializer

    def get_selected_object(self):
        return programme_page(slug=self.kwargs["slug"], user=self.request.user)


# --- cohorts ------------------------------------------------------------------------------


class CohortList(ListView):
    """Cohorts that have not started and have a public page, soonest first."""

    serializer_class = s.CohortSerializer

    def get_queryset(self):
        return cohort_selectors.cohorts_upcoming().with_place_counts()


class CohortDetail(DetailView):
    serializer_class = s.CohortSerializer

    def get_selected_object(self):
        cohort = cohort_selectors.cohort_public_detail(self.kwargs["slug"])
        return Cohort.objects.with_related().with_place_counts().get(pk=cohort.pk)


# --- events -------------------------------------------------------------------------------


class EventList(ListView):
    """Upcoming events, soonest first, filtered as the events page filters them."""

    serializer_class = s.EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return event_selectors.event_list(self.request.user)


class EventDetail(DetailView):
    serializer_class = s.EventDetailSerializer

    def get_selected_object(self):
        return event_selectors.event_get(self.request.user, self.kwargs["slug"])


# --- the career resource hub --------------------------------------------------------------


@extend_schema(responses=s.PathwayLevelSerializer(many=True))
class CareerPathway(ConditionalGetMixin, APIView):
    """The career pathway, top level first: steps (salary bands and roles) and the
    development opportunities at each level."""

    serializer_class = s.PathwayLevelSerializer
    pagination_class = None

    @extend_schema(responses=s.PathwayLevelSerializer(many=True))
    def get(self, request):
        bands = resource_selectors.pathway_get()
        return Response(s.PathwayLevelSerializer(bands, many=True).data)


class FrameworkList(ListView):
    serializer_class = s.FrameworkSerializer

    def get_queryset(self):
        return resource_selectors.framework_list().order_by("order", "name", "pk")


class FrameworkDetail(DetailView):
    """A competency framework: its competencies and their indicators at each level."""

    serializer_class = s.FrameworkDetailSerializer

    def get_selected_object(self):
        return resource_selectors.framework_get(slug=self.kwargs["slug"])


# --- compacts -----------------------------------------------------------------------------


class CompactList(ListView):
    serializer_class = s.CompactSerializer

    def get_queryset(self):
        return compact_selectors.compact_list().order_by("name", "pk")


class CompactPartMixin:
    """The compact named in the URL and what the caller may see of it (public only,
    unless the token's owner is a member or editor of that compact)."""

    def compact_and_access(self):
        compact = compact_selectors.compact_get(slug=self.kwargs["slug"])
        return compact, compact_selectors.compact_access(user=self.request.user, compact=compact)


class CompactDocumentList(CompactPartMixin, ListView):
    serializer_class = s.DocumentSerializer
    queryset = Document.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self):
        compact, access = self.compact_and_access()
        return (
            compact.documents.visible_at(access.document_levels)
            .select_related("compact")
            .order_by("-published_on", "title", "pk")
        )


class CompactMeetingList(CompactPartMixin, ListView):
    serializer_class = s.MeetingSerializer
    queryset = Meeting.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self):
        compact, access = self.compact_and_access()
        return compact_selectors.meetings_for(compact=compact, access=access).order_by(
            "-starts_at", "-pk"
        )


class CompactPriorities(CompactPartMixin, DetailView):
    """The statement of annual priorities in force today (or the latest before it)."""

    serializer_class = s.PrioritiesStatementSerializer

    def get_selected_object(self):
        compact, _access = self.compact_and_access()
        statement = compact_selectors.current_statement(compact=compact)
        if statement is None:
            raise Http404("No statement of priorities.")
        return statement


# --- me -----------------------------------------------------------------------------------


class Me(ReadView):
    """The token owner's profile. Never their equality monitoring answers."""

    serializer_class = s.ProfileSerializer
    permission_classes = [TokenRequired]

    def get(self, request):
        user = request.user
        profile = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .select_related("profile__organisation")
            .prefetch_related("profile__functional_areas")
            .get()
        )
        profile = getattr(profile, "profile", None)
        data = {
            "user": user,
            "organisation": getattr(profile, "organisation", None),
            "job_title": getattr(profile, "job_title", ""),
            "career_level": getattr(profile, "career_level", None),
            "functional_areas": list(profile.functional_areas.all()) if profile else [],
            "cipd_grade": getattr(profile, "cipd_grade", ""),
            "region": getattr(profile, "region", ""),
        }
        return Response(self.get_serializer(data).data)


class MyBookingList(ConditionalGetMixin, generics.ListCreateAPIView):
    """GET: the token owner's bookings (places, offers, waiting-list entries and past
    ones). POST ``{"event": "<slug>"}`` (bookings scope): book a place, or join the
    waiting list when the event is full — the site's own booking, under the same lock,
    with the same email."""

    serializer_class = s.BookingSerializer
    queryset = Booking.objects.none()  # for the schema; rows come from get_queryset
    permission_classes = [BookingsScope]

    def get_queryset(self):
        return event_selectors.member_bookings(self.request.user)

    @extend_schema(request=s.BookingCreateSerializer, responses={201: s.BookingSerializer})
    def post(self, request):
        incoming = s.BookingCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        event = event_selectors.event_get(
            request.user, incoming.validated_data["event"], with_counts=False
        )
        booking = event_services.booking_create(event=event, member=request.user)
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)


def _my_booking(request, pk):
    booking = event_selectors.member_bookings(request.user).filter(pk=pk).first()
    if booking is None:
        raise Http404("No such booking")
    return booking


class MyBookingDetail(DetailView):
    serializer_class = s.BookingSerializer
    permission_classes = [BookingsScope]

    def get_selected_object(self):
        return _my_booking(self.request, self.kwargs["pk"])


class MyBookingAction(ReadView):
    """POST (bookings scope): one of the member's booking actions, through the events
    service the site uses."""

    serializer_class = s.BookingSerializer
    permission_classes = [BookingsScope]
    action = ""

    @extend_schema(request=None, responses={200: s.BookingSerializer})
    def post(self, request, pk):
        booking = event_selectors.booking_get_for_member(request.user, pk)
        if self.action == "cancel":
            event_services.booking_cancel(booking=booking, actor=request.user)
        elif self.action == "accept":
            event_services.offer_accept(booking=booking, member=request.user)
        else:
            event_services.offer_decline(booking=booking, member=request.user)
        return Response(self.get_serializer(_my_booking(request, pk)).data)


class MyBookingCancel(MyBookingAction):
    """Cancel a place or leave the waiting list; a freed place goes to the next person."""

    action = "cancel"


class MyOfferAccept(MyBookingAction):
    """Accept an offered place before it expires."""

    action = "accept"


class MyOfferDecline(MyBookingAction):
    """Decline an offered place; it goes to the next person waiting."""

    action = "decline"


class MyApplicationList(ListView):
    serializer_class = s.ApplicationSerializer
    queryset = Application.objects.none()  # for the schema; rows come from get_queryset
    permission_classes = [TokenRequired]

    def get_queryset(self):
        return cohort_selectors.applications_of(self.request.user).order_by("-created_at", "-pk")


class MyApplicationDetail(DetailView):
    serializer_class = s.ApplicationSerializer
    permission_classes = [TokenRequired]

    def get_selected_object(self):
        return cohort_selectors.application_of(self.request.user, self.kwargs["pk"])


# --- programme managers -------------------------------------------------------------------

COHORT_PARAMETER = OpenApiParameter("cohort", str, description="A cohort's slug.")


def _cohort_param(request):
    return request.query_params.get("cohort", "").strip()


class ManagedCohortList(ListView):
    """The cohorts the token owner's provider runs (as the admin scopes them)."""

    serializer_class = s.ManagedCohortSerializer
    permission_classes = [ProgrammeManager]

    def get_queryset(self):
        return (
            cohort_selectors.cohorts_managed_by(self.request.user)
            .with_place_counts()
            .order_by("-starts_on", "name", "pk")
        )


class ManagedCohortDetail(DetailView):
    serializer_class = s.ManagedCohortSerializer
    permission_classes = [ProgrammeManager]

    def get_selected_object(self):
        cohort = (
            cohort_selectors.cohorts_managed_by(self.request.user)
            .with_place_counts()
            .filter(slug=self.kwargs["slug"])
            .first()
        )
        if cohort is None:
            raise Http404("No such cohort")
        return cohort


@extend_schema(parameters=[COHORT_PARAMETER])
class ManagedApplicationList(ListView):
    """Submitted applications to the provider's cohorts; ``?cohort=<slug>`` for one."""

    serializer_class = s.ManagedApplicationSerializer
    permission_classes = [ProgrammeManager]

    def get_queryset(self):
        queryset = (
            cohort_selectors.applications_managed_by(self.request.user)
            .select_related("applicant", "cohort__version__programme")
            .order_by("cohort__starts_on", "submitted_at", "pk")
        )
        if cohort := _cohort_param(self.request):
            queryset = queryset.filter(cohort__slug=cohort)
        return queryset


@extend_schema(parameters=[COHORT_PARAMETER])
class ManagedAttendanceList(ListView):
    """Session attendance in the provider's cohorts; ``?cohort=<slug>`` for one."""

    serializer_class = s.AttendanceSerializer
    permission_classes = [ProgrammeManager]

    def get_queryset(self):
        queryset = (
            cohort_selectors.attendance_managed_by(self.request.user)
            .select_related("session__cohort", "participant__user")
            .order_by("session__date", "session__starts_at", "pk")
        )
        if cohort := _cohort_param(self.request):
            queryset = queryset.filter(session__cohort__slug=cohort)
        return queryset


# --- the talent board ---------------------------------------------------------------------


def published_count(count: int) -> int | None:
    """A count of people as insights publishes one (``insights.disclosure``): withheld
    (None) from 1 to the suppression threshold, otherwise rounded to 5 (exact when
    disclosure control is off)."""
    limit = disclosure.threshold()
    cell = disclosure.Cell(
        raw=count,
        suppressed=1 <= count <= limit,
        base=disclosure.BASE if limit >= 1 else 1,
    )
    return cell.value


@extend_schema(responses=s.PoolBalanceSerializer(many=True))
class TalentBoardBalance(ConditionalGetMixin, APIView):
    """For a talent pool's manager: per pool, region and career level, the open
    vacancies against the pool members ready now or in 1–2 years who could fill them.
    Aggregates only (no names); counts of people pass insights' disclosure control."""

    serializer_class = s.PoolBalanceSerializer
    permission_classes = [TalentBoardManager]
    pagination_class = None

    @extend_schema(responses=s.PoolBalanceSerializer(many=True))
    def get(self, request):
        pools = []
        for pool in pools_managed_by(request.user).order_by("title", "pk"):
            _members, _matches, balance = supply_and_demand(pool)
            rows = [
                {
                    "region": row.region,
                    "career_level": row.level,
                    "vacancies": row.vacancies,
                    "ready_now": published_count(row.ready_now),
                    "ready_in_1_to_2_years": published_count(row.ready_soon),
                }
                for row in balance
            ]
            pools.append({"pool": pool.slug, "title": pool.title, "rows": rows})
        return Response(s.PoolBalanceSerializer(pools, many=True).data)
