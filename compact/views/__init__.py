"""Compact pages, one module per noun. Each view loads the compact and the user's access
to it (``selectors.compact_access``, through ``CompactMixin``) and fetches objects
through scoped selectors: a page or object the user may not see is a 404 (anonymous
users are first asked to sign in)."""

from .actions import (
    ActionDetailView,
    ActionHealthView,
    ActionListView,
    IndicatorAddView,
    IndicatorProgressView,
    IndicatorRecordView,
)
from .bulletins import BulletinDetailView, BulletinListView, BulletinSubscribeView
from .charter import CharterVersionView, CharterView, PrioritiesArchiveView
from .compacts import CompactDetailView, CompactMixin, IndexView
from .documents import DocumentDownloadView, DocumentListView
from .feeds import MemberFeedView, member_meetings_feed
from .groups import GroupListView
from .meetings import (
    AttendanceReportView,
    MeetingCancelView,
    MeetingDetailView,
    MeetingDocumentView,
    MeetingHoldView,
    MeetingListView,
    MeetingMixin,
    MeetingMoveView,
    MeetingRecordView,
    group_meetings_ics,
    meeting_ics,
)
from .secretariat import (
    ActionCreateView,
    BulletinComposeView,
    BulletinDraftsView,
    BulletinSendView,
    GroupMembersView,
    MeetingScheduleView,
    MembershipEndView,
    SecretariatHomeView,
    SubgroupReportView,
    SurveyComposeView,
    SurveyCreateView,
    SurveySendView,
)
from .secretariat_actions import ActionCompleteView, ActionEditView, IndicatorEditView
from .secretariat_charter import CharterManageView, SignatoryAddView, SignatoryWithdrawView
from .secretariat_governance import (
    StatementComposeView,
    StatementEditView,
    StatementManageView,
    StatementPublishView,
    TermsAdoptView,
    TermsDraftCreateView,
    TermsDraftEditView,
    TermsManageView,
)
from .surveys import SurveyDetailView, SurveyListView, SurveyRespondView
from .terms import TermsDetailView, TermsListView

__all__ = [
    "StatementComposeView",
    "StatementEditView",
    "StatementManageView",
    "StatementPublishView",
    "TermsAdoptView",
    "TermsDraftCreateView",
    "TermsDraftEditView",
    "TermsManageView",
    "CharterManageView",
    "SignatoryAddView",
    "SignatoryWithdrawView",
    "ActionCompleteView",
    "ActionEditView",
    "IndicatorEditView",
    "ActionCreateView",
    "ActionDetailView",
    "ActionHealthView",
    "ActionListView",
    "AttendanceReportView",
    "BulletinComposeView",
    "BulletinDetailView",
    "BulletinDraftsView",
    "BulletinListView",
    "BulletinSendView",
    "BulletinSubscribeView",
    "CharterVersionView",
    "CharterView",
    "CompactDetailView",
    "CompactMixin",
    "DocumentDownloadView",
    "DocumentListView",
    "group_meetings_ics",
    "GroupListView",
    "GroupMembersView",
    "IndexView",
    "IndicatorAddView",
    "IndicatorProgressView",
    "IndicatorRecordView",
    "meeting_ics",
    "MeetingCancelView",
    "MeetingDetailView",
    "MeetingDocumentView",
    "MeetingHoldView",
    "MeetingListView",
    "MeetingMixin",
    "MeetingMoveView",
    "MeetingRecordView",
    "MeetingScheduleView",
    "member_meetings_feed",
    "MemberFeedView",
    "MembershipEndView",
    "PrioritiesArchiveView",
    "SecretariatHomeView",
    "SubgroupReportView",
    "SurveyComposeView",
    "SurveyCreateView",
    "SurveyDetailView",
    "SurveyListView",
    "SurveyRespondView",
    "SurveySendView",
    "TermsDetailView",
    "TermsListView",
]
