import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.factories import FunctionalAreaFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SECTIONS = ["/programmes/", "/events/", "/alumni/", "/resources/", "/compacts/"]


def test_admin_login_sends_people_to_the_sign_in_form(client):
    response = client.get("/admin/login/?next=/admin/core/user/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=%2Fadmin%2Fcore%2Fuser%2F", 302)]
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", *SECTIONS, "/accounts/login/", "/accounts/signup/"])
def test_public_pages_answer_200_with_one_h1_and_a_title(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "– TalentHub</title>" in html or "TalentHub" in html.split("</title>")[0]


def test_navigation_marks_the_current_section(client):
    html = client.get("/events/").content.decode()
    assert 'href="/events/" aria-current="true"' in html


def test_404_page_is_styled(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


def test_healthz_503_when_database_is_down(client, monkeypatch):
    def down():
        raise ConnectionError("database unavailable")

    monkeypatch.setattr("talenthub.core.views._check_database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")


@pytest.mark.redis
def test_healthz_reports_real_redis(client):
    assert client.get("/healthz").json()["checks"]["redis"] == "ok"


def test_profile_requires_sign_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_member_edits_own_profile(client):
    member = MemberFactory()
    org = OrganisationFactory(name="University of Derby")
    area = FunctionalAreaFactory(name="Workforce Intelligence")
    client.force_login(member)
    response = client.post(
        reverse("profile"),
        {
            "full_name": "Steve Morton",
            "organisation": org.pk,
            "job_title": "Director of HR",
            "career_level": "4",
            "region": "east_midlands",
            "cipd_grade": "chartered_fellow",
            "functional_areas": [area.pk],
            "email_event_announcements": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Steve Morton"
    assert member.profile.cipd_grade == "chartered_fellow"
    assert member.profile.email_event_announcements is True
    assert member.profile.email_bulletins is False


def test_profile_errors_are_shown_in_the_error_summary(client):
    member = MemberFactory(profile__job_title="Kept")
    client.force_login(member)
    response = client.post(reverse("profile"), {"full_name": "", "cipd_grade": "nonsense"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_full_name"' in html
    member.profile.refresh_from_db()
    assert member.profile.job_title == "Kept"


def test_profile_page_query_count(client, django_assert_max_num_queries):
    member = MemberFactory()
    for n in range(30):
        OrganisationFactory(name=f"Trust {n}")
        FunctionalAreaFactory(name=f"Area {n}")
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("profile")).status_code == 200


def test_admin_lists_every_model(admin_client):
    from django.contrib import admin

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_403_and_500_pages_are_styled(rf):
    from talenthub.core.views import permission_denied, server_error

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    forbidden = permission_denied(request)
    assert forbidden.status_code == 403
    assert b"You do not have permission to view this page" in forbidden.content
    error = server_error(rf.get("/"))
    assert error.status_code == 500
    assert b"Sorry, there is a problem with the service" in error.content
