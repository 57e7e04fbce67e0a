"""Account emails (password reset, email verification, sign-in codes, security notices)
carry a sign-in link or code: whoever reads one can take the account over. They are made
by allauth through the real request cycle here, and then every outbox admin page is read
as a staff member with only the view permission and as a superuser: no link, token or
body of such an email appears anywhere, while an ordinary email's body still does."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory, OutboundEmailFactory, UserFactory

pytestmark = pytest.mark.django_db

PLACEHOLDER = "hidden: contains a sign-in link"


@pytest.fixture
def outbox_viewer(db):
    """Staff with nothing but 'Can view outbound email'."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_outboundemail", content_type__app_label="core")
    )
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def _secrets(body: str) -> list[str]:
    """The links in an account email's body, and the tokens in them (last: the key)."""
    links = re.findall(r"https?://\S+", body)
    assert links, f"no link in: {body}"
    return links + [token for link in links for token in re.findall(r"[\w:-]{20,}", link)]


def _reset_email(client, django_capture_on_commit_callbacks, *, send: bool) -> OutboundEmail:
    member = MemberFactory(email="priya.shah@derby.example")
    with django_capture_on_commit_callbacks(execute=send):
        client.post(reverse("account_reset_password"), {"email": member.email})
    client.logout()
    return OutboundEmail.objects.get(key__startswith="account:account/email/password_reset_key:")


def _signup_email(client, django_capture_on_commit_callbacks, *, send: bool) -> OutboundEmail:
    with django_capture_on_commit_callbacks(execute=send):
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Sam Okafor",
                "email": "sam.okafor@leicester.example",
                "password1": "a-long-unusual-passphrase-77",
                "password2": "a-long-unusual-passphrase-77",
            },
        )
    client.logout()
    return OutboundEmail.objects.get(key__startswith="account:account/email/email_confirmation")


def _admin_pages(email: OutboundEmail, secret: str) -> dict[str, str]:
    changelist = reverse("admin:core_outboundemail_changelist")
    return {
        "change": reverse("admin:core_outboundemail_change", args=[email.pk]),
        "list": changelist,
        "search by address": f"{changelist}?q={email.to}",
        "search by token": f"{changelist}?q={secret}",
        "list by status": f"{changelist}?status__exact={email.status}",
        "history": reverse("admin:core_outboundemail_history", args=[email.pk]),
    }


def _read_every_page(client, user, email, secrets):
    client.force_login(user)
    for name, url in _admin_pages(email, secrets[-1]).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        if name == "search by token":
            # The page repeats what was typed (the search box, its links): the point is
            # that the email is not found by its token.
            assert "0 results" in html
            continue
        for secret in secrets:
            assert secret not in html, f"{secret!r} shown on the {name} page to {user}"
    return client.get(reverse("admin:core_outboundemail_change", args=[email.pk]))


@pytest.mark.parametrize("who", ["outbox_viewer", "superuser"])
@pytest.mark.parametrize("make", [_reset_email, _signup_email], ids=["reset", "verification"])
@pytest.mark.parametrize("send", [False, True], ids=["pending", "sent"])
def test_no_admin_page_shows_an_account_emails_link(
    client, django_capture_on_commit_callbacks, request, who, make, send
):
    email = make(client, django_capture_on_commit_callbacks, send=send)
    assert email.status == (OutboundEmail.Status.SENT if send else OutboundEmail.Status.PENDING)
    # Read the secret from the mail as it went (or will go) out, not from the admin.
    secrets = _secrets(mail.outbox[-1].body if send else email.body_text)
    change = _read_every_page(client, request.getfixturevalue(who), email, secrets)
    html = change.content.decode()
    assert PLACEHOLDER in html
    assert email.subject in html  # what the email was, and to whom, is still there
    assert email.to in html


def test_a_sent_account_email_keeps_no_body(client, django_capture_on_commit_callbacks):
    """Once handed to the mail server the link is the member's alone: the row keeps who,
    what and when (for the outbox's counts and check_outbox), not the body."""
    email = _reset_email(client, django_capture_on_commit_callbacks, send=True)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.body_text == ""
    assert email.body_html == ""
    assert email.body_purged_at is not None
    assert email.subject and email.to == "priya.shah@derby.example" and email.sent_at


def test_an_ordinary_emails_body_is_still_shown(client, superuser):
    email = OutboundEmailFactory(key="booking.confirmed:42", body_text="See you on 3 March.")
    client.force_login(superuser)
    html = client.get(reverse("admin:core_outboundemail_change", args=[email.pk])).content.decode()
    assert "See you on 3 March." in html
    assert PLACEHOLDER not in html
