"""/api/: version 1 under /api/v1/ (namespace ``api:v1``), and a 404 in the API's error
shape for any other address under /api/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from . import views


class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar); its start-up script
    is a separate file (``?script``), so the page needs no inline script or style and
    keeps the site's Content-Security-Policy."""

    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    title = "TalentHub API"
    url_name = "api:v1:schema"


v1 = [
    path("", views.RootView.as_view(), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("programmes/", views.ProgrammeList.as_view(), name="programme-list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetail.as_view(), name="programme-detail"),
    path("cohorts/", views.CohortList.as_view(), name="cohort-list"),
    path("cohorts/<slug:slug>/", views.CohortDetail.as_view(), name="cohort-detail"),
    path("events/", views.EventList.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetail.as_view(), name="event-detail"),
    path("career-pathway/", views.CareerPathway.as_view(), name="career-pathway"),
    path("competency-frameworks/", views.FrameworkList.as_view(), name="framework-list"),
    path(
        "competency-frameworks/<slug:slug>/",
        views.FrameworkDetail.as_view(),
        name="framework-detail",
    ),
    path("compacts/", views.CompactList.as_view(), name="compact-list"),
    path(
        "compacts/<slug:slug>/documents/",
        views.CompactDocumentList.as_view(),
        name="compact-documents",
    ),
    path(
        "compacts/<slug:slug>/meetings/",
        views.CompactMeetingList.as_view(),
        name="compact-meetings",
    ),
    path(
        "compacts/<slug:slug>/priorities/",
        views.CompactPriorities.as_view(),
        name="compact-priorities",
    ),
    path("me/", views.Me.as_view(), name="me"),
    path("me/bookings/", views.MyBookingList.as_view(), name="my-booking-list"),
    path("me/bookings/<int:pk>/", views.MyBookingDetail.as_view(), name="my-booking-detail"),
    path("me/bookings/<int:pk>/cancel/", views.MyBookingCancel.as_view(), name="my-booking-cancel"),
    path("me/bookings/<int:pk>/accept/", views.MyOfferAccept.as_view(), name="my-offer-accept"),
    path("me/bookings/<int:pk>/decline/", views.MyOfferDecline.as_view(), name="my-offer-decline"),
    path("me/applications/", views.MyApplicationList.as_view(), name="my-application-list"),
    path(
        "me/applications/<int:pk>/",
        views.MyApplicationDetail.as_view(),
        name="my-application-detail",
    ),
    path("manage/cohorts/", views.ManagedCohortList.as_view(), name="managed-cohort-list"),
    path(
        "manage/cohorts/<slug:slug>/",
        views.ManagedCohortDetail.as_view(),
        name="managed-cohort-detail",
    ),
    path(
        "manage/applications/",
        views.ManagedApplicationList.as_view(),
        name="managed-application-list",
    ),
    path(
        "manage/attendance/", views.ManagedAttendanceList.as_view(), name="managed-attendance-list"
    ),
    path(
        "talent-board/balance/",
        views.TalentBoardBalance.as_view(),
        name="talent-board-balance",
    ),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]

app_name = "api"
urlpatterns = [
    path("v1/", include((v1, "v1"))),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
