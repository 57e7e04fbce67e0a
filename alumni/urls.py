from django.urls import path

from . import alert_views, mentoring_views, moderation_views, talent_views, views

app_name = "alumni"
urlpatterns = [
    path("", views.DirectoryView.as_view(), name="index"),
    path("export.csv", views.DirectoryExportView.as_view(), name="export"),
    path("export.xlsx", views.DirectoryExportView.as_view(file_format="xlsx"), name="export_xlsx"),
    path("<int:pk>/", views.ProfileDetailView.as_view(), name="profile"),
    path("<int:pk>/photo/", views.PhotoView.as_view(), name="photo"),
    path("me/", views.MyProfileView.as_view(), name="my_profile"),
    path("me/career/", views.CareerHistoryView.as_view(), name="career"),
    path("me/career/<int:pk>/", views.CareerEntryEditView.as_view(), name="career_edit"),
    path("mentoring/", views.MentoringView.as_view(), name="mentoring"),
    path("mentoring/<int:pk>/", views.MentoringActionView.as_view(), name="mentoring_action"),
    path("outcomes/", views.OutcomesView.as_view(), name="outcomes"),
    path("talent/", views.TalentIndexView.as_view(), name="talent"),
    path("talent/pools/<slug:slug>/", views.PoolDetailView.as_view(), name="pool"),
    path("talent/pools/<slug:slug>/alert/", alert_views.PoolAlertView.as_view(), name="pool_alert"),
    path("talent/pools/<slug:slug>/import/", views.PoolImportView.as_view(), name="pool_import"),
    path(
        "talent/members/<int:pk>/assessment/",
        views.AssessmentView.as_view(),
        name="assessment",
    ),
    path("talent/memberships/<int:pk>/mobility/", views.MobilityView.as_view(), name="mobility"),
    path("talent/vacancies/", views.VacancyListView.as_view(), name="vacancies"),
    path("talent/vacancies/new/", views.VacancyCreateView.as_view(), name="vacancy_create"),
    path(
        "talent/vacancies/<int:pk>/close/", views.VacancyCloseView.as_view(), name="vacancy_close"
    ),
    path("stories/", views.StoryListView.as_view(), name="stories"),
    path("stories/new/", views.StoryCreateView.as_view(), name="story_create"),
    path("stories/<int:pk>/", views.StoryDetailView.as_view(), name="story"),
    path("pledges/", views.PledgeListView.as_view(), name="pledges"),
    path("pledges/new/", moderation_views.PledgeCreateView.as_view(), name="pledge_create"),
    path(
        "contributions/",
        moderation_views.MyContributionsView.as_view(),
        name="my_contributions",
    ),
    path("moderation/", moderation_views.ModerationQueueView.as_view(), name="moderation"),
    path(
        "moderation/pledges/",
        moderation_views.ModerationQueueView.as_view(kind="pledges"),
        name="moderation_pledges",
    ),
    path(
        "moderation/stories/<int:pk>/",
        moderation_views.ModerateView.as_view(),
        name="moderate_story",
    ),
    path(
        "moderation/pledges/<int:pk>/",
        moderation_views.ModerateView.as_view(kind="pledges"),
        name="moderate_pledge",
    ),
    # Pool managers' pages and mentoring relationships (issue 19)
    path(
        "talent/pools/<slug:slug>/members/",
        talent_views.PoolMembersView.as_view(),
        name="pool_members",
    ),
    path(
        "talent/pools/<slug:slug>/members/add/",
        talent_views.PoolMemberAddView.as_view(),
        name="pool_member_add",
    ),
    path("talent/members/<int:pk>/", talent_views.PoolMemberEditView.as_view(), name="pool_member"),
    path(
        "talent/members/<int:pk>/remove/",
        talent_views.PoolMemberRemoveView.as_view(),
        name="pool_member_remove",
    ),
    path(
        "talent/pools/<slug:slug>/succession/",
        talent_views.SuccessionView.as_view(),
        name="succession",
    ),
    path(
        "talent/pools/<slug:slug>/succession/new/",
        talent_views.KeyRoleCreateView.as_view(),
        name="key_role_create",
    ),
    path("talent/key-roles/<int:pk>/", talent_views.KeyRoleView.as_view(), name="key_role"),
    path(
        "talent/vacancies/<int:pk>/candidates/",
        talent_views.VacancyCandidatesView.as_view(),
        name="vacancy_candidates",
    ),
    path(
        "mentoring/suggestions/",
        mentoring_views.SuggestionsView.as_view(),
        name="mentoring_suggestions",
    ),
    path(
        "mentoring/relationships/<int:pk>/",
        mentoring_views.RelationshipView.as_view(),
        name="relationship",
    ),
    path("mentoring/figures/", mentoring_views.FiguresView.as_view(), name="mentoring_figures"),
]
