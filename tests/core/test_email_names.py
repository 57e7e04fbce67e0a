"""grep connects every email to the code that sends it (issue 14, item 5): each template
under templates/emails/ is named in full by some code, and no app passes a template name
built at run time (an f-string) to ``template=``."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    "talenthub",
    "programmes",
    "resources",
    "events",
    "cohorts",
    "alumni",
    "compact",
    "insights",
]


def _sources():
    for app in APPS:
        yield from sorted((ROOT / app).rglob("*.py"))


def test_no_app_passes_a_template_name_built_at_run_time():
    built = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "template"
                and isinstance(node.value, ast.JoinedStr)
            ):
                built.append(f"{path.relative_to(ROOT)}:{node.value.lineno}")
    assert not built, built


def test_every_email_template_is_named_by_the_code_that_sends_it():
    sources = "".join(path.read_text(encoding="utf-8") for path in _sources())
    unnamed = [
        path.name
        for path in sorted((ROOT / "templates" / "emails").glob("*.txt"))
        if path.stem not in sources
    ]
    assert not unnamed, unnamed
