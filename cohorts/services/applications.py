"""Applying to a cohort: drafts, submission, line manager support, withdrawal."""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from resources.models import Competency, Rating
from talenthub.core.exceptions import clean_or_raise
from talenthub.core.questions import question_field_name

from ..exceptions import CohortError
from ..models import Answer, Application, ApplicationQuestion, Cohort, CompetencyScore
from . import emails
from .emails import notify_address, notify_user

LINE_MANAGER_SALT = "cohorts.line-manager-support"
LINE_MANAGER_LINK_DAYS = 30
# An applicant may send the request again once a day, five times at most: enough to
# recover a lost email or an expired link, not enough to pester anyone.
LINE_MANAGER_RESEND_INTERVAL = timedelta(hours=24)
LINE_MANAGER_RESENDS_MAX = 5


def _check_window(cohort: Cohort, now) -> None:
    if cohort.status != Cohort.Status.OPEN or now < cohort.applications_open_at:
        raise CohortError(
            _("This cohort is not open for applications."), code="applications_not_open"
        )
    if now >= cohort.applications_close_at:
        closed = date_format(timezone.localtime(cohort.applications_close_at), "j F Y, H:i")
        raise CohortError(
            _("Applications for this cohort closed on %(closed)s. You can no longer submit.")
            % {"closed": closed},
            code="applications_closed",
        )


@transaction.atomic
def application_save_draft(
    *,
    cohort: Cohort,
    applicant,
    answers: dict[int, str],
    line_manager_name: str = "",
    line_manager_email: str = "",
    self_ratings: dict[int, int | None] | None = None,
) -> Application:
    """Create or update the applicant's draft while the window is open: answers, the line
    manager and self-ratings against the programme's selection framework (competency id
    → 1–4). Guarantees one application per person per cohort and that a submitted
    application is never changed by its applicant."""
    _check_window(cohort, timezone.now())
    application, _created = Application.objects.select_for_update().get_or_create(
        cohort=cohort, applicant=applicant
    )
    if not application.is_editable:
        raise CohortError(
            _("You have already submitted this application."), code="already_submitted"
        )
    application.line_manager_name = line_manager_name.strip()
    application.line_manager_email = line_manager_email.strip().lower()
    clean_or_raise(application, CohortError)
    application.save()
    questions = {q.pk: q for q in ApplicationQuestion.objects.for_cohort(cohort)}
    cleaned, errors = {}, {}
    for question_id, text in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        try:
            # A draft may leave questions blank (submitting checks the required ones);
            # what is given must be a valid answer (an option of a choice question).
            cleaned[question_id] = question.clean_answer(text) if (text or "").strip() else ""
        except ValidationError as exc:
            errors[question_field_name(question)] = exc.messages
    if errors:
        raise CohortError(
            _("Check your answers to the programme's questions."),
            code="answers_invalid",
            field_errors=errors,
            non_field_errors=[],
        )
    for question_id, text in cleaned.items():
        Answer.objects.update_or_create(
            application=application, question_id=question_id, defaults={"text": text}
        )
    competencies = set(framework_competencies(cohort).values_list("pk", flat=True))
    for competency_id, rating in (self_ratings or {}).items():
        if competency_id not in competencies:
            continue
        if rating is not None and rating not in Rating.values:
            raise CohortError(_("Rate yourself from 1 to 4."), code="rating_out_of_range")
        CompetencyScore.objects.update_or_create(
            application=application, competency_id=competency_id, defaults={"self_rating": rating}
        )
    return application


def framework_competencies(cohort: Cohort):
    """The competencies of the cohort's programme's selection framework (none if the
    programme names no framework)."""
    # The framework is named in the hub (resources.ProgrammeSelectionFramework): one query.
    return Competency.objects.filter(
        framework__programme_selections__programme_id=cohort.version.programme_id
    ).order_by("order", "name")


@transaction.atomic
def application_submit(*, application: Application) -> Application:
    """Submit a draft before the application window closes; after it closes, refuse with
    a message that says when it closed. Every required question must be answered. Emails
    the applicant a receipt and, if they named one, asks their line manager for support."""
    application = (
        Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    )
    if application.status != Application.Status.DRAFT:
        raise CohortError(
            _("This application has already been submitted."), code="already_submitted"
        )
    cohort = application.cohort
    _check_window(cohort, timezone.now())
    answered = set(application.answers.exclude(text="").values_list("question_id", flat=True))
    missing = (
        ApplicationQuestion.objects.for_cohort(cohort)
        .filter(required=True)
        .exclude(pk__in=answered)
    )
    if missing.exists():
        raise CohortError(
            _("Answer every question before you submit: %(question)s")
            % {"question": missing.first().text},
            code="answers_missing",
        )
    rated = set(
        application.competency_scores.exclude(self_rating=None).values_list(
            "competency_id", flat=True
        )
    )
    unrated = framework_competencies(cohort).exclude(pk__in=rated)
    if unrated.exists():
        raise CohortError(
            _("Rate yourself against every competency before you submit: %(competency)s")
            % {"competency": unrated.first().name},
            code="self_ratings_missing",
        )
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    clean_or_raise(application, CohortError)
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    notify_user(
        key=f"cohort.application_submitted:{application.pk}",
        user=application.applicant,
        template=emails.APPLICATION_SUBMITTED,
        context={"application": application, "cohort": cohort},
    )
    if application.line_manager_email:
        line_manager_support_request(application=application)
    return application


def line_manager_token(application: Application) -> str:
    """A signed token naming the application and the line manager's address; it stops
    working when the address changes or after LINE_MANAGER_LINK_DAYS."""
    return signing.TimestampSigner(salt=LINE_MANAGER_SALT).sign_object(
        {"a": application.pk, "e": application.line_manager_email}
    )


def application_from_line_manager_token(token: str) -> Application:
    """The application a line manager's link is for, or CohortError."""
    try:
        data = signing.TimestampSigner(salt=LINE_MANAGER_SALT).unsign_object(
            token, max_age=LINE_MANAGER_LINK_DAYS * 24 * 3600
        )
    except signing.SignatureExpired as exc:
        raise CohortError(
            _("This link has expired. Ask the applicant to send it again."), code="link_expired"
        ) from exc
    except signing.BadSignature as exc:
        raise CohortError(_("This link is not valid."), code="link_invalid") from exc
    application = (
        Application.objects.select_related("cohort", "applicant")
        .filter(pk=data.get("a"), line_manager_email=data.get("e"))
        .exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        .first()
    )
    if application is None:
        raise CohortError(_("This link is not valid."), code="link_invalid")
    return application


def _line_manager_key(application: Application) -> str:
    return f"cohort.line_manager_support:{application.pk}:{application.line_manager_email}"


def line_manager_support_request(*, application: Application, resend: int = 0):
    """Email the line manager a link to confirm their support. Once per application and
    address; a resend (``resend`` = 1, 2…) is its own email under its own key."""
    link = reverse(
        "cohorts:line_manager_support", kwargs={"token": line_manager_token(application)}
    )
    key = _line_manager_key(application) + (f":resend-{resend}" if resend else "")
    return notify_address(
        key=key,
        to=application.line_manager_email,
        template=emails.LINE_MANAGER_SUPPORT,
        context={
            "application": application,
            "cohort": application.cohort,
            "link": link,
            "reminder": bool(resend),
        },
    )


def line_manager_requests_sent(application: Application):
    """The outbox rows of the requests sent to the application's current line manager
    (the first and every resend): the record the rate limit reads, so nothing is
    stored twice."""
    from django.db.models import Q

    from talenthub.core.models import OutboundEmail

    key = _line_manager_key(application)
    return OutboundEmail.objects.filter(Q(key=key) | Q(key__startswith=f"{key}:resend-"))


def line_manager_resend_available_at(application: Application):
    """When the applicant may next send the request again (None: now, or never once
    the limit is reached — see ``line_manager_support_resend``)."""
    last = line_manager_requests_sent(application).order_by("-created_at").first()
    if last is None:
        return None
    return last.created_at + LINE_MANAGER_RESEND_INTERVAL


@transaction.atomic
def line_manager_support_resend(*, application: Application, user) -> Application:
    """The applicant sends their line manager the request again, with a fresh link (the
    old one lapses after LINE_MANAGER_LINK_DAYS). Only while support is still needed: a
    line manager is named and has not confirmed, and the application is being selected
    or offered. Rate limited: not within LINE_MANAGER_RESEND_INTERVAL of the last
    request, and at most LINE_MANAGER_RESENDS_MAX resends. Each resend is emailed once
    under its own key (``…:resend-<n>``); the application row is locked, so two clicks
    at once send one email."""
    application = (
        Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    )
    if application.applicant_id != user.pk:
        raise CohortError(_("This is not your application."), code="not_your_application")
    if not application.line_manager_email:
        raise CohortError(
            _("You have not named a line manager on this application."), code="no_line_manager"
        )
    if application.line_manager_confirmed_at is not None:
        raise CohortError(
            _("Your line manager has already confirmed their support."),
            code="line_manager_confirmed",
        )
    if application.status not in {
        Application.Status.SUBMITTED,
        Application.Status.WAITING,
        Application.Status.OFFERED,
    }:
        raise CohortError(
            _("Line manager support is no longer needed for this application."),
            code="line_manager_not_needed",
        )
    sent = line_manager_requests_sent(application)
    resends = sent.filter(key__contains=":resend-").count()
    if resends >= LINE_MANAGER_RESENDS_MAX:
        raise CohortError(
            _(
                "You have already sent the request again %(n)s times. Please contact the "
                "programme team."
            )
            % {"n": resends},
            code="resend_limit",
        )
    available_at = line_manager_resend_available_at(application)
    if available_at is not None and timezone.now() < available_at:
        raise CohortError(
            _("The request was sent recently. You can send it again from %(when)s.")
            % {"when": date_format(timezone.localtime(available_at), "j F Y, H:i")},
            code="resend_too_soon",
        )
    line_manager_support_request(application=application, resend=resends + 1)
    return application


@transaction.atomic
def line_manager_support_confirm(*, token: str, comment: str = "") -> Application:
    """Record the line manager's support, once, and tell the applicant. The token proves
    who they are: no account is needed."""
    application = application_from_line_manager_token(token)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.line_manager_confirmed_at is None:
        application.line_manager_confirmed_at = timezone.now()
        application.line_manager_comment = comment.strip()
        application.save(
            update_fields=["line_manager_confirmed_at", "line_manager_comment", "updated_at"]
        )
        notify_user(
            key=f"cohort.line_manager_confirmed:{application.pk}",
            user=application.applicant,
            template=emails.LINE_MANAGER_CONFIRMED,
            context={"application": application, "cohort": application.cohort},
        )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user) -> Application:
    """The applicant withdraws a draft, a submitted application or a waiting-list place.
    (An offer is declined instead, which frees its place.)"""
    # Lock order everywhere: the cohort, then its applications (serialises with selection).
    Cohort.objects.select_for_update().get(pk=application.cohort_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != user.pk:
        raise CohortError(_("This is not your application."), code="not_your_application")
    allowed = {Application.Status.DRAFT, Application.Status.SUBMITTED, Application.Status.WAITING}
    if application.status not in allowed:
        raise CohortError(
            _("This application can no longer be withdrawn."), code="withdraw_not_allowed"
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application
