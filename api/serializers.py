"""What the API returns. Read-only shapes of the apps' models: every row comes from an
app's selector, already scoped to what the caller may see; these only choose fields.
Never a field of equality monitoring (insights' records are not read here at all)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cohorts.models import Application, Attendance, Cohort
from compact.models import Compact, Document, Meeting, Priority
from events.models import Booking, Event
from programmes.models import Franchise, Module, Programme, ProgrammeVersion
from resources.models import Competency, CompetencyIndicator, Framework

# --- shared -------------------------------------------------------------------------------


class OrganisationRef(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class AbsoluteUrl(serializers.Field):
    """The object's page on the site, as an absolute URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


AbsoluteUrl = extend_schema_field(OpenApiTypes.URI)(AbsoluteUrl)


# --- programmes ---------------------------------------------------------------------------


class ModuleSerializer(serializers.ModelSerializer):
    learning_outcomes = serializers.ListField(
        child=serializers.CharField(), source="learning_outcome_list"
    )

    class Meta:
        model = Module
        fields = ["order", "title", "summary", "learning_outcomes"]


class VersionSerializer(serializers.ModelSerializer):
    modules = ModuleSerializer(many=True)

    class Meta:
        model = ProgrammeVersion
        fields = ["name", "launched_on", "summary", "modules"]


class FranchiseSerializer(serializers.ModelSerializer):
    franchisee = OrganisationRef()

    class Meta:
        model = Franchise
        fields = ["franchisee", "starts_on", "ends_on"]


class ProgrammeSerializer(serializers.ModelSerializer):
    owner = OrganisationRef()
    career_levels = serializers.ListField(
        child=serializers.IntegerField(), source="career_level_values"
    )
    url = AbsoluteUrl()

    class Meta:
        model = Programme
        fields = [
            "slug",
            "title",
            "kind",
            "owner",
            "summary",
            "delivery_mode",
            "career_levels",
            "url",
        ]


class SlugList(serializers.Field):
    """The slugs (or another attribute) of a related manager's rows, as a list."""

    def __init__(self, attribute="slug", **kwargs):
        self.attribute = attribute
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        rows = value.all() if hasattr(value, "all") else value
        return [getattr(row, self.attribute) for row in rows]


SlugList = extend_schema_field({"type": "array", "items": {"type": "string"}})(SlugList)


class AudienceSerializer(serializers.Serializer):
    career_levels = serializers.ListField(
        child=serializers.IntegerField(), source="career_level_values"
    )
    functional_areas = SlugList()
    sectors = serializers.ListField(child=serializers.CharField(), source="sector_values")


class ProgrammeDetailSerializer(serializers.Serializer):
    """``programmes.selectors.programme_page``: the programme, its current version with
    modules, earlier and upcoming versions, current franchises."""

    slug = serializers.SlugField(source="programme.slug")
    title = serializers.CharField(source="programme.title")
    kind = serializers.ChoiceField(choices=Programme.Kind.choices, source="programme.kind")
    status = serializers.ChoiceField(choices=Programme.Status.choices, source="programme.status")
    owner = OrganisationRef(source="programme.owner")
    partners = OrganisationRef(many=True, source="programme.partners.all")
    summary = serializers.CharField(source="programme.summary")
    description = serializers.CharField(source="programme.description")
    how_to_apply = serializers.CharField(source="programme.how_to_apply")
    delivery_mode = serializers.ChoiceField(
        choices=Programme.DeliveryMode.choices, source="programme.delivery_mode"
    )
    audience = AudienceSerializer(source="programme")
    current_version = VersionSerializer(allow_null=True)
    earlier_versions = VersionSerializer(many=True)
    upcoming_versions = VersionSerializer(many=True)
    franchises = FranchiseSerializer(many=True)
    url = AbsoluteUrl(source="programme")


# --- cohorts ------------------------------------------------------------------------------


class CohortSerializer(serializers.ModelSerializer):
    programme = serializers.SlugField(source="version.programme.slug")
    version = serializers.CharField(source="version.name")
    provider = OrganisationRef()
    places_left = serializers.SerializerMethodField()
    accepting_applications = serializers.SerializerMethodField()
    url = AbsoluteUrl()

    class Meta:
        model = Cohort
        fields = [
            "slug",
            "name",
            "programme",
            "version",
            "provider",
            "region",
            "status",
            "starts_on",
            "ends_on",
            "capacity",
            "places_left",
            "applications_open_at",
            "applications_close_at",
            "accepting_applications",
            "url",
        ]

    def get_places_left(self, cohort) -> int:
        # From ``with_place_counts()``: participants (not withdrawn) plus open offers.
        return max(cohort.capacity - cohort.participant_count - cohort.offer_count, 0)

    def get_accepting_applications(self, cohort) -> bool:
        return cohort.is_accepting_applications()


class ManagedCohortSerializer(CohortSerializer):
    participant_count = serializers.IntegerField()
    offer_count = serializers.IntegerField()
    waiting_count = serializers.IntegerField()

    class Meta(CohortSerializer.Meta):
        fields = [
            *CohortSerializer.Meta.fields,
            "participant_count",
            "offer_count",
            "waiting_count",
        ]


class PersonRef(serializers.Serializer):
    full_name = serializers.CharField()
    email = serializers.EmailField()


class ApplicationSerializer(serializers.ModelSerializer):
    cohort = serializers.SlugField(source="cohort.slug")
    programme = serializers.SlugField(source="cohort.version.programme.slug")

    class Meta:
        model = Application
        fields = [
            "id",
            "cohort",
            "programme",
            "status",
            "submitted_at",
            "offered_at",
            "offer_expires_at",
            "responded_at",
        ]


class ManagedApplicationSerializer(ApplicationSerializer):
    applicant = PersonRef()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "applicant",
            "score",
            "decision",
            "decided_at",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    cohort = serializers.SlugField(source="session.cohort.slug")
    session_date = serializers.DateField(source="session.date")
    session_title = serializers.CharField(source="session.title")
    participant = PersonRef(source="participant.user")

    class Meta:
        model = Attendance
        fields = ["id", "cohort", "session_date", "session_title", "participant", "status"]


# --- events -------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    organiser = OrganisationRef()
    programme = serializers.SlugField(source="programme.slug", allow_null=True)
    online = serializers.BooleanField(source="is_online")
    places_left = serializers.IntegerField(source="places_left_annotated")
    waiting_list_length = serializers.IntegerField(source="waiting_count")
    booking_open = serializers.SerializerMethodField()
    url = AbsoluteUrl()

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "status",
            "organiser",
            "programme",
            "theme",
            "summary",
            "starts_at",
            "ends_at",
            "venue",
            "online",
            "capacity",
            "places_left",
            "waiting_list_length",
            "booking_opens_at",
            "booking_closes_at",
            "booking_open",
            "url",
        ]

    def get_booking_open(self, event) -> bool:
        return event.is_booking_open()


class EventDetailSerializer(EventSerializer):
    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "cancellation_reason"]


class EventRef(serializers.ModelSerializer):
    url = AbsoluteUrl()

    class Meta:
        model = Event
        fields = ["slug", "title", "status", "starts_at", "ends_at", "venue", "url"]


class BookingSerializer(serializers.ModelSerializer):
    event = EventRef()
    waiting_position = serializers.SerializerMethodField()
    online_link = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "event",
            "status",
            "joined_at",
            "confirmed_at",
            "offer_expires_at",
            "ended_at",
            "waiting_position",
            "online_link",
        ]

    def get_waiting_position(self, booking) -> int | None:
        if booking.status != Booking.Status.WAITING:
            return None
        return getattr(booking, "position", None)

    def get_online_link(self, booking) -> str | None:
        """Only to someone holding a confirmed place, as on the event page."""
        if booking.status == Booking.Status.CONFIRMED and booking.event.online_link:
            return booking.event.online_link
        return None


class BookingCreateSerializer(serializers.Serializer):
    event = serializers.SlugField(help_text="The event's slug.")


# --- resources ----------------------------------------------------------------------------


class PathwayRoleSerializer(serializers.Serializer):
    title = serializers.CharField()


class PathwayStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="step.order")
    salary_bands = serializers.CharField(source="step.salary_bands")
    roles = SlugList("title", source="step.roles")


class OpportunitySerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(source="display_title")
    programme = serializers.SlugField(source="programme.slug", allow_null=True)


class PathwayLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField(source="level.level")
    name = serializers.CharField(source="level.get_level_display")
    summary = serializers.CharField(source="level.summary")
    steps = PathwayStepSerializer(many=True, source="rows")
    opportunities = serializers.SerializerMethodField()

    @extend_schema_field(OpportunitySerializer(many=True))
    def get_opportunities(self, band):
        rows = [o for group in band.opportunities.values() for o in group]
        return OpportunitySerializer(rows, many=True).data


class FrameworkSerializer(serializers.ModelSerializer):
    competency_count = serializers.IntegerField()
    url = AbsoluteUrl()

    class Meta:
        model = Framework
        fields = ["slug", "name", "kind", "summary", "competency_count", "url"]


class IndicatorSerializer(serializers.ModelSerializer):
    behaviours = serializers.ListField(child=serializers.CharField(), source="lines")

    class Meta:
        model = CompetencyIndicator
        fields = ["level", "behaviours"]


class CompetencySerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, source="indicators.all")

    class Meta:
        model = Competency
        fields = ["name", "description", "indicators"]


class FrameworkDetailSerializer(serializers.ModelSerializer):
    competencies = CompetencySerializer(many=True, source="competencies.all")
    url = AbsoluteUrl()

    class Meta:
        model = Framework
        fields = ["slug", "name", "kind", "summary", "description", "competencies", "url"]


# --- compacts -----------------------------------------------------------------------------


class CompactSerializer(serializers.ModelSerializer):
    url = AbsoluteUrl()

    class Meta:
        model = Compact
        fields = ["slug", "name", "url"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = AbsoluteUrl()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "visibility",
            "published_on",
            "content_type",
            "size",
            "download_url",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name")
    url = AbsoluteUrl()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "group",
            "starts_at",
            "place",
            "status",
            "status_reason",
            "is_public",
            "url",
        ]


class PrioritySerializer(serializers.ModelSerializer):
    aims = serializers.SerializerMethodField()

    class Meta:
        model = Priority
        fields = ["order", "title", "comments", "aims"]

    def get_aims(self, priority) -> list[str]:
        return [str(aim.number) for aim in priority.aims.all()]


class PrioritiesStatementSerializer(serializers.Serializer):
    year = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    priorities = PrioritySerializer(many=True, source="priorities.all")


# --- me -----------------------------------------------------------------------------------


class ProfileSerializer(serializers.Serializer):
    """The member's own profile: who they are and their working details. Never their
    equality monitoring answers (kept apart, and not read here)."""

    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    organisation = OrganisationRef(allow_null=True)
    job_title = serializers.CharField()
    career_level = serializers.IntegerField(allow_null=True)
    functional_areas = SlugList()
    cipd_grade = serializers.CharField()
    region = serializers.CharField()


# --- talent board -------------------------------------------------------------------------


class BalanceRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    career_level = serializers.IntegerField()
    vacancies = serializers.IntegerField()
    ready_now = serializers.IntegerField(
        allow_null=True, help_text="Rounded to 5; null where withheld (a small number)."
    )
    ready_in_1_to_2_years = serializers.IntegerField(allow_null=True)


class PoolBalanceSerializer(serializers.Serializer):
    pool = serializers.SlugField()
    title = serializers.CharField()
    rows = BalanceRowSerializer(many=True)
