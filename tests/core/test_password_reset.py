"""Password reset (django-allauth) through the request cycle: the form, the email (queued
in the outbox and sent by its task), the link, the new password, signing in with it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from talenthub.core.models import OutboundEmail
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2026"


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)
    assert match, f"no reset link in: {message.body}"
    return match.group(1)


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    """Post the reset form; the outbox's send task runs when the request's transaction
    commits (captured here, as the test's own transaction never commits)."""

    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_reset_password"), {"email": email})
        assert response.status_code == 302
        assert response.url == reverse("account_reset_password_done")
        return response

    return post


def test_reset_form_is_styled_and_explains_itself(client):
    response = client.get(reverse("account_reset_password"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "TalentHub" in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert 'name="email"' in html


def test_reset_by_email_then_sign_in_with_the_new_password(client, request_reset, settings):
    settings.SITE_URL = "https://talenthub.example.org"
    member = MemberFactory(email="priya.shah@derby.example")
    request_reset("Priya.Shah@derby.example")  # any case finds the account

    # One email, through the outbox (and sent by its task), to the member.
    row = OutboundEmail.objects.get()
    assert row.to == "priya.shah@derby.example"
    assert row.status == OutboundEmail.Status.SENT
    assert row.key.startswith("account:account/email/password_reset_key:")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["priya.shah@derby.example"]
    assert message.subject.startswith("[TalentHub] ")
    assert message.body.startswith("Dear ")
    assert "The TalentHub team\nhttps://talenthub.example.org" in message.body

    # The link stores the key in the session and moves to a URL without it.
    response = client.get(reset_link(message))
    assert response.status_code == 302
    set_password_url = response.url
    assert "set-password" in set_password_url
    form_page = client.get(set_password_url)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not member.check_password(PASSWORD)

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_used_reset_link_does_not_work_again(client, request_reset):
    member = MemberFactory()
    request_reset(member.email)
    link = reset_link(mail.outbox[0])
    set_password_url = client.get(link).url
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    response = client.get(link, follow=True)
    html = response.content.decode()
    assert "Bad token" in html or "invalid" in html.lower()
    assert 'name="password1"' not in html
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_mismatched_passwords_are_an_error_and_change_nothing(client, request_reset):
    member = MemberFactory()
    request_reset(member.email)
    set_password_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_second_request_is_a_second_email(client, request_reset):
    member = MemberFactory()
    request_reset(member.email)
    request_reset(member.email)
    assert OutboundEmail.objects.filter(to=member.email).count() == 2
    assert len(mail.outbox) == 2


def test_unknown_address_reveals_nothing_and_resets_nobody(client, request_reset):
    """The same answer as for a real account, so the form cannot be used to find out
    who has one (allauth's enumeration prevention)."""
    member = MemberFactory()
    request_reset("nobody@example.com")
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
