"""Every write to events and bookings. ``promotion`` is the reusable engine (lock the
event, count places, take the first in line, offer or confirm, notify once);
``bookings`` the member and manager actions on bookings; ``events`` the manager actions
on events; ``calendar`` the private feeds."""

from ..exceptions import BookingError, EventBusyError
from .alerts import (
    booking_alert_refusal,
    booking_alert_subscribe,
    booking_alert_unsubscribe,
    booking_alerts_send,
)
from .bookings import (
    attendance_mark,
    booking_cancel,
    booking_create,
    offer_accept,
    offer_decline,
    offers_expire,
    promotions_sweep,
    reminders_send,
    waiting_list_move,
    waiting_list_set_priority,
    waiting_position,
)
from .calendar import calendar_feed_get_or_create, calendar_feed_reset, calendar_feed_url
from .checkin import (
    booking_check_in,
    booking_self_check_in,
    checkin_is_open,
    self_checkin_is_open,
)
from .events import (
    announcement_recipients,
    event_announce_batch,
    event_cancel,
    event_create,
    event_publish,
    event_rerun_create,
    event_update,
    publish_too_early,
)
from .messages import (
    event_message_preview,
    event_message_progress,
    event_message_recipients,
    event_message_send,
)
from .promotion import promote_waiting_list
from .questions import booking_answers_check, booking_create_with_answers
from .transfers import (
    place_transfer_accept,
    place_transfer_decline,
    place_transfer_offer,
    place_transfer_withdraw,
    transfer_deadline,
    transfers_expire,
    transfers_received_cancel,
)

__all__ = [
    "BookingError",
    "EventBusyError",
    "announcement_recipients",
    "attendance_mark",
    "booking_answers_check",
    "booking_check_in",
    "booking_create_with_answers",
    "booking_self_check_in",
    "checkin_is_open",
    "event_message_preview",
    "event_message_progress",
    "event_message_recipients",
    "event_message_send",
    "self_checkin_is_open",
    "booking_alert_refusal",
    "booking_alert_subscribe",
    "booking_alert_unsubscribe",
    "booking_alerts_send",
    "booking_cancel",
    "booking_create",
    "calendar_feed_get_or_create",
    "calendar_feed_reset",
    "calendar_feed_url",
    "event_announce_batch",
    "event_cancel",
    "event_create",
    "event_publish",
    "event_rerun_create",
    "event_update",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "place_transfer_accept",
    "place_transfer_decline",
    "place_transfer_offer",
    "place_transfer_withdraw",
    "transfer_deadline",
    "transfers_expire",
    "transfers_received_cancel",
    "promote_waiting_list",
    "promotions_sweep",
    "publish_too_early",
    "reminders_send",
    "waiting_list_move",
    "waiting_list_set_priority",
    "waiting_position",
]
