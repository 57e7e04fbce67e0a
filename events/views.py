from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from talenthub.core.ical import ics_response
from talenthub.core.permissions import ProgrammeManagerRequiredMixin, is_programme_manager
from talenthub.core.questions import QuestionsForm, question_field_name
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, services
from .filters import EventFilter
from .models import Booking, CalendarFeed, Event
from .services.calendar import ical_calendar


class EventListView(TemplateView):
    """Upcoming events (soonest first) or past events (latest first), filterable."""

    template_name = "events/event_list.html"
    past = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = selectors.event_list(self.request.user, past=self.past)
        event_filter = EventFilter(self.request.GET or None, queryset=queryset)
        events = event_filter.qs if event_filter.is_bound else queryset
        paginator = Paginator(events, settings.TALENTHUB["PAGE_SIZE"])
        page_obj = paginator.get_page(self.request.GET.get("page"))
        context.update(
            filter=event_filter,
            form=event_filter.form,
            page_obj=page_obj,
            events=page_obj.object_list,
            past=self.past,
            is_manager=is_programme_manager(self.request.user),
        )
        return context


class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = selectors.event_get(self.request.user, self.kwargs["slug"])
        booking = selectors.booking_for_member(self.request.user, event)
        questions = list(event.questions.all())
        if booking is None and questions and "question_form" not in context:
            context["question_form"] = QuestionsForm(questions=questions)
        context.update(
            event=event,
            booking=booking,
            answers=selectors.booking_answers(booking) if booking else [],
            answers_editable=bool(
                booking and questions and services.booking_answers_refusal(booking) is None
            ),
            self_checkin_open=bool(
                booking
                and booking.status == Booking.Status.CONFIRMED
                and booking.attendance != Booking.Attendance.ATTENDED
                and services.self_checkin_is_open(event)
            ),
            places_left=event.places_left_annotated(),
            booking_open=event.is_booking_open(),
            show_link=bool(booking and booking.status == Booking.Status.CONFIRMED),
            can_transfer=bool(
                booking
                and booking.status == Booking.Status.CONFIRMED
                and event.transfer_policy != Event.TransferPolicy.OFF
                and event.status == Event.Status.PUBLISHED
                and not event.has_started()
            ),
            now=timezone.now(),
            booking_alert=self.request.user.is_authenticated
            and event.opening_alerts.filter(
                member=self.request.user, sent_at__isnull=True
            ).exists(),
        )
        return context


class BookView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST: book a place, or join the waiting list when the event is full.

    When the event's lock is not free in time (a booking storm) the answer is a 503 page
    with Retry-After and a "Try again" button, not a redirect: nothing was booked, the
    status tells clients and monitoring the refusal is temporary, and the page needs no
    query (the event page would count places again while the event is busiest)."""

    busy_template_name = "events/event_busy.html"
    busy_retry_after = 5  # seconds

    def post(self, request, slug):
        # No place counts: booking_create counts them under the lock.
        event = selectors.event_get(request.user, slug, with_counts=False)
        questions = list(event.questions.all())
        form = QuestionsForm(request.POST, questions=questions)
        if questions and not form.is_valid():
            return self.questions_invalid(request, slug, form)
        try:
            if questions:
                booking = services.booking_create_with_answers(
                    event=event, member=request.user, answers=form.answers()
                )
            else:
                booking = services.booking_create(event=event, member=request.user)
        except services.EventBusyError as exc:
            response = render(
                request, self.busy_template_name, {"event": event, "message": exc.message}
            )
            response.status_code = 503
            response["Retry-After"] = str(self.busy_retry_after)
            return response
        except services.BookingError as exc:
            if exc.field_errors:
                exc.add_to_form(form)
                return self.questions_invalid(request, slug, form)
            self.domain_error_flash(exc)
        else:
            if booking.status == Booking.Status.CONFIRMED:
                messages.success(request, "Your place is booked. We have emailed you.")
            else:
                # The position counted under the lock, as in the email.
                position = booking.position
                messages.success(
                    request,
                    f"You are on the waiting list, number {position} in line. We have "
                    "emailed you and will tell you as soon as a place is free.",
                )
        return redirect(event.get_absolute_url())

    def questions_invalid(self, request, slug, form):
        """The event page again with the answers given and a GOV.UK error summary."""
        view = EventDetailView(request=request, kwargs={"slug": slug})
        context = view.get_context_data(question_form=form)
        return render(request, EventDetailView.template_name, context)


class BookingCancelView(LoginRequiredMixin, DomainErrorFormMixin, TemplateView):
    """A confirmation page, then POST to cancel a place or leave the waiting list."""

    template_name = "events/booking_cancel.html"

    def get_booking(self):
        booking = selectors.booking_get_for_member(self.request.user, self.kwargs["pk"])
        if not booking.is_active:
            raise Http404("This booking has ended")
        return booking

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.get_booking(), **kwargs)

    def post(self, request, pk):
        booking = self.get_booking()
        was_waiting = booking.status == Booking.Status.WAITING
        with self.domain_error_message():
            services.booking_cancel(booking=booking, actor=request.user)
            messages.success(
                request,
                "You have left the waiting list."
                if was_waiting
                else "Your booking is cancelled. Your place has gone to the next person waiting.",
            )
        return redirect("events:my_bookings")


class BookingAnswersView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    """Change my answers to the event's questions while my booking is live and the event
    has not started (``booking_answers_update``); otherwise back to the event page with
    the reason."""

    template_name = "events/booking_answers.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.booking = selectors.booking_get_for_member(request.user, kwargs["pk"])
            self.questions = list(self.booking.event.questions.all())
            if not self.questions:
                raise Http404("This event asks no questions")
            refusal = services.booking_answers_refusal(self.booking)
            if refusal:
                self.domain_error_flash(refusal)
                return redirect(self.booking.event.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return QuestionsForm(questions=self.questions, **self.get_form_kwargs())

    def get_initial(self):
        return {
            question_field_name(answer.question): answer.text
            for answer in selectors.booking_answers(self.booking)
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.booking, event=self.booking.event, **kwargs)

    def form_valid(self, form):
        try:
            services.booking_answers_update(
                booking=self.booking, member=self.request.user, answers=form.answers()
            )
        except services.BookingError as error:
            if error.code == "answers_invalid":
                return self.domain_error_form_invalid(form, error)
            self.domain_error_flash(error)
        else:
            messages.success(self.request, "Your answers are changed.")
        return redirect(self.booking.event.get_absolute_url())


class OfferAcceptView(LoginRequiredMixin, DomainErrorFormMixin, TemplateView):
    """The page the offer email links to: one button to accept, one to decline."""

    template_name = "events/offer.html"

    def get_context_data(self, **kwargs):
        booking = selectors.booking_get_for_member(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            booking=booking,
            event=booking.event,
            is_open=booking.status == Booking.Status.OFFERED
            and booking.offer_expires_at > timezone.now(),
            **kwargs,
        )

    def post(self, request, pk):
        booking = selectors.booking_get_for_member(request.user, pk)
        with self.domain_error_message():
            services.offer_accept(booking=booking, member=request.user)
            messages.success(request, "You have accepted the place. See you there.")
            return redirect(booking.event.get_absolute_url())
        return redirect("events:offer_accept", pk=pk)


class OfferDeclineView(LoginRequiredMixin, DomainErrorFormMixin, View):
    def post(self, request, pk):
        booking = selectors.booking_get_for_member(request.user, pk)
        with self.domain_error_message():
            services.offer_decline(booking=booking, member=request.user)
            messages.success(
                request, "You have declined the place. It has gone to the next person."
            )
            return redirect("events:my_bookings")
        return redirect("events:offer_accept", pk=pk)


class MyBookingsView(LoginRequiredMixin, TemplateView):
    template_name = "events/my_bookings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, now = self.request.user, timezone.now()
        # One query says which of the page's reads there is anything to read for: most
        # members have no offers of places open, many no bookings.
        outline = selectors.my_bookings_outline(user)
        if outline is None:  # no feed yet: made on the first visit
            token = services.calendar_feed_get_or_create(user=user).token
            has_bookings = has_transfers = True
        else:
            token, has_bookings, has_transfers = outline
        upcoming, past = selectors.member_upcoming_and_past(user, now) if has_bookings else ([], [])
        # Offers of places to colleagues, made and received: one query.
        made, received = selectors.transfers_pending_of(user, now) if has_transfers else ({}, [])
        for booking in upcoming:
            booking.pending_transfer = made.get(booking.pk)
        context.update(
            transfers_received=received,
            upcoming=upcoming,
            past=past,
            feed_url=services.calendar_feed_url(token=token),
        )
        return context


class CalendarFeedResetView(LoginRequiredMixin, View):
    def post(self, request):
        services.calendar_feed_reset(user=request.user)
        messages.success(
            request, "Your calendar feed has a new address. The old address no longer works."
        )
        return redirect("events:my_bookings")


def event_ics(request, slug):
    """The event as an .ics file; the online link only for someone holding a place."""
    event = selectors.event_get(request.user, slug)
    booking = selectors.booking_for_member(request.user, event)
    links_for = {event.pk} if booking and booking.status == Booking.Status.CONFIRMED else set()
    content = ical_calendar(
        [event], site_url=settings.SITE_URL, name=event.title, links_for=links_for
    )
    return ics_response(content, f"{event.slug}.ics")


@never_cache
def calendar_feed(request, token):
    """A member's private feed, authenticated by its secret token only."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    events = list(selectors.feed_events(feed.user))
    links_for = set(
        Booking.objects.filter(
            member=feed.user, status=Booking.Status.CONFIRMED, event__in=events
        ).values_list("event_id", flat=True)
    )
    content = ical_calendar(
        events, site_url=settings.SITE_URL, name="My TalentHub events", links_for=links_for
    )
    return ics_response(content, "talenthub-events.ics")


class DemandReportView(ProgrammeManagerRequiredMixin, TemplateView):
    """Events whose waiting list is long enough to justify a re-run."""

    template_name = "events/demand_report.html"

    def get_context_data(self, **kwargs):
        threshold = settings.TALENTHUB.get("EVENT_RERUN_WAITING_THRESHOLD", 10)
        return super().get_context_data(
            threshold=threshold,
            events=selectors.demand_report(self.request.user, threshold),
            admin_url=reverse("admin:events_event_changelist"),
            **kwargs,
        )
