"""The compact records in the admin. Superusers see everything; the secretariat and
steering group members of a compact (made staff in the "Compact secretariat" group by
``services.role_grant``) see only the rows of the compacts they edit, and may choose only
those compacts' rows in foreign keys. Rules across rows live in the models' ``clean()``
and the services, so they hold here as on the site.

One module per noun; importing this package registers them all. ``scoping`` holds
what every page shares (``CompactScopedAdmin``)."""

from .actions import (
    ActionAdmin,
    ActionAdminForm,
    ActionInline,
    ActionPlanAdmin,
    ProgressUpdateInline,
    aims_in_force,
)
from .bulletins import (
    BulletinAdmin,
    BulletinListingInline,
    BulletinSubscriptionAdmin,
    NewsItemInline,
)
from .charter import CharterSignatoryAdmin, CharterSignatoryAdminForm, CharterVersionAdmin
from .compacts import CompactAdmin, CompactRoleAdmin, CompactRoleInline
from .documents import DocumentAdmin
from .groups import GroupAdmin, GroupMembershipAdmin, GroupMembershipAdminForm, MembershipInline
from .meetings import AgendaInline, AttendanceInline, MeetingAdmin
from .priorities import PrioritiesStatementAdmin, PriorityInline, PriorityInlineFormSet
from .scoping import CompactScopedAdmin, ScopedInlineMixin, compact_path, scope_to_editor
from .surveys import (
    QuestionInline,
    SurveyAdmin,
    SurveyAnswerAdmin,
    SurveyAnswerInline,
    SurveyInvitationAdmin,
)
from .terms import AimInline, TermsOfReferenceAdmin

__all__ = [
    "ActionAdmin",
    "ActionAdminForm",
    "ActionInline",
    "ActionPlanAdmin",
    "AgendaInline",
    "AimInline",
    "aims_in_force",
    "AttendanceInline",
    "BulletinAdmin",
    "BulletinListingInline",
    "BulletinSubscriptionAdmin",
    "CharterSignatoryAdmin",
    "CharterSignatoryAdminForm",
    "CharterVersionAdmin",
    "compact_path",
    "CompactAdmin",
    "CompactRoleAdmin",
    "CompactRoleInline",
    "CompactScopedAdmin",
    "DocumentAdmin",
    "GroupAdmin",
    "GroupMembershipAdmin",
    "GroupMembershipAdminForm",
    "MeetingAdmin",
    "MembershipInline",
    "NewsItemInline",
    "PrioritiesStatementAdmin",
    "PriorityInline",
    "PriorityInlineFormSet",
    "ProgressUpdateInline",
    "QuestionInline",
    "scope_to_editor",
    "ScopedInlineMixin",
    "SurveyAdmin",
    "SurveyAnswerAdmin",
    "SurveyAnswerInline",
    "SurveyInvitationAdmin",
    "TermsOfReferenceAdmin",
]
