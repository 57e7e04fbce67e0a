"""grep connects the code and its emails (issue 14, item 5): every events email template
is named, as its file name, by one ``EventEmail`` constant next to its kind, and no
template name is built at run time."""

import ast
from pathlib import Path

from django.conf import settings

from events.services import promotion

ROOT = Path(settings.BASE_DIR)


def test_every_events_template_is_named_by_a_constant_and_exists():
    named = {email.template for email in promotion.EVENT_EMAILS}
    on_disk = {
        f"emails/{path.name}" for path in (ROOT / "templates" / "emails").glob("events_*.txt")
    }
    assert named == on_disk
    kinds = [email.kind for email in promotion.EVENT_EMAILS]
    assert len(kinds) == len(set(kinds)), "one constant per kind"


def test_no_events_code_builds_a_template_name_at_run_time():
    """A template name in an f-string (``f"events_{kind}"``) is invisible to grep."""
    built = []
    for path in sorted((ROOT / "events").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "template"
                and not isinstance(node.value, ast.Attribute | ast.Constant | ast.Name)
            ):
                built.append(f"{path.relative_to(ROOT)}:{node.value.lineno}")
    assert not built, built


def test_grep_for_a_template_file_name_finds_the_code_that_sends_it():
    sources = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "events").rglob("*.py"))
    for path in (ROOT / "templates" / "emails").glob("events_*.txt"):
        assert path.name in sources, path.name
