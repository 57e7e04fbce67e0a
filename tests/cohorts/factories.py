"""Factories for the cohorts records."""

import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from cohorts.models import (
    Answer,
    Application,
    ApplicationQuestion,
    Attendance,
    Cohort,
    CohortReviewer,
    CompetencyScore,
    Feedback,
    ModuleRating,
    Participant,
    ProjectWork,
    ReviewCriterion,
    Session,
)
from talenthub.core.choices import Region
from tests.factories import MemberFactory
from tests.programmes.factories import ModuleFactory, ProgrammeVersionFactory


class CohortFactory(DjangoModelFactory):
    """An open cohort: applications opened yesterday and close in two weeks; it runs in
    two months."""

    class Meta:
        model = Cohort

    version = factory.SubFactory(ProgrammeVersionFactory)
    provider = factory.LazyAttribute(lambda o: o.version.programme.owner)
    name = factory.Sequence(lambda n: f"Aspire 2.0 — West Midlands, cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    region = Region.WEST_MIDLANDS
    capacity = 20
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    applications_close_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=14)
    )
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    status = Cohort.Status.OPEN


class EndedCohortFactory(CohortFactory):
    applications_open_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=300)
    )
    applications_close_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=250)
    )
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    status = Cohort.Status.RUNNING


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    kind = Session.Kind.MODULE_DAY
    date = factory.LazyAttribute(lambda o: o.cohort.starts_on)
    starts_at = datetime.time(9, 30)
    ends_at = datetime.time(16, 30)
    venue = "WME, Birmingham"


class ApplicationQuestionFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationQuestion

    programme = factory.SubFactory("tests.programmes.factories.ProgrammeFactory")
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Question {n}: why do you want to take part?")


class ApplicationFactory(DjangoModelFactory):
    """A submitted application."""

    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    applicant = factory.SubFactory(MemberFactory)
    status = Application.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class WaitingApplicationFactory(ApplicationFactory):
    status = Application.Status.WAITING
    waiting_since = factory.LazyFunction(timezone.now)


class OfferedApplicationFactory(ApplicationFactory):
    status = Application.Status.OFFERED
    offer_count = 1
    offered_at = factory.LazyFunction(timezone.now)
    offer_expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class AnswerFactory(DjangoModelFactory):
    """An answer to one of the programme's questions (the question belongs to the
    application's programme)."""

    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    question = factory.SubFactory(
        ApplicationQuestionFactory,
        programme=factory.SelfAttribute("..application.cohort.version.programme"),
    )
    text = "To lead our HR strategy through a merger of two trusts."


class CompetencyScoreFactory(DjangoModelFactory):
    """The applicant's self-rating (and optionally the manager's score) for one
    competency of a framework."""

    class Meta:
        model = CompetencyScore

    application = factory.SubFactory(ApplicationFactory)
    competency = factory.SubFactory("tests.resources.factories.CompetencyFactory")
    self_rating = 3
    manager_score = None


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(MemberFactory)


class CompletedParticipantFactory(ParticipantFactory):
    status = Participant.Status.COMPLETED
    completed_at = factory.LazyFunction(timezone.now)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    participant = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..session.cohort")
    )
    status = Attendance.Status.PRESENT


class CohortReviewerFactory(DjangoModelFactory):
    class Meta:
        model = CohortReviewer

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(MemberFactory)


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = Feedback

    participant = factory.SubFactory(ParticipantFactory)
    overall_rating = 4
    comments = "Real networking with purpose."


class ModuleRatingFactory(DjangoModelFactory):
    """A participant's rating of one module of their cohort's version."""

    class Meta:
        model = ModuleRating

    feedback = factory.SubFactory(FeedbackFactory)
    module = factory.SubFactory(
        ModuleFactory, version=factory.SelfAttribute("..feedback.participant.cohort.version")
    )
    rating = 4


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office_bytes(top: str) -> bytes:
    """A minimal OOXML-shaped ZIP: ``top`` is "word" (DOCX) or "ppt" (PPTX)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{top}/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class ProjectWorkFactory(DjangoModelFactory):
    class Meta:
        model = ProjectWork

    participant = factory.SubFactory(ParticipantFactory)
    title = "Workforce strategies in a merged council"
    summary = "How a CIPD research finding adapts to local government."
    profession_map_area = "change"
    file = factory.LazyFunction(lambda: upload("report.pdf", pdf_bytes(), "application/pdf"))
    file_type = ProjectWork.FileType.PDF
    original_filename = "report.pdf"
    size = factory.LazyAttribute(lambda o: len(pdf_bytes()))


class ReviewCriterionFactory(DjangoModelFactory):
    class Meta:
        model = ReviewCriterion

    version = factory.SubFactory(ProgrammeVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Criterion {n}")
