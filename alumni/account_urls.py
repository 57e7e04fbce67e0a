"""Personal data URLs. Included by the project under ``accounts/``:

path("accounts/", include("alumni.account_urls")),
"""

from django.urls import path

from . import account_views

urlpatterns = [
    path("data/", account_views.PersonalDataDownloadView.as_view(), name="personal_data_download"),
    path("delete/", account_views.AccountDeleteView.as_view(), name="account_delete"),
]
