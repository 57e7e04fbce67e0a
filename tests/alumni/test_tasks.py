"""Announcing a career update emails the announcer's network: once per entry and
recipient, only while the announcer's profile is visible, in batches. Every task is run
twice."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from alumni import services, tasks
from cohorts.models import Participant
from talenthub.core import personal_data
from talenthub.core.models import OutboundEmail
from tests.alumni.factories import AlumniProfileFactory, CareerEntryFactory, make_alumnus
from tests.cohorts.factories import CompletedParticipantFactory, EndedCohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(django_capture_on_commit_callbacks):
    def run(task, *args):
        results = []
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                results.append(task.delay(*args).get())
        return results

    return run


@pytest.fixture
def network():
    """Priya announces; of the other people around her 2014 cohort only Ben and Cara
    should hear of it."""
    cohort = EndedCohortFactory(name="Aspire 2014")
    elsewhere = EndedCohortFactory(name="Aspire 2016")

    def person(name, cohort=cohort, **profile):
        user = make_alumnus(cohort, full_name=name)
        if profile.get("visibility") != "none":
            AlumniProfileFactory(user=user, **profile)
        return user

    people = {
        "announcer": person("Priya Shah"),
        "ben": person("Ben Members", visibility="members"),
        "cara": person("Cara Alumni", visibility="alumni"),
        "hidden": person("Hal Hidden", visibility="hidden"),
        "opted_out": person("Olu Optout", email_career_updates=False),
        "no_profile": person("Nia Noprofile", visibility="none"),
        "inactive": person("Ida Inactive"),
        "other_cohort": person("Oscar Othercohort", cohort=elsewhere),
    }
    people["inactive"].is_active = False
    people["inactive"].save()
    # Took part in the 2014 cohort without completing it: not one of its alumni.
    Participant.objects.create(
        cohort=cohort, user=people["other_cohort"], status="not_completed", completion_reason="Ill"
    )
    # Priya also completed a second cohort: its alumni are her network too.
    later = EndedCohortFactory(name="Aspire 2.0, 2019")
    CompletedParticipantFactory(cohort=later, user=people["announcer"])
    people["dev"] = person("Dev Laterpeer", cohort=later)
    return people


def announced(user, **fields):
    return CareerEntryFactory(
        user=user, role="Director of People", organisation_name="Dudley Council", level=4,
        started_on=datetime.date(2024, 4, 1), announced_at=timezone.now(), **fields,
    )  # fmt: skip


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def emails_of(network, *names):
    return sorted(network[n].email for n in names)


def test_announce_task_twice_emails_each_of_the_network_once(twice, network):
    entry = announced(network["announcer"])
    assert twice(tasks.announce_career_update_task, entry.pk) == [1, 1]  # one batch a run
    assert recipients() == emails_of(network, "ben", "cara", "dev")
    assert OutboundEmail.objects.filter(key__startswith="alumni.career_update:").count() == 3
    ben = next(m for m in mail.outbox if m.to == [network["ben"].email])
    assert "Priya Shah is now Director of People" in ben.subject
    assert "Dudley Council" in ben.body and f"/alumni/{entry.user.alumni_profile.pk}/" in ben.body
    assert "/alumni/me/" in ben.body  # where to stop these emails


def test_career_update_emails_carry_one_click_unsubscribe(twice, network, client):
    entry = announced(network["announcer"])
    twice(tasks.announce_career_update_task, entry.pk)
    ben = network["ben"]
    row = OutboundEmail.objects.get(key=f"alumni.career_update:{entry.pk}:{ben.pk}")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = row.headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    assert "/accounts/unsubscribe/" in link and link in row.body_text
    client.post(link.removeprefix(settings.SITE_URL), {"List-Unsubscribe": "One-Click"})
    ben.alumni_profile.refresh_from_db()
    assert ben.alumni_profile.email_career_updates is False


def test_batch_task_twice_sends_nothing_twice(twice, network):
    entry = announced(network["announcer"])
    ids = sorted(u.pk for u in network.values())
    assert twice(tasks.announce_career_update_batch_task, entry.pk, ids[0], ids[-1]) == [3, 0]
    assert len(mail.outbox) == 3


def test_a_hidden_profile_is_never_announced(twice, network):
    entry = announced(network["announcer"])
    profile = network["announcer"].alumni_profile
    profile.visibility = "hidden"  # hidden after announcing, before the task ran
    profile.save()
    assert twice(tasks.announce_career_update_task, entry.pk) == [1, 1]
    ids = sorted(u.pk for u in network.values())
    assert twice(tasks.announce_career_update_batch_task, entry.pk, ids[0], ids[-1]) == [0, 0]
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_an_unannounced_or_erased_entry_is_not_announced(twice, network):
    quiet = CareerEntryFactory(user=network["announcer"])
    assert twice(tasks.announce_career_update_task, quiet.pk) == [0, 0]
    entry = announced(network["announcer"])
    personal_data.erase_account(network["announcer"])
    assert twice(tasks.announce_career_update_task, entry.pk) == [0, 0]
    assert twice(tasks.announce_career_update_task, 999_999) == [0, 0]  # deleted
    assert mail.outbox == []


def test_announcing_through_the_service_emails_once_even_when_saved_again(capture, network):
    alumnus = network["announcer"]
    fields = {"role": "Head of HR", "organisation_name": "Sandwell Council", "level": 4,
              "started_on": datetime.date(2023, 1, 9)}  # fmt: skip
    entry = capture(services.career_entry_save, user=alumnus, announce=True, **fields)
    assert recipients() == emails_of(network, "ben", "cara", "dev")
    capture(services.career_entry_save, user=alumnus, entry=entry, announce=True, role="CPO")
    capture(services.career_entry_save, user=alumnus, **fields)  # another, not announced
    assert len(mail.outbox) == 3


def test_large_networks_go_in_batches_each_person_once(twice, network, monkeypatch):
    monkeypatch.setattr(services, "CAREER_UPDATE_BATCH_SIZE", 2)
    entry = announced(network["announcer"])
    assert list(services.career_update_batches(entry)) == [
        (network["ben"].pk, network["cara"].pk),
        (network["dev"].pk, network["dev"].pk),
    ]
    assert twice(tasks.announce_career_update_task, entry.pk) == [2, 2]
    assert recipients() == emails_of(network, "ben", "cara", "dev")


def beat(job: str):
    """Run a job of the beat schedule the way beat would: by its task's name."""
    from talenthub.celery import app

    return app.tasks[settings.CELERY_BEAT_SCHEDULE[job]["task"]].delay().get()


def test_the_sweep_finishes_an_announcement_cut_short(
    network, django_capture_on_commit_callbacks, time_machine
):
    """The fan-out task was lost (Redis restarted) after one batch reached only Ben: the
    beat's sweep emails Cara and Dev, once, and then finds nothing more to do. It leaves
    an announcement younger than five minutes (its tasks may be queued) and one whose
    announcer has hidden their profile since."""
    time_machine.move_to(timezone.now(), tick=False)
    alumnus, ben = network["announcer"], network["ben"]
    fields = {"role": "Head of HR", "organisation_name": "Sandwell Council", "level": 4,
              "started_on": datetime.date(2023, 1, 9)}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):  # the fan-out is lost
        entry = services.career_entry_save(user=alumnus, announce=True, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        services.career_update_announce_batch(entry_id=entry.pk, first_id=ben.pk, last_id=ben.pk)
    assert recipients() == [ben.email]
    time_machine.shift(datetime.timedelta(minutes=4))
    assert beat("alumni-career-update-sweep") == 0
    time_machine.shift(datetime.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert beat("alumni-career-update-sweep") == 1
    assert recipients() == emails_of(network, "ben", "cara", "dev")
    with django_capture_on_commit_callbacks(execute=True):
        assert beat("alumni-career-update-sweep") == 0
    assert len(mail.outbox) == 3

    # Another update, lost too; the announcer hides their profile before the sweep.
    with django_capture_on_commit_callbacks(execute=False):
        services.career_entry_save(user=alumnus, announce=True, **{**fields, "role": "CPO"})
    alumnus.alumni_profile.visibility = "hidden"
    alumnus.alumni_profile.save()
    time_machine.shift(datetime.timedelta(minutes=10))
    assert beat("alumni-career-update-sweep") == 0
    assert len(mail.outbox) == 3


def test_a_career_update_batch_is_a_mail_merge_with_the_text_of_one_render_each(
    twice, network, time_machine
):
    from django.template.loader import get_template

    from talenthub.core import unsubscribe
    from talenthub.core.notifications import _render

    time_machine.move_to(timezone.now(), tick=False)  # unsubscribe tokens carry a time
    network["cara"].full_name = "Cara O'Neill"  # escaping could change it: rendered alone
    network["cara"].save()
    entry = announced(network["announcer"])
    twice(tasks.announce_career_update_task, entry.pk)
    profile = network["announcer"].alumni_profile
    compiled = get_template("emails/alumni_career_update.txt")
    rows = OutboundEmail.objects.filter(key__startswith="alumni.career_update:")
    assert rows.count() == 3
    for row in rows.select_related("recipient"):
        url = unsubscribe.unsubscribe_url(user_id=row.recipient_id, kind="career_updates")
        context = {"entry": entry, "profile": profile, "announcer": profile.user}
        assert (row.subject, row.body_text) == _render(
            compiled, row.recipient, {**context, "unsubscribe_url": url}
        )
