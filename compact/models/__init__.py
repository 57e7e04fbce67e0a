"""Compact governance: a compact's terms of reference, annual priorities, groups, action
plans, meetings, members' charter, documents, surveys and e-bulletins (seed 004), one
module per noun; import them from here (``from compact.models import Meeting``).

Rules that can live in the database do (named ``<model>_<rule>``); rules that span rows
(an annual priority may cite only aims of the terms in force, a sub-action belongs to its
parent's plan, sector eligibility) are checked by the models' ``clean()`` and by the
services in ``compact.services``. docs/compact.md describes the model as a whole."""

from .actions import Action, ActionPlan, Indicator, ProgressUpdate, Status
from .bulletins import Bulletin, BulletinListing, BulletinSubscription, NewsItem
from .charter import CharterSignatory, CharterSignatoryQuerySet, CharterVersion
from .compacts import Compact, CompactRole
from .documents import Document, DocumentQuerySet, document_upload_to
from .feeds import MeetingFeed
from .groups import Group, GroupMembership, GroupMembershipQuerySet
from .meetings import AgendaItem, Attendance, Meeting
from .priorities import PrioritiesStatement, Priority
from .surveys import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion
from .terms import Aim, TermsOfReference, TermsOfReferenceQuerySet

__all__ = [
    "Action",
    "ActionPlan",
    "AgendaItem",
    "Aim",
    "Attendance",
    "Bulletin",
    "BulletinListing",
    "BulletinSubscription",
    "CharterSignatory",
    "CharterSignatoryQuerySet",
    "CharterVersion",
    "Compact",
    "CompactRole",
    "Document",
    "document_upload_to",
    "DocumentQuerySet",
    "Group",
    "GroupMembership",
    "GroupMembershipQuerySet",
    "Indicator",
    "Meeting",
    "MeetingFeed",
    "NewsItem",
    "PrioritiesStatement",
    "Priority",
    "ProgressUpdate",
    "Status",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyQuestion",
    "TermsOfReference",
    "TermsOfReferenceQuerySet",
]
