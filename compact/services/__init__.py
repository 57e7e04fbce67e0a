"""Every write to the compact records, one module per noun; import from here
(``from compact import services; services.meeting_hold(...)``). Each function is one
transaction, validates with ``full_clean()`` (through ``clean_or_raise``) and raises
``CompactError`` (a user-facing message and a stable ``code``) for a broken rule."""

from ..exceptions import CompactError
from .actions import action_create, progress_update_add, send_action_digests
from .bulletins import (
    bulletin_key_prefix,
    bulletin_recipients,
    bulletin_send,
    bulletin_send_batch,
    bulletin_subscribe,
    bulletin_unqueued_user_ids,
    bulletin_unsubscribe,
    bulletin_unsubscribe_label,
    bulletin_unsubscribe_manage_url,
    bulletin_unsubscribe_turn_off,
    bulletins_sweep,
    bulletins_unfinished,
)
from .charter import add_months, charter_sign, check_eligible
from .documents import document_update, document_upload
from .groups import (
    check_charter_signed,
    check_steering_seat,
    check_vcs_allowed,
    group_create,
    group_membership_add,
    group_membership_end,
    group_membership_update,
    group_update,
)
from .meetings import (
    meeting_cancel,
    meeting_hold,
    meeting_minutes_upload,
    meeting_move,
    meeting_paper_upload,
    meeting_record,
    meeting_rows_save,
    meeting_schedule,
    meeting_update,
    minutes_circulate,
    send_meeting_reminders,
)
from .priorities import (
    check_aims_in_terms,
    check_priority_has_aims,
    priority_create,
    priority_delete,
    priority_save,
    priority_set_aims,
    statement_create,
    statement_update,
)
from .roles import editors_group, role_grant, role_revoke
from .surveys import survey_respond, survey_send
from .terms import aim_save, send_terms_review_reminders, terms_create, terms_update

__all__ = [
    "action_create",
    "add_months",
    "aim_save",
    "bulletin_key_prefix",
    "bulletin_recipients",
    "bulletin_send",
    "bulletin_send_batch",
    "bulletin_subscribe",
    "bulletin_unqueued_user_ids",
    "bulletin_unsubscribe",
    "bulletin_unsubscribe_label",
    "bulletin_unsubscribe_manage_url",
    "bulletin_unsubscribe_turn_off",
    "bulletins_sweep",
    "bulletins_unfinished",
    "charter_sign",
    "check_aims_in_terms",
    "check_charter_signed",
    "check_eligible",
    "check_priority_has_aims",
    "check_steering_seat",
    "check_vcs_allowed",
    "CompactError",
    "document_update",
    "document_upload",
    "editors_group",
    "group_create",
    "group_membership_add",
    "group_membership_end",
    "group_membership_update",
    "group_update",
    "meeting_cancel",
    "meeting_hold",
    "meeting_minutes_upload",
    "meeting_move",
    "meeting_paper_upload",
    "meeting_record",
    "meeting_rows_save",
    "meeting_schedule",
    "meeting_update",
    "minutes_circulate",
    "priority_create",
    "priority_delete",
    "priority_save",
    "priority_set_aims",
    "progress_update_add",
    "role_grant",
    "role_revoke",
    "send_action_digests",
    "send_meeting_reminders",
    "send_terms_review_reminders",
    "statement_create",
    "statement_update",
    "survey_respond",
    "survey_send",
    "terms_create",
    "terms_update",
]
