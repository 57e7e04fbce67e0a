"""grep connects the code and its emails (issue 14, item 5): every cohorts email template
is named, as its file name, by one constant in ``cohorts.services.emails``, and no cohorts
code builds a template name at run time."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from cohorts.services import emails

ROOT = Path(settings.BASE_DIR)


def test_every_cohorts_template_is_named_by_a_constant_and_exists():
    on_disk = {
        f"emails/{path.name}" for path in (ROOT / "templates" / "emails").glob("cohorts_*.txt")
    }
    assert set(emails.COHORT_EMAILS) == on_disk
    assert len(emails.COHORT_EMAILS) == len(on_disk), "one constant per template"


def test_no_cohorts_code_builds_a_template_name_at_run_time():
    """A template name in an f-string (``f"cohorts_{template}"``) is invisible to grep."""
    built = []
    for path in sorted((ROOT / "cohorts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and any(
                isinstance(part, ast.Constant) and "cohorts_" in str(part.value)
                for part in node.values
            ):
                built.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not built, built


def test_grep_for_a_template_file_name_finds_the_code_that_sends_it():
    sources = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "cohorts").rglob("*.py"))
    for path in (ROOT / "templates" / "emails").glob("cohorts_*.txt"):
        assert path.name in sources, path.name


def test_a_name_that_is_not_a_cohorts_email_is_refused():
    with pytest.raises(ValueError):
        emails.template_name("emails/cohorts_nonexistent.txt")
