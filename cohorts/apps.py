from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohorts"

    def ready(self):
        from . import personal_data

        personal_data.register()
        _contribute_to_the_catalogue()


def _contribute_to_the_catalogue():
    """What cohorts add to the programme catalogue, which sits below and does not import
    them (programmes/contributions.py): the programme page's upcoming cohorts, the "open
    now" filter's cohorts taking applications, a provider's past participants as part
    of its audience network, and the subsidised places a provider holds (those of its
    cohorts' participants), which scope the subsidy admin."""
    from django.db.models import Exists, OuterRef

    from programmes import contributions

    from .models import Cohort, Participant
    from .selectors import cohorts_upcoming_for_programme

    contributions.register_page_part(
        "cohorts.upcoming",
        slot="upcoming",
        order=10,
        template="cohorts/_programme_upcoming.html",
        items=lambda programme, user: cohorts_upcoming_for_programme(programme),
    )
    contributions.register_page_part(
        "cohorts.alert",
        slot="how_to_apply",
        order=10,
        template="cohorts/_programme_alert.html",
        items=_alert_part,
    )
    contributions.register_open_now(
        "cohorts.open_for_applications",
        order=20,
        exists=lambda now: Exists(
            Cohort.objects.open_for_applications(now).filter(version__programme=OuterRef("pk"))
        ),
    )
    contributions.register_audience_network(
        "cohorts.participants",
        order=10,
        q=lambda provider: Exists(
            Participant.objects.filter(user=OuterRef("pk"), cohort__provider=provider)
        ),
    )
    contributions.register_allocation_holder(
        "cohorts.participants",
        order=10,
        q=lambda provider: Exists(
            Participant.objects.filter(subsidy_allocation=OuterRef("pk"), cohort__provider=provider)
        ),
    )


def _alert_part(programme, user):
    """The programme page's "tell me when the next cohort opens": for a signed-in member,
    on a programme run in cohorts with none open now (nothing otherwise)."""
    from programmes.models import ProgrammeAlert

    from .services import programme_alert_refusal

    if not user.is_authenticated:
        return None
    alert = ProgrammeAlert.objects.filter(
        programme=programme, member=user, sent_at__isnull=True
    ).first()
    if alert is None and programme_alert_refusal(programme):
        return None
    return {"programme": programme, "alert": alert}
