from django.urls import path

from talenthub.core.page_cache import cache_public_page

from . import views

app_name = "compact"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<slug:slug>/", cache_public_page(views.CompactDetailView.as_view()), name="detail"),
    path("<slug:slug>/terms/", views.TermsListView.as_view(), name="terms_list"),
    path("<slug:slug>/terms/<int:version>/", views.TermsDetailView.as_view(), name="terms_detail"),
    path("<slug:slug>/charter/", views.CharterView.as_view(), name="charter"),
    path("<slug:slug>/groups/", views.GroupListView.as_view(), name="group_list"),
    path("<slug:slug>/actions/", views.ActionListView.as_view(), name="action_list"),
    path("<slug:slug>/actions/health/", views.ActionHealthView.as_view(), name="action_health"),
    path("<slug:slug>/actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("<slug:slug>/meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path(
        "<slug:slug>/meetings/attendance/",
        views.AttendanceReportView.as_view(),
        name="attendance_report",
    ),
    path(
        "<slug:slug>/groups/<int:group_pk>/meetings/new/",
        views.MeetingRecordView.as_view(),
        name="meeting_record",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/held/",
        views.MeetingHoldView.as_view(),
        name="meeting_hold",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/documents/new/",
        views.MeetingDocumentView.as_view(),
        name="meeting_document",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/cancel/",
        views.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/move/",
        views.MeetingMoveView.as_view(),
        name="meeting_move",
    ),
    path("<slug:slug>/documents/", views.DocumentListView.as_view(), name="document_list"),
    path(
        "<slug:slug>/documents/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("<slug:slug>/surveys/", views.SurveyListView.as_view(), name="survey_list"),
    path("<slug:slug>/surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path(
        "<slug:slug>/surveys/<int:pk>/respond/",
        views.SurveyRespondView.as_view(),
        name="survey_respond",
    ),
    path("<slug:slug>/bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path(
        "<slug:slug>/bulletins/subscribe/",
        views.BulletinSubscribeView.as_view(),
        name="bulletin_subscribe",
    ),
    path(
        "<slug:slug>/bulletins/<int:number>/",
        views.BulletinDetailView.as_view(),
        name="bulletin_detail",
    ),
]
