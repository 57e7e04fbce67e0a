from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from cohorts import views as cohorts_views
from talenthub import cpd, home
from talenthub.core import views as core_views
from talenthub.core.admin_mixins import (
    changelist_rows,
    count_results_once,
    estimate_large_counts,
    lazy_app_list,
)

admin.site.site_header = "TalentHub administration"
admin.site.site_title = "TalentHub admin"
admin.site.index_title = "Manage TalentHub"
# No navigation sidebar: it lists every model (57) with its links on every admin page, and
# rendering it was half the work of a short changelist (issue 16, docs/benchmarks.md). The
# same list is the admin's home page, one click away on every page's breadcrumbs.
admin.site.enable_nav_sidebar = False
lazy_app_list(admin.site)  # so a page that does not show the list does not build it
count_results_once(admin.site)
estimate_large_counts(admin.site)  # "about 260,000 bookings": no COUNT(*) of a big table
changelist_rows(admin.site)  # 50 rows a page, not 100: the per-cell rendering (issue 16)
# The admin has no sign-in form of its own: /admin/login/ sends people to allauth's, so the
# same throttling (per account and per address), second factor and audit apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("home/", home.PersonalHomeView.as_view(), name="personal_home"),
    path("home/cpd/", cpd.CpdRecordView.as_view(), name="cpd_record"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accessibility/",
        core_views.OperatorPageView.as_view(template_name="core/accessibility.html"),
        name="accessibility",
    ),
    path(
        "privacy/",
        core_views.OperatorPageView.as_view(template_name="core/privacy.html"),
        name="privacy",
    ),
    path(
        "cookies/",
        core_views.OperatorPageView.as_view(template_name="core/cookies.html"),
        name="cookies",
    ),
    path("contact/", core_views.ContactView.as_view(), name="contact"),
    path(
        "certificates/<str:code>/",
        cohorts_views.CertificateVerifyView.as_view(),
        name="certificate_verify",
    ),
    path("accounts/", include("talenthub.core.urls")),
    path("accounts/", include("alumni.account_urls")),
    path("accounts/", include("insights.account_urls")),
    path("accounts/", include("api.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("resources/", include("resources.urls")),
    path("programmes/", include("programmes.urls")),
    path("events/", include("events.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("alumni/", include("alumni.urls")),
    path("compacts/", include("compact.urls")),
    path("insights/", include("insights.urls")),
    path("api/", include("api.urls")),
]

handler403 = "talenthub.core.views.permission_denied"
handler404 = "talenthub.core.views.page_not_found"
handler500 = "talenthub.core.views.server_error"
