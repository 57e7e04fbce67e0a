from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_mixins import ReadOnlyAdminMixin
from .models import (
    AuditLog,
    ConsentRecord,
    FunctionalArea,
    Organisation,
    OutboundEmail,
    Profile,
    SignInEvent,
    User,
)
from .services import sign_in_event_record

# Web addresses typed without a scheme get https:// (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def audit_trail_table(entries):
    """The audit trail of a record, as a read-only table for an admin change page:
    when, who, what, which record and why."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(e.at).strftime("%d %b %Y %H:%M"),
                e.actor or "system",
                e.action,
                e.object_repr,
                e.reason,
            )
            for e in entries
        ),
    )
    if not rows:
        return _("No changes recorded.")
    return format_html(
        "<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Record</th>"
        "<th>Why</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["functional_areas"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "profile__career_level"]
    search_fields = ["email", "full_name", "profile__organisation__name"]
    list_select_related = ["profile__organisation"]
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    @admin.display(description=_("Organisation"), ordering="profile__organisation__name")
    def organisation(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.organisation if profile else None


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "region", "is_provider"]
    list_filter = ["is_provider", "sector", "region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = HTTPS_URLS


@admin.register(FunctionalArea)
class FunctionalAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "summary"]
    list_editable = ["order"]
    # Which areas still lack the text of their page in the hub.
    list_filter = [
        ("summary", admin.EmptyFieldListFilter),
        ("description", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "job_title", "career_level", "region", "cipd_grade"]
    list_filter = ["career_level", "region", "cipd_grade", "functional_areas"]
    search_fields = ["user__email", "user__full_name", "job_title", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["functional_areas"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail is append-only, even for administrators."""

    list_display = ["at", "actor", "action", "object_type", "object_repr", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "reason", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "at"


# An outbox row's content, shown through methods that hide an account email's.
BODY_FIELDS = {
    "body_text": "shown_body_text",
    "body_html": "shown_body_html",
    "headers": "shown_headers",
    "attachments": "shown_attachments",
}
ACCOUNT_BODY_HIDDEN = _("hidden: contains a sign-in link")


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The sign-in audit, read-only. Only superusers, and staff given the "Can view sign-in
    event" permission, see it (no demo group has that permission)."""

    list_display = ["at", "kind", "email", "user", "ip_address", "user_agent"]
    list_filter = ["kind"]
    search_fields = ["email", "ip_address"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in SignInEvent._meta.fields]
    show_full_result_count = False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """People's consents (email opt-ins given and withdrawn), read-only: the record a
    data-protection officer may be asked for. Only superusers, and staff given the "Can
    view consent record" permission, see it."""

    list_display = ["at", "user", "purpose", "given", "source"]
    list_filter = ["purpose", "given", "source"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ConsentRecord._meta.fields]
    show_full_result_count = False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    actions = ["send_again", "give_up"]

    @admin.action(
        description=_("Send again (stuck in 'sending': I checked the person did not get it)"),
        permissions=["change"],
    )
    def send_again(self, request, queryset):
        count = queryset.filter(status=OutboundEmail.Status.SENDING).update(
            status=OutboundEmail.Status.PENDING, claimed_at=None, updated_at=timezone.now()
        )
        self.message_user(request, _("%(count)s email(s) will be sent again.") % {"count": count})

    @admin.action(
        description=_("Mark as failed (stuck in 'sending': do not send)"),
        permissions=["change"],
    )
    def give_up(self, request, queryset):
        count = queryset.filter(status=OutboundEmail.Status.SENDING).update(
            status=OutboundEmail.Status.FAILED, updated_at=timezone.now()
        )
        self.message_user(request, _("%(count)s email(s) marked failed.") % {"count": count})

    # Never the body itself: an account email's body is a sign-in link (shown only as a
    # placeholder), and searching bodies would let a token be guessed letter by letter.
    search_fields = ["to", "subject", "key"]
    readonly_fields = [
        *(f.name for f in OutboundEmail._meta.fields if f.name not in BODY_FIELDS),
        *BODY_FIELDS.values(),
    ]
    exclude = list(BODY_FIELDS)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # Lists and searches need no bodies: they are not even loaded.
        return super().get_queryset(request).defer(*BODY_FIELDS)

    def has_add_permission(self, request):
        return False

    def _shown(self, obj, field):
        if obj.is_account_email:
            return ACCOUNT_BODY_HIDDEN
        if obj.body_purged_at:
            return _("deleted on %(date)s (retention)") % {
                "date": timezone.localtime(obj.body_purged_at).strftime("%d %b %Y")
            }
        return getattr(obj, field)

    @admin.display(description=_("body text"))
    def shown_body_text(self, obj):
        return self._shown(obj, "body_text")

    @admin.display(description=_("body HTML"))
    def shown_body_html(self, obj):
        return self._shown(obj, "body_html")

    @admin.display(description=_("headers"))
    def shown_headers(self, obj):
        return self._shown(obj, "headers")

    @admin.display(description=_("attachments"))
    def shown_attachments(self, obj):
        return self._shown(obj, "attachments")


# allauth.mfa's own admin shows an authenticator's data: a TOTP secret and the recovery
# codes' seed, which would let whoever can read them pass the second factor. This one
# shows only whose it is and when it was used; a superuser may delete one (a member who
# lost their phone and recovery codes), which the sign-in audit records.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        self.delete_queryset(request, Authenticator.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        for authenticator in queryset.select_related("user"):
            sign_in_event_record(
                kind=SignInEvent.Kind.MFA_REMOVED,
                request=request,
                user=authenticator.user,
                data={"authenticator": authenticator.type, "removed_by": request.user.email},
            )
        queryset.delete()
