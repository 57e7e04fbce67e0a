"""Records every app shares: people, organisations, profiles, the audit trail and the
email outbox."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CareerLevel, CipdGrade, Region, Sector


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BulkMessage(TimeStampedModel):
    """A custom email a manager sent to one audience of something they run (an event's
    attendees: ``events.EventMessage``; a cohort's participants: ``cohorts.CohortMessage``):
    who sent it, when, to which audience, how many people. Its ``token`` (from the
    confirmation form) makes a repeated POST find this row instead of sending again
    (``talenthub.core.messages``).

    A concrete model adds the parent (``event``, ``cohort``), ``sent_by`` (each with its
    own ``related_name``) and ``audience`` with its own ``Audience`` choices, and keeps
    its own table."""

    subject = models.CharField(max_length=150)
    body = models.TextField()
    recipient_count = models.PositiveIntegerField(default=0)
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.subject} ({self.get_audience_display()})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The email address is the login (case-insensitively unique)."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can sign in to the admin.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_case_insensitive_unique",
                violation_error_code="user_email_case_insensitive_unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationQuerySet(models.QuerySet):
    def providers(self):
        return self.filter(is_provider=True)


class Organisation(TimeStampedModel):
    """An employer or body: an NHS trust, a council, a police service, a university, or a
    provider of programmes such as West Midlands Employers."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    is_provider = models.BooleanField(
        _("runs programmes"),
        default=False,
        help_text=_("Providers (employers' organisations, academies) run programmes and events."),
    )
    website = models.URLField(blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FunctionalArea(models.Model):
    """One of the ten functional areas of HR and OD (seed 001)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Profile(TimeStampedModel):
    """What a member tells us about their work. One per user, created on first need."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="profiles",
        null=True,
        blank=True,
    )
    job_title = models.CharField(max_length=150, blank=True)
    career_level = models.PositiveSmallIntegerField(
        choices=CareerLevel.choices, null=True, blank=True
    )
    functional_areas = models.ManyToManyField(FunctionalArea, related_name="profiles", blank=True)
    cipd_grade = models.CharField(
        _("CIPD membership grade"),
        max_length=30,
        choices=CipdGrade.choices,
        default=CipdGrade.NONE,
    )
    region = models.CharField(max_length=30, choices=Region.choices, blank=True)
    # Mail a person did not ask for (announcements, bulletins) needs their positive
    # opt-in (PECR): off until they tick it, and each change is a ConsentRecord.
    email_event_announcements = models.BooleanField(_("Email me about new events"), default=False)
    email_programme_announcements = models.BooleanField(
        _("Email me when a programme I could join opens for applications"), default=False
    )
    email_bulletins = models.BooleanField(_("Email me newsletters and bulletins"), default=False)
    # About what they booked: a service message, on unless they turn it off.
    email_reminders = models.BooleanField(
        _("Email me reminders about events I have booked"), default=True
    )

    # The opt-ins whose every change is recorded (ConsentRecord).
    CONSENTS = ("email_event_announcements", "email_programme_announcements", "email_bulletins")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(career_level__isnull=True)
                | models.Q(career_level__gte=1, career_level__lte=4),
                name="profile_career_level_range",
                violation_error_code="profile_career_level_range",
                violation_error_message=_("Career levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"


class ConsentRecord(models.Model):
    """A person agreeing to something, or withdrawing: what (``purpose``, and the words
    they were shown), when, and where (the profile form, an unsubscribe link).
    Append-only: the latest record of a purpose is the person's current answer, the
    earlier ones the history a data-protection officer may be asked for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(max_length=60)
    given = models.BooleanField()
    wording = models.CharField(max_length=300)
    source = models.CharField(max_length=60)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["user", "purpose", "at"], name="consent_user_purpose_idx")]

    def __str__(self):
        return f"{self.user} {'gave' if self.given else 'withdrew'} {self.purpose} at {self.at}"


class AuditLog(models.Model):
    """Who did what to which record, and why. Append-only."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditlog_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutboundEmailQuerySet(models.QuerySet):
    def account_emails(self):
        """allauth's emails (password reset, email verification, sign-in codes, security
        notices): their bodies carry sign-in links and are never shown (docs/retention.md)."""
        return self.filter(key__startswith=OutboundEmail.ACCOUNT_KEY_PREFIX)

    def not_account_emails(self):
        return self.exclude(key__startswith=OutboundEmail.ACCOUNT_KEY_PREFIX)

    def body_kept(self):
        return self.filter(body_purged_at__isnull=True)


class SignInEvent(models.Model):
    """The sign-in audit: every sign-in, failed sign-in, MFA change and password change,
    with the client address and browser. Append-only; a failed sign-in for an address with
    no account keeps the address typed (normalised, truncated) and no user."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_IN_THROTTLED = "sign_in_throttled", _("Sign-in refused: too many failures")
        MFA_FAILED = "mfa_failed", _("Second factor failed")
        MFA_ADDED = "mfa_added", _("Second factor added")
        MFA_REMOVED = "mfa_removed", _("Second factor removed")
        RECOVERY_CODES_RESET = "recovery_codes_reset", _("Recovery codes regenerated")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_SET = "password_set", _("Password set")
        PASSWORD_RESET = "password_reset", _("Password reset")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")

    EMAIL_MAX_LENGTH = 254
    USER_AGENT_MAX_LENGTH = 200

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
    )
    email = models.CharField(_("email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX_LENGTH, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["email", "at"], name="signinevent_email_at_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.email}"


class OutboundEmail(TimeStampedModel):
    """The email outbox. Every notification is a row with a unique key, such as
    ``booking.offered:42:1``; creating the same key twice is a no-op and sending marks the
    row, so a repeated or retried task never emails anyone twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by a sender and handed to the mail server, or about to be: a row left
        # here by a killed worker is never sent again without a person deciding
        # (at-most-once; `check_outbox` reports them).
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # The key of every email allauth sends (talenthub.core.adapters.AccountAdapter).
    ACCOUNT_KEY_PREFIX = "account:"

    key = models.CharField(max_length=200, unique=True, default=uuid.uuid4)
    to = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    # Extra headers of this message (List-Unsubscribe on bulk email); Message-ID is
    # always derived from the key.
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a sender took it to hand to the mail server.")
    )
    # Retention (docs/retention.md): the body, HTML and headers are deleted after a
    # while (an account email's as soon as it is sent); the row stays for the counts.
    body_purged_at = models.DateTimeField(
        _("body deleted at"),
        null=True,
        blank=True,
        help_text=_("When the body was deleted under the retention rules; the row stays."),
    )

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outboundemail_status_idx"),
            # The retention purge's look-up: only rows that still have a body, so it does
            # not grow with the years of purged rows behind it.
            models.Index(
                fields=["created_at"],
                condition=models.Q(body_purged_at__isnull=True),
                name="outboundemail_body_kept_idx",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def is_account_email(self) -> bool:
        return self.key.startswith(self.ACCOUNT_KEY_PREFIX)
