"""Personal access tokens: the service, authentication, and the account pages."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from api import services
from api.exceptions import ApiError
from api.models import ApiToken, token_digest
from talenthub.core.models import AuditLog
from tests.factories import MemberFactory
from tests.helpers import raises_code

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_digest_only(member):
    token, raw = services.api_token_create(
        user=member, name="Intranet", scope="read", expires_in_days=30
    )
    assert raw.startswith("th_") and len(raw) > 40
    token.refresh_from_db()
    assert token.digest == token_digest(raw)
    assert raw not in {token.digest, token.hint, token.name}
    assert token.hint == raw[:8]
    assert AuditLog.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()


def test_at_most_ten_usable_tokens(member):
    for n in range(services.MAX_ACTIVE_TOKENS):
        services.api_token_create(user=member, name=f"T{n}", scope="read", expires_in_days=None)
    with raises_code(ApiError, "too_many_tokens"):
        services.api_token_create(user=member, name="One more", scope="read", expires_in_days=1)
    services.api_token_revoke(token=ApiToken.objects.filter(user=member).first(), user=member)
    services.api_token_create(user=member, name="Now fits", scope="read", expires_in_days=1)


def test_an_unknown_scope_is_refused(member):
    with raises_code(ApiError, "invalid_choice"):
        services.api_token_create(user=member, name="X", scope="admin", expires_in_days=1)


def test_revoking_twice_is_refused(member):
    token, _raw = services.api_token_create(user=member, name="X", scope="read", expires_in_days=1)
    services.api_token_revoke(token=token, user=member)
    with raises_code(ApiError, "token_revoked"):
        services.api_token_revoke(token=token, user=member)


def test_a_valid_token_authenticates_and_records_its_use(member):
    raw = token_for(member, "read")
    response = ApiClient(raw).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert ApiToken.objects.get(user=member).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer th_not-a-token", "Token abc", "Bearer", "Bearer a b"],
)
def test_a_bad_authorization_header_is_a_401_never_anonymous(api, header):
    response = api.get("/api/v1/programmes/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "authentication_failed"


def test_revoked_and_expired_tokens_stop_working(member):
    raw = token_for(member, "read", expires_in_days=1)
    client = ApiClient(raw)
    assert client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert client.get("/api/v1/me/").status_code == 401
    services.api_token_revoke(token=ApiToken.objects.get(user=member), user=member)
    assert client.get("/api/v1/me/").status_code == 401


def test_a_deactivated_accounts_token_stops_working(member):
    client = ApiClient(token_for(member, "read"))
    member.is_active = False
    member.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_authenticated_endpoints_refuse_no_token_with_401(api):
    for path in ["/api/v1/me/", "/api/v1/me/bookings/", "/api/v1/me/applications/"]:
        response = api.get(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"


# --- the account pages --------------------------------------------------------------------


def test_the_token_page_needs_sign_in(client):
    response = client.get("/accounts/api-tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_making_a_token_shows_it_once(client, member, django_assert_max_num_queries):
    client.force_login(member)
    with django_assert_max_num_queries(8):
        page = client.get("/accounts/api-tokens/")
    assert page.status_code == 200
    assert "You have no tokens." in page.content.decode()
    response = client.post(
        "/accounts/api-tokens/",
        {"name": "Trust intranet", "scope": "bookings", "expires_in_days": "90"},
    )
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = ApiToken.objects.get(user=member)
    raw = response.context["raw"]
    assert raw in html and token.digest == token_digest(raw)
    assert token.scope == "bookings"
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    # Listed afterwards by name and hint, never by value.
    listing = client.get("/accounts/api-tokens/").content.decode()
    assert "Trust intranet" in listing and token.hint in listing and raw not in listing


def test_a_token_form_error_is_shown_in_the_govuk_pattern(client, member):
    client.force_login(member)
    response = client.post("/accounts/api-tokens/", {"name": "", "scope": "read"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert not ApiToken.objects.exists()


def test_revoking_a_token_on_the_page(client, member):
    token, raw = services.api_token_create(user=member, name="Old", scope="read", expires_in_days=1)
    client.force_login(member)
    assert client.get(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 200
    response = client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get("/api/v1/me/").status_code == 401


def test_another_members_token_cannot_be_seen_or_revoked(client, member):
    other = MemberFactory()
    token, _raw = services.api_token_create(
        user=other, name="Bob's", scope="read", expires_in_days=1
    )
    client.force_login(member)
    assert client.get(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Bob&#x27;s" not in client.get("/accounts/api-tokens/").content.decode()


def test_the_profile_page_links_to_the_tokens(client, member):
    client.force_login(member)
    assert "/accounts/api-tokens/" in client.get("/accounts/profile/").content.decode()
