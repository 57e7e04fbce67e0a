"""The committed GOV.UK Frontend build (static/govuk/, made by `make css` from
package.json; docs/frontend.md) agrees with itself and with the markup: CSS and
JavaScript from the version package.json pins, every GOV.UK class the templates and the
Python code use still defined by that version, and no url() in the CSS pointing at a
file that is not shipped. GOV.UK Frontend drops classes between major versions, not
always in its changelog (6.0 dropped govuk-tag--blue silently); these tests name the
class and the file that uses it. They read files only: no Node.js needed."""

import json
import re
from pathlib import Path

from django.conf import settings

from talenthub.core.templatetags.govuk import TAG_COLOURS, govuk_tag

ROOT = Path(settings.BASE_DIR)
STATIC = ROOT / "static"
CSS = (STATIC / "govuk" / "govuk-frontend.min.css").read_text(encoding="utf-8-sig")
JS = (STATIC / "govuk" / "govuk-frontend.min.js").read_text(encoding="utf-8")
# Where the project's own markup and Python live (not tests, benchmarks or the venv).
CODE_DIRS = [
    "talenthub",
    "programmes",
    "cohorts",
    "alumni",
    "compact",
    "events",
    "insights",
    "resources",
]
# Classes GOV.UK Frontend's own markup carries without styling them (hooks for services'
# CSS and JavaScript), and one no-op modifier our tables use for the default caption size.
UNSTYLED = {
    "govuk-template__header",
    "govuk-template__footer",
    "govuk-table__head",
    "govuk-table__body",
    "govuk-table__row",
    "govuk-table__caption--s",
}
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
# A whole class name: a template expression ({{ … }}, {% … %}) or an f-string field
# after a trailing hyphen makes a dynamic name, which is checked where it is built.
GOVUK_CLASS = re.compile(r"(?<![\w-])govuk-[A-Za-z0-9_!-]*[A-Za-z0-9_](?![\w{-])")


def pinned_version() -> str:
    package = json.loads((ROOT / "package.json").read_text())
    return package["devDependencies"]["govuk-frontend"]


def defined_classes() -> set[str]:
    return {name.replace("\\", "") for name in re.findall(r"\.(govuk-[\w\\!-]+)", CSS)}


def used_classes() -> dict[str, set[str]]:
    """Every govuk-* class in a template's class attribute or in the project's Python,
    with the files that use it."""
    used: dict[str, set[str]] = {}
    for template in (ROOT / "templates").rglob("*.html"):
        for attribute in CLASS_ATTRIBUTE.findall(template.read_text(encoding="utf-8")):
            for name in GOVUK_CLASS.findall(attribute):
                used.setdefault(name, set()).add(str(template.relative_to(ROOT)))
    for directory in CODE_DIRS:
        for module in (ROOT / directory).rglob("*.py"):
            for name in GOVUK_CLASS.findall(module.read_text(encoding="utf-8")):
                used.setdefault(name, set()).add(str(module.relative_to(ROOT)))
    return used


def test_css_and_javascript_are_built_from_the_version_package_json_pins():
    version = pinned_version()
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == version
    assert f'--govuk-frontend-version: "{version}"' in CSS, "run `make css`"
    assert f'version="{version}"' in JS, "run `make css`"


def test_every_govuk_class_the_markup_uses_is_still_defined():
    defined = defined_classes()
    missing = {
        name: sorted(files)
        for name, files in used_classes().items()
        if name not in defined and name not in UNSTYLED and name not in JS
    }
    assert not missing, f"classes GOV.UK Frontend {pinned_version()} does not define: {missing}"


def test_the_class_check_finds_a_removed_class():
    """The check above is only as good as its extraction: a class GOV.UK Frontend 6
    removed, in a real template's markup, is found and reported as undefined."""
    markup = '<li class="govuk-pagination__item govuk-pagination__item--ellipses">'
    names = {n for a in CLASS_ATTRIBUTE.findall(markup) for n in GOVUK_CLASS.findall(a)}
    assert names == {"govuk-pagination__item", "govuk-pagination__item--ellipses"}
    assert "govuk-pagination__item--ellipses" not in defined_classes()
    assert "govuk-pagination__item--ellipsis" in defined_classes()
    assert GOVUK_CLASS.findall("govuk-input--width-{{ width }} govuk-input--width-{w}") == []


def test_every_tag_colour_is_a_modifier_the_css_defines():
    defined = defined_classes()
    assert {f"govuk-tag--{colour}" for colour in TAG_COLOURS.values()} <= defined
    assert govuk_tag("Offered", "offered") == (
        '<strong class="govuk-tag govuk-tag--teal">Offered</strong>'
    )
    # The default tag is blue with no modifier: govuk-tag--blue no longer exists.
    assert govuk_tag("Announced") == '<strong class="govuk-tag">Announced</strong>'
    assert "govuk-tag--blue" not in defined


def test_the_css_refers_only_to_files_that_are_shipped():
    """collectstatic's manifest storage fails on a url() to a missing file, and a
    missing image is a 404 in every browser. GOV.UK's images (the crown copyright crest)
    are compiled out, so there should be none at all."""
    urls = re.findall(r"url\(([^)]*)\)", CSS)
    missing = [
        url
        for url in urls
        if not url.strip("'\"").startswith("data:")
        and not (STATIC / "govuk" / url.strip("'\"")).resolve().is_file()
    ]
    assert not missing, missing


def test_the_javascript_the_pages_load_starts_govuk_frontend():
    """talenthub.mjs marks the body as supported (GOV.UK Frontend's components do
    nothing without govuk-frontend-supported) and calls initAll, which the bundle must
    still export; both happen in a module script file, as the CSP allows no inline one."""
    module = (STATIC / "js" / "talenthub.mjs").read_text(encoding="utf-8")
    assert 'import { initAll } from "../govuk/govuk-frontend.min.js"' in module
    assert "govuk-frontend-supported" in module
    exports = re.search(r"export\{([^}]*)\}", JS)
    assert exports and "initAll" in exports.group(1).split(",")
