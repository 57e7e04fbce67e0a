from django.urls import path

from . import alert_views, completion_views, views

app_name = "cohorts"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path(
        "programmes/<slug:slug>/alert/",
        alert_views.ProgrammeAlertView.as_view(),
        name="programme_alert",
    ),
    path(
        "applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"
    ),
    path(
        "applications/<int:pk>/accept/",
        views.ApplicationActionView.as_view(action="accept"),
        name="offer_accept",
    ),
    path(
        "applications/<int:pk>/decline/",
        views.ApplicationActionView.as_view(action="decline"),
        name="offer_decline",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationActionView.as_view(action="withdraw"),
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/line-manager/resend/",
        views.ApplicationActionView.as_view(action="resend_line_manager"),
        name="line_manager_resend",
    ),
    path(
        "support/<str:token>/", views.LineManagerSupportView.as_view(), name="line_manager_support"
    ),
    path(
        "project-work/<int:pk>/download/",
        views.ProjectWorkDownloadView.as_view(),
        name="project_work_download",
    ),
    path("manage/", views.ManageIndexView.as_view(), name="manage"),
    path("manage/sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "manage/versions/<int:pk>/feedback/",
        views.VersionFeedbackReportView.as_view(),
        name="version_feedback",
    ),
    path(
        "manage/<slug:slug>/import-participants/",
        views.ParticipantImportView.as_view(),
        name="participant_import",
    ),
    path(
        "manage/<slug:slug>/completion/",
        completion_views.CompletionView.as_view(),
        name="completion",
    ),
    path(
        "manage/<slug:slug>/feedback/",
        views.CohortFeedbackReportView.as_view(),
        name="cohort_feedback",
    ),
    path("<slug:slug>/", views.CohortDetailView.as_view(), name="detail"),
    path("<slug:slug>/apply/", views.ApplyView.as_view(), name="apply"),
    path("<slug:slug>/home/", views.ParticipantHomeView.as_view(), name="participant_home"),
    path("<slug:slug>/project-work/", views.ProjectWorkSubmitView.as_view(), name="project_work"),
    path("<slug:slug>/reports/", views.ProjectReportsView.as_view(), name="project_reports"),
    path(
        "<slug:slug>/reports/<int:pk>/review/",
        completion_views.ProjectReviewView.as_view(),
        name="project_review",
    ),
    path("<slug:slug>/feedback/", views.FeedbackView.as_view(), name="feedback"),
    path("<slug:slug>/certificate/", views.CertificateView.as_view(), name="certificate"),
    path("<slug:slug>/certificate.pdf", views.CertificatePdfView.as_view(), name="certificate_pdf"),
]
