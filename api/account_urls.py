"""A member's API tokens. Included by the project under ``accounts/``."""

from django.urls import path

from . import account_views

urlpatterns = [
    path("api-tokens/", account_views.ApiTokenListView.as_view(), name="api_tokens"),
    path(
        "api-tokens/<int:pk>/revoke/",
        account_views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
]
