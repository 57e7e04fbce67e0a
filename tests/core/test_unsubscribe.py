"""One-click unsubscribe (RFC 8058): a signed token per recipient and kind of bulk email;
GET asks, POST (a button, or a mail provider's one-click POST) unsubscribes; a bad token
is a clear 400 page, never a 500."""

import pytest
from django.core import signing
from django.urls import reverse

from talenthub.core import unsubscribe
from talenthub.core.models import AuditLog
from tests.compact.factories import CompactFactory, SubscriptionFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def url_for(user, kind="events", scope=None):
    token = unsubscribe.make_token(user_id=user.pk, kind=kind, scope=scope)
    return reverse("unsubscribe", kwargs={"token": token})


def opted_in(member):
    member.profile.refresh_from_db()
    return member.profile.email_event_announcements


def test_get_asks_and_does_not_unsubscribe(client):
    member = MemberFactory()
    response = client.get(url_for(member))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unsubscribe from emails about new events" in html
    assert '<form method="post">' in html and member.email in html
    assert opted_in(member) is True  # a link scanner following the link changes nothing


def test_post_from_the_page_unsubscribes_without_signing_in(client):
    member = MemberFactory()
    client.get(url_for(member))
    response = client.post(url_for(member))
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert opted_in(member) is False
    entry = AuditLog.objects.get(action="email.unsubscribed")
    assert entry.actor == member and entry.data == {"kind": "events", "scope": None}


def test_one_click_post_unsubscribes_without_a_csrf_token(client):
    """A mail provider POSTs ``List-Unsubscribe=One-Click`` with no cookie (RFC 8058)."""
    from django.test import Client

    member = MemberFactory()
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        url_for(member),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert opted_in(member) is False
    # Twice is fine: still off, still 200.
    assert provider.post(url_for(member), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert opted_in(member) is False


def test_bulletin_token_ends_only_that_compacts_subscription(client):
    member = MemberFactory()
    derbyshire, other = CompactFactory(), CompactFactory()
    SubscriptionFactory(compact=derbyshire, user=member)
    SubscriptionFactory(compact=other, user=member)
    url = url_for(member, kind="bulletin", scope=derbyshire.pk)
    assert f"the {derbyshire} e-bulletin" in client.get(url).content.decode()
    client.post(url)
    assert list(member.bulletin_subscriptions.values_list("compact", flat=True)) == [other.pk]


def test_career_updates_token_turns_off_career_update_emails(client):
    from tests.alumni.factories import AlumniProfileFactory

    profile = AlumniProfileFactory(email_career_updates=True)
    client.post(url_for(profile.user, kind="career_updates"))
    profile.refresh_from_db()
    assert profile.email_career_updates is False


def test_tampered_token_is_a_clear_400_and_changes_nothing(client):
    member, other = MemberFactory(), MemberFactory()
    token = unsubscribe.make_token(user_id=member.pk, kind="events")
    payload, _sep, signature = token.rpartition(":")
    forged = signing.dumps([other.pk, "events", None], salt="not-the-salt")
    for bad in (payload + ":" + signature[::-1], forged, token[:-1] + "x"):
        response = client.post(reverse("unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    assert opted_in(member) is True and opted_in(other) is True


def test_token_of_an_unknown_kind_or_deactivated_account_is_refused(client):
    member = MemberFactory()
    unknown_kind = signing.dumps([member.pk, "everything", None], salt=unsubscribe.SALT)
    wrong_shape = signing.dumps({"user": member.pk}, salt=unsubscribe.SALT)
    for token in (unknown_kind, wrong_shape):
        assert client.get(reverse("unsubscribe", kwargs={"token": token})).status_code == 400
    member.is_active = False
    member.save()
    assert client.get(url_for(member)).status_code == 400


@pytest.mark.parametrize(
    "raw",
    [
        "x" * 100_000,  # huge
        "abc%00def",  # NUL
        "%00",
        "\u00e9\u6f22\u5b57:\U0001f600",  # unicode
        "%F0%9F%98%80:%ED%A0%80",  # emoji and an invalid UTF-8 surrogate
        "eyJ1IjoxfQ:1abc:xyz",
        ":::",
        "..%2F..%2Fetc%2Fpasswd",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_hostile_tokens_never_500(client, raw, method):
    member = MemberFactory()
    response = getattr(client, method)(f"/accounts/unsubscribe/{raw}/")
    assert response.status_code in (400, 404)
    assert opted_in(member) is True


def test_other_methods_are_refused(client):
    member = MemberFactory()
    assert client.put(url_for(member)).status_code == 405
    assert opted_in(member) is True


def test_each_kind_says_where_to_turn_it_back_on(client):
    """The pages sent everyone to the core profile, where neither career updates nor a
    compact's e-bulletin can be turned back on."""
    member = MemberFactory()
    compact = CompactFactory()
    SubscriptionFactory(compact=compact, user=member)
    pages = {
        "events": reverse("profile"),
        "career_updates": reverse("alumni:my_profile"),
        "bulletin": reverse("compact:bulletin_list", kwargs={"slug": compact.slug}),
    }
    for kind, page in pages.items():
        scope = compact.pk if kind == "bulletin" else None
        for response in (
            client.get(url_for(member, kind, scope)),
            client.post(url_for(member, kind, scope)),
        ):
            assert f'href="{page}"' in response.content.decode(), kind
