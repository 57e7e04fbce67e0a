"""Staff sign-in: MFA before the admin, throttling on both sign-in forms (and behind a
proxy), the sign-in audit, the staff idle timeout, production cookie names and the
password similarity rule. Sign-ins here go through the real forms."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from talenthub.core.models import SignInEvent, User
from tests.factories import PASSWORD, ManagerFactory, MemberFactory, UserFactory
from tests.mfa import recovery_codes, totp_code, totp_enrol

pytestmark = [pytest.mark.django_db, pytest.mark.staff_without_mfa]

THROTTLED = "Too many failed login attempts"


def _sign_in(client, email, password, next_url="", **headers):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password}, **headers)


def _signed_in_as(client):
    response = client.get("/accounts/profile/")
    return response.status_code == 200 and response.wsgi_request.user


def _activate_totp(client) -> str:
    """Set up an authenticator app through allauth's page; return its secret. allauth
    asks for the password again first."""
    page = client.get("/accounts/2fa/totp/activate/")
    assert (
        page["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    client.post(page["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.context["form"].errors
    return secret


# --- MFA before the admin ------------------------------------------------------------


# allauth announces a new authenticator on commit: these tests run without a test-wide
# transaction, as the site does, so that happens within the request.
@pytest.mark.django_db(transaction=True)
def test_staff_without_mfa_is_sent_from_the_admin_to_set_it_up_then_reaches_it():
    staff = ManagerFactory()
    client = Client()
    _sign_in(client, staff.email, PASSWORD)
    response = client.get("/admin/events/event/?o=1")
    assert response.status_code == 302
    assert (
        response["Location"] == "/accounts/2fa/required/?next=%2Fadmin%2Fevents%2Fevent%2F%3Fo%3D1"
    )
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert "staff accounts must use a second step" in html
    assert 'href="/accounts/2fa/totp/activate/"' in html
    # Nothing under /admin/ opens, not even the index or a JSON autocomplete.
    for path in ("/admin/", "/admin/autocomplete/?app_label=core&model_name=user"):
        assert client.get(path)["Location"].startswith("/accounts/2fa/required/")

    _activate_totp(client)
    codes_page = client.get("/accounts/2fa/recovery-codes/")
    assert 'href="/admin/events/event/?o=1"' in codes_page.content.decode()
    assert client.get("/admin/events/event/?o=1").status_code == 200
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_a_superuser_is_held_to_the_same_rule():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    _sign_in(client, admin.email, PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/required/")


def test_staff_with_mfa_sign_in_with_a_code_then_reach_the_admin():
    staff = ManagerFactory()
    secret = totp_enrol(staff)
    client = Client()
    response = _sign_in(client, staff.email, PASSWORD, next_url="/admin/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in_as(client)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and not _signed_in_as(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_is_a_second_factor_once():
    staff = ManagerFactory()
    totp_enrol(staff)
    code = recovery_codes(staff)[0]
    client = Client()
    _sign_in(client, staff.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/admin/").status_code == 200
    client.post("/accounts/logout/")
    again = Client()
    _sign_in(again, staff.email, PASSWORD)
    again.post("/accounts/2fa/authenticate/", {"code": code})
    assert not _signed_in_as(again)
    assert SignInEvent.objects.filter(user=staff, kind="recovery_code_used").count() == 1


def test_a_session_signed_in_before_mfa_was_set_up_must_give_a_code():
    """A password-only session of a staff member who has an authenticator (set up in
    another session, or before the rule) is asked for a code, not let in."""
    staff = ManagerFactory()
    client = Client()
    _sign_in(client, staff.email, PASSWORD)
    secret = totp_enrol(staff)
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_members_are_not_asked_for_mfa_and_the_admin_stays_closed_to_them():
    member = MemberFactory()
    client = Client()
    _sign_in(client, member.email, PASSWORD)
    assert _signed_in_as(client) == member
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert response.status_code == 403


def test_the_admin_never_shows_an_authenticator_secret():
    staff = ManagerFactory()
    secret = totp_enrol(staff)
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_secret = totp_enrol(admin)
    client = Client()
    _sign_in(client, admin.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(admin_secret)})
    authenticator = Authenticator.objects.get(user=staff, type="totp")
    page = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 200
    assert secret not in page.content.decode()


# --- /admin/login/ goes through allauth: throttled like the public form --------------


def test_admin_login_form_cannot_be_brute_forced():
    staff = ManagerFactory()
    totp_enrol(staff)
    client = Client()
    for _ in range(30):
        client.post("/admin/login/", {"username": staff.email, "password": "wrong-password"})
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    # The admin's own form checks no password: it sends the person to allauth's.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert not _signed_in_as(client)

    # Through the form it sends them to, wrong passwords lock the right one out: after
    # 5 for the account (ACCOUNT_RATE_LIMITS) the form refuses, and after 30 sign-in
    # attempts a minute from one address the page itself does (429).
    for _ in range(5):
        _sign_in(client, staff.email, "wrong-password", next_url="/admin/")
    response = _sign_in(client, staff.email, PASSWORD, next_url="/admin/")
    assert THROTTLED in response.content.decode()
    assert not _signed_in_as(client)
    for _ in range(30):
        _sign_in(client, staff.email, "wrong-password", next_url="/admin/")
    response = _sign_in(client, staff.email, PASSWORD, next_url="/admin/")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not _signed_in_as(client)


def test_public_sign_in_form_cannot_be_brute_forced():
    member = MemberFactory()
    client = Client()
    for _ in range(5):
        _sign_in(client, member.email, "wrong-password")
    response = _sign_in(client, member.email, PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert not _signed_in_as(client)
    for _ in range(30):
        _sign_in(client, member.email, "wrong-password")
    response = _sign_in(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert not _signed_in_as(client)
    assert SignInEvent.objects.filter(user=member, kind="sign_in_throttled").exists()


# --- the client's address behind a proxy -------------------------------------------


def _spray(client, count, remote_addr, forwarded_for):
    """``count`` failed sign-ins, each for a different address (so no per-account limit
    applies), with the given X-Forwarded-For values."""
    for i in range(count):
        _sign_in(
            client,
            f"nobody{i}-{remote_addr}@example.com",
            "wrong-password",
            REMOTE_ADDR=remote_addr,
            HTTP_X_FORWARDED_FOR=forwarded_for(i),
        )


def test_without_a_trusted_proxy_x_forwarded_for_does_not_escape_the_per_address_limit(
    settings,
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    member = MemberFactory()
    client = Client()
    _spray(client, 10, "198.51.100.20", lambda i: f"10.0.0.{i}")
    response = _sign_in(
        client, member.email, PASSWORD, REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert THROTTLED in response.content.decode()
    assert set(SignInEvent.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}


def test_behind_one_proxy_the_address_the_proxy_saw_is_throttled_and_recorded(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    member = MemberFactory()
    client = Client()
    # The attacker writes what they like at the front; the proxy appends their address.
    _spray(client, 10, proxy, lambda i: f"192.0.2.{i}, 203.0.113.7")
    refused = _sign_in(
        client,
        member.email,
        PASSWORD,
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    assert THROTTLED in refused.content.decode()
    # Someone else behind the same proxy is not locked out by them.
    other = Client()
    response = _sign_in(
        other, member.email, PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert response.status_code == 302
    assert _signed_in_as(other) == member
    addresses = set(SignInEvent.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.7", "198.51.100.9"}


def _setting_in_a_fresh_process(name, **environ):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TRUSTED_PROXY_COUNT")}
    env.update(DJANGO_SETTINGS_MODULE="talenthub.settings", **environ)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_trusted_proxy_count_comes_from_the_environment():
    assert _setting_in_a_fresh_process("ALLAUTH_TRUSTED_PROXY_COUNT") == "0"
    assert (
        _setting_in_a_fresh_process("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="1") == "1"
    )


# --- the sign-in audit ------------------------------------------------------------------


def test_sign_ins_and_failures_are_recorded_with_address_and_browser():
    member = MemberFactory()
    client = Client()
    agent = "Mozilla/5.0 " + "x" * 500
    _sign_in(client, member.email, "wrong-password", REMOTE_ADDR="192.0.2.5", HTTP_USER_AGENT=agent)
    _sign_in(client, member.email, PASSWORD, REMOTE_ADDR="192.0.2.5", HTTP_USER_AGENT=agent)
    failed, signed_in = SignInEvent.objects.order_by("id")
    assert (failed.kind, failed.user, failed.email) == ("sign_in_failed", member, member.email)
    assert (signed_in.kind, signed_in.user) == ("signed_in", member)
    assert signed_in.ip_address == "192.0.2.5"
    assert signed_in.user_agent == agent[:200]
    assert signed_in.data == {"methods": ["password"]}


def test_a_failed_sign_in_for_an_unknown_address_creates_no_account():
    users_before = User.objects.count()
    typed = "  Someone.Unknown@Example.COM "
    _sign_in(Client(), typed, "whatever")
    event = SignInEvent.objects.get()
    assert event.kind == "sign_in_failed" and event.user is None
    assert event.email == "someone.unknown@example.com"
    # Any other caller of authenticate() may pass whatever it was given: cut to length.
    authenticate(None, email="A" * 5000, password="whatever")
    assert SignInEvent.objects.latest("id").email == "a" * 254
    assert User.objects.count() == users_before


@pytest.mark.django_db(transaction=True)
def test_mfa_changes_and_password_changes_are_recorded():
    member = MemberFactory()
    client = Client()
    _sign_in(client, member.email, PASSWORD)
    secret = _activate_totp(client)
    client.post("/accounts/2fa/recovery-codes/generate/")
    client.post("/accounts/2fa/totp/deactivate/")
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    kinds = list(
        SignInEvent.objects.filter(user=member).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        "signed_in",
        "mfa_added",  # the app
        "mfa_added",  # its recovery codes
        "recovery_codes_reset",
        "mfa_removed",  # the app
        "mfa_removed",  # its recovery codes, which go with it
        "password_changed",
    ], (kinds, secret)


def test_a_deleted_account_is_recorded_without_its_address():
    member = MemberFactory()
    email = member.email
    client = Client()
    _sign_in(client, email, PASSWORD, REMOTE_ADDR="192.0.2.77")
    response = client.post(
        "/accounts/delete/", {"password": PASSWORD, "confirm": "on"}, REMOTE_ADDR="192.0.2.77"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    events = SignInEvent.objects.filter(user=member).order_by("id")
    assert [e.kind for e in events] == ["signed_in", "account_deleted"]
    assert not SignInEvent.objects.filter(email__icontains=email).exists()
    assert events.last().ip_address == "192.0.2.77"


def test_the_sign_in_audit_is_read_only_and_for_superusers():
    _sign_in(Client(), "nobody@example.com", "wrong")
    event = SignInEvent.objects.get(kind="sign_in_failed")
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_secret = totp_enrol(admin)
    admin_client = Client()
    _sign_in(admin_client, admin.email, PASSWORD)
    admin_client.post("/accounts/2fa/authenticate/", {"code": totp_code(admin_secret)})
    assert admin_client.get("/admin/core/signinevent/").status_code == 200
    assert admin_client.get(f"/admin/core/signinevent/{event.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/core/signinevent/{event.pk}/delete/").status_code == 403
    staff = ManagerFactory()
    totp_enrol(staff)
    client = Client()
    _sign_in(client, staff.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(totp_enrol(staff))})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/signinevent/").status_code == 403


# --- staff idle timeout -----------------------------------------------------------------


def _staff_in_admin():
    staff = ManagerFactory()
    secret = totp_enrol(staff)
    client = Client()
    _sign_in(client, staff.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/admin/").status_code == 200
    return client


def test_a_staff_session_ends_after_the_idle_limit(settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _staff_in_admin()
        traveller.shift(timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200  # active: the clock restarted
        traveller.shift(timedelta(minutes=31))
        response = client.get("/admin/events/")
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fevents%2F"
        assert not _signed_in_as(client)


def test_a_members_session_has_no_idle_limit(settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    member = MemberFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        _sign_in(client, member.email, PASSWORD)
        traveller.shift(timedelta(hours=3))
        assert _signed_in_as(client) == member


# --- production cookies and passwords ------------------------------------------------


def test_production_cookies_have_the_host_prefix():
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "talenthub.example.org"}
    assert _setting_in_a_fresh_process("SESSION_COOKIE_NAME", **production) == "__Host-sessionid"
    assert _setting_in_a_fresh_process("CSRF_COOKIE_NAME", **production) == "__Host-csrftoken"
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert _setting_in_a_fresh_process(name, **production) == "True"
    for name in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN"):
        assert _setting_in_a_fresh_process(name, **production) == "None"
    for name in ("SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH"):
        assert _setting_in_a_fresh_process(name, **production) == "/"


def test_a_password_like_the_full_name_is_refused():
    user = UserFactory(full_name="Bartholomew Fairweather-Smythe")
    with pytest.raises(ValidationError, match="too similar to the full name"):
        validate_password("bartholomewfairweather", user)
