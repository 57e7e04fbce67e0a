"""Hub sections that the apps above the hub contribute, without the hub importing them.

The hub's index (seed 001) lists sections some of which live in higher apps: "My career
story" and the pledges to drive equality are the alumni network's pages. The hub may not
refer up (docs/architecture.md), so each such app registers its section here, once, in
its ``AppConfig.ready()``::

    from resources import contributions

    contributions.register_section(
        "alumni.career_stories", group="inclusion", order=10, title="My career story",
        url_name="alumni:stories", summary="…",
    )

Registering under a name replaces what was registered under it. Sections are shown in
``order``, then name, under their group's heading on the hub's index.
"""

from dataclasses import dataclass

from django.urls import reverse

# The index's groups: "explore" (Explore your career), "plan" (Plan your development),
# "inclusion" (Equality, diversity and inclusion and your career).
GROUPS = ("explore", "plan", "inclusion")


@dataclass(frozen=True)
class Section:
    name: str
    group: str
    order: int
    title: str
    url_name: str
    summary: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_sections: dict[str, Section] = {}


def register_section(
    name: str, *, group: str, order: int, title: str, url_name: str, summary: str
) -> None:
    if group not in GROUPS:
        raise ValueError(f"Unknown hub group {group!r}: one of {GROUPS}")
    _sections[name] = Section(
        name=name, group=group, order=order, title=title, url_name=url_name, summary=summary
    )


def sections() -> dict[str, list[Section]]:
    """The registered sections of each group, in order."""
    grouped: dict[str, list[Section]] = {group: [] for group in GROUPS}
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        grouped[section.group].append(section)
    return grouped
