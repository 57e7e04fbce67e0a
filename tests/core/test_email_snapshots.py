"""Every email, rendered (issue 15, item 5): each template found on disk is rendered the
way it is sent — ``templates/emails/*`` through ``notifications._render``, allauth's and
MFA's through the account adapter — with people called "Siobhán O'Brien" and "Łucja
Nowak-Śliwińska" and titles with "&". The plain text must not be HTML-escaped, must show
the names as written, greet and sign off in the house voice (docs/emails.md) and have a
one-line, sentence-case subject.

The templates are discovered from disk: a new template without an entry in ``CASES``
fails ``test_every_template_has_a_case``. The contexts are strict — a variable the
template uses but the context lacks renders as a marker the test rejects — so a context
cannot silently drift from its template."""

import calendar
import datetime
import re
from pathlib import Path
from types import SimpleNamespace as ns

import allauth
import pytest
from allauth.core.context import request_context
from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory

from talenthub.core import adapters
from talenthub.core.models import User
from talenthub.core.notifications import _render

SITE = "https://talenthub.example.org"
ROOT = Path(settings.BASE_DIR) / "templates"
ALLAUTH = Path(allauth.__file__).parent / "templates"
INVALID = "\x00MISSING:%s\x00"
ENTITY = re.compile(r"&(#x?[0-9a-f]+|amp|lt|gt|quot|apos|nbsp);", re.I)

SIOBHAN = "Siobhán O'Brien"
LUCJA = "Łucja Nowak-Śliwińska"
TOPIC = "Health & Wellbeing"
ORG = "Guy's & St Thomas' NHS Foundation Trust"
# Words a subject may capitalise mid-sentence besides the names and titles above.
PROPER = {"TalentHub", "I", "NHS", "HR", *calendar.month_name[1:]}

WHEN = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=datetime.UTC)
END = WHEN + datetime.timedelta(hours=2)
DAY = datetime.date(2027, 1, 12)


class Named(str):
    """A model instance as a template shows it: its name, plus attributes."""

    def __new__(cls, name, **attrs):
        self = super().__new__(cls, name)
        self.__dict__.update(attrs)
        return self


def person(full_name=SIOBHAN, email="s.obrien@nhs.example"):
    return User(full_name=full_name, email=email)


RECIPIENT = person()
OTHER = person(LUCJA, "lucja@nhs.example")

event = ns(
    title=f"{TOPIC}: Leading with O'Neill's model",
    starts_at=WHEN,
    ends_at=END,
    venue=f"St Mary's Hall, {ORG}",
    online_link="https://meet.example/abc?x=1&y=2",
    get_absolute_url="/events/health-wellbeing/",
    path="/events/health-wellbeing/",
    capacity=30,
    summary="Talks & workshops for HR leads.",
    organiser=ns(name=ORG),
    rerun_of_id=7,
    rerun_of=ns(title=f"{TOPIC} (first run)", starts_at=WHEN - datetime.timedelta(days=30)),
    promotion_policy="automatic",
    offer_hours=48,
)
booking = ns(
    pk=11,
    rerun_source=ns(is_active=True, status="confirmed"),
    end_reason="The room at St Mary's is closed for repairs & painting.",
    offer_expires_at=WHEN - datetime.timedelta(days=2),
)
cohort = ns(
    name=f"{TOPIC} leadership, spring 2027",
    slug="health-wellbeing-2027",
    provider=ns(name=ORG),
    capacity=24,
    starts_on=DAY,
    ends_on=DAY + datetime.timedelta(days=180),
    applications_open_at=WHEN - datetime.timedelta(days=20),
    applications_close_at=WHEN,
    get_absolute_url="/cohorts/health-wellbeing-2027/",
    subsidy_scheme=ns(name="Levy & transfer fund", total_places=10),
)
programme = ns(title=f"{TOPIC} programme", summary="For managers in HR & OD.")
application = ns(
    get_absolute_url="/cohorts/applications/42/",
    line_manager_email="lucja@nhs.example",
    line_manager_name=LUCJA,
    applicant=RECIPIENT,
    offer_expires_at=WHEN,
    decision_reason="Places went to applicants from Trusts with no one on the course & we "
    "hope you'll apply again.",
)
meeting = ns(
    title=f"{TOPIC} group",
    group=Named(f"{TOPIC} group", compact="North & East compact"),
    place="St Mary's Hall",
    starts_at=WHEN,
    get_absolute_url="/compact/meetings/9/",
    agenda_items=ns(all=[ns(order=1, title="Minutes & actions"), ns(order=2, title="O'Neill")]),
)
compact = "North & East compact"

USER_CASE = {"user": RECIPIENT}

# template name -> context, expected greeting (None: no greeting, not to a person) and the
# strings (names, titles) the plain text must show exactly as written.
CASES = {
    # templates/emails, rendered by notifications._render (adds user and site_url)
    "emails/alumni_career_update.txt": (
        {
            "announcer": OTHER,
            "entry": ns(organisation_name=ORG, role="Director of People & OD", started_on=DAY),
            "profile": ns(get_absolute_url="/alumni/lucja/"),
            "unsubscribe_url": f"{SITE}/u/abc/",
        },
        "Dear Siobhán,",
        [LUCJA, ORG, "Director of People & OD"],
    ),
    "emails/alumni_mentoring_accepted.txt": (
        {"mentor": OTHER},
        "Dear Siobhán,",
        [LUCJA, "lucja@nhs.example"],
    ),
    "emails/alumni_mentoring_confirmed.txt": (
        {"mentee": OTHER},
        "Dear Siobhán,",
        [LUCJA, "lucja@nhs.example"],
    ),
    "emails/alumni_mentoring_declined.txt": ({"mentor": OTHER}, "Dear Siobhán,", [LUCJA]),
    "emails/alumni_mentoring_ended.txt": (
        {"request": ns(status="withdrawn"), "ended_by": OTHER},
        "Dear Siobhán,",
        [LUCJA],
    ),
    "emails/alumni_mentoring_mentor_left.txt": (
        {"mentor_name": LUCJA, "was_accepted": True},
        "Dear Siobhán,",
        [LUCJA],
    ),
    "emails/alumni_mentoring_requested.txt": (
        {"mentee": OTHER, "request": ns(message="I'd like help with HR & OD <leadership>.")},
        "Dear Siobhán,",
        [LUCJA, "I'd like help with HR & OD <leadership>."],
    ),
    "emails/alumni_moderation_waiting.txt": (
        {
            "kind": "pledge",
            "item": ns(
                submitted_by=person(LUCJA),
                leader_name=SIOBHAN,
                leader_role=f"Director of {TOPIC}",
                organisation=ns(name=ORG),
            ),
        },
        "Dear Siobhán,",
        [LUCJA, ORG, f"Director of {TOPIC}", "/alumni/moderation/"],
    ),
    "emails/alumni_pledge_moderated.txt": (
        {
            "pledge": ns(status="rejected", leader_name=LUCJA, organisation=ns(name=ORG)),
            "reason": "It names a colleague & a patient.",
        },
        "Dear Siobhán,",
        [LUCJA, ORG, "It names a colleague & a patient."],
    ),
    "emails/alumni_story_moderated.txt": (
        {
            "story": ns(
                status="published", title=f"From band 5 to {TOPIC} lead", get_absolute_url="/s/"
            ),
            "reason": "",
        },
        "Dear Siobhán,",
        [f"From band 5 to {TOPIC} lead"],
    ),
    "emails/cohorts_announced.txt": (
        {"cohort": cohort, "programme": programme, "unsubscribe_url": f"{SITE}/u/abc/"},
        "Dear Siobhán,",
        [cohort.name, ORG, programme.title, "For managers in HR & OD."],
    ),
    "emails/cohorts_application_submitted.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name],
    ),
    "emails/cohorts_enrolled.txt": ({"cohort": cohort}, "Dear Siobhán,", [cohort.name]),
    "emails/cohorts_feedback_invite.txt": ({"cohort": cohort}, "Dear Siobhán,", [cohort.name]),
    "emails/cohorts_line_manager_confirmed.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name],
    ),
    # To the applicant's line manager, who has no account: greeted by the name given.
    "emails/cohorts_line_manager_support.txt": (
        {"cohort": cohort, "application": application, "reminder": False, "link": f"{SITE}/l/"},
        f"Dear {LUCJA},",
        [SIOBHAN, cohort.name, ORG],
    ),
    "emails/cohorts_offer_declined.txt": ({"cohort": cohort}, "Dear Siobhán,", [cohort.name]),
    "emails/cohorts_offer_expired.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name],
    ),
    "emails/cohorts_offered.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name, "Thursday 10 December 2026, 10am"],
    ),
    "emails/cohorts_message.txt": (
        {
            "cohort": cohort,
            "message_subject": "Module 3 moves to a new room",
            "message_body": "Bring your H&W project notes.",
            "audience_reason": "are taking part in it",
        },
        "Dear Siobhán,",
        ["Bring your H&W project notes.", cohort.name],
    ),
    "emails/cohorts_subsidy_cap_reached.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name, "Levy & transfer fund"],
    ),
    "emails/cohorts_unsuccessful.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name, application.decision_reason],
    ),
    "emails/cohorts_waiting_list.txt": (
        {"cohort": cohort, "application": application},
        "Dear Siobhán,",
        [cohort.name],
    ),
    "emails/compact_bulletin.txt": (
        {
            "bulletin": ns(
                compact=compact, number=12, title=TOPIC, get_absolute_url="/compact/b/12/"
            ),
            "items": [ns(title="Pay & grading", body=f"{LUCJA} joins O'Neill's team.")],
            "meetings": [ns(title=f"{TOPIC} group", starts_at=WHEN, place="St Mary's Hall")],
            "events": [event],
            "unsubscribe_url": f"{SITE}/u/abc/",
        },
        "Dear Siobhán,",
        [compact, TOPIC, "Pay & grading", f"{LUCJA} joins O'Neill's team.", event.title],
    ),
    "emails/compact_digest.txt": (
        {
            "week": "7 December 2026",
            "stale_weeks": 8,
            "actions": [
                ns(
                    code="H&W-3",
                    theme=TOPIC,
                    plan=ns(compact=compact),
                    target_date=DAY,
                    get_absolute_url="/compact/actions/3/",
                    flag_no_aim=True,
                    flag_no_lead=True,
                    flag_no_target=False,
                    flag_overdue=True,
                    flag_stale=True,
                )
            ],
        },
        "Dear Siobhán,",
        ["H&W-3", TOPIC, compact],
    ),
    "emails/compact_meeting_reminder.txt": (
        {"meeting": meeting},
        "Dear Siobhán,",
        [f"{TOPIC} group", "St Mary's Hall", "Minutes & actions", "O'Neill"],
    ),
    "emails/compact_minutes.txt": (
        {"meeting": meeting},
        "Dear Siobhán,",
        [f"{TOPIC} group", "St Mary's Hall"],
    ),
    "emails/compact_survey.txt": (
        {
            "survey": ns(
                pk=5,
                compact=Named(compact, slug="north-east"),
                title=f"{TOPIC} survey",
                introduction="Tell us what's working & what isn't.",
                questions=ns(all=[ns(order=1, text="Who's your lead?")]),
            )
        },
        "Dear Siobhán,",
        [compact, f"{TOPIC} survey", "Tell us what's working & what isn't.", "Who's your lead?"],
    ),
    "emails/compact_charter_renewal.txt": (
        {
            "compact": Named(compact, slug="north-east"),
            "overdue": True,
            "signature": ns(
                organisation=ORG,
                charter=ns(title="Members' charter 2026"),
                renewal_due_on=DAY,
            ),
        },
        "Dear Siobhán,",
        [compact, ORG, "Members' charter 2026"],
    ),
    "emails/compact_meeting_moved.txt": (
        {
            "meeting": meeting,
            "previous": ns(
                group=meeting.group,
                starts_at=WHEN - datetime.timedelta(days=7),
                status_reason="The chair's train & the room clash.",
            ),
        },
        "Dear Siobhán,",
        [f"{TOPIC} group", "St Mary's Hall", "The chair's train & the room clash."],
    ),
    "emails/compact_meeting_cancelled.txt": (
        {"meeting": ns(**{**vars(meeting), "status_reason": "Nobody's free & it can wait."})},
        "Dear Siobhán,",
        [f"{TOPIC} group", "St Mary's Hall", "Nobody's free & it can wait."],
    ),
    "emails/compact_meeting_changed.txt": (
        {"meeting": meeting},
        "Dear Siobhán,",
        [f"{TOPIC} group", "St Mary's Hall"],
    ),
    "emails/compact_terms_review_overdue.txt": (
        {
            "compact": compact,
            "terms": ns(
                version="2.1", adopted_on=DAY, review_due_on=DAY, get_absolute_url="/compact/t/"
            ),
        },
        "Dear Siobhán,",
        [compact],
    ),
    "emails/compact_terms_review.txt": (
        {
            "compact": compact,
            "terms": ns(
                version="2.1", adopted_on=DAY, review_due_on=DAY, get_absolute_url="/compact/t/"
            ),
        },
        "Dear Siobhán,",
        [compact],
    ),
    # To the site's own inbox: no greeting or sign-off.
    "emails/contact_message.txt": (
        {"name": LUCJA, "email": "lucja@nhs.example", "message": "Where's the H&W page? <b>"},
        None,
        [LUCJA, "Where's the H&W page? <b>"],
    ),
    "emails/events_announced.txt": (
        {
            "event": event,
            "unsubscribe_url": f"{SITE}/u/abc/",
            "places_left": 12,
            "opens_later": False,
        },
        "Dear Siobhán,",
        [event.title, ORG, event.venue, "Talks & workshops for HR leads."],
    ),
    "emails/events_booking_opened.txt": (
        {"event": event},
        "Dear Siobhán,",
        [event.title, event.venue, "Thursday 10 December 2026, 10am"],
    ),
    "emails/events_booked.txt": (
        {"event": event, "booking": booking},
        "Dear Siobhán,",
        [event.title, event.venue, "Thursday 10 December 2026, 10am"],
    ),
    "emails/events_cancelled.txt": (
        {"event": event, "booking": booking, "by_manager": True},
        "Dear Siobhán,",
        [event.title, booking.end_reason],
    ),
    "emails/events_event_cancelled.txt": (
        {"event": event, "reason": "The speaker's train & the back-up were cancelled."},
        "Dear Siobhán,",
        [event.title, "The speaker's train & the back-up were cancelled."],
    ),
    "emails/events_event_changed.txt": (
        {
            "event": event,
            "booking": ns(**{**vars(booking), "status": "waiting"}),
            "changes": [
                {"label": "Venue", "now": event.venue, "was": "O'Neill's Rooms", "private": False}
            ],
        },
        "Dear Siobhán,",
        [event.title, event.venue, "O'Neill's Rooms", "still on the waiting list"],
    ),
    "emails/events_offer_expired.txt": ({"event": event}, "Dear Siobhán,", [event.title]),
    "emails/events_message.txt": (
        {
            "event": event,
            "message_subject": "Parking on the day",
            "message_body": "Use the O'Neill Road car park & bring your badge.",
            "audience_reason": "have a place on it",
        },
        "Dear Siobhán,",
        ["Use the O'Neill Road car park & bring your badge.", event.title],
    ),
    "emails/events_offered.txt": (
        {"event": event, "booking": ns(**{**vars(booking), "rerun_source": ns(status="waiting")})},
        "Dear Siobhán,",
        [event.title],
    ),
    "emails/events_promoted.txt": (
        {"event": event, "booking": booking},
        "Dear Siobhán,",
        [event.title, event.venue],
    ),
    "emails/events_reminder.txt": (
        {"event": event, "days": 1},
        "Dear Siobhán,",
        [event.title, event.venue],
    ),
    "emails/events_transfer_offered.txt": (
        {
            "event": event,
            "transfer": ns(pk=5, status="pending", expires_at=WHEN - datetime.timedelta(days=1)),
            "holder": OTHER,
            "recipient": RECIPIENT,
            "has_questions": True,
        },
        "Dear Siobhán,",
        [event.title, LUCJA, "/events/transfers/5/", "Wednesday 9 December 2026, 10am"],
    ),
    "emails/events_transfer_holder.txt": (
        {
            "event": event,
            "transfer": ns(pk=5, status="accepted"),
            "holder": RECIPIENT,
            "recipient": OTHER,
        },
        "Dear Siobhán,",
        [event.title, LUCJA, "your booking has ended"],
    ),
    "emails/events_transfer_recipient.txt": (
        {
            "event": event,
            "transfer": ns(pk=5, status="accepted"),
            "holder": OTHER,
            "recipient": RECIPIENT,
        },
        "Dear Siobhán,",
        [event.title, LUCJA, event.venue, "The place is yours."],
    ),
    "emails/events_waiting.txt": (
        {"event": event, "position": 3},
        "Dear Siobhán,",
        [event.title],
    ),
    # To the member's manager, named by the member: greeted by that name.
    "emails/resources_conversation_shared.txt": (
        {
            "member": RECIPIENT,
            "share": ns(manager_name=LUCJA, message="Can we talk about H&W? I'd value it."),
            "conversation": ns(
                title=f"{TOPIC} conversation",
                planned_for=DAY,
                aspirations="Lead the Trust's H&W work",
                strengths="Listening & coaching",
                barriers="Time",
                development_needs="Finance & budgets",
                support_wanted="A mentor",
                questions="What's next?",
                get_ambition_display="Move up a level",
                get_target_level_display="Level 4 & above",
            ),
            "wheel_items": [ns(name="Health & wellbeing")],
        },
        f"Dear {LUCJA},",
        [SIOBHAN, "Can we talk about H&W? I'd value it.", "Listening & coaching"],
    ),
}

# allauth's emails (templates/account/email, templates/mfa/email), rendered by the
# account adapter: subject from <prefix>_subject.txt, body from <prefix>_message.txt.
NOTICE = {
    "user": RECIPIENT,
    "timestamp": WHEN,
    "ip": "203.0.113.7",
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) & co",
}
RESET = f"{SITE}/accounts/password/reset/key/1-abc/"
ACCOUNT_CASES = {
    "account/email/account_already_exists": (
        {"user": RECIPIENT, "password_reset_url": RESET},
        "Dear Siobhán,",
        [],
    ),
    "account/email/email_changed": (
        {**NOTICE, "from_email": "s.obrien@nhs.example", "to_email": "siobhan@nhs.example"},
        "Dear Siobhán,",
        ["203.0.113.7"],
    ),
    "account/email/email_confirm": (NOTICE, "Dear Siobhán,", []),
    "account/email/email_confirmation": (
        {"user": RECIPIENT, "activate_url": f"{SITE}/accounts/confirm-email/abc/", "code": ""},
        "Dear Siobhán,",
        [f"{SITE}/accounts/confirm-email/abc/"],
    ),
    "account/email/email_confirmation_signup": (
        {"user": RECIPIENT, "activate_url": f"{SITE}/accounts/confirm-email/abc/", "code": ""},
        "Dear Siobhán,",
        [f"{SITE}/accounts/confirm-email/abc/"],
    ),
    "account/email/email_deleted": (
        {**NOTICE, "deleted_email": "old@nhs.example"},
        "Dear Siobhán,",
        [],
    ),
    "account/email/login_code": (
        {"user": RECIPIENT, "code": "K3X9PQ"},
        "Dear Siobhán,",
        ["K3X9PQ"],
    ),
    "account/email/password_changed": (NOTICE, "Dear Siobhán,", []),
    "account/email/password_reset": (NOTICE, "Dear Siobhán,", []),
    "account/email/password_reset_code": (
        {"user": RECIPIENT, "code": "K3X9PQ"},
        "Dear Siobhán,",
        ["K3X9PQ"],
    ),
    "account/email/password_reset_key": (
        {"user": RECIPIENT, "password_reset_url": RESET, "username": ""},
        "Dear Siobhán,",
        [RESET],
    ),
    "account/email/password_set": (NOTICE, "Dear Siobhán,", []),
    # Nobody has an account at the address: allauth gives no user.
    "account/email/unknown_account": (
        {"signup_url": f"{SITE}/accounts/signup/"},
        "Dear TalentHub user,",
        [f"{SITE}/accounts/signup/"],
    ),
    "mfa/email/recovery_codes_generated": (NOTICE, "Dear Siobhán,", []),
    "mfa/email/totp_activated": (NOTICE, "Dear Siobhán,", []),
    "mfa/email/totp_deactivated": (NOTICE, "Dear Siobhán,", []),
    "mfa/email/webauthn_added": (NOTICE, "Dear Siobhán,", []),
    "mfa/email/webauthn_removed": (NOTICE, "Dear Siobhán,", []),
}
# Contexts that rely on a missing variable falling back (``|default``), as allauth sends them.
LENIENT = {"account/email/unknown_account"}


def discovered_emails():
    return sorted(f"emails/{p.name}" for p in (ROOT / "emails").glob("*.txt"))


def discovered_account_emails():
    """Every allauth email prefix with a subject template, ours or allauth's own."""
    prefixes = set()
    for base in (ROOT, ALLAUTH):
        for folder in ("account/email", "mfa/email"):
            for p in (base / folder).glob("*_subject.txt"):
                prefixes.add(f"{folder}/{p.name.removesuffix('_subject.txt')}")
    return sorted(prefixes)


def test_every_template_has_a_case():
    assert sorted(CASES) == discovered_emails()
    assert sorted(ACCOUNT_CASES) == discovered_account_emails()
    # Every template file in the email folders is one of the emails or a base they extend.
    others = {
        f"{folder}/{p.name}"
        for folder in ("account/email", "mfa/email")
        for p in (ROOT / folder).glob("*.txt")
    }
    covered = {
        f"{prefix}_{part}.txt" for prefix in ACCOUNT_CASES for part in ("subject", "message")
    }
    bases = {"account/email/base_message.txt", "account/email/base_notification.txt"}
    assert others - covered - bases == set()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def strict_templates(monkeypatch):
    """A variable the context lacks renders as a marker instead of silently as ""."""
    monkeypatch.setattr(engines["django"].engine, "string_if_invalid", INVALID)


def render_email(name, context):
    return _render(get_template(name), RECIPIENT, {"site_url": SITE, **context})


def render_account_email(prefix, context, monkeypatch):
    sent = {}
    monkeypatch.setattr(adapters, "email_queue", lambda **kwargs: sent.update(kwargs))
    with request_context(RequestFactory().get("/")):
        adapters.AccountAdapter().send_mail(prefix, "s.obrien@nhs.example", dict(context))
    return sent["subject"], sent["body_text"]


def check(name, subject, body, greeting, shown, proper_nouns):
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    assert subject.startswith(prefix), subject
    subject = subject.removeprefix(prefix)
    text = f"{subject}\n{body}"
    assert "\x00MISSING:" not in text, re.findall(r"\x00MISSING:([^\x00]*)", text)
    assert not ENTITY.search(text), (name, ENTITY.search(text).group(), text)
    for value in shown:
        assert value in text, (name, value, text)

    # One line, sentence case: after the first word, only names and titles are capitalised.
    assert subject and "\n" not in subject and subject == subject.strip(), subject
    assert subject[0].isupper(), subject
    rest = subject
    for noun in sorted(proper_nouns, key=len, reverse=True):
        rest = rest.replace(noun, " ")
    capitalised = [
        w for w in re.findall(r"[^\W\d_][\w'’-]*", rest)[1:] if w[0].isupper() and w not in PROPER
    ]
    assert not capitalised, (name, subject, capitalised)

    lines = body.rstrip("\n").splitlines()
    if greeting is not None:
        assert lines[0] == greeting, (name, lines[:2])
        assert "The TalentHub team" in [line.strip() for line in lines[-3:]], (name, lines[-3:])


PROPER_NOUNS = [
    SIOBHAN,
    LUCJA,
    "Siobhán",
    "Łucja",
    ORG,
    TOPIC,
    compact,
    cohort.name,
    event.title,
    programme.title,
    f"{TOPIC} group",
    f"{TOPIC} survey",
    "Director of People & OD",
]


@pytest.mark.parametrize("name", sorted(CASES))
def test_email(name, strict_templates):
    context, greeting, shown = CASES[name]
    subject, body = render_email(name, context)
    check(name, subject, body, greeting, shown, PROPER_NOUNS)


@pytest.mark.parametrize("prefix", sorted(ACCOUNT_CASES))
def test_account_email(prefix, monkeypatch, request):
    if prefix not in LENIENT:
        request.getfixturevalue("strict_templates")
    context, greeting, shown = ACCOUNT_CASES[prefix]
    subject, body = render_account_email(prefix, context, monkeypatch)
    check(prefix, subject, body, greeting, shown, PROPER_NOUNS)
    assert SITE in body  # links to the site itself, not to the sites row's domain
