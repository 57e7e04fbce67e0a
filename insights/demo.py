"""Demo equality monitoring: answers for a realistic share of the demo members (about
two in three, as in voluntary workforce monitoring), and an analyst.

The answers are made up, deterministically from each person's email address (so a
second load gives the same data). They follow the pattern the HPMA London research
describes: Black, Asian and minority ethnic colleagues are a larger share of the
profession's junior levels than of its senior ones. Small groups (Mixed, Other, some
religions) are small enough for the reports to withhold figures.

Answers are invented once, by the load that creates the demo analyst (the first load
into a database); a later load (``make run`` loads the demo every time) gives nobody
answers, so a demo member who withdrew their consent stays withdrawn, and nothing is
duplicated. To invent answers again, start from an empty database.
"""

import hashlib
import random

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from talenthub.core.demo import demo_account
from talenthub.core.models import Organisation, User
from talenthub.core.permissions import INSIGHTS_ANALYSTS

from .choices import CHARACTERISTICS, PREFER_NOT_TO_SAY
from .models import CONSENT_VERSION, MonitoringRecord

ANALYST_EMAIL = "insights.analyst@talenthub.example"
SHARE_WITH_RECORD = 0.65

# Ethnic groups by career level (senior levels less diverse), then categories in a group.
ETHNIC_GROUP_WEIGHTS = {
    "junior": {"white": 66, "asian": 15, "black": 11, "mixed": 3, "other": 2, "pns": 3},
    3: {"white": 79, "asian": 9, "black": 6, "mixed": 2, "other": 1, "pns": 3},
    4: {"white": 88, "asian": 5, "black": 2, "mixed": 1, "other": 1, "pns": 3},
}
CATEGORY_WEIGHTS = {
    "white": {"white_british": 80, "white_irish": 5, "white_other": 14,
              "white_gypsy_traveller": 0.5, "white_roma": 0.5},
    "asian": {"asian_indian": 40, "asian_pakistani": 28, "asian_bangladeshi": 12,
              "asian_chinese": 6, "asian_other": 14},
    "black": {"black_african": 55, "black_caribbean": 35, "black_other": 10},
    "mixed": {"mixed_white_black_caribbean": 35, "mixed_white_asian": 30,
              "mixed_white_black_african": 15, "mixed_other": 20},
    "other": {"other_arab": 40, "other_any": 60},
}  # fmt: skip
OTHER_WEIGHTS = {
    "sex": {"female": 72, "male": 25, PREFER_NOT_TO_SAY: 3},
    "gender_identity": {"yes": 97, "no": 1, PREFER_NOT_TO_SAY: 2},
    "sexual_orientation": {"straight": 88, "gay_or_lesbian": 4, "bisexual": 3, "other": 1,
                           PREFER_NOT_TO_SAY: 4},
    "disability": {"no": 82, "yes": 12, PREFER_NOT_TO_SAY: 6},
    "religion": {"none": 40, "christian": 42, "muslim": 6, "hindu": 4, "sikh": 2, "jewish": 1,
                 "buddhist": 1, "other": 1, PREFER_NOT_TO_SAY: 3},
    "caring_responsibilities": {"none": 55, "children": 32, "adults": 6, "both": 3,
                                PREFER_NOT_TO_SAY: 4},
}  # fmt: skip
AGE_WEIGHTS = {
    "junior": {"16_24": 18, "25_34": 42, "35_44": 24, "45_54": 11, "55_64": 4,
               PREFER_NOT_TO_SAY: 1},
    3: {"25_34": 22, "35_44": 40, "45_54": 27, "55_64": 9, PREFER_NOT_TO_SAY: 2},
    4: {"35_44": 30, "45_54": 44, "55_64": 22, "65_plus": 1, PREFER_NOT_TO_SAY: 3},
}  # fmt: skip


def _pick(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def answers_for(email: str, level: int | None) -> dict | None:
    """The demo answers of the person with ``email`` at career ``level``, or None for
    the third who give none. The same email always gives the same answers."""
    seed = int.from_bytes(hashlib.sha256(email.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    if rng.random() >= SHARE_WITH_RECORD:
        return None
    band = level if level in (3, 4) else "junior"
    group = _pick(rng, ETHNIC_GROUP_WEIGHTS[band])
    answers = {
        "ethnicity": PREFER_NOT_TO_SAY if group == "pns" else _pick(rng, CATEGORY_WEIGHTS[group]),
        "age_band": _pick(rng, AGE_WEIGHTS[band]),
    }
    for name, weights in OTHER_WEIGHTS.items():
        answers[name] = _pick(rng, weights)
    assert set(answers) == set(CHARACTERISTICS)
    return answers


def _analyst() -> tuple[User, bool]:
    """The demo analyst, and whether this load created them."""
    analyst, created = demo_account(
        ANALYST_EMAIL,
        full_name="Grace Adeyemi",
        is_staff=True,
        profile={
            "organisation": Organisation.objects.filter(name="NHS England London Region").first(),
            "job_title": "Workforce insight and equality analyst",
            "career_level": 3,
            "region": "london",
        },
    )
    group, _created = Group.objects.get_or_create(name=INSIGHTS_ANALYSTS)
    group.permissions.add(Permission.objects.get(codename="view_equality_insights"))
    analyst.groups.add(group)
    return analyst, created


def load(stdout=None):
    analyst, first_load = _analyst()
    # The analyst is the one-off marker: only the load that created them invents answers.
    # Giving answers to "everyone without a record" on every load would bring back the
    # answers of a demo member who had withdrawn (withdrawal deletes the record).
    if first_load:
        _invent_answers(analyst)
    # This period's equality releases (made from the demo as it is now, unless a load
    # earlier in the period made them), so that the analyst's first page is quick.
    from .models import EqualityRelease
    from .services import equality_release_publish, release_period

    releases = [
        equality_release_publish(report=report, period=release_period())
        for report in EqualityRelease.Report.values
    ]
    if stdout:
        total = User.objects.filter(is_active=True).count()
        stdout.write(
            f"insights: {MonitoringRecord.objects.count()} of {total} people have given "
            f"equality monitoring answers; analyst {analyst.email}; releases of "
            f"{releases[0].period:%-d %B %Y} ({sum(r.withheld for r in releases)} of "
            f"{sum(len(r.problem['cells']) for r in releases)} figures withheld)"
        )


def _invent_answers(analyst: User) -> None:
    people = (
        User.objects.filter(is_active=True, is_superuser=False, email__contains="@")
        .exclude(pk=analyst.pk)
        .exclude(monitoring_record__isnull=False)
        .values_list("pk", "email", "profile__career_level")
    )
    given = timezone.now()
    records = []
    for pk, email, level in people.iterator(chunk_size=2000):
        answers = answers_for(email, level)
        if answers is not None:
            records.append(
                MonitoringRecord(
                    user_id=pk,
                    consent_given_at=given,
                    consent_version=CONSENT_VERSION,
                    **answers,
                )
            )
    MonitoringRecord.objects.bulk_create(records, batch_size=1000, ignore_conflicts=True)
