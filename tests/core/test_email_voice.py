"""One email voice (issue 15, item 5): every email template greets with "Dear", signs off
"The TalentHub team", writes times as GOV.UK does and never HTML-escapes its plain text;
each email is sent with an HTML alternative that says the same as its text."""

import html as htmllib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template

from talenthub.core.email_html import html_from_text
from talenthub.core.notifications import email_send
from tests.factories import MemberFactory, OutboundEmailFactory

EMAILS = sorted((Path(settings.BASE_DIR) / "templates" / "emails").glob("*.txt"))
# The contact form's message goes to the site's own inbox, not to a person.
TO_A_PERSON = [p for p in EMAILS if p.name != "contact_message.txt"]


@pytest.mark.parametrize("path", EMAILS, ids=lambda p: p.name)
def test_plain_text_is_never_escaped(path):
    source = path.read_text()
    assert source.startswith("{% autoescape off %}"), path.name
    assert source.rstrip().endswith("{% endautoescape %}"), path.name


@pytest.mark.parametrize("path", TO_A_PERSON, ids=lambda p: p.name)
def test_greeting_and_sign_off(path):
    lines = path.read_text().splitlines()
    subject, greeting = lines[0].removeprefix("{% autoescape off %}"), lines[1]
    assert greeting.startswith("Dear "), (path.name, greeting)
    assert lines[-2] == "The TalentHub team", (path.name, lines[-3:])
    # Subjects in sentence case: no run of capitalised ordinary words ("Your Place").
    words = re.sub(r"\{[{%].*?[%}]\}", "", subject).split()
    assert not any(
        a[:1].isupper() and b[:1].isupper() and a.isalpha() and b.isalpha()
        for a, b in zip(words[1:], words[2:], strict=False)
    ), (path.name, subject)


@pytest.mark.parametrize("path", EMAILS, ids=lambda p: p.name)
def test_times_in_the_govuk_style(path):
    # "19:46" and "7:36 p.m." are Django's; GOV.UK writes "7:46pm" (govuk_datetime).
    assert not re.search(r'\|date:"[^"]*[gGhHi]', path.read_text()), path.name


@pytest.mark.django_db
def test_a_compact_email_keeps_apostrophes_and_ampersands():
    from tests.compact.factories import MeetingFactory

    person = MemberFactory(full_name="Siobhán O'Brien")
    meeting = MeetingFactory(group__name="Health & Wellbeing", place="St Mary's Hall")
    text = get_template("emails/compact_meeting_reminder.txt").render(
        {"user": person, "meeting": meeting, "site_url": "https://talenthub.example"}
    )
    assert "Dear Siobhán," in text
    assert "Health & Wellbeing" in text and "St Mary's Hall" in text
    assert not re.search(r"&(#x?[0-9a-f]+|amp|lt|gt|quot);", text, re.I)
    assert "am" in text or "pm" in text or "midday" in text


def test_html_alternative_says_what_the_text_says():
    text = (
        "Dear Łucja Nowak-Śliwińska,\n\nYour place on Health & Wellbeing <HR> is booked.\n\n"
        "- Tuesday 10 December 2026, 10am\n- Derby\n\n"
        "https://talenthub.example/events/x/?a=1&b=2\n\nThe TalentHub team\n"
    )
    page = html_from_text("Your place & more", text)
    assert "<li>Derby</li>" in page
    assert "<title>Your place &amp; more</title>" in page
    assert "Health &amp; Wellbeing &lt;HR&gt;" in page  # escaped in HTML…
    assert '<a style="' in page and 'href="https://talenthub.example/events/x/?a=1&amp;b=2"' in page
    # …and the words are the text's words, in the same order.
    after_header = page.split("</div>", 1)[1]
    shown = htmllib.unescape(re.sub(r"<[^>]+>", " ", after_header))
    assert shown.split() == text.replace("- ", "").split()


@pytest.mark.django_db
def test_every_email_is_sent_with_an_html_alternative():
    row = OutboundEmailFactory(
        subject="Your booking", body_text="Dear Sam,\n\nSee https://talenthub.example/\n"
    )
    assert email_send(email_id=row.pk)
    message = mail.outbox[-1]
    assert message.body == row.body_text
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Dear Sam," in content and 'href="https://talenthub.example/"' in content
