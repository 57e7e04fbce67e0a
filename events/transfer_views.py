"""Passing a place to a colleague (issue 18): the holder's page (offer, withdraw) and the
colleague's page (accept with their own answers, decline). Each page fetches its object
through a selector scoped to the one person who may act on it; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from talenthub.core.questions import QuestionsForm
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors, services
from .forms import TransferOfferForm
from .models import Booking, Event, PlaceTransfer


class TransferOfferView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    """The holder's page: who the place is offered to (and "Withdraw the offer"), or the
    form naming a colleague when the place can be passed on."""

    template_name = "events/transfer_offer.html"
    form_class = TransferOfferForm

    def get_booking(self) -> Booking:
        if not hasattr(self, "_booking"):
            self._booking = selectors.booking_get_for_member(self.request.user, self.kwargs["pk"])
        return self._booking

    def get_context_data(self, **kwargs):
        booking = self.get_booking()
        event = booking.event
        pending = selectors.transfer_pending_for_booking(booking)
        can_offer = (
            pending is None
            and booking.status == Booking.Status.CONFIRMED
            and event.transfer_policy != Event.TransferPolicy.OFF
            and event.status == Event.Status.PUBLISHED
            and not event.has_started()
        )
        return super().get_context_data(
            booking=booking, event=event, pending=pending, can_offer=can_offer, **kwargs
        )

    def form_valid(self, form):
        booking = self.get_booking()
        try:
            transfer = services.place_transfer_offer(
                booking=booking, holder=self.request.user, email=form.cleaned_data["email"]
            )
        except services.BookingError as error:
            return self.domain_error_form_invalid(form, error)
        messages.success(
            self.request,
            f"We have emailed {transfer.recipient.get_full_name()}. Your place stays yours "
            "until they accept it.",
        )
        return redirect("events:transfer_offer", pk=booking.pk)


class TransferWithdrawView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST, the holder: withdraw a pending offer of their place."""

    def post(self, request, pk):
        transfer = selectors.transfer_for_holder(request.user, pk)
        with self.domain_error_message() as refused:
            services.place_transfer_withdraw(transfer=transfer, holder=request.user)
        if not refused:
            messages.success(request, "You have withdrawn the offer. Your place is still yours.")
        return redirect("events:transfer_offer", pk=transfer.booking_id)


class TransferRespondView(LoginRequiredMixin, DomainErrorFormMixin, TemplateView):
    """The page the offer email links to, for the named colleague only: the event, the
    organiser's questions (answered by the colleague: answers are personal, never copied
    from the holder), "Accept the place" and "Decline". A page with buttons, not a GET
    that acts, so mail scanners cannot accept for anyone."""

    template_name = "events/transfer_respond.html"

    def get_transfer(self) -> PlaceTransfer:
        return selectors.transfer_for_recipient(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        transfer = kwargs.pop("transfer", None) or self.get_transfer()
        questions = list(transfer.booking.event.questions.all())
        return super().get_context_data(
            transfer=transfer,
            event=transfer.booking.event,
            holder=transfer.booking.member,
            is_open=transfer.status == PlaceTransfer.Status.PENDING
            and transfer.expires_at > timezone.now(),
            question_form=kwargs.pop("question_form", None)
            or (QuestionsForm(questions=questions) if questions else None),
            **kwargs,
        )

    def post(self, request, pk):
        transfer = self.get_transfer()
        questions = list(transfer.booking.event.questions.all())
        form = QuestionsForm(request.POST, questions=questions)
        if questions and not form.is_valid():
            return self.render_invalid(transfer, form)
        try:
            services.place_transfer_accept(
                transfer=transfer,
                member=request.user,
                answers=form.answers() if questions else {},
            )
        except services.BookingError as error:
            if error.field_errors and questions:
                error.add_to_form(form)
                return self.render_invalid(transfer, form)
            self.domain_error_flash(error)
            return redirect("events:transfer_respond", pk=pk)
        messages.success(request, "The place is yours. We have emailed you both.")
        return redirect(transfer.booking.event.get_absolute_url())

    def render_invalid(self, transfer, form):
        context = self.get_context_data(transfer=transfer, question_form=form)
        return render(self.request, self.template_name, context)


class TransferDeclineView(LoginRequiredMixin, DomainErrorFormMixin, View):
    """POST, the named colleague: decline the place (the holder keeps it)."""

    def post(self, request, pk):
        transfer = selectors.transfer_for_recipient(request.user, pk)
        with self.domain_error_message() as refused:
            services.place_transfer_decline(transfer=transfer, member=request.user)
        if not refused:
            messages.success(request, "You have declined the place. We have told your colleague.")
            return redirect("events:my_bookings")
        return redirect("events:transfer_respond", pk=pk)
