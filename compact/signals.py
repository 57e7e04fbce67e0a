"""The compact's reactions to the core's records (core cannot import the compact).

``revoke_feeds_of_deactivated``: connected to ``post_save`` of the user model
(``dispatch_uid="compact.member_feeds.deactivated"``). Arguments as Django sends them:
``instance`` (the saved user). A deactivated account's meeting feeds are revoked, not only
refused while it is inactive: reactivating the account does not bring an old address
back (the member makes a new one)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


def revoke_feeds_of_deactivated(sender, instance, **kwargs):
    if instance.is_active or kwargs.get("raw"):
        return
    from .services import member_feed_revoke  # noqa: PLC0415 (services load the models)

    member_feed_revoke(user=instance, actor=None, reason="The account was deactivated.")


def connect() -> None:
    post_save.connect(
        revoke_feeds_of_deactivated,
        sender=get_user_model(),
        dispatch_uid="compact.member_feeds.deactivated",
    )
