from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("functional-areas/", views.FunctionalAreaListView.as_view(), name="area_list"),
    path(
        "functional-areas/<slug:slug>/",
        views.FunctionalAreaDetailView.as_view(),
        name="area_detail",
    ),
    path("career-pathway/", views.PathwayView.as_view(), name="pathway"),
    path(
        "entry-routes/",
        views.HubSectionView.as_view(section="entry_route"),
        name="entry_routes",
    ),
    path(
        "journeys-to-inclusion/",
        views.InclusionJourneyListView.as_view(),
        name="journey_list",
    ),
    path(
        "journeys-to-inclusion/<slug:slug>/",
        views.InclusionJourneyDetailView.as_view(),
        name="journey_detail",
    ),
    path(
        "further-resources/",
        views.HubSectionView.as_view(section="further_resource"),
        name="further_resources",
    ),
    path("competency-frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path(
        "competency-frameworks/<slug:slug>/",
        views.FrameworkDetailView.as_view(),
        name="framework_detail",
    ),
    path("self-assessment/", views.SelfAssessmentListView.as_view(), name="assessment_list"),
    path(
        "self-assessment/new/<slug:slug>/",
        views.SelfAssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path(
        "self-assessment/<int:pk>/",
        views.SelfAssessmentDetailView.as_view(),
        name="assessment_detail",
    ),
    path("career-conversations/", views.ConversationListView.as_view(), name="conversation_list"),
    path(
        "career-conversations/new/",
        views.ConversationCreateView.as_view(),
        name="conversation_create",
    ),
    path(
        "career-conversations/<int:pk>/",
        views.ConversationDetailView.as_view(),
        name="conversation_detail",
    ),
    path(
        "career-conversations/<int:pk>/edit/",
        views.ConversationUpdateView.as_view(),
        name="conversation_update",
    ),
    path(
        "career-conversations/<int:pk>/share/",
        views.ConversationShareView.as_view(),
        name="conversation_share",
    ),
]
