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
    path(
        "<slug:slug>/charter/<int:pk>/",
        views.CharterVersionView.as_view(),
        name="charter_version",
    ),
    path(
        "<slug:slug>/priorities/",
        views.PrioritiesArchiveView.as_view(),
        name="priorities_archive",
    ),
    path("<slug:slug>/groups/", views.GroupListView.as_view(), name="group_list"),
    path("<slug:slug>/actions/", views.ActionListView.as_view(), name="action_list"),
    path("<slug:slug>/actions/health/", views.ActionHealthView.as_view(), name="action_health"),
    path("<slug:slug>/actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path(
        "<slug:slug>/actions/indicators/",
        views.IndicatorProgressView.as_view(),
        name="indicator_progress",
    ),
    path(
        "<slug:slug>/actions/<int:pk>/indicators/new/",
        views.IndicatorAddView.as_view(),
        name="indicator_add",
    ),
    path(
        "<slug:slug>/actions/indicators/<int:pk>/record/",
        views.IndicatorRecordView.as_view(),
        name="indicator_record",
    ),
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
    path("<slug:slug>/meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path(
        "<slug:slug>/groups/<int:group_pk>/meetings.ics",
        views.group_meetings_ics,
        name="group_meetings_ics",
    ),
    path("<slug:slug>/meetings/my-feed/", views.MemberFeedView.as_view(), name="member_feed"),
    path(
        "<slug:slug>/meetings/feed/<str:token>.ics",
        views.member_meetings_feed,
        name="member_meetings_feed",
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
    # The secretariat's pages (editors of this compact only).
    path("<slug:slug>/secretariat/", views.SecretariatHomeView.as_view(), name="secretariat"),
    path(
        "<slug:slug>/secretariat/groups/<int:group_pk>/",
        views.GroupMembersView.as_view(),
        name="group_members",
    ),
    path(
        "<slug:slug>/secretariat/groups/<int:group_pk>/schedule/",
        views.MeetingScheduleView.as_view(),
        name="meeting_schedule",
    ),
    path(
        "<slug:slug>/secretariat/plans/<int:plan_pk>/actions/new/",
        views.ActionCreateView.as_view(),
        name="action_create",
    ),
    path(
        "<slug:slug>/secretariat/actions/<int:pk>/edit/",
        views.ActionEditView.as_view(),
        name="action_edit",
    ),
    path(
        "<slug:slug>/secretariat/actions/<int:pk>/complete/",
        views.ActionCompleteView.as_view(),
        name="action_complete",
    ),
    path(
        "<slug:slug>/secretariat/indicators/<int:pk>/edit/",
        views.IndicatorEditView.as_view(),
        name="indicator_edit",
    ),
    path(
        "<slug:slug>/secretariat/terms/",
        views.TermsManageView.as_view(),
        name="terms_manage",
    ),
    path(
        "<slug:slug>/secretariat/terms/new/",
        views.TermsDraftCreateView.as_view(),
        name="terms_draft_create",
    ),
    path(
        "<slug:slug>/secretariat/terms/<int:pk>/edit/",
        views.TermsDraftEditView.as_view(),
        name="terms_draft_edit",
    ),
    path(
        "<slug:slug>/secretariat/terms/<int:pk>/adopt/",
        views.TermsAdoptView.as_view(),
        name="terms_adopt",
    ),
    path(
        "<slug:slug>/secretariat/priorities/",
        views.StatementManageView.as_view(),
        name="statement_manage",
    ),
    path(
        "<slug:slug>/secretariat/priorities/<int:pk>/",
        views.StatementComposeView.as_view(),
        name="statement_compose",
    ),
    path(
        "<slug:slug>/secretariat/priorities/<int:pk>/edit/",
        views.StatementEditView.as_view(),
        name="statement_edit",
    ),
    path(
        "<slug:slug>/secretariat/priorities/<int:pk>/publish/",
        views.StatementPublishView.as_view(),
        name="statement_publish",
    ),
    path(
        "<slug:slug>/secretariat/charter/",
        views.CharterManageView.as_view(),
        name="charter_manage",
    ),
    path(
        "<slug:slug>/secretariat/charter/<int:pk>/sign/",
        views.SignatoryAddView.as_view(),
        name="signatory_add",
    ),
    path(
        "<slug:slug>/secretariat/signatories/<int:pk>/withdraw/",
        views.SignatoryWithdrawView.as_view(),
        name="signatory_withdraw",
    ),
    path(
        "<slug:slug>/secretariat/memberships/<int:pk>/end/",
        views.MembershipEndView.as_view(),
        name="membership_end",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/reports/new/",
        views.SubgroupReportView.as_view(),
        name="subgroup_report",
    ),
    path(
        "<slug:slug>/secretariat/surveys/new/",
        views.SurveyCreateView.as_view(),
        name="survey_create",
    ),
    path(
        "<slug:slug>/secretariat/surveys/<int:pk>/",
        views.SurveyComposeView.as_view(),
        name="survey_compose",
    ),
    path(
        "<slug:slug>/secretariat/surveys/<int:pk>/send/",
        views.SurveySendView.as_view(),
        name="survey_send",
    ),
    path(
        "<slug:slug>/secretariat/bulletins/",
        views.BulletinDraftsView.as_view(),
        name="bulletin_drafts",
    ),
    path(
        "<slug:slug>/secretariat/bulletins/<int:pk>/",
        views.BulletinComposeView.as_view(),
        name="bulletin_compose",
    ),
    path(
        "<slug:slug>/secretariat/bulletins/<int:pk>/send/",
        views.BulletinSendView.as_view(),
        name="bulletin_send",
    ),
]
