"""The managers' main tool. Every list is scoped to the manager's provider in its
queryset (``ProviderScopedAdmin``); foreign-key choices are scoped the same way, and every
change goes through a service."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programmes.models import Module, Programme, ProgrammeVersion
from programmes.selectors import audience_description, programmes_runnable_by
from resources.models import Rating
from talenthub.core.admin import HTTPS_URLS, audit_trail_table
from talenthub.core.admin_filters import (
    KeptChoicesMixin,
    KeptDateHierarchyMixin,
    RelatedExistsFieldListFilter,
    admin_queryset,
    list_choices,
    related_rows_with,
)
from talenthub.core.admin_messages import BulkMessageAdminMixin, sent_messages_html
from talenthub.core.admin_mixins import (
    AdminOperation,
    AdminOperationsMixin,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    ReadOnlyAdminMixin,
    WaitingPriorityForm,
    bulk_email_progress_html,
    bulk_email_reach_html,
    request_is_manager,
    user_as_text,
    waiting_list_operations,
)
from talenthub.core.admin_rows import ListedFieldsMixin
from talenthub.core.models import AuditLog, Organisation, User
from talenthub.core.permissions import ProviderScopedAdmin, user_provider
from talenthub.core.spreadsheets import spreadsheet_response

from . import selectors, services
from .exceptions import CohortError
from .models import (
    Answer,
    Application,
    ApplicationQuestion,
    Attendance,
    Cohort,
    CohortMessage,
    CohortReviewer,
    CompetencyScore,
    Feedback,
    ModuleRating,
    Participant,
    ProjectReview,
    ProjectWork,
    ReviewCriterion,
    ReviewScore,
    Session,
)


class ScopedChoicesMixin:
    """Foreign-key choices limited to what the manager may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not user.is_superuser:
            if db_field.name == "cohort":
                kwargs["queryset"] = selectors.cohorts_managed_by(user)
            elif db_field.name == "provider":
                provider = user_provider(user)
                kwargs["queryset"] = Organisation.objects.filter(pk=getattr(provider, "pk", None))
            elif db_field.name == "programme":
                kwargs["queryset"] = Programme.objects.filter(owner=user_provider(user))
            elif db_field.name == "version":
                # Versions of programmes the provider owns or holds a franchise of.
                provider = user_provider(user)
                runnable = (
                    programmes_runnable_by(provider) if provider else Programme.objects.none()
                )
                kwargs["queryset"] = ProgrammeVersion.objects.filter(
                    programme__in=runnable
                ).select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def export_participants(participants, *, file_format: str = "csv") -> HttpResponse:
    """The participants, with a column per application question asked of their cohorts
    (the programme's, and their version's own) holding each one's answer. The export is
    the running provider's managers', who may read every answer."""
    participants = participants.select_related(
        "cohort", "user__profile__organisation"
    ).prefetch_related("application__answers")
    cohort_ids = participants.values("cohort_id")
    questions = list(
        ApplicationQuestion.objects.filter(programme__versions__cohorts__in=cohort_ids)
        .filter(Q(version__isnull=True) | Q(version__cohorts__in=cohort_ids))
        .distinct()
        .order_by("programme_id", "order", "pk")
    )

    def answers_of(p) -> dict[int, str]:
        if p.application is None:
            return {}
        return {a.question_id: a.text for a in p.application.answers.all()}

    rows = (
        (
            p.cohort.name,
            p.user.get_full_name(),
            p.user.email,
            getattr(getattr(getattr(p.user, "profile", None), "organisation", None), "name", ""),
            p.get_status_display(),
            p.enrolled_at.date().isoformat(),
            p.completed_at.date().isoformat() if p.completed_at else "",
            p.completion_reason,
            *(q.answer_display(answers.get(q.pk, "")) for q in questions),
        )
        for p in participants.order_by("cohort__starts_on", "user__full_name")
        for answers in [answers_of(p)]
    )
    header = [
        "Cohort",
        "Name",
        "Email",
        "Organisation",
        "Status",
        "Enrolled",
        "Completed",
        "Reason",
        *(q.text for q in questions),
    ]
    return spreadsheet_response("participants", header, rows, file_format=file_format)


def export_attendance(cohorts, *, file_format: str = "csv") -> HttpResponse:
    records = {
        (a.session_id, a.participant_id): a.get_status_display()
        for a in Attendance.objects.filter(session__cohort__in=cohorts)
    }
    sessions = list(Session.objects.filter(cohort__in=cohorts).select_related("module"))
    participants = Participant.objects.filter(cohort__in=cohorts).select_related("cohort", "user")
    rows = (
        (
            p.cohort.name,
            p.user.get_full_name(),
            p.user.email,
            s.date.isoformat(),
            s.display_title,
            records.get((s.pk, p.pk), "Not recorded"),
        )
        for p in participants.order_by("cohort__starts_on", "user__full_name")
        for s in sessions
        if s.cohort_id == p.cohort_id
    )
    header = ["Cohort", "Name", "Email", "Session date", "Session", "Attendance"]
    return spreadsheet_response("attendance", header, rows, file_format=file_format)


def send_decisions_confirmed(model_admin, request, cohorts, selected, *, application_ids):
    """The "send the recorded decisions" actions: first a page listing each decision to
    be sent and its outcome (offer, waiting list, unsuccessful) with the number of
    emails, then, on confirmation, ``decisions_send`` per cohort, limited to the ticked
    applications when the action ran on applications (``application_ids``)."""
    cohorts = list(cohorts.select_related("version__programme", "provider"))
    if "apply" in request.POST:
        for cohort in cohorts:
            counts = services.decisions_send(
                cohort=cohort, actor=request.user, application_ids=application_ids
            )
            model_admin.message_user(
                request,
                _(
                    "%(cohort)s: %(offered)s offered, %(waiting)s on the waiting list, "
                    "%(declined)s declined."
                )
                % {"cohort": cohort, **counts},
            )
        return None
    groups = [
        {"cohort": cohort, "rows": services.decisions_preview(cohort, application_ids)}
        for cohort in cohorts
    ]
    total = sum(len(group["rows"]) for group in groups)
    return TemplateResponse(
        request,
        "cohorts/admin/send_decisions.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": _("Send the recorded decisions"),
            "opts": model_admin.model._meta,
            "groups": groups,
            "total": total,
            "selected": selected,
            "action": "send_decisions",
            "back_url": reverse(
                f"admin:{model_admin.model._meta.app_label}_"
                f"{model_admin.model._meta.model_name}_changelist"
            ),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


# A key no session has, put in the attendance URL's ``<int:pk>`` and replaced by each key.
_SESSION_KEY = 918273645546372819
_attendance_link_parts: dict[tuple, tuple[str, str]] = {}


def attendance_link_html(pk) -> str:
    """``format_html('<a href="{}">Record attendance</a>', reverse("cohorts:attendance",
    args=[pk]))``, with the URL reversed once per URL configuration, script prefix and
    language (what ``reverse`` reads) and each key put in its place: the session list
    reversed it once a row, about 1 ms a page of 50 (docs/benchmarks.md, "Sixth round")."""
    if type(pk) is not int:
        return format_html(
            '<a href="{}">Record attendance</a>', reverse("cohorts:attendance", args=[pk])
        )
    key = (get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), get_language())
    parts = _attendance_link_parts.get(key)
    if parts is None:
        link = format_html(
            '<a href="{}">Record attendance</a>',
            reverse("cohorts:attendance", args=[_SESSION_KEY]),
        )
        before, found, after = link.partition(str(_SESSION_KEY))
        if not found or str(_SESSION_KEY) in after:
            raise ImproperlyConfigured("The attendance URL does not hold the session's key.")
        parts = _attendance_link_parts[key] = (before, after)
    return SafeString(f"{parts[0]}{pk}{parts[1]}")


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"
    date_field = "starts_on"

    def lookups(self, request, model_admin):
        # Kept per data version and user, as the related filters' choices are.
        name = f"{type(self).__qualname__}:{self.date_field}"
        return list_choices(request, model_admin, name, lambda: self.years(request, model_admin))

    def years(self, request, model_admin) -> list[tuple[str, str]]:
        # The years of the rows listed. For a date on a relation ("cohort__starts_on")
        # they are read from the related rows that listed rows reach (the cohorts with
        # an application): the same years without a DISTINCT over the big table
        # (51,700 applications at 100x the demo).
        qs = admin_queryset(model_admin, request)
        relation, _, field = self.date_field.rpartition("__")
        if relation:
            qs = related_rows_with(qs, relation)
        years = qs.dates(field, "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def year(self) -> int | None:
        """The chosen year, or None for anything that is not one (``?year=abc``, a
        20-digit number): such a value is ignored, the list shown unfiltered."""
        value = (self.value() or "").strip()
        if value.isascii() and value.isdigit() and len(value) <= 4 and int(value) >= 1:
            return int(value)
        return None

    def queryset(self, request, queryset):
        year = self.year()
        if year is not None:
            return queryset.filter(**{f"{self.date_field}__year": year})
        return queryset


class CohortYearFilter(YearFilter):
    date_field = "cohort__starts_on"


class SessionInline(ManagerAdminMixin, admin.TabularInline):
    model = Session
    extra = 0
    formfield_overrides = HTTPS_URLS
    fields = [
        "kind",
        "title",
        "module",
        "date",
        "starts_at",
        "ends_at",
        "venue",
        "online_url",
        "cpd_hours",
        "attendance_link",
    ]
    readonly_fields = ["attendance_link"]

    @admin.display(description=_("Attendance"))
    def attendance_link(self, obj):
        if not obj.pk:
            return "—"
        return attendance_link_html(obj.pk)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "module":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        cohort_id = request.resolver_match.kwargs.get("object_id")
        if cohort_id:
            kwargs["queryset"] = Module.objects.filter(version__cohorts__pk=cohort_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # One query for the choices of every row, not one per session.
        if not hasattr(request, "_cohorts_module_choices"):
            request._cohorts_module_choices = list(field.choices)
        field.choices = request._cohorts_module_choices
        return field


class ParticipantInline(ReadOnlyAdminMixin, ManagerAdminMixin, admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["person", "status", "enrolled_at", "completed_at", "completion_reason"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "cohort")

    @admin.display(description=_("participant"))
    def person(self, obj):
        return user_as_text(obj.user)


class ReviewerForm(forms.ModelForm):
    email = forms.EmailField(label=_("Reviewer's email address"))

    class Meta:
        model = CohortReviewer
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No one with this email address has an account."))
        self.instance.user = user
        return email


class ReviewerInline(ManagerAdminMixin, admin.TabularInline):
    model = CohortReviewer
    form = ReviewerForm
    extra = 0
    verbose_name = _("celebration event reviewer")

    def has_delete_permission(self, request, obj=None):
        return request_is_manager(request)


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "version", "provider", "name", "slug", "region", "status", "capacity",
            "applications_open_at", "applications_close_at", "offer_acceptance_days",
            "starts_on", "ends_on", "subsidy_scheme",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        version, provider = cleaned.get("version"), cleaned.get("provider")
        starts_on = cleaned.get("starts_on")
        changed = {"version", "provider"} & set(self.changed_data)
        if version and provider and starts_on and changed:
            runnable = programmes_runnable_by(provider, on=starts_on)
            if not runnable.filter(pk=version.programme_id).exists():
                raise forms.ValidationError(
                    _(
                        "%(provider)s neither owns %(programme)s nor holds a franchise of it "
                        "on the start date."
                    )
                    % {"provider": provider, "programme": version.programme}
                )
        return cleaned

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity is not None:
            taken = self.instance.places_taken()
            if capacity < taken:
                raise forms.ValidationError(
                    _("The capacity cannot be lower than the %(taken)s places already taken.")
                    % {"taken": taken}
                )
        return capacity


@admin.register(Cohort)
class CohortAdmin(
    ListedFieldsMixin,
    KeptDateHierarchyMixin,
    BulkMessageAdminMixin,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    ScopedChoicesMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "provider"
    message_title = _("Email the participants")
    form = CohortForm
    list_display = [
        "name",
        "programme",
        "provider",
        "status",
        "starts_on",
        "capacity",
        "participants_count",
        "open_offers",
        "waiting",
        "places_left_display",
    ]
    list_filter = [
        ("version__programme", RelatedExistsFieldListFilter),
        ("provider", RelatedExistsFieldListFilter),
        "status",
        YearFilter,
        ("subsidy_scheme", RelatedExistsFieldListFilter),
    ]
    search_fields = ["name", "version__name", "version__programme__title", "provider__name"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_on"
    list_select_related = ["version__programme", "provider"]
    # The columns (the version's text is "programme: version", the provider's its name)
    # and each row's text (the name); the place counts are the queryset's annotations.
    list_fields = ["name", "status", "starts_on", "capacity", "version__name",
                   "version__programme__title", "provider__name"]  # fmt: skip
    inlines = [SessionInline, ParticipantInline, ReviewerInline]
    actions = [
        "announce",
        "send_decisions",
        "fill_places",
        "export_participants_csv",
        "export_participants_xlsx",
        "export_attendance_csv",
        "export_attendance_xlsx",
    ]
    readonly_fields = ["announced_at", "announcement", "messages_sent"]
    fieldsets = [
        (None, {"fields": ["version", "provider", "name", "slug", "region", "status"]}),
        (_("Announcement to members"), {"fields": ["announced_at", "announcement"]}),
        (_("Emails to the participants"), {"fields": ["messages_sent"]}),
        (
            _("Places and dates"),
            {
                "fields": [
                    "capacity",
                    "applications_open_at",
                    "applications_close_at",
                    "offer_acceptance_days",
                    "starts_on",
                    "ends_on",
                    "subsidy_scheme",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_place_counts()

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset  # every cohort (cohorts_visible_to's), without a subquery
        # The owner of a franchised programme sees its franchisees' cohorts (read only).
        return queryset.filter(pk__in=selectors.cohorts_visible_to(request.user).values("pk"))

    def _manages(self, request, obj) -> bool:
        return request.user.is_superuser or obj.provider_id == getattr(
            user_provider(request.user), "pk", None
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._manages(request, obj))

    def get_inlines(self, request, obj):
        if obj is not None and not self._manages(request, obj):
            return []  # another provider's participants and sessions are theirs to run
        return super().get_inlines(request, obj)

    def _managed(self, request, queryset):
        return queryset.filter(pk__in=selectors.cohorts_managed_by(request.user).values("pk"))

    def save_model(self, request, obj, form, change):
        # A CohortError propagates: DomainErrorAdminMixin shows it as a form error.
        services.cohort_save(cohort=obj, actor=request.user)

    @admin.display(description=_("programme"), ordering="version__programme__title")
    def programme(self, obj):
        return obj.version

    @admin.display(description=_("participants"), ordering="participant_count")
    def participants_count(self, obj):
        return obj.participant_count

    @admin.display(description=_("open offers"), ordering="offer_count")
    def open_offers(self, obj):
        return obj.offer_count

    @admin.display(description=_("waiting"), ordering="waiting_count")
    def waiting(self, obj):
        return obj.waiting_count

    @admin.display(description=_("places left"))
    def places_left_display(self, obj):
        return max(obj.capacity - obj.participant_count - obj.offer_count, 0)

    @admin.display(description=_("Sent"))
    def messages_sent(self, obj):
        """The "Email the participants" link and every message sent: who sent it, when,
        to whom, and how its emails stand in the outbox."""
        if obj is None or obj.pk is None:
            return "-"
        link = format_html(
            '<p><a href="{}">Email the participants</a></p>',
            reverse("admin:cohorts_cohort_email", args=[obj.pk]),
        )
        sent = list(CohortMessage.objects.filter(cohort=obj).select_related("sent_by"))
        return format_html(
            '<div id="messages">{}{}</div>',
            link,
            sent_messages_html(sent, services.cohort_message_progress) if sent else _("None yet."),
        )

    # --- "Email the participants" (BulkMessageAdminMixin) -------------------------------

    def message_audiences(self, obj):
        return CohortMessage.Audience.choices

    def message_preview(self, obj, **kwargs):
        return services.cohort_message_preview(cohort=obj, **kwargs)

    def message_send(self, obj, **kwargs):
        return services.cohort_message_send(cohort=obj, **kwargs)

    @admin.display(description=_("Announcement"))
    def announcement(self, obj):
        """Before announcing: whom it would reach. After: the emails queued, sent and
        failed (outbox rows under the announcement's key prefix)."""
        if obj is None or obj.pk is None:
            return "-"
        audience = audience_description(provider=obj.provider, programme=obj.programme)
        if obj.announced_at is None:
            reach = services.cohort_announcement_recipients(obj).count()
            return bulk_email_reach_html(_("Announcing would email"), reach, audience)
        return bulk_email_progress_html(selectors.cohort_announcement_progress(obj), audience)

    @admin.action(description=_("Announce: email members that applications are open"))
    def announce(self, request, queryset):
        """An intermediate page says whom each cohort's announcement will reach (the
        audience and a count) and asks for confirmation; then ``cohort_announce``."""
        cohorts = (
            self._managed(request, queryset)
            .select_related("provider", "version__programme")
            .prefetch_related(
                "version__programme__audience_levels",
                "version__programme__audience_sectors",
                "version__programme__functional_areas",
            )
        )
        if "apply" not in request.POST:
            rows = []
            for cohort in cohorts:
                refusal = services.cohort_announcement_refusal(cohort)
                rows.append(
                    {
                        "cohort": cohort,
                        "object": cohort,
                        "refusal": refusal,
                        "reach": 0
                        if refusal
                        else services.cohort_announcement_recipients(cohort).count(),
                        "audience": audience_description(
                            provider=cohort.provider, programme=cohort.programme
                        ),
                    }
                )
            announceable = [row for row in rows if not row["refusal"]]
            return TemplateResponse(
                request,
                "cohorts/admin/announce_cohorts.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Announce cohorts open for applications"),
                    "opts": self.model._meta,
                    "rows": rows,
                    "total": sum(row["reach"] for row in announceable),
                    "announceable": len(announceable),
                    "ready": len(announceable),
                    "action": "announce",
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for cohort in cohorts:
            try:
                services.cohort_announce(cohort=cohort, actor=request.user)
            except CohortError as exc:
                self.message_user(request, f"{cohort}: {exc.message}", messages.ERROR)
            else:
                url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
                self.message_user(
                    request,
                    format_html(
                        '{}: its audience is being emailed. <a href="{}">See how many emails '
                        "are queued, sent and failed</a>.",
                        cohort,
                        url + "#announcement",
                    ),
                    messages.SUCCESS,
                )
        return None

    @admin.action(description=_("Send the recorded decisions"))
    def send_decisions(self, request, queryset):
        cohorts = self._managed(request, queryset)
        selected = [str(c.pk) for c in queryset]
        return send_decisions_confirmed(self, request, cohorts, selected, application_ids=None)

    @admin.action(description=_("Offer free places to the waiting list"))
    def fill_places(self, request, queryset):
        for cohort in self._managed(request, queryset):
            promoted = services.cohort_fill_places(cohort=cohort, actor=request.user)
            self.message_user(
                request,
                _("%(cohort)s: %(n)s offered from the waiting list.")
                % {"cohort": cohort, "n": len(promoted)},
            )

    @admin.action(description=_("Export participants as CSV"))
    def export_participants_csv(self, request, queryset):
        return export_participants(
            Participant.objects.filter(cohort__in=self._managed(request, queryset))
        )

    @admin.action(description=_("Export participants as Excel (XLSX)"))
    def export_participants_xlsx(self, request, queryset):
        return export_participants(
            Participant.objects.filter(cohort__in=self._managed(request, queryset)),
            file_format="xlsx",
        )

    @admin.action(description=_("Export attendance as CSV"))
    def export_attendance_csv(self, request, queryset):
        return export_attendance(self._managed(request, queryset))

    @admin.action(description=_("Export attendance as Excel (XLSX)"))
    def export_attendance_xlsx(self, request, queryset):
        return export_attendance(self._managed(request, queryset), file_format="xlsx")


class AnswerInline(ReadOnlyAdminMixin, ManagerAdminMixin, admin.TabularInline):
    """The applicant's answers, shown to the managers of the provider running the cohort
    (this admin is scoped to them), who alone read them."""

    model = Answer
    extra = 0
    fields = ["question", "answer"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("answer"))
    def answer(self, obj):
        return obj.display

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


class CompetencyScoreInline(ReadOnlyAdminMixin, ManagerAdminMixin, admin.TabularInline):
    """The applicant's self-rating and the manager's score against the programme's
    selection framework, shown beside the decision. Scored on its own page ("Score the
    competencies", ``application_score_competencies``), so saving a decision never runs
    a second service."""

    model = CompetencyScore
    extra = 0
    fields = ["competency", "self_rating", "manager_score", "scored_by"]
    readonly_fields = fields
    verbose_name = _("competency score")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency", "scored_by")


class CompetencyScoresForm(forms.Form):
    """One 1–4 score per competency of the programme's selection framework, each beside
    the applicant's self-rating; blank leaves a competency unscored."""

    def __init__(self, *args, obj=None, **kwargs):
        from .services.applications import framework_competencies

        super().__init__(*args, **kwargs)
        self.competency_ids = []
        if obj is None:
            return
        rows = {row.competency_id: row for row in obj.competency_scores.all()}
        for competency in framework_competencies(obj.cohort):
            row = rows.get(competency.pk)
            rated = Rating(row.self_rating).label if row and row.self_rating else _("not given")
            self.fields[f"competency_{competency.pk}"] = forms.TypedChoiceField(
                label=competency.name,
                choices=[("", "—"), *Rating.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=row.manager_score if row else None,
                help_text=_("The applicant's self-rating: %(rating)s") % {"rating": rated},
            )
            self.competency_ids.append(competency.pk)

    def clean(self):
        cleaned = super().clean()
        if not self.competency_ids:
            raise forms.ValidationError(
                _("This programme's selection framework has no competencies to score."),
                code="no_competencies",
            )
        cleaned["scores"] = {
            pk: cleaned.get(f"competency_{pk}")
            for pk in self.competency_ids
            if f"competency_{pk}" in self.changed_data
        }
        if not cleaned["scores"]:
            raise forms.ValidationError(
                _("Change at least one score, or go back to the application."),
                code="nothing_changed",
            )
        return cleaned


class DecisionForm(forms.ModelForm):
    """The manager's score and decision (one service: ``application_record_decision``).
    A waiting-list priority or position has its own page (``APPLICATION_OPERATIONS``)."""

    class Meta:
        model = Application
        fields = ["score", "decision", "decision_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and not (cleaned.get("decision_reason") or "").strip():
            self.add_error("decision_reason", _("Give a reason for the decision."))
        allowed = {Application.Status.SUBMITTED, Application.Status.WAITING}
        decides = {"score", "decision", "decision_reason"} & set(self.changed_data)
        if decides and cleaned.get("decision") and self.instance.status not in allowed:
            raise forms.ValidationError(
                _("A decision can only be recorded on a submitted or waiting-list application.")
            )
        return cleaned


class ApplicationPriorityForm(WaitingPriorityForm):
    priority_attribute = "waiting_priority"


def _application_waiting(application) -> bool:
    return application.status == Application.Status.WAITING


APPLICATION_OPERATIONS = (
    *waiting_list_operations(
        available=_application_waiting,
        set_priority=lambda application, **change: services.waiting_list_set_priority(
            application=application, **change
        ),
        move=lambda application, **change: services.waiting_list_move(
            application=application, **change
        ),
        moved=_("The applicant was moved on the waiting list."),
        priority_form=ApplicationPriorityForm,
    ),
    AdminOperation(
        slug="scores",
        title=_("Score the competencies"),
        form=CompetencyScoresForm,
        available=lambda application: (
            application.status in {Application.Status.SUBMITTED, Application.Status.WAITING}
        ),
        apply=lambda request, application, data: services.application_score_competencies(
            application=application, actor=request.user, scores=data["scores"]
        ),
        done=_("The competency scores were saved."),
    ),
)


@admin.register(Application)
class ApplicationAdmin(
    ListedFieldsMixin,
    KeptChoicesMixin,
    AdminOperationsMixin,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    ScopedChoicesMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "cohort__provider"
    form = DecisionForm
    operations = APPLICATION_OPERATIONS
    list_display = [
        "applicant",
        "cohort",
        "status",
        "waiting_priority",
        "score",
        "decision",
        "decision_sent",
        "line_manager_support",
        "submitted_at",
        "offer_expires_at",
    ]
    list_filter = [
        ("cohort__version__programme", RelatedExistsFieldListFilter),
        ("cohort__provider", RelatedExistsFieldListFilter),
        ("cohort", RelatedExistsFieldListFilter),
        "status",
        "decision",
        CohortYearFilter,
    ]
    search_fields = ["applicant__email", "applicant__full_name", "cohort__name"]
    list_select_related = ["applicant", "cohort"]
    # What the columns and each row's text (applicant → cohort) read.
    list_fields = [
        "applicant__email",
        "applicant__full_name",
        "cohort__name",
        "status",
        "waiting_priority",
        "score",
        "decision",
        "decision_sent_at",
        "line_manager_confirmed_at",
        "submitted_at",
        "offer_expires_at",
    ]
    inlines = [AnswerInline, CompetencyScoreInline]
    actions = ["send_decisions"]
    readonly_fields = [
        "cohort",
        "applicant_name",
        "applicant_profile",
        "status",
        "submitted_at",
        "line_manager_name",
        "line_manager_email",
        "line_manager_confirmed_at",
        "line_manager_comment",
        "decided_by",
        "decided_at",
        "decision_sent_at",
        "waiting_since",
        "offered_at",
        "offer_expires_at",
        "responded_at",
        "waiting_position",
        "waiting_priority",
        "operation_links",
        "audit_trail",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["cohort", "applicant_name", "applicant_profile", "status", "submitted_at"]},
        ),
        (
            _("Line manager"),
            {
                "fields": [
                    "line_manager_name",
                    "line_manager_email",
                    "line_manager_confirmed_at",
                    "line_manager_comment",
                ]
            },
        ),
        (
            _("Selection"),
            {
                "fields": [
                    "score",
                    "decision",
                    "decision_reason",
                    "decided_by",
                    "decided_at",
                    "decision_sent_at",
                ]
            },
        ),
        (
            _("Offer and waiting list"),
            {
                "fields": [
                    "waiting_position",
                    "waiting_since",
                    "waiting_priority",
                    "operation_links",
                    "offered_at",
                    "offer_expires_at",
                    "responded_at",
                ]
            },
        ),
        (_("Audit trail"), {"fields": ["audit_trail"]}),
    ]

    def get_queryset(self, request):
        # Drafts are the applicant's own business until submitted.
        return super().get_queryset(request).submitted()

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description=_("applicant"))
    def applicant_name(self, obj):
        return user_as_text(obj.applicant)

    @admin.display(description=_("applicant's profile"))
    def applicant_profile(self, obj):
        profile = getattr(obj.applicant, "profile", None)
        if profile is None:
            return "—"
        parts = [
            profile.job_title,
            getattr(profile.organisation, "name", ""),
            profile.get_career_level_display() if profile.career_level else "",
        ]
        return ", ".join(p for p in parts if p) or "—"

    @admin.display(boolean=True, description=_("sent"))
    def decision_sent(self, obj):
        return obj.decision_sent_at is not None

    @admin.display(boolean=True, description=_("line manager support"))
    def line_manager_support(self, obj):
        return obj.line_manager_confirmed_at is not None

    @admin.display(description=_("position on the waiting list"))
    def waiting_position(self, obj):
        return selectors.waiting_list_position(obj) or "—"

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_table(
            AuditLog.objects.select_related("actor").filter(
                object_type="cohorts.application", object_id=str(obj.pk)
            )
        )

    def save_model(self, request, obj, form, change):
        # One service per save (the form's instance is not saved here). A CohortError
        # propagates: DomainErrorAdminMixin shows it as a form error.
        if {"score", "decision", "decision_reason"} & set(form.changed_data):
            services.application_record_decision(
                application=obj,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["decision_reason"],
                score=form.cleaned_data["score"],
            )

    @admin.action(description=_("Send the recorded decisions of the ticked applications"))
    def send_decisions(self, request, queryset):
        cohorts = selectors.cohorts_managed_by(request.user).filter(
            pk__in=queryset.values("cohort_id")
        )
        ids = [a.pk for a in queryset]
        return send_decisions_confirmed(
            self, request, cohorts, [str(pk) for pk in ids], application_ids=ids
        )


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["status", "completion_reason", "completion_override_reason", "visible_to_cohort"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if (
            status in {Participant.Status.NOT_COMPLETED, Participant.Status.WITHDRAWN}
            and not (cleaned.get("completion_reason") or "").strip()
        ):
            self.add_error("completion_reason", _("Give the reason."))
        return cleaned


class AttendanceInline(ReadOnlyAdminMixin, ManagerAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["session", "status", "recorded_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(Participant)
class ParticipantAdmin(
    ListedFieldsMixin,
    KeptChoicesMixin,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    ScopedChoicesMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "cohort__provider"
    form = ParticipantForm
    list_display = ["user", "cohort", "status", "enrolled_at", "completed_at"]
    list_filter = [
        ("cohort__version__programme", RelatedExistsFieldListFilter),
        ("cohort__provider", RelatedExistsFieldListFilter),
        "status",
        CohortYearFilter,
    ]
    search_fields = ["user__email", "user__full_name", "cohort__name"]
    list_select_related = ["user", "cohort"]
    list_fields = ["user__email", "user__full_name", "cohort__name", "status", "enrolled_at",
                   "completed_at"]  # fmt: skip
    readonly_fields = [
        "cohort",
        "person",
        "application",
        "enrolled_at",
        "completed_at",
        "completion_recorded_by",
        "feedback_invited_at",
    ]
    fields = [
        "cohort",
        "person",
        "application",
        "status",
        "completion_reason",
        "completion_override_reason",
        "enrolled_at",
        "completed_at",
        "completion_recorded_by",
        "visible_to_cohort",
        "feedback_invited_at",
    ]
    inlines = [AttendanceInline]
    actions = ["mark_completed", "export_participants_csv", "export_participants_xlsx"]

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description=_("participant"))
    def person(self, obj):
        return user_as_text(obj.user)

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:
            if "visible_to_cohort" in form.changed_data:
                services.participant_set_visibility(
                    participant=obj, visible=form.cleaned_data["visible_to_cohort"]
                )
            return
        # A CohortError propagates: DomainErrorAdminMixin shows it as a form error.
        status, reason = form.cleaned_data["status"], form.cleaned_data["completion_reason"]
        if status == Participant.Status.COMPLETED:
            services.participant_mark_completed(
                participant=obj,
                actor=request.user,
                override_reason=form.cleaned_data.get("completion_override_reason") or "",
            )
        elif status == Participant.Status.NOT_COMPLETED:
            services.participant_mark_not_completed(
                participant=obj, actor=request.user, reason=reason
            )
        elif status == Participant.Status.WITHDRAWN:
            services.participant_withdraw(participant=obj, actor=request.user, reason=reason)
        else:
            raise CohortError(
                _("A participant cannot be moved back to enrolled."), code="not_reversible"
            )

    @admin.action(description=_("Mark as completed"))
    def mark_completed(self, request, queryset):
        # Each participant on their own: one whose completion rule does not hold is
        # listed with the reasons (and left as they were), never completed by the batch.
        done = 0
        for participant in queryset.exclude(status=Participant.Status.WITHDRAWN):
            try:
                services.participant_mark_completed(participant=participant, actor=request.user)
            except CohortError as refusal:
                self.message_user(
                    request, f"{participant.user.get_full_name()}: {refusal}", messages.ERROR
                )
                continue
            done += 1
        self.message_user(request, _("%(n)s participants marked as completed.") % {"n": done})

    @admin.action(description=_("Export participants as CSV"))
    def export_participants_csv(self, request, queryset):
        return export_participants(queryset)

    @admin.action(description=_("Export participants as Excel (XLSX)"))
    def export_participants_xlsx(self, request, queryset):
        return export_participants(queryset, file_format="xlsx")


@admin.register(Session)
class SessionAdmin(
    ListedFieldsMixin,
    KeptDateHierarchyMixin,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    ScopedChoicesMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "cohort__provider"
    list_display = ["date", "kind", "display_title", "cohort", "venue", "attendance_link"]
    list_filter = ["kind", ("cohort__provider", RelatedExistsFieldListFilter), CohortYearFilter]
    search_fields = ["title", "cohort__name", "venue", "module__title"]
    list_select_related = ["cohort", "module"]
    # The title shown (``display_title``: its own, else the kind and the module's) and
    # the row's text (that title and the date).
    list_fields = ["date", "kind", "title", "module__title", "cohort__name", "venue"]
    date_hierarchy = "date"
    formfield_overrides = HTTPS_URLS

    @admin.display(description=_("attendance"))
    def attendance_link(self, obj):
        return attendance_link_html(obj.pk)


@admin.register(ApplicationQuestion)
class ApplicationQuestionAdmin(
    KeptChoicesMixin,
    DomainErrorAdminMixin,
    ManagerAdminMixin,
    ScopedChoicesMixin,
    ProviderScopedAdmin,
):
    provider_lookup = "programme__owner"
    list_display = ["text", "programme", "version", "order", "kind", "required"]
    list_filter = [
        ("programme", RelatedExistsFieldListFilter),
        "kind",
        "required",
    ]
    search_fields = ["text", "programme__title"]
    # A version's text names its programme: read with it, not one query per version.
    list_select_related = ["programme", "version__programme"]
    fields = [
        "programme",
        "version",
        ("order", "kind", "required"),
        "text",
        "help_text",
        "options",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version" and not request.user.is_superuser:
            kwargs["queryset"] = ProgrammeVersion.objects.filter(
                programme__owner=user_provider(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VersionQuestionFormSet(forms.BaseInlineFormSet):
    """A version's questions belong to its programme too (the applicant's questions are
    the programme's for every version plus the version's own)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.programme_id = self.instance.programme_id
        return form


class ApplicationQuestionInline(ManagerAdminMixin, admin.StackedInline):
    """Application questions of one programme version, edited on the version's page.
    Answers are shown to the managers of the provider running the cohort only."""

    model = ApplicationQuestion
    fk_name = "version"
    formset = VersionQuestionFormSet
    extra = 0
    fields = [("order", "kind", "required"), "text", "help_text", "options"]
    verbose_name = _("application question for this version")
    verbose_name_plural = _("Application questions for this version")

    def has_delete_permission(self, request, obj=None):
        return request_is_manager(request) or super().has_delete_permission(request, obj)


# The version admin lives in ``programmes``, below this app: it cannot name cohorts'
# models, so this app adds its inline to the registered admin (one place, at import).
_version_admin = admin.site._registry.get(ProgrammeVersion)
if _version_admin is not None and ApplicationQuestionInline not in _version_admin.inlines:
    _version_admin.inlines = [*_version_admin.inlines, ApplicationQuestionInline]


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(DomainErrorAdminMixin, ManagerAdminMixin, ProviderScopedAdmin):
    """The criteria a version's project reports are scored against at the celebration
    event; a programme's owner sets them for every cohort of the version."""

    provider_lookup = "version__programme__owner"
    list_display = ["title", "version", "order"]
    list_filter = [("version__programme", RelatedExistsFieldListFilter)]
    search_fields = ["title", "version__name", "version__programme__title"]
    list_select_related = ["version__programme"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version" and not request.user.is_superuser:
            kwargs["queryset"] = ProgrammeVersion.objects.filter(
                programme__owner=user_provider(request.user)
            ).select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ProjectWork)
class ProjectWorkAdmin(ReadOnlyAdminMixin, ManagerAdminMixin, ProviderScopedAdmin):
    provider_lookup = "participant__cohort__provider"
    list_display = [
        "title",
        "participant",
        "profession_map_area",
        "file_type",
        "submitted_at",
        "download",
    ]
    list_filter = [
        "profession_map_area",
        "file_type",
        ("participant__cohort__provider", RelatedExistsFieldListFilter),
    ]
    search_fields = [
        "title",
        "summary",
        "participant__user__full_name",
        "participant__cohort__name",
    ]
    list_select_related = ["participant__user", "participant__cohort"]
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description=_("report"))
    def download(self, obj):
        if not obj.file:
            return _("Deleted with its author's account")
        return format_html('<a href="{}">Download</a>', obj.get_download_url())


class ReviewScoreInline(ReadOnlyAdminMixin, ManagerAdminMixin, admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "score"]
    extra = 0


@admin.register(ProjectReview)
class ProjectReviewAdmin(ReadOnlyAdminMixin, ManagerAdminMixin, ProviderScopedAdmin):
    """Reviewers' scores and comments, read-only here: a reviewer writes them on the
    review page (cohorts.services.reviews), which checks who may review what."""

    provider_lookup = "project_work__participant__cohort__provider"
    list_display = ["project_work", "reviewer", "updated_at"]
    list_filter = [("project_work__participant__cohort__provider", RelatedExistsFieldListFilter)]
    search_fields = ["project_work__title", "reviewer__full_name", "comment"]
    list_select_related = ["project_work", "reviewer"]
    inlines = [ReviewScoreInline]


class ModuleRatingInline(ReadOnlyAdminMixin, ManagerAdminMixin, admin.TabularInline):
    model = ModuleRating
    extra = 0
    can_delete = False


@admin.register(Feedback)
class FeedbackAdmin(
    ListedFieldsMixin, KeptChoicesMixin, ReadOnlyAdminMixin, ManagerAdminMixin, ProviderScopedAdmin
):
    provider_lookup = "participant__cohort__provider"
    list_display = ["participant", "overall_rating", "created_at"]
    list_filter = [
        ("participant__cohort__version", RelatedExistsFieldListFilter),
        "overall_rating",
    ]
    search_fields = ["participant__cohort__name", "comments"]
    list_select_related = ["participant__user", "participant__cohort"]
    list_fields = [
        "participant__user__email",
        "participant__user__full_name",
        "participant__cohort__name",
        "overall_rating",
        "created_at",
    ]
    inlines = [ModuleRatingInline]
