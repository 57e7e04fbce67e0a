"""What the apps above the catalogue add to it, without the catalogue importing them.

Dependencies between apps point down only (docs/architecture.md): cohorts, events and
resources know about programmes; programmes knows about none of them. Yet the programme
page lists the programme's upcoming cohorts and events, the catalogue's "open now" filter
asks whether a cohort takes applications or an event takes bookings, a provider's
audience includes the people who took part in its cohorts, and a subsidy scheme's admin
shows a provider the places used on its own cohorts. Each of those apps registers
its part here, once, in its ``AppConfig.ready()``::

    from programmes import contributions

    contributions.register_page_part(
        "cohorts", slot="upcoming", order=10,
        template="cohorts/_programme_upcoming.html", items=cohorts_upcoming_for_programme,
    )

Registering under a name replaces what was registered under it (a reloaded app does not
register twice). Parts are used in ``order``, then name.
"""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, Q

# The programme page's slots: "upcoming" (under "Upcoming cohorts and events") and
# "how_to_apply" (at the top of "How to apply or book").
PAGE_SLOTS = ("upcoming", "how_to_apply")


@dataclass(frozen=True)
class PagePart:
    name: str
    slot: str
    order: int
    template: str
    #: items(programme, user) -> what the template shows as ``items``; falsy: nothing.
    items: Callable[[object, object], object]


@dataclass(frozen=True)
class ShownPart:
    """A part with something to show: its template and its items."""

    template: str
    items: object


_page_parts: dict[str, PagePart] = {}
_open_now: dict[str, tuple[int, Callable[[datetime.datetime], Exists]]] = {}
_audience_networks: dict[str, tuple[int, Callable[[object], Q]]] = {}
_allocation_holders: dict[str, tuple[int, Callable[[object], Q]]] = {}


def register_page_part(
    name: str, *, slot: str, order: int, template: str, items: Callable[[object, object], object]
) -> None:
    """A part of the programme page: ``template`` is included with ``items(programme,
    user)`` as ``items`` when that is not empty."""
    if slot not in PAGE_SLOTS:
        raise ValueError(f"Unknown programme page slot {slot!r}: one of {PAGE_SLOTS}")
    _page_parts[name] = PagePart(name=name, slot=slot, order=order, template=template, items=items)


def page_parts(programme, user) -> dict[str, list[ShownPart]]:
    """Every slot's parts with something to show for ``programme`` and ``user``."""
    shown: dict[str, list[ShownPart]] = {slot: [] for slot in PAGE_SLOTS}
    for part in sorted(_page_parts.values(), key=lambda part: (part.order, part.name)):
        items = part.items(programme, user)
        if items:
            shown[part.slot].append(ShownPart(template=part.template, items=items))
    return shown


def register_open_now(
    name: str, *, order: int, exists: Callable[[datetime.datetime], Exists]
) -> None:
    """Something a member can act on now: ``exists(now)`` is an ``Exists`` over the
    contributing app's rows, correlated with ``OuterRef("pk")`` of the programme."""
    _open_now[name] = (order, exists)


def open_now_q(now: datetime.datetime) -> Q:
    """A filter on programmes: any registered source has something open now. With none
    registered nothing is open (a Q that matches no row)."""
    return _any_of([Q(exists(now)) for exists in _in_order(_open_now)])


def register_audience_network(name: str, *, order: int, q: Callable[[object], Q]) -> None:
    """People in a provider's network besides its own staff: ``q(provider)`` is a filter
    on users (e.g. they took part in one of its cohorts)."""
    _audience_networks[name] = (order, q)


def audience_network_q(provider) -> Q:
    """The registered network filters for ``provider``, OR-ed (no match when none)."""
    return _any_of([q(provider) for q in _in_order(_audience_networks)])


def register_allocation_holder(name: str, *, order: int, q: Callable[[object], Q]) -> None:
    """Whose subsidised places a provider manages: ``q(provider)`` is a filter on
    ``SubsidyAllocation`` rows (e.g. the place is on one of its cohorts). The catalogue
    holds the allocations but not what they are used for, so it cannot tell by itself."""
    _allocation_holders[name] = (order, q)


def allocation_holder_q(provider) -> Q:
    """The registered filters for ``provider``, OR-ed: the allocations it manages (none
    when nothing is registered, so nothing is shown by default)."""
    return _any_of([q(provider) for q in _in_order(_allocation_holders)])


def _in_order(registry: dict[str, tuple[int, Callable]]) -> list[Callable]:
    return [entry for _order, _name, entry in sorted((o, n, e) for n, (o, e) in registry.items())]


def _any_of(conditions: list[Q]) -> Q:
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])
