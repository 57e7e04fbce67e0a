"""Reads, scoped to what the user may see; one module per noun, import from here
(``from compact.selectors import compact_access``).

Who may see what:
- everyone (the public) sees a compact's public page: purpose, aims of the terms in force,
  annual priorities, member organisations, upcoming public meetings, public documents and
  the e-bulletin archive;
- *members* of a compact (anyone holding a role in it, or working for an organisation
  that is a current charter signatory) also see action plans, meetings and members-only
  documents;
- *editors* (the secretariat and steering group members, and superusers) also see the
  health view, the attendance report, surveys and steering-group-only documents, and
  record meetings and progress updates.
What a user may not see is a 404 (the object is fetched through these querysets)."""

from .actions import (
    HEALTH_FIELDS,
    action_get,
    action_is_led_by,
    actions_health,
    actions_health_of,
    actions_in_plan_order,
    actions_with_health,
    compact_actions_health,
    flagged_action_ids,
    flagged_actions,
    indicator_get,
    indicators_for,
    stale_weeks,
    with_health,
)
from .attendance import (
    AttendanceRow,
    attendance_report,
    attendance_reports,
    latest_meeting_year,
    latest_meeting_years,
    meeting_years,
    meetings_held_counts,
)
from .charter import (
    charter_version_get,
    charter_version_signatories,
    member_organisations,
    signatories_latest,
    signatory_get,
    signatory_seats,
    signatory_seats_at_stake,
)
from .compacts import Access, compact_access, compact_get, compact_list, compacts_edited_by
from .feeds import member_feed_by_token, member_feed_live, member_feed_meetings, member_seats
from .groups import group_get, group_list, group_members_on
from .meetings import (
    group_meetings_feed,
    meeting_get,
    meetings_for,
    meetings_for_documents,
    meetings_to_hold,
    upcoming_good_practice_events,
    upcoming_public_meetings,
)
from .priorities import (
    current_statement,
    statement_draft_get,
    statements_all,
    statements_archive,
)
from .surveys import survey_get, survey_results
from .terms import terms_draft_get, terms_get, terms_in_force, terms_list, terms_versions_all

__all__ = [
    "HEALTH_FIELDS",
    "Access",
    "action_get",
    "action_is_led_by",
    "actions_health",
    "actions_health_of",
    "actions_in_plan_order",
    "actions_with_health",
    "attendance_report",
    "attendance_reports",
    "AttendanceRow",
    "charter_version_get",
    "charter_version_signatories",
    "compact_access",
    "compact_actions_health",
    "compact_get",
    "compact_list",
    "compacts_edited_by",
    "current_statement",
    "flagged_action_ids",
    "flagged_actions",
    "group_get",
    "group_list",
    "group_meetings_feed",
    "group_members_on",
    "indicator_get",
    "indicators_for",
    "latest_meeting_year",
    "latest_meeting_years",
    "meeting_get",
    "meeting_years",
    "member_feed_by_token",
    "member_feed_live",
    "member_feed_meetings",
    "member_seats",
    "meetings_for",
    "meetings_for_documents",
    "meetings_held_counts",
    "meetings_to_hold",
    "member_organisations",
    "signatories_latest",
    "signatory_get",
    "signatory_seats",
    "signatory_seats_at_stake",
    "stale_weeks",
    "statement_draft_get",
    "statements_all",
    "statements_archive",
    "with_health",
    "survey_get",
    "survey_results",
    "terms_draft_get",
    "terms_get",
    "terms_in_force",
    "terms_list",
    "terms_versions_all",
    "upcoming_good_practice_events",
    "upcoming_public_meetings",
]
