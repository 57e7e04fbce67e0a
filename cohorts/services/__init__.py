"""Every write of the cohorts app. Split by noun; import from here."""

from .announcements import (
    cohort_announce,
    cohort_announce_batch,
    cohort_announcement_batches,
    cohort_announcement_recipients,
    cohort_announcement_refusal,
    cohort_announcements_unfinished,
)
from .applications import (
    application_from_line_manager_token,
    application_save_draft,
    application_submit,
    application_withdraw,
    framework_competencies,
    line_manager_resend_available_at,
    line_manager_support_confirm,
    line_manager_support_request,
    line_manager_support_resend,
    line_manager_token,
)
from .completion import (
    CompletionRuleNotMet,
    completion_progress,
    participant_mark_completed,
)
from .feedback import feedback_invite_due, feedback_is_open, feedback_submit
from .places import (
    promote_waiting_list,
    promotions_sweep,
    waiting_list_move,
    waiting_list_set_priority,
)
from .reviews import project_review_save
from .running import (
    attendance_record,
    participant_mark_not_completed,
    participant_set_visibility,
    project_work_submit,
)
from .selection import (
    SubsidyCapReached,
    application_record_decision,
    application_score_competencies,
    cohort_fill_places,
    cohort_save,
    decisions_send,
    offer_accept,
    offer_decline,
    offers_expire,
    participant_enrol,
    participant_withdraw,
)

__all__ = [
    "participant_enrol",
    "SubsidyCapReached",
    "application_from_line_manager_token",
    "application_record_decision",
    "application_score_competencies",
    "application_save_draft",
    "application_submit",
    "application_withdraw",
    "CompletionRuleNotMet",
    "completion_progress",
    "attendance_record",
    "cohort_announce",
    "cohort_announce_batch",
    "cohort_announcement_batches",
    "cohort_announcement_recipients",
    "cohort_announcement_refusal",
    "cohort_announcements_unfinished",
    "cohort_fill_places",
    "cohort_save",
    "decisions_send",
    "feedback_invite_due",
    "feedback_is_open",
    "feedback_submit",
    "framework_competencies",
    "line_manager_support_confirm",
    "line_manager_resend_available_at",
    "line_manager_support_request",
    "line_manager_support_resend",
    "line_manager_token",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "participant_mark_completed",
    "participant_mark_not_completed",
    "participant_set_visibility",
    "participant_withdraw",
    "project_review_save",
    "project_work_submit",
    "promote_waiting_list",
    "promotions_sweep",
    "waiting_list_move",
    "waiting_list_set_priority",
]
