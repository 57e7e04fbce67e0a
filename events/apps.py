from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from . import personal_data

        personal_data.register()
        _contribute_to_the_catalogue()


def _contribute_to_the_catalogue():
    """What events add to the programme catalogue, which sits below and does not import
    them (programmes/contributions.py): the programme page's upcoming events and the
    "open now" filter's events taking bookings."""
    from django.db.models import Exists, OuterRef

    from programmes import contributions

    from .models import Event
    from .selectors import events_upcoming_for_programme

    contributions.register_page_part(
        "events.upcoming",
        slot="upcoming",
        order=20,
        template="events/_programme_upcoming.html",
        items=lambda programme, user: events_upcoming_for_programme(user, programme),
    )
    contributions.register_open_now(
        "events.booking_open",
        order=10,
        exists=lambda now: Exists(Event.objects.booking_open(now).filter(programme=OuterRef("pk"))),
    )
