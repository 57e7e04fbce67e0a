"""allauth's emails in TalentHub's voice (issue 15): "Dear <name>," and the team's
sign-off, sentence-case subjects, nothing HTML-escaped in plain text, the site's own
address in links, and dates as GOV.UK writes them."""

import datetime
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ENTITY = re.compile(r"&(#x?[0-9a-f]+|[a-z]+);", re.I)


def check_voice(message, greeting):
    assert message.body.startswith(f"{greeting}\n"), message.body[:80]
    assert "The TalentHub team" in message.body
    assert "Hello from" not in message.body and "Thank you for using" not in message.body
    assert not ENTITY.search(message.body), ENTITY.search(message.body)
    assert not ENTITY.search(message.subject)
    assert message.subject.startswith("[TalentHub] ")
    first = message.subject.removeprefix("[TalentHub] ")
    assert first[0].isupper() and first[1:] == first[1:].lower().replace("talenthub", "TalentHub")


def test_the_sign_up_confirmation(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://talenthub.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Siobhán O'Brien",
                "email": "s.obrien@nhs.example",
                "password1": "a long unusual passphrase 93",
                "password2": "a long unusual passphrase 93",
            },
        )
    [message] = mail.outbox
    check_voice(message, "Dear Siobhán,")
    assert "Confirm your email address" in message.subject
    assert "/accounts/confirm-email/" in message.body


def test_the_password_reset(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://talenthub.example.org"
    MemberFactory(email="lucja@nhs.example", full_name="Łucja Nowak-Śliwińska")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "lucja@nhs.example"})
    [message] = mail.outbox
    check_voice(message, "Dear Łucja,")
    assert message.subject == "[TalentHub] Reset your TalentHub password"
    assert "/accounts/password/reset/key/" in message.body


def test_a_reset_for_an_unknown_address(client, settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@nhs.example"})
    for message in mail.outbox:
        check_voice(message, "Dear TalentHub user,")
        assert "there is no TalentHub account" in message.body


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime.datetime(2026, 12, 10, 10, 0), "Thursday 10 December 2026, 10am"),
        (datetime.datetime(2026, 12, 10, 14, 30), "Thursday 10 December 2026, 2:30pm"),
        (datetime.datetime(2026, 12, 10, 12, 0), "Thursday 10 December 2026, midday"),
        (datetime.datetime(2026, 12, 10, 0, 0), "Thursday 10 December 2026, midnight"),
        # Aware values are shown in the site's time zone (London is UTC+1 in summer).
        (
            datetime.datetime(2026, 7, 1, 9, 5, tzinfo=datetime.UTC),
            "Wednesday 1 July 2026, 10:05am",
        ),
        ("not a date", "not a date"),
    ],
)
def test_govuk_datetime(value, expected):
    assert Template("{{ v|govuk_datetime }}").render(Context({"v": value})) == expected
