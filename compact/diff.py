"""Side-by-side comparison of two terms-of-reference versions."""

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

SECTIONS = [
    ("purpose", "Purpose"),
    ("mode_of_operation", "Mode of operation"),
    ("steering_group_role", "The role of the steering group"),
    ("membership", "The membership"),
    ("vcs_participation", "The participation of the voluntary and community sector"),
    ("equality_and_diversity", "Equality and diversity"),
]


@dataclass
class DiffRow:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def marked(self):
        """(old, new) as HTML with removed words in <del> and added words in <ins>."""
        old_words, new_words = self.old.split(" "), self.new.split(" ")
        old_out, new_out = [], []
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            old_part = escape(" ".join(old_words[a1:a2]))
            new_part = escape(" ".join(new_words[b1:b2]))
            if op == "equal":
                old_out.append(old_part)
                new_out.append(new_part)
                continue
            if a2 > a1:
                old_out.append(f"<del>{old_part}</del>")
            if b2 > b1:
                new_out.append(f"<ins>{new_part}</ins>")
        return mark_safe(" ".join(old_out)), mark_safe(" ".join(new_out))  # noqa: S308 - escaped above

    @property
    def old_html(self):
        return self.marked()[0]

    @property
    def new_html(self):
        return self.marked()[1]


def terms_diff(old, new) -> list[DiffRow]:
    """Rows comparing ``old`` and ``new`` (either may be None): each section, then each aim
    matched by number (an aim only in one version shows empty on the other side)."""
    rows = [
        DiffRow(label, getattr(old, name, "") if old else "", getattr(new, name, ""))
        for name, label in SECTIONS
    ]
    old_aims = {a.number: a.text for a in old.aims.all()} if old else {}
    new_aims = {a.number: a.text for a in new.aims.all()}
    numbers = list(new_aims) + [n for n in old_aims if n not in new_aims]
    for number in numbers:
        rows.append(DiffRow(f"Aim {number}", old_aims.get(number, ""), new_aims.get(number, "")))
    return rows
