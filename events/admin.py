"""The managers' side: events with their bookings and waiting list in order, actions
(publish, publish overriding the four-week rule, cancel, re-run, CSV export), and a
booking page to move someone, change their priority (with a reason, audited), remove
them or mark attendance. Every write calls a service."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, IntegerField, Q, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from talenthub.core.admin import audit_trail_table
from talenthub.core.admin_filters import (
    KeptChoicesMixin,
    KeptDateHierarchyMixin,
    RelatedExistsFieldListFilter,
    RelatedSelectFieldListFilter,
)
from talenthub.core.admin_messages import BulkMessageAdminMixin, sent_messages_html
from talenthub.core.admin_mixins import (
    AdminOperation,
    AdminOperationsMixin,
    AdminReasonForm,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    UndeletableAdminMixin,
    bulk_email_progress_html,
    bulk_email_reach_html,
    request_is_manager,
    user_as_text,
    waiting_list_operations,
)
from talenthub.core.admin_rows import ListedFieldsMixin
from talenthub.core.models import AuditLog
from talenthub.core.permissions import ProviderScopedAdmin, user_provider
from talenthub.core.spreadsheets import spreadsheet_response

from . import selectors, services
from .forms import ReasonForm
from .models import Booking, CalendarFeed, Event, EventMessage, EventQuestion, PlaceTransfer
from .selectors import with_positions

STATUS_ORDER = Case(
    When(status="confirmed", then=Value(0)),
    When(status="offered", then=Value(1)),
    When(status="waiting", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


# Programme managers use these pages without per-model grants (rows scoped to their
# provider by ``ProviderScopedAdmin``). Unlike most apps, nobody deletes an event or a
# booking, superusers included: an event is cancelled and a booking ended through a
# service, so everyone holding a place is told and the history is kept.


class BookingInline(UndeletableAdminMixin, ManagerAdminMixin, admin.TabularInline):
    """Places first, then offers, then the waiting list in queue order."""

    model = Booking
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "member_name",
        "status",
        "position",
        "priority",
        "joined_at",
        "offer_expires_at",
        "attendance",
    ]
    readonly_fields = fields
    verbose_name_plural = _("Bookings and waiting list, in order")

    @admin.display(description=_("Member"))
    def member_name(self, obj):
        return user_as_text(obj.member)

    @admin.display(description=_("Place in line"))
    def position(self, obj):
        return obj.position if obj.status == Booking.Status.WAITING else "–"

    def get_queryset(self, request):
        return (
            with_positions(super().get_queryset(request))
            .select_related("member")
            .annotate(status_rank=STATUS_ORDER)
            .order_by("status_rank", "-priority", "joined_at", "pk")
        )

    def has_add_permission(self, request, obj=None):
        return False


class EventQuestionInline(ManagerAdminMixin, admin.StackedInline):
    """The questions everyone booking the event answers, in ``order``. Answers to
    "organisers only" questions (access, dietary needs) are shown to the organiser's
    managers only. An answered question cannot be deleted (its answers PROTECT it:
    Django refuses on the inline as a form error)."""

    model = EventQuestion
    extra = 0
    fields = [("order", "kind", "required"), "text", "help_text", "options"]
    verbose_name = _("booking question")
    verbose_name_plural = _("Booking questions (asked when booking)")

    def has_delete_permission(self, request, obj=None):
        return request_is_manager(request) or super().has_delete_permission(request, obj)


class EventAdminForm(forms.ModelForm):
    online_link = forms.URLField(
        assume_scheme="https",
        required=False,
        help_text=_("Shown only to people who hold a place."),
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Recorded in the audit trail. People holding a place are told of changes "
            "to the time or place."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "programme",
            "organiser",
            "theme",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "capacity",
            "cpd_hours",
            "booking_opens_at",
            "booking_closes_at",
            "promotion_policy",
            "offer_hours",
            "transfer_policy",
            "rerun_of",
        ]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            held = self.instance.bookings.holding_place().count()
            if capacity is not None and capacity < held:
                raise forms.ValidationError(
                    _("Capacity cannot be below the %(held)s places already taken or offered."),
                    params={"held": held},
                )
        return capacity


@admin.register(Event)
class EventAdmin(
    ListedFieldsMixin,
    KeptDateHierarchyMixin,
    BulkMessageAdminMixin,
    DomainErrorAdminMixin,
    UndeletableAdminMixin,
    ManagerAdminMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "organiser"
    form = EventAdminForm
    list_display = [
        "title",
        "starts_at",
        "organiser",
        "theme",
        "status",
        "capacity",
        "confirmed_count",
        "offered_count",
        "waiting_count",
    ]
    # What the rows show (and Event.__str__, each row's checkbox label) of 30 columns.
    list_fields = ["title", "starts_at", "organiser__name", "theme", "status", "capacity"]
    list_filter = [
        "status",
        "theme",
        "promotion_policy",
        ("organiser", RelatedExistsFieldListFilter),
        "starts_at",
    ]
    search_fields = ["title", "summary", "venue"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "published_at",
        "announcement",
        "cancelled_at",
        "cancellation_reason",
        "checkin_code",
        "attendee_tools",
        "messages_sent",
        "audit_trail",
    ]
    inlines = [EventQuestionInline, BookingInline]
    actions = ["publish", "publish_override", "cancel_events", "create_rerun", "export_attendees",
               "export_attendees_xlsx"]  # fmt: skip
    list_select_related = ["organiser"]

    def get_changelist(self, request, **kwargs):
        """The list's rows (and its sorting by them) carry the three place counts; the
        admin's own queryset does not: the list filters read it only to find their
        choices (the organiser filter's ``EXISTS``), and the change, history and delete
        pages and other admins' autocompletes never show the counts. Building the three
        count subqueries was a fifth of the list's query building (issue 16)."""
        changelist = super().get_changelist(request, **kwargs)

        class CountedChangeList(changelist):
            def get_queryset(self, request, exclude_parameters=None):
                if not getattr(self, "_counted", False):
                    self.root_queryset = self.root_queryset.with_place_counts()
                    self._counted = True
                return super().get_queryset(request, exclude_parameters)

        return CountedChangeList

    @admin.display(description=_("Booked"), ordering="confirmed_count")
    def confirmed_count(self, obj):
        return obj.confirmed_count

    @admin.display(description=_("Offers"), ordering="offered_count")
    def offered_count(self, obj):
        return obj.offered_count

    @admin.display(description=_("Waiting"), ordering="waiting_count")
    def waiting_count(self, obj):
        return obj.waiting_count

    @admin.display(description=_("Announcement"))
    def announcement(self, obj):
        """Before publishing: whom it will reach. After: the emails queued, sent and
        failed (outbox rows under the announcement's key prefix)."""
        if obj is None or obj.pk is None:
            return "-"
        audience = selectors.announcement_audience(obj)
        if obj.status == Event.Status.DRAFT:
            reach = services.announcement_recipients(obj).count()
            return bulk_email_reach_html(_("Publishing will email"), reach, audience)
        return bulk_email_progress_html(selectors.announcement_progress(obj), audience)

    @admin.display(description=_("Attendees"))
    def attendee_tools(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">Email the attendees</a> · <a href="{}">Door list and check-in</a>',
            reverse("admin:events_event_email", args=[obj.pk]),
            reverse("events:door_list", args=[obj.slug]),
        )

    @admin.display(description=_("Emails sent to attendees"))
    def messages_sent(self, obj):
        """Every "Email the attendees" message: who sent it, when, to whom, and how its
        emails stand in the outbox."""
        if obj is None or obj.pk is None:
            return "-"
        sent = list(obj.messages.select_related("sent_by"))
        if not sent:
            return format_html('<span id="messages">{}</span>', _("None yet."))
        return format_html(
            '<div id="messages">{}</div>',
            sent_messages_html(sent, services.event_message_progress),
        )

    # --- "Email the attendees" (BulkMessageAdminMixin) ---------------------------------

    def message_audiences(self, obj):
        return [
            (value, label)
            for value, label in EventMessage.Audience.choices
            if value != EventMessage.Audience.NOT_ATTENDED or obj.ends_at < timezone.now()
        ]

    def message_preview(self, obj, **kwargs):
        return services.event_message_preview(event=obj, **kwargs)

    def message_send(self, obj, **kwargs):
        return services.event_message_send(event=obj, **kwargs)

    @admin.display(description=_("Audit trail"))
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        booking_ids = [str(pk) for pk in obj.bookings.values_list("pk", flat=True)]
        entries = AuditLog.objects.select_related("actor").filter(
            Q(object_type="events.event", object_id=str(obj.pk))
            | Q(object_type="events.booking", object_id__in=booking_ids)
        )[:200]
        return audit_trail_table(entries)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organiser" and not request.user.is_superuser:
            provider = user_provider(request.user)
            kwargs["queryset"] = db_field.related_model.objects.filter(
                pk=getattr(provider, "pk", None)
            )
        if db_field.name == "rerun_of":
            kwargs["queryset"] = self.scope_queryset(request, Event.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            fields = {
                name: form.cleaned_data[name]
                for name in form.cleaned_data
                if name in {f.name for f in Event._meta.fields} and name != "status"
            }
            saved = services.event_create(actor=request.user, **fields)
            obj.pk = saved.pk
            obj.refresh_from_db()
            return
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name not in {"change_reason", "status"}
        }
        # A refusal (BookingError) propagates: DomainErrorAdminMixin rolls the form back
        # and shows it as a form error.
        services.event_update(
            event=obj,
            actor=request.user,
            reason=form.cleaned_data.get("change_reason", ""),
            **changes,
        )

    @admin.action(description=_("Publish (four-week rule applies)"))
    def publish(self, request, queryset):
        return self._publish(request, queryset, override=False)

    @admin.action(description=_("Publish, overriding the four-week rule"))
    def publish_override(self, request, queryset):
        return self._publish(request, queryset, override=True)

    def _publish(self, request, queryset, *, override):
        """An intermediate page says whom each event's announcement will reach (the
        audience and a count) and asks for confirmation; then ``event_publish``."""
        if "apply" not in request.POST:
            events = list(
                queryset.select_related("organiser", "programme").prefetch_related(
                    "programme__audience_levels",
                    "programme__audience_sectors",
                    "programme__functional_areas",
                )
            )
            rows = []
            for event in events:
                is_draft = event.status == Event.Status.DRAFT
                too_early = is_draft and not override and services.publish_too_early(event)
                rows.append(
                    {
                        "event": event,
                        "object": event,
                        "is_draft": is_draft,
                        "reach": services.announcement_recipients(event).count()
                        if is_draft
                        else None,
                        "audience": selectors.announcement_audience(event),
                        "too_early": too_early,
                        "publishable": is_draft and not too_early,
                    }
                )
            return TemplateResponse(
                request,
                "events/admin/publish_events.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Publish and announce events"),
                    "opts": self.model._meta,
                    "rows": rows,
                    # Only what will be published: a refused event emails nobody.
                    "total": sum(row["reach"] for row in rows if row["publishable"]),
                    "publishable": sum(row["publishable"] for row in rows),
                    "ready": sum(row["publishable"] for row in rows),
                    "override": override,
                    "action": "publish_override" if override else "publish",
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for event in queryset:
            try:
                services.event_publish(
                    event=event,
                    actor=request.user,
                    override=override,
                    reason=_("Published early by a manager (override of the four-week rule)")
                    if override
                    else "",
                )
            except services.BookingError as exc:
                self.message_user(request, f"{event.title}: {exc.message}", messages.ERROR)
            else:
                url = reverse("admin:events_event_change", args=[event.pk])
                self.message_user(
                    request,
                    format_html(
                        '{} is published; its audience is being emailed. <a href="{}">See '
                        "how many emails are queued, sent and failed</a>.",
                        event.title,
                        url + "#announcement",
                    ),
                    messages.SUCCESS,
                )
        return None

    @admin.action(description=_("Cancel the event (everyone booked or waiting is told)"))
    def cancel_events(self, request, queryset):
        """An intermediate page asks for the reason, then each event is cancelled by
        ``event_cancel`` (everyone told once)."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for event in queryset:
                services.event_cancel(
                    event=event, actor=request.user, reason=form.cleaned_data["reason"]
                )
            self.message_user(
                request,
                _("Cancelled; everyone booked or waiting has been emailed."),
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "events/admin/cancel_events.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Cancel events"),
                "opts": self.model._meta,
                "events": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Create a re-run (a draft; its places go to the waiting list first)")
    )
    def create_rerun(self, request, queryset):
        for event in queryset:
            rerun = services.event_rerun_create(event=event, actor=request.user)
            url = reverse("admin:events_event_change", args=[rerun.pk])
            self.message_user(
                request,
                format_html(
                    'Draft re-run created: <a href="{}">{}</a>. Check its dates, then publish it.',
                    url,
                    rerun,
                ),
            )

    @admin.action(description=_("Export attendees as CSV"))
    def export_attendees(self, request, queryset, file_format="csv"):
        """Everyone with a place on the chosen events, with attendance (a no-show is
        derived once an event has ended) and a column per booking question (the
        answers of every question, organisers-only ones included: the export is the
        organiser's)."""
        questions = list(
            EventQuestion.objects.filter(event__in=queryset).order_by(
                "event__starts_at", "event_id", "order", "pk"
            )
        )
        header = ["event", "starts", "name", "email", "organisation", "job title", "status",
                  "booked at", "attendance"]  # fmt: skip
        many_events = len({q.event_id for q in questions}) > 1
        header += [f"{q.event.title}: {q.text}" if many_events else q.text for q in questions]
        bookings = (
            Booking.objects.filter(event__in=queryset, status=Booking.Status.CONFIRMED)
            .select_related("event", "member__profile__organisation")
            .prefetch_related("answers")
            .order_by("event__starts_at", "member__full_name", "pk")
        )
        now = timezone.now()

        def rows():
            for booking in bookings:
                profile = getattr(booking.member, "profile", None)
                answers = {answer.question_id: answer.text for answer in booking.answers.all()}
                yield [
                    booking.event.title,
                    timezone.localtime(booking.event.starts_at).strftime("%Y-%m-%d %H:%M"),
                    booking.member.full_name,
                    booking.member.email,
                    profile.organisation.name if profile and profile.organisation else "",
                    profile.job_title if profile else "",
                    booking.get_status_display(),
                    timezone.localtime(booking.confirmed_at).strftime("%Y-%m-%d %H:%M"),
                    booking.attendance_derived_display(now),
                    *(q.answer_display(answers.get(q.pk, "")) for q in questions),
                ]

        return spreadsheet_response("attendees", header, rows(), file_format=file_format)

    @admin.action(description=_("Export attendees as Excel (XLSX)"))
    def export_attendees_xlsx(self, request, queryset):
        return self.export_attendees(request, queryset, file_format="xlsx")


class BookingAdminForm(forms.ModelForm):
    """The booking's own page records attendance only; moving, re-prioritising and
    removing someone each have their own page (``BookingAdmin.operations``)."""

    class Meta:
        model = Booking
        fields = ["attendance"]


def _waiting(booking) -> bool:
    return booking.status == Booking.Status.WAITING


BOOKING_OPERATIONS = (
    *waiting_list_operations(
        available=_waiting,
        set_priority=lambda booking, **change: services.waiting_list_set_priority(
            booking=booking, **change
        ),
        move=lambda booking, **change: services.waiting_list_move(booking=booking, **change),
        moved=_("The person was moved on the waiting list."),
    ),
    AdminOperation(
        slug="remove",
        title=_("Remove from the event (their place goes to the next person)"),
        form=AdminReasonForm,
        available=lambda booking: booking.is_active,
        apply=lambda request, booking, data: services.booking_cancel(
            booking=booking, actor=request.user, reason=data["reason"]
        ),
        done=_("The person was removed from the event and emailed."),
    ),
)


class EventMenuFilter(RelatedSelectFieldListFilter):
    label_fields = ("title", "starts_at")  # Event.__str__


@admin.register(Booking)
class BookingAdmin(
    ListedFieldsMixin,
    KeptChoicesMixin,
    AdminOperationsMixin,
    DomainErrorAdminMixin,
    UndeletableAdminMixin,
    ManagerAdminMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "event__organiser"
    form = BookingAdminForm
    operations = BOOKING_OPERATIONS
    list_display = [
        "member",
        "event",
        "status",
        "priority",
        "joined_at",
        "offer_expires_at",
        "attendance",
    ]
    # The event filter offers only the events in the scoped queryset, so a manager's
    # filter never lists another provider's events; as a menu, not a link per event
    # (800 at 100x the demo), with the same ``event__id__exact`` parameter.
    list_filter = [
        "status",
        "attendance",
        "event__theme",
        ("event", EventMenuFilter),
    ]
    search_fields = ["member__email", "member__full_name", "event__title"]
    list_select_related = ["member", "event"]
    # What the rows show, and Booking.__str__ (each row's checkbox label) reads: the
    # member's name, the event's title and date (its link's text), not its 30 columns.
    list_fields = ["member__email", "member__full_name", "event__title", "event__starts_at",
                   "status", "priority", "joined_at", "offer_expires_at", "attendance"]  # fmt: skip
    ordering = ["event", "-priority", "joined_at", "pk"]
    readonly_fields = [
        "event",
        "member_name",
        "status",
        "joined_at",
        "offer_number",
        "offer_expires_at",
        "confirmed_at",
        "ended_at",
        "end_reason",
        "answers",
        "priority",
        "operation_links",
        "audit_trail",
    ]
    actions = ["mark_attended", "mark_no_show"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Answers to the booking questions"))
    def answers(self, obj):
        """Shown to the organiser's managers only (this admin is scoped to them),
        organisers-only questions (access, dietary needs) included, each marked."""
        answers = selectors.booking_answers(obj)
        if not answers:
            return "-"
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((a.question.text, a.display or "-") for a in answers),
            ),
        )

    @admin.display(description=_("Member"))
    def member_name(self, obj):
        return user_as_text(obj.member)

    @admin.display(description=_("Audit trail"))
    def audit_trail(self, obj):
        return audit_trail_table(
            AuditLog.objects.select_related("actor").filter(
                object_type="events.booking", object_id=str(obj.pk)
            )
        )

    def save_model(self, request, obj, form, change):
        # One service per save. A refusal (BookingError) propagates:
        # DomainErrorAdminMixin shows it as a form error, with no "changed successfully".
        if "attendance" in form.changed_data:
            services.attendance_mark(
                booking=obj, attendance=form.cleaned_data["attendance"], actor=request.user
            )

    @admin.action(description=_("Mark as attended"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Booking.Attendance.ATTENDED)

    @admin.action(description=_("Mark as no-show"))
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Booking.Attendance.NO_SHOW)

    def _mark(self, request, queryset, attendance):
        done = 0
        for booking in queryset:
            try:
                services.attendance_mark(booking=booking, attendance=attendance, actor=request.user)
                done += 1
            except services.BookingError as exc:
                self.message_user(request, f"{booking}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)s attendance records saved.") % {"n": done})


@admin.register(PlaceTransfer)
class PlaceTransferAdmin(UndeletableAdminMixin, ManagerAdminMixin, ProviderScopedAdmin):
    """Offers of a place to a colleague on the organiser's events, read-only: the holder
    and the colleague act on the site (``transfer_views``), each step audited."""

    provider_lookup = "booking__event__organiser"
    list_display = ["event", "holder", "recipient_name", "status", "created_at", "expires_at"]
    list_filter = ["status", ("booking__event", RelatedExistsFieldListFilter)]
    search_fields = [
        "booking__event__title",
        "booking__member__email",
        "booking__member__full_name",
        "recipient__email",
        "recipient__full_name",
    ]
    list_select_related = ["booking__event", "booking__member", "recipient"]
    fields = [
        "event",
        "holder",
        "recipient_name",
        "status",
        "created_at",
        "expires_at",
        "ended_at",
        "new_booking",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"), ordering="booking__event__starts_at")
    def event(self, obj):
        return obj.booking.event

    @admin.display(description=_("holder"))
    def holder(self, obj):
        return user_as_text(obj.booking.member)

    @admin.display(description=_("colleague"))
    def recipient_name(self, obj):
        return user_as_text(obj.recipient)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "reset_at"]
    # When a feed was reset (the date filter of a nullable field also offers "No date" /
    # "Has date": never reset or reset, as after a leaked URL) or made, and whether its
    # owner's account is still active.
    list_filter = ["reset_at", "created_at", "user__is_active"]
    search_fields = ["user__email"]
    # The token is the feed's only credential: never shown, never editable here (a
    # leaked address is revoked by the member's "reset" or by deleting the feed).
    fields = ["user", "created_at", "reset_at"]
    readonly_fields = fields
    view_on_site = False

    def has_add_permission(self, request):
        return False  # made by the member's own bookings page, with a fresh token
