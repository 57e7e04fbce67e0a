from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path("2fa/required/", views.StaffMfaRequiredView.as_view(), name="staff_mfa_required"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
