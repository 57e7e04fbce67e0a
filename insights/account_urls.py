"""A member's own equality monitoring pages, included by the project under
``accounts/``."""

from django.urls import path

from . import account_views

urlpatterns = [
    path("equality/", account_views.MonitoringSummaryView.as_view(), name="monitoring"),
    path("equality/answer/", account_views.MonitoringFormView.as_view(), name="monitoring_form"),
    path(
        "equality/withdraw/",
        account_views.MonitoringWithdrawView.as_view(),
        name="monitoring_withdraw",
    ),
]
