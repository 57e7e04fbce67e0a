"""The statutory pages a UK public-sector service publishes (issue 15): accessibility
statement, privacy notice, cookies, help and contact; linked from every page's footer
and from the pages that say "contact us". The contact form reaches the site's inbox
through the outbox, refuses hostile input with GOV.UK messages, and is rate limited."""

import pytest
from django.core import mail
from django.urls import reverse

from talenthub.core.models import OutboundEmail
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PAGES = ["accessibility", "privacy", "cookies", "contact"]


@pytest.fixture(autouse=True)
def operator(settings):
    settings.TALENTHUB = {
        **settings.TALENTHUB,
        "OPERATOR": {
            **settings.TALENTHUB["OPERATOR"],
            "NAME": "West Midlands Employers",
            "CONTACT_EMAIL": "help@wme.example",
            "DPO_EMAIL": "dpo@wme.example",
            "ICO_REGISTRATION": "Z1234567",
        },
    }


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_public_and_linked_from_every_footer(client, name):
    url = reverse(name)
    assert client.get(url).status_code == 200
    for page in ["/", "/events/", "/programmes/", url, "/accounts/login/"]:
        assert f'href="{url}"' in client.get(page).content.decode(), page


def test_the_operator_is_named_from_settings(client):
    privacy = client.get(reverse("privacy")).content.decode()
    assert "West Midlands Employers" in privacy
    assert "Z1234567" in privacy
    assert "dpo@wme.example" in privacy
    assert "Article 9(2)(a)" in privacy  # the special-category condition
    assert "ico.org.uk" in privacy
    assert "West Midlands Employers" in client.get(reverse("accessibility")).content.decode()


def test_privacy_notice_states_the_retention_settings(client, settings):
    settings.TALENTHUB = {
        **settings.TALENTHUB,
        "OUTBOX_BODY_RETENTION_DAYS": 45,
        "AUDIT_LOG_RETENTION_DAYS": 400,
    }
    privacy = client.get(reverse("privacy")).content.decode()
    assert "after 45 days" in privacy
    assert "400 days" in privacy


def test_the_pages_that_say_contact_us_link_to_the_contact_page(client):
    contact = f'href="{reverse("contact")}"'
    assert contact in client.get(reverse("account_reset_password")).content.decode()
    assert contact in client.get(reverse("account_reset_password_done")).content.decode()
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "New Person",
            "email": "new.person@nhs.example",
            "password1": "a long unusual passphrase 93",
            "password2": "a long unusual passphrase 93",
        },
        follow=True,
    )
    assert "Check your email" in response.content.decode()
    assert contact in response.content.decode()


def test_a_message_reaches_the_site_inbox_and_nobody_else(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contact"),
            {"name": "Siobhán O'Brien", "email": "s.obrien@nhs.example", "message": "My booking?"},
        )
    assert response.status_code == 200
    assert "Message sent" in response.content.decode()
    [email] = mail.outbox
    assert email.to == ["help@wme.example"]
    assert email.extra_headers["Reply-To"] == "s.obrien@nhs.example"
    assert "Siobhán O'Brien <s.obrien@nhs.example>" in email.body
    assert "My booking?" in email.body
    assert "Not signed in" in email.body
    assert OutboundEmail.objects.get().to == "help@wme.example"


def test_signed_in_the_form_is_filled_in_and_the_account_is_named(
    client, django_capture_on_commit_callbacks
):
    member = MemberFactory(full_name="Ann Lee")
    client.force_login(member)
    page = client.get(reverse("contact")).content.decode()
    assert 'value="Ann Lee"' in page and f'value="{member.email}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contact"), {"name": "Ann", "email": member.email, "message": "Hi"})
    assert f"account {member.pk}" in mail.outbox[0].body


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, "Enter your name"),
        ({}, "Enter your email address"),
        ({}, "Enter your message"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
        # Header injection: a second header hidden in the address.
        ({"email": "a@b.example\r\nBcc: victim@x.example"}, "in the correct format"),
        ({"message": "x" * 5001}, "5,000 characters or fewer"),
        ({"name": "n" * 151}, "150 characters or fewer"),
        ({"message": "hello\x00world"}, "hidden control characters"),
        ({"name": "Ann\x1b[31m"}, "hidden control characters"),
        ({"email": "a" * 250 + "@b.example"}, "254 characters or fewer"),
    ],
)
def test_hostile_or_missing_input_gets_a_govuk_error_not_a_500(client, data, error):
    response = client.post(reverse("contact"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page
    assert not OutboundEmail.objects.exists()


def test_odd_but_honest_text_is_accepted(client):
    response = client.post(
        reverse("contact"),
        {
            "name": "Zoë \u202e名前",
            "email": "zoe@nhs.example",
            "message": '=HYPERLINK("http://x.example")\tline\r\nnext 🙂',
        },
    )
    assert "Message sent" in response.content.decode()
    assert "=HYPERLINK" in OutboundEmail.objects.get().body_text


def test_the_form_is_rate_limited_per_client_address(client, settings):
    settings.TALENTHUB = {**settings.TALENTHUB, "CONTACT_RATE_LIMIT": "3/h/ip"}
    data = {"name": "Spammer", "email": "s@x.example", "message": "Buy"}
    for _ in range(3):
        assert client.post(reverse("contact"), data).status_code == 200
    response = client.post(reverse("contact"), data)
    assert response.status_code == 429
    assert "several messages in a short time" in response.content.decode()
    assert OutboundEmail.objects.count() == 3
    # Another address is not held up by the first.
    other = client.post(reverse("contact"), data, REMOTE_ADDR="192.0.2.50")
    assert other.status_code == 200


def test_the_equality_questions_link_to_the_privacy_notice(client):
    client.force_login(MemberFactory())
    page = client.get(reverse("monitoring_form")).content.decode()
    assert f'href="{reverse("privacy")}#equality-monitoring"' in page
    assert 'id="equality-monitoring"' in client.get(reverse("privacy")).content.decode()
