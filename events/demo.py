"""Demo events: the HPMA London Academy core programme 2021/22 ("Supporting workforce
professionals to turn the People Plan into reality", seed 001), one-off development
events across the People Plan themes, dated around today so that some are upcoming, one
is full with a waiting list, one holds places by offer, one is past with attendance, and
one is a draft more than four weeks ahead (the four-week rule keeps it unpublished).

Idempotent: events are keyed by slug, demo members by email, bookings by (event,
member); dates are recomputed relative to now on every load. Demo data writes the rows
directly and sends no email."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from programmes.models import Programme
from talenthub.core.demo import demo_account
from talenthub.core.models import Organisation, User

from .models import (
    Booking,
    BookingAnswer,
    BookingOpensAlert,
    CalendarFeed,
    Event,
    EventQuestion,
    PeoplePlanTheme,
    PlaceTransfer,
)

PROGRAMME_SLUG = "hpma-london-academy-core-programme-2021-22"
VENUE = "HPMA London Academy, 200 Aldersgate, London EC1A 4HD"

# Demo members who fill the popular event and wait for it (all example.com addresses).
MEMBERS = [
    ("amara.okafor@example.com", "Amara Okafor", "Barts Health NHS Trust", "HR Adviser"),
    (
        "daniel.reid@example.com",
        "Daniel Reid",
        "Guy's and St Thomas' NHS Foundation Trust",
        "Employee Relations Manager",
    ),
    (
        "fatima.begum@example.com",
        "Fatima Begum",
        "NHS England London Region",
        "Workforce Information Analyst",
    ),
    (
        "george.mensah@example.com",
        "George Mensah",
        "Barts Health NHS Trust",
        "Learning and Development Lead",
    ),
    (
        "hannah.cole@example.com",
        "Hannah Cole",
        "Guy's and St Thomas' NHS Foundation Trust",
        "Recruitment Manager",
    ),
    ("imran.hussain@example.com", "Imran Hussain", "Barts Health NHS Trust", "HR Business Partner"),
    ("julia.novak@example.com", "Julia Novak", "NHS England London Region", "OD Practitioner"),
    (
        "kwame.asante@example.com",
        "Kwame Asante",
        "Barts Health NHS Trust",
        "Medical Staffing Officer",
    ),
    (
        "lucy.wright@example.com",
        "Lucy Wright",
        "Guy's and St Thomas' NHS Foundation Trust",
        "EDI Lead",
    ),
    ("mohammed.ali@example.com", "Mohammed Ali", "NHS England London Region", "Deputy Head of HR"),
]

# slug, title, theme, days from today, start hour, hours, online, capacity, policy, summary
EVENTS = [
    (
        "flexible-working-for-all",
        "New ways of working: flexible working for all",
        PeoplePlanTheme.NEW_WAYS_OF_WORKING,
        6,
        10,
        3,
        False,
        8,
        Event.PromotionPolicy.AUTOMATIC,
        "Making flexible working the default from day one: policy, practice and the "
        "conversations managers need to have.",
    ),
    (
        "health-and-wellbeing-conversations",
        "Looking after our people: health and wellbeing conversations",
        PeoplePlanTheme.LOOKING_AFTER_OUR_PEOPLE,
        10,
        9,
        3,
        False,
        30,
        Event.PromotionPolicy.AUTOMATIC,
        "How HR and OD teams can help every member of staff have a regular health and "
        "wellbeing conversation, and what to do with what is heard.",
    ),
    (
        "just-culture-in-employee-relations",
        "Looking after our people: a just and learning culture in employee relations",
        PeoplePlanTheme.LOOKING_AFTER_OUR_PEOPLE,
        13,
        13,
        2,
        True,
        3,
        Event.PromotionPolicy.OFFER,
        "Moving from blame to learning: restorative approaches to disciplinary processes.",
    ),
    (
        "inclusive-recruitment-and-promotion",
        "Belonging in the NHS: inclusive recruitment and promotion",
        PeoplePlanTheme.BELONGING_IN_THE_NHS,
        18,
        10,
        3,
        True,
        40,
        Event.PromotionPolicy.AUTOMATIC,
        "Diverse interview panels, de-biasing selection and what the WRES data tells us "
        "about who progresses in our organisations.",
    ),
    (
        "apprenticeships-and-widening-participation",
        "Growing for the future: apprenticeships and widening participation",
        PeoplePlanTheme.GROWING_FOR_THE_FUTURE,
        24,
        10,
        4,
        False,
        25,
        Event.PromotionPolicy.AUTOMATIC,
        "Entry routes into HR and OD at band 2/3 and how to grow your own workforce.",
    ),
    (
        "workforce-planning-with-intelligence",
        "Workforce planning and intelligence: planning for the workforce we need",
        PeoplePlanTheme.WORKFORCE_PLANNING,
        45,
        10,
        3,
        True,
        40,
        Event.PromotionPolicy.AUTOMATIC,
        "Using workforce data to plan supply and demand across a system.",
    ),
    (
        "compassionate-and-inclusive-leadership",
        "Belonging in the NHS: compassionate and inclusive leadership",
        PeoplePlanTheme.BELONGING_IN_THE_NHS,
        -20,
        10,
        3,
        False,
        6,
        Event.PromotionPolicy.AUTOMATIC,
        "What compassionate and inclusive leadership looks like in HR and OD teams.",
    ),
]
DRAFT_SLUGS = {"workforce-planning-with-intelligence"}


def _member(email, full_name, organisation_name, job_title):
    user, _created = demo_account(
        email,
        full_name=full_name,
        profile={
            "organisation": Organisation.objects.filter(name=organisation_name).first(),
            "job_title": job_title,
        },
    )
    return user


def _booking(event, member, status, joined_at, **fields):
    """The member's active booking on the event, created or brought up to date."""
    defaults = {"status": status, "joined_at": joined_at, **fields}
    if status == Booking.Status.CONFIRMED:
        defaults.setdefault("confirmed_at", joined_at)
    booking = Booking.objects.active().filter(event=event, member=member).first()
    if booking is None:
        booking = Booking(event=event, member=member)
    for name, value in defaults.items():
        setattr(booking, name, value)
    booking.save()
    return booking


# The organiser's booking questions on the popular event: key, order, text, kind, options,
# required, visibility ("organisers": access and dietary needs stay with the organiser).
QUESTIONS = [
    ("access", 1, "Do you have any access needs we should plan for?", "text", "", False,
     "organisers"),
    ("lunch", 2, "Lunch", "choice", "Standard\nVegetarian\nVegan", True, "organisers"),
    ("first", 3, "Is this your first HPMA London Academy event?", "yes_no", "", True, "team"),
]  # fmt: skip


def _questions(event) -> dict[str, EventQuestion]:
    questions = {}
    for key, order, text, kind, options, required, visibility in QUESTIONS:
        questions[key], _ = EventQuestion.objects.update_or_create(
            event=event,
            order=order,
            defaults={
                "text": text,
                "kind": kind,
                "options": options,
                "required": required,
                "visibility": visibility,
            },
        )
    return questions


def load(stdout=None):
    organiser = Organisation.objects.get(slug="hpma-london-academy")
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    today = timezone.localdate()
    now = timezone.now()
    events = {}
    for slug, title, theme, days, hour, hours, online, capacity, policy, summary in EVENTS:
        starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        draft = slug in DRAFT_SLUGS
        events[slug], _ = Event.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "programme": programme,
                "organiser": organiser,
                "theme": theme,
                "summary": summary,
                "description": (
                    "Part of the HPMA London Academy core programme 2021/22, supporting "
                    "workforce professionals to turn the People Plan into reality.\n\n" + summary
                ),
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours),
                "venue": "" if online else VENUE,
                "online_link": f"https://meet.example.com/hpma/{slug}" if online else "",
                "capacity": capacity,
                "booking_opens_at": starts_at - timedelta(weeks=4),
                "booking_closes_at": starts_at - timedelta(hours=12),
                "status": Event.Status.DRAFT if draft else Event.Status.PUBLISHED,
                "published_at": None if draft else starts_at - timedelta(weeks=4),
                "promotion_policy": policy,
                "offer_hours": 48,
            },
        )
    members = [_member(*row) for row in MEMBERS]
    tom = User.objects.filter(email="tom.member@example.com").first()
    priya = User.objects.filter(email="priya.member@example.com").first()

    # The popular event: eight places, all taken, and a waiting list in order.
    full = events["flexible-working-for-all"]
    holders = [tom, *members[:7]] if tom else members[:8]
    for i, member in enumerate(holders):
        _booking(full, member, Booking.Status.CONFIRMED, now - timedelta(days=9, hours=-i))
    waiting = [members[7], priya, members[8], members[9]] if priya else members[7:]
    for i, member in enumerate(waiting):
        _booking(full, member, Booking.Status.WAITING, now - timedelta(days=3, hours=-i))

    # Places held by offer: two booked, one offer open, two waiting.
    offer_event = events["just-culture-in-employee-relations"]
    _booking(offer_event, members[0], Booking.Status.CONFIRMED, now - timedelta(days=6))
    _booking(offer_event, members[1], Booking.Status.CONFIRMED, now - timedelta(days=6))
    _booking(
        offer_event,
        members[2],
        Booking.Status.OFFERED,
        now - timedelta(days=5),
        offer_number=1,
        offer_expires_at=now + timedelta(hours=30),
    )
    _booking(offer_event, members[3], Booking.Status.WAITING, now - timedelta(days=4))
    _booking(offer_event, members[4], Booking.Status.WAITING, now - timedelta(days=3))

    # A couple of ordinary bookings.
    wellbeing = events["health-and-wellbeing-conversations"]
    _booking(wellbeing, members[5], "confirmed", now)

    # Place transfers (issue 18): the wellbeing event lets a place pass to a colleague at
    # the same organisation; Daniel Reid has offered his to a colleague at Guy's and St
    # Thomas' (Tom, who can sign in to the demo, else Hannah Cole).
    Event.objects.filter(pk=wellbeing.pk).update(transfer_policy=Event.TransferPolicy.ORGANISATION)
    daniels = _booking(wellbeing, members[1], "confirmed", now - timedelta(days=2))
    if not daniels.transfers.pending().exists():
        PlaceTransfer.objects.create(
            booking=daniels,
            recipient=tom or members[4],
            expires_at=min(now + timedelta(hours=36), wellbeing.starts_at),
        )
    if priya:
        _booking(events["inclusive-recruitment-and-promotion"], priya, "confirmed", now)

    # A past event with attendance recorded.
    past = events["compassionate-and-inclusive-leadership"]
    for i, member in enumerate(members[:6]):
        _booking(
            past,
            member,
            Booking.Status.CONFIRMED,
            past.starts_at - timedelta(days=14),
            attendance=Booking.Attendance.NO_SHOW if i == 5 else Booking.Attendance.ATTENDED,
        )
    # Booking questions (issue 18) on the popular event, with the bookers' answers.
    questions = _questions(full)
    for i, booking in enumerate(full.bookings.filter(status=Booking.Status.CONFIRMED)):
        answers = {
            "access": "Step-free access, please" if i == 0 else "",
            "lunch": ["Standard", "Vegetarian", "Vegan"][i % 3],
            "first": "yes" if i % 2 else "no",
        }
        for key, text in answers.items():
            if text:
                BookingAnswer.objects.update_or_create(
                    booking=booking, question=questions[key], defaults={"text": text}
                )
    for member in members:
        CalendarFeed.objects.get_or_create(user=member)
    # "Tell me when booking opens" on the published events whose booking opens later.
    for event in events.values():
        if event.status == Event.Status.PUBLISHED and event.booking_opens_at > now:
            BookingOpensAlert.objects.get_or_create(event=event, member=priya or members[0])
    if stdout:
        stdout.write(
            f"Events: {len(events)} HPMA London Academy events"
            f"{'' if programme else ' (programme not found: events stand alone)'}, "
            f"{Booking.objects.filter(event__in=events.values()).count()} bookings."
        )
