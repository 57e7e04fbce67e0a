"""The waiting-list engine: scarce places, a waiting queue, and promoting the first in
line. One implementation for every kind of place: event places (``events``) and cohort
places (``cohorts``) both run through the functions below, each with a small adapter, a
``Places`` subclass, that says where its rows are.

The recipe, which every service that adds or frees a place follows. This docstring is the
one statement of it (docs/adr/0001-waiting-list-engine.md says why; docs/events.md and
docs/cohorts.md point here):

1. **Lock the parent** (``lock_parent``): ``SELECT ... FOR UPDATE`` on the *parent* row
   (the event, the cohort). Every writer that adds or frees a place takes this one lock
   first, so writers for the same parent run one after another and each sees the
   previous one's commit. Row locks on the waiting entries alone would not do: every
   promoter would count the same free places and overbook (the concurrency tests'
   control runs show it).
2. **Count the places** (``places_left``): count, under the lock, the rows holding a place
   (confirmed + open offers) against the capacity, then let the adapter apply any
   further cap (``Places.limit_places``: a subsidy scheme's national places, under the
   scheme's lock, taken after the parent's). Nothing is stored, so nothing drifts.
3. **Take the first in line** (``next_in_line``): the waiting entries in queue order
   (priority desc, time joined, id). The order is total, so nobody is skipped.
4. **Give the place** (``give_place``): confirm at once (automatic policy) or hold an offer
   whose deadline never runs past the start (``offer_deadline``).
5. **Email once**: the adapter's ``confirm`` / ``offer`` writes the row and queues the email
   through the outbox under a deterministic key (``outbox_key``), in the same
   transaction, so a task that runs twice emails once.

``promote_locked`` runs steps 2–5 for a caller that already holds the lock; ``promote``
runs 1–5 in one transaction (what the Celery tasks call); ``enqueue_promotion`` runs a
promotion task after the current transaction commits.

Queue management for managers (``queue_position``, ``move_in_queue``) uses the same
order, so a position shown is the position served.

Test hooks. The concurrency tests must be able to show that their harness can see a
race, so each adapter reads two module globals of its own app at call time (see
``events.services.promotion`` and ``cohorts.services.places``): a lock mode that can
switch the parent lock off (``"none"``) or replace it with SKIP LOCKED on the waiting
rows (``"waiting_rows"``, which the events issue warns is not enough), and a hook called
between counting places and writing, to widen the race window. Any other lock mode
locks the parent: a mistake fails safe. Never changed outside tests.
"""

from __future__ import annotations

import abc
import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

LOCK_NONE = "none"
LOCK_WAITING_ROWS = "waiting_rows"


class Queue(abc.ABC):
    """The order of one kind of waiting list, and nothing else: what a read (a position
    shown to a member) needs. ``Places`` extends it with what promotion needs, so a
    selector can show positions without importing the services that write."""

    #: The entries' priority and time-joined fields: queue order is priority desc, then
    #: time joined, then id.
    priority_field = "priority"
    joined_field = "joined_at"

    @abc.abstractmethod
    def waiting(self, parent) -> models.QuerySet:
        """The parent's waiting entries (any order)."""

    @property
    def queue_order(self) -> tuple[str, str, str]:
        return (f"-{self.priority_field}", self.joined_field, "pk")


class Places(Queue):
    """What the engine needs to know about one kind of parent (with a capacity) and its
    entries (with a status, a priority and a time joined). Subclass it once per kind;
    the abstract methods are the ones every kind must answer."""

    #: The parent model (``Event``, ``Cohort``); its row is the lock.
    parent_model: type[models.Model]
    #: Relations the promotion step reads (the person to email).
    select_related: tuple[str, ...] = ()

    # Test hooks (see the module docstring). Subclasses read their own module globals,
    # so a test that monkeypatches those sees its change take effect at once.
    def lock_mode(self) -> str:
        return "parent"

    def after_count(self) -> None:
        return None

    # The places ---------------------------------------------------------------------
    @abc.abstractmethod
    def capacity(self, parent) -> int:
        """The number of places."""

    @abc.abstractmethod
    def places_taken(self, parent) -> int:
        """Rows holding a place: confirmed (or enrolled) plus open offers."""

    def limit_places(self, parent, free: int, now) -> int:
        """A further cap on the ``free`` places (e.g. a subsidy scheme's). The caller
        holds the parent's lock; an adapter that locks another row does it here, after
        the parent's (lock order: parent, then the other row)."""
        return free

    # The queue (``waiting``: see Queue) ---------------------------------------------
    @abc.abstractmethod
    def can_promote(self, parent, now) -> bool:
        """False when no one may be promoted any more (not open, started, ended)."""

    # Giving a place -----------------------------------------------------------------
    def confirms_directly(self, parent) -> bool:
        """True for the automatic policy (the place is given), False for offers."""
        return False

    @abc.abstractmethod
    def offer_hold(self, parent) -> datetime.timedelta:
        """How long an offer is held."""

    @abc.abstractmethod
    def starts_at(self, parent) -> datetime.datetime:
        """No offer runs past this moment."""

    def confirm(self, parent, entry, now) -> None:
        """Give ``entry`` the place and queue its email once. Only for adapters whose
        ``confirms_directly`` can be true; the others never get here."""
        raise RuntimeError(f"{type(self).__name__} gives places only by offer")

    @abc.abstractmethod
    def offer(self, parent, entry, deadline: datetime.datetime, now) -> None:
        """Turn ``entry`` into an open offer ending at ``deadline`` and queue its email
        once (the key carries the offer's number: a second offer is a second email)."""


def locks_parent(places: Places) -> bool:
    return places.lock_mode() not in (LOCK_NONE, LOCK_WAITING_ROWS)


def lock_row(places: Places, queryset: models.QuerySet, pk: int):
    """``queryset.get(pk=pk)`` locked for the rest of the transaction, under the
    adapter's lock mode (so a control run switches every lock of the kind off). Must be
    called inside ``transaction.atomic``."""
    if locks_parent(places):
        queryset = queryset.select_for_update()
    return queryset.get(pk=pk)


def lock_parent(places: Places, parent_id: int):
    """The parent row, locked for the rest of the transaction (step 1)."""
    return lock_row(places, places.parent_model.objects.all(), parent_id)


def places_left(places: Places, parent, now=None, *, taken: int | None = None) -> int:
    """Places free now, under the parent's lock (step 2): capacity minus the places
    held, within any further cap of the adapter. ``taken``: the places held, when the
    caller counted them under the same lock in a query of its own (one query instead of
    several while the lock is held); otherwise ``places.places_taken`` counts them."""
    if taken is None:
        taken = places.places_taken(parent)
    free = max(0, places.capacity(parent) - taken)
    if free > 0:
        free = max(0, min(free, places.limit_places(parent, free, now or timezone.now())))
    places.after_count()
    return free


def next_in_line(places: Places, parent, limit: int) -> list:
    """The first ``limit`` waiting entries in queue order (step 3)."""
    queryset = places.waiting(parent).order_by(*places.queue_order)
    if places.select_related:
        queryset = queryset.select_related(*places.select_related)
    if places.lock_mode() == LOCK_WAITING_ROWS:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return list(queryset[: max(limit, 0)])


def offer_deadline(
    *, now: datetime.datetime, hold: datetime.timedelta, starts_at: datetime.datetime
) -> datetime.datetime:
    """``hold`` from now, but never past the start. An offer made after the start (a
    manager's decision; promotion itself stops at the start) gets the full period."""
    deadline = now + hold
    return min(deadline, starts_at) if starts_at > now else deadline


def give_place(places: Places, parent, entry, *, now=None):
    """Give ``entry`` (waiting) a place under the parent's policy (step 4): confirmed at
    once, or an offer held for ``offer_hold`` but never past the start. The caller holds
    the parent's lock and has checked there is a place."""
    now = now or timezone.now()
    if places.confirms_directly(parent):
        places.confirm(parent, entry, now)
    else:
        deadline = offer_deadline(
            now=now, hold=places.offer_hold(parent), starts_at=places.starts_at(parent)
        )
        places.offer(parent, entry, deadline, now)
    return entry


def promote_locked(places: Places, parent, *, now=None) -> list:
    """Fill the parent's free places from the front of its waiting list (step 5). The
    caller holds the parent's lock. Returns the entries promoted, first in line first."""
    now = now or timezone.now()
    if not places.can_promote(parent, now):
        return []
    free = places_left(places, parent, now)  # step 2
    if free <= 0:
        return []
    first_in_line = next_in_line(places, parent, free)  # step 3
    # Steps 4 and 5: the adapter writes the place and queues its email once.
    return [give_place(places, parent, entry, now=now) for entry in first_in_line]


def promote(places: Places, parent_id: int, *, now=None) -> list:
    """Promote the first people waiting into the places free now, in one transaction
    under the parent's lock. Guarantees: never more places held than capacity (and any
    further cap), strictly in queue order, each person emailed once. Safe to run any
    number of times, concurrently or late: with no free place or nobody waiting it does
    nothing."""
    with transaction.atomic():
        parent = lock_parent(places, parent_id)  # step 1
        return promote_locked(places, parent, now=now)


def enqueue_promotion(task, parent_id: int) -> None:
    """Run ``task`` (a Celery task taking the parent's id) after the current transaction
    commits: a rolled-back change enqueues nothing, and the task sees the freed place."""
    from .queueing import enqueue_on_commit

    enqueue_on_commit(task, parent_id)


# Queue positions and managers' moves ------------------------------------------------


def _queue_values(places: Queue, entry) -> tuple[Any, Any, int]:
    return (
        getattr(entry, places.priority_field),
        getattr(entry, places.joined_field),
        entry.pk,
    )


def ahead_of(places: Queue, entry) -> Q:
    """The Q for the entries ahead of ``entry`` in queue order."""
    priority, joined, pk = _queue_values(places, entry)
    p, j = places.priority_field, places.joined_field
    return (
        Q(**{f"{p}__gt": priority})
        | Q(**{p: priority, f"{j}__lt": joined})
        | Q(**{p: priority, j: joined, "pk__lt": pk})
    )


def ahead_of_newcomer(places: Queue, *, priority, joined) -> Q:
    """The Q for the entries ahead of an entry about to join with ``priority`` and
    ``joined`` (so it can be counted, with other figures, before the row exists). Its
    id will be the highest, so on equal priority and time every existing entry is
    ahead: ``ahead_of`` with the id tie-break resolved."""
    p, j = places.priority_field, places.joined_field
    return Q(**{f"{p}__gt": priority}) | Q(**{p: priority, f"{j}__lte": joined})


def queue_position(places: Queue, parent, entry) -> int:
    """1 for the first person waiting, 2 for the next… (``entry`` must be waiting)."""
    return places.waiting(parent).filter(ahead_of(places, entry)).count() + 1


def move_in_queue(places: Places, parent, entry, position: int) -> tuple[int, int]:
    """Move the waiting ``entry`` to ``position`` (1 = first) without changing anyone
    else's relative order: it takes the priority of the person now at that position and
    a time joined just before (moving up) or after (moving down) theirs. The caller holds
    the parent's lock. Returns (from, to) positions."""
    queue = list(places.waiting(parent).order_by(*places.queue_order))
    current = next(i for i, other in enumerate(queue) if other.pk == entry.pk) + 1
    position = max(1, min(position, len(queue)))
    if position != current:
        target = queue[position - 1]
        tick = datetime.timedelta(microseconds=1)
        target_joined = getattr(target, places.joined_field)
        setattr(entry, places.priority_field, getattr(target, places.priority_field))
        setattr(
            entry,
            places.joined_field,
            target_joined - tick if position < current else target_joined + tick,
        )
        entry.save(update_fields=[places.priority_field, places.joined_field, "updated_at"])
    return current, position


def outbox_key(prefix: str, kind: str, entry_pk: int, suffix: str = "") -> str:
    """The outbox key of one email about one entry: ``<prefix>.<kind>:<id>[:<suffix>]``.
    Deterministic, so a repeated call queues nothing new."""
    return f"{prefix}.{kind}:{entry_pk}" + (f":{suffix}" if suffix else "")
