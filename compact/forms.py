from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talenthub.core.forms import IsoDateInput

from .models import (
    Attendance,
    Document,
    GroupMembership,
    Indicator,
    ProgressUpdate,
    Status,
    SurveyQuestion,
)
from .uploads import ALLOWED_DESCRIPTION


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["status", "percent_complete", "note"]
        labels = {"percent_complete": _("Progress (%)"), "note": _("What has happened")}
        widgets = {
            "status": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4}),
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }
        help_texts = {"percent_complete": _("From 0 to 100. Done is always 100.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Status.choices

    def clean_percent_complete(self):
        value = self.cleaned_data["percent_complete"]
        if value is None or not 0 <= value <= 100:
            raise forms.ValidationError(_("Enter a number from 0 to 100."))
        return value


class MeetingAttendanceForm(forms.Form):
    """Each member's attendance at a meeting that was held, the agenda as taken and the
    minutes. ``memberships`` are the group's members on the meeting's day; ``initial``
    attendance (person id → status) prefills what was already recorded."""

    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item on each line."),
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("A %(types)s file.") % {"types": ALLOWED_DESCRIPTION},
    )
    minutes_visibility = forms.ChoiceField(
        label=_("Who can read the minutes"),
        choices=Document.Visibility.choices,
        initial=Document.Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    circulate = forms.BooleanField(
        label=_("Email the minutes to the group's members"), required=False, initial=True
    )

    def __init__(self, *args, memberships, recorded=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        recorded = recorded or {}
        for membership in self.memberships:
            self.fields[f"attendance_{membership.pk}"] = forms.ChoiceField(
                label=f"{membership.person} ({membership.organisation})",
                choices=Attendance.Status.choices,
                initial=recorded.get(membership.person_id, Attendance.Status.PRESENT),
                widget=forms.RadioSelect,
            )

    def attendance(self):
        return {m: self.cleaned_data[f"attendance_{m.pk}"] for m in self.memberships}


class MeetingRecordForm(MeetingAttendanceForm):
    """Record a group meeting that was held but never scheduled: when and where, then
    the attendance, agenda and minutes."""

    date = forms.DateField(
        label=_("Date"),
        help_text=_("For example, 2008-04-01. The meeting must have taken place."),
        widget=IsoDateInput(),
    )
    time = forms.TimeField(
        label=_("Start time"),
        help_text=_("For example, 10:00"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    is_public = forms.BooleanField(label=_("List this meeting on the public page"), required=False)

    field_order = ["date", "time", "place", "agenda"]

    def starts_at(self):
        return timezone.make_aware(
            timezone.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class MeetingDocumentForm(forms.Form):
    """A paper (agenda, report) or the minutes of one meeting."""

    KIND_CHOICES = [
        (Document.Kind.AGENDA, _("Agenda or paper")),
        (Document.Kind.MINUTES, _("Minutes (only once the meeting has been held)")),
    ]

    kind = forms.ChoiceField(label=_("What is it?"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For a paper. Minutes are titled with the meeting's group and date."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Document.Visibility.choices,
        initial=Document.Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(help_text=_("A %(types)s file.") % {"types": ALLOWED_DESCRIPTION})
    circulate = forms.BooleanField(
        label=_("Email the minutes to the group's members"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Document.Kind.AGENDA and not cleaned.get("title", "").strip():
            self.add_error("title", _("Enter the paper's title."))
        return cleaned


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = timezone.localtime(obj.starts_at)
        return f"{obj.group}, {when:%d %B %Y} ({obj.get_status_display().lower()})"


class DocumentUploadForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    visibility = forms.ChoiceField(
        label=_("Who can read it"), choices=Document.Visibility.choices, widget=forms.RadioSelect
    )
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=None,
        required=False,
        empty_label=_("Not a meeting's paper or minutes"),
        help_text=_("For the papers or minutes of a meeting."),
    )
    file = forms.FileField(help_text=_("A %(types)s file.") % {"types": ALLOWED_DESCRIPTION})

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class SurveyResponseForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            name = f"q{q.pk}"
            label = f"{q.order}. {q.text}"
            if q.kind == SurveyQuestion.Kind.YES_NO:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    coerce=lambda v: v == "yes",
                    widget=forms.RadioSelect,
                )
            elif q.kind == SurveyQuestion.Kind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=[(str(i), str(i)) for i in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("1 is the lowest, 5 the highest."),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 3})
                )

    def answers(self):
        return {q: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class MeetingMoveForm(forms.Form):
    date = forms.DateField(
        label=_("New date"),
        help_text=_("For example, 2008-04-01"),
        widget=IsoDateInput(),
    )
    time = forms.TimeField(
        label=_("New start time"),
        help_text=_("For example, 10:00"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Leave empty to keep it.")
    )
    reason = forms.CharField(
        label=_("Why is the meeting moved?"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def starts_at(self):
        return timezone.make_aware(
            timezone.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class IndicatorForm(forms.ModelForm):
    """A SMART indicator of an action: the measure, its unit, baseline, target and due
    date. Input shape only; ``services.indicator_add`` keeps the rules."""

    class Meta:
        model = Indicator
        fields = ["measure", "unit", "baseline", "target", "due_on"]
        labels = {"due_on": _("Due date")}
        widgets = {"due_on": IsoDateInput()}


class IndicatorRecordForm(forms.Form):
    actual = forms.DecimalField(label=_("Measured value"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("Measured on"), widget=IsoDateInput(), required=False)


class MeetingScheduleForm(forms.Form):
    """A meeting to come: when and where, the agenda one item a line."""

    date = forms.DateField(label=_("Date"), widget=IsoDateInput())
    time = forms.TimeField(
        label=_("Start time"),
        help_text=_("For example, 10:00"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        help_text=_("One item a line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_public = forms.BooleanField(label=_("List this meeting on the public page"), required=False)

    def starts_at(self):
        return timezone.make_aware(
            timezone.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class MembershipAddForm(forms.Form):
    """A seat on a group: the person (by their account's email), for an organisation."""

    email = forms.EmailField(label=_("The person's email address"))
    organisation = forms.ModelChoiceField(label=_("For the organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices)
    starts_on = forms.DateField(label=_("From"), widget=IsoDateInput(), initial=timezone.localdate)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_email(self):
        from talenthub.core.models import User

        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No one has an account with that email address."))
        return user


class MembershipEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day on the group"),
        widget=IsoDateInput(),
        initial=timezone.localdate,
    )


class BulletinCreateForm(forms.Form):
    title = forms.CharField(label=_("Title of the issue"), max_length=200)


class NewsItemForm(forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class ConfirmSendForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the preview and want to email it to every subscriber"),
    )


class SubgroupReportForm(forms.Form):
    """A task-and-finish group's report, for a meeting of the group it reports to."""

    group = forms.ModelChoiceField(label=_("Report of"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Document.Visibility.choices,
        initial=Document.Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(help_text=_("A %(types)s file.") % {"types": ALLOWED_DESCRIPTION})

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class ActionCreateForm(forms.Form):
    """A new row of an action plan: input shape only (``services.action_create`` keeps
    the rules: aims of the terms in force, the priority of this compact)."""

    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example, D1"))
    theme = forms.CharField(label=_("Theme"), max_length=200)
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}))
    what_will_be_done = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_email = forms.EmailField(
        label=_("Lead's email address"),
        required=False,
        help_text=_("The person who leads it; they are sent its flags each week."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=IsoDateInput())
    aims = forms.ModelMultipleChoiceField(
        label=_("Aims it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ModelChoiceField(
        label=_("Annual priority"), queryset=None, required=False, empty_label=_("None chosen")
    )

    def __init__(self, *args, aims, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].queryset = aims
        self.fields["aims"].label_from_instance = lambda aim: f"{aim.number} {aim.text}"
        self.fields["priority"].queryset = priorities

    def clean_lead_email(self):
        from talenthub.core.models import User

        email = self.cleaned_data["lead_email"]
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No one has an account with that email address."))
        return user


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    group = forms.ModelChoiceField(label=_("Sent to the members of"), queryset=None)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closes_on = forms.DateField(label=_("Closes on"), required=False, widget=IsoDateInput())

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class SurveyQuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(
        label=_("Kind of answer"), choices=SurveyQuestion.Kind.choices, widget=forms.RadioSelect
    )


class ConfirmSurveyForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the questions and want to email the survey to these members"),
    )


def _date_field(label, **kwargs):
    # A date input takes ISO dates only: a value in the site's display format (an initial
    # of today, a form shown again) would reach the browser as an empty field.
    return forms.DateField(
        label=label,
        widget=IsoDateInput(),
        **kwargs,
    )


class ActionEditForm(ActionCreateForm):
    """An action's lead (a person by email, or an organisation), target date, text,
    priority and aims. Its status changes through a progress update, not here."""

    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=None, required=False, empty_label=_("None")
    )
    lead_note = forms.CharField(
        label=_("Lead as written in the plan"),
        max_length=200,
        required=False,
        help_text=_("For example, Sub-Group"),
    )

    field_order = [
        "code",
        "theme",
        "objective",
        "what_will_be_done",
        "lead_email",
        "lead_organisation",
        "lead_note",
        "target_date",
        "aims",
        "priority",
    ]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations


class ActionCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What was achieved"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("Yes, this action is done"))


class IndicatorEditForm(forms.Form):
    """An indicator corrected: measure, unit, baseline, target, due date and the latest
    measured value. Input shape only: ``services.indicator_update`` keeps the rules (a
    value without a date is dated today; the model's constraints)."""

    measure = forms.CharField(label=_("Measure"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=12, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    due_on = _date_field(_("Due date"))
    actual = forms.DecimalField(
        label=_("Latest measured value"), max_digits=12, decimal_places=2, required=False
    )
    actual_on = _date_field(_("Measured on"), required=False)

    @staticmethod
    def initial_for(indicator) -> dict:
        return {name: getattr(indicator, name) for name in IndicatorEditForm.base_fields}


class CharterVersionForm(forms.Form):
    """A new version of the members' charter (``services.charter_version_create``)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"))
    text = forms.CharField(label=_("Text of the charter"), widget=forms.Textarea(attrs={"rows": 8}))
    minimum_meetings_per_year = forms.IntegerField(
        label=_("Meetings a member attends each year, at least"), min_value=0, initial=2
    )
    minimum_membership_months = forms.IntegerField(
        label=_("Shortest membership, in months"), min_value=1, initial=12
    )


class SignatoryForm(forms.Form):
    """An organisation's signature of a charter version (``services.charter_sign``)."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    signatory_name = forms.CharField(
        label=_("Signed by"), max_length=150, help_text=_("Their name and role.")
    )
    joined_on = _date_field(_("Signed on"), initial=timezone.localdate)
    board_endorsed_on = _date_field(_("Endorsed by the board on"), required=False)
    representative_email = forms.EmailField(
        label=_("Senior representative's email address"),
        help_text=_("They need an account on TalentHub."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_representative_email(self):
        from talenthub.core.models import User

        email = self.cleaned_data["representative_email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No one has an account with that email address."))
        return user


class SignatoryWithdrawForm(forms.Form):
    withdrawn_on = _date_field(_("Withdrawn on"), initial=timezone.localdate)
    end_seats = forms.BooleanField(
        label=_("End its people's steering group seats on the same day"), required=False
    )
    confirm = forms.BooleanField(label=_("Yes, this organisation is withdrawing"))


def _text_area(label, rows=4, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TermsDraftForm(forms.Form):
    """The text and aims of a draft version of the terms of reference; its dates are
    given when it is adopted. The aims are one a line, each starting with its number."""

    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = _text_area(_("Purpose"))
    mode_of_operation = _text_area(_("Mode of operation"))
    steering_group_role = _text_area(_("Role of the steering group"))
    membership = _text_area(_("Membership"), required=False)
    vcs_participation = _text_area(
        _("Participation of the voluntary and community sector"), required=False
    )
    equality_and_diversity = _text_area(_("Equality and diversity"), required=False)
    change_note = _text_area(_("What changed from the previous version"), 3, required=False)
    aims = _text_area(
        _("Aims"),
        rows=10,
        help_text=_(
            "One aim a line, its number first, for example: 2.1 the identification of "
            "training needs. A sub-aim (2.1) comes after its aim (2)."
        ),
    )

    def clean_aims(self):
        parsed = []
        for number, line in enumerate(self.cleaned_data["aims"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            head, _sep, text = line.partition(" ")
            head = head.rstrip(".")
            if not text.strip() or not head.replace(".", "").isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: start each aim with its number, then its text.") % {"n": number}
                )
            parsed.append((head, text.strip()))
        if not parsed:
            raise forms.ValidationError(_("Enter the aims of the terms."))
        return parsed

    @staticmethod
    def aims_text(terms) -> str:
        return "\n".join(f"{aim.number} {aim.text}" for aim in terms.aims.all())


class TermsAdoptForm(forms.Form):
    adopted_on = _date_field(_("Adopted on"), initial=timezone.localdate)
    review_due_on = _date_field(
        _("Review due on"), help_text=_("The terms are reviewed every year.")
    )
    confirm = forms.BooleanField(
        label=_("Yes, these terms were adopted and replace the version in force")
    )


class StatementForm(forms.Form):
    year = forms.CharField(label=_("Year"), max_length=9, help_text=_("For example, 2027-28"))
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"))


class PriorityAddForm(forms.Form):
    title = _text_area(_("Priority"), rows=2)
    comments = _text_area(_("Comments"), rows=2, required=False)
    aims = forms.ModelMultipleChoiceField(
        label=_("Aims of the terms of reference it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, aims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].queryset = aims
        self.fields["aims"].label_from_instance = lambda aim: f"{aim.number} {aim.text}"


class ConfirmPublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the priorities and want to publish the statement")
    )
