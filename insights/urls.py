from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.InsightsIndexView.as_view(), name="index"),
    path("how-we-protect-these-figures/", views.ProtectionView.as_view(), name="protection"),
    path("journey/", views.JourneyView.as_view(), name="journey"),
    path("journey.csv", views.JourneyView.as_view(as_csv=True), name="journey_csv"),
    path("representation/", views.RepresentationView.as_view(), name="representation"),
    path(
        "representation.csv",
        views.RepresentationView.as_view(as_csv=True),
        name="representation_csv",
    ),
    path("programmes/", views.ProgrammeOutcomesView.as_view(), name="programmes"),
    path("programmes.csv", views.ProgrammeOutcomesView.as_view(as_csv=True), name="programmes_csv"),
    path("events/", views.EventDemandView.as_view(), name="events"),
    path("events.csv", views.EventDemandView.as_view(as_csv=True), name="events_csv"),
    path("compacts/", views.CompactHealthView.as_view(), name="compacts"),
    path("compacts.csv", views.CompactHealthView.as_view(as_csv=True), name="compacts_csv"),
]
