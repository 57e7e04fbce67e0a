"""The GOV.UK error pattern on every form of the portal (issue 15, item 3).

Every site URL is visited (from Django's resolver, filled as the permission matrix fills
it) by the first role that gets a page with a form posting back to the site; each such
form is sent empty, as a person who presses the button without answering would. When
the page comes back with errors, it must show them the GOV.UK way:

- an error summary ("There is a problem") whose every link points at an element of the
  page (``#id`` that exists);
- a ``<title>`` that starts with "Error: ";
- each field error a ``govuk-error-message`` with a visually hidden "Error:" prefix;
- no Django default ("This field is required.") and no error that does not name what to
  do: a message names its field.

The walk must find a good number of forms that answer with errors, so a change that
broke the walk (every page a 403, say) fails instead of passing on nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from tests.permission_matrix_support import (
    ROLES,
    login_as,
    matrix_world,  # noqa: F401 - a fixture
    quiet_request_log,  # noqa: F401 - a fixture
    site_visits,
)

# Django's defaults, which name nothing.
DJANGO_DEFAULTS = [
    "This field is required.",
    "Select a valid choice.",
    "Enter a valid value.",
    "Enter a whole number.",
    "Enter a valid date.",
]


@dataclass
class Form:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> value sent
    visible: int = 0  # visible fields the person could fill in


class Page(HTMLParser):
    """What the checks need of a page: its title, ids, forms, error summary links and
    error messages."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.ids: set[str] = set()
        self.forms: list[Form] = []
        self.summary = 0
        self.summary_links: list[str] = []
        self.error_messages: list[str] = []
        self.error_groups = 0
        self._in_title = False
        self._in_summary = 0
        self._in_error_message = 0
        self._form: Form | None = None
        self._depth_summary = 0
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "title":
            self._in_title = True
        if "govuk-error-summary" in classes:
            self.summary += 1
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a" and a.get("href"):
            self.summary_links.append(a["href"])
        if "govuk-error-message" in classes:
            self._in_error_message = 1
            self._text = []
        if "govuk-form-group--error" in classes:
            self.error_groups += 1
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(), action=a.get("action") or ""
            )
            self.forms.append(self._form)
        if self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                self._form.fields[a["name"]] = a.get("value") or ""
            elif kind in ("submit", "button", "image", "reset"):
                return
            else:
                self._form.visible += 1
                # Empty: what someone who answered nothing sends (unticked boxes and
                # unchosen radios send nothing at all).
                if kind not in ("checkbox", "radio", "file"):
                    self._form.fields.setdefault(a["name"], "")
        if self._form is not None and tag == "button" and a.get("name"):
            # The button pressed names the action (allauth's email page has several).
            self._form.fields.setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "form":
            self._form = None
        if self._in_summary and tag == "div":
            self._in_summary -= 1
        if self._in_error_message and tag == "p":
            self._in_error_message = 0
            self.error_messages.append(" ".join("".join(self._text).split()))

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_error_message:
            self._text.append(data)


def problems_with_error_page(html: str) -> list[str]:
    """What is wrong with a page that shows form errors; empty if it follows the
    pattern. A page with no error at all is not this function's business."""
    page = Page(html)
    if not (page.summary or page.error_messages or page.error_groups):
        return []
    found = []
    title = " ".join(page.title.split())
    if not title.startswith("Error: "):
        found.append(f"title {title!r} does not start with 'Error: '")
    if page.summary != 1:
        found.append(f"{page.summary} error summaries (one expected)")
    for href in page.summary_links:
        if not href.startswith("#") or href[1:] not in page.ids:
            found.append(f"error summary link {href} points at nothing on the page")
    if page.error_messages and len(page.summary_links) < len(page.error_messages):
        found.append(
            f"{len(page.error_messages)} field errors but {len(page.summary_links)} "
            "links in the summary"
        )
    for message in page.error_messages:
        if not message.startswith("Error:"):
            found.append(f"field error {message!r} lacks the visually hidden 'Error:'")
    text = re.sub(r"<[^>]+>", " ", html)
    for default in DJANGO_DEFAULTS:
        if default in text:
            found.append(f"Django's default {default!r}")
    return found


def test_the_checks_find_what_they_look_for():
    """A control: a page in Django's own error style fails each check."""
    django_style = """<html><head><title>Sign up – TalentHub</title></head><body>
      <ul class="errorlist"><li>This field is required.</li></ul>
      <div class="govuk-error-summary"><div><ul>
      <li><a href="#id_missing">x</a></li></ul></div></div>
      <p class="govuk-error-message">Enter your name</p>
      <input id="id_name" name="name"></body></html>"""
    found = problems_with_error_page(django_style)
    assert any("title" in p for p in found)
    assert any("#id_missing" in p for p in found)
    assert any("lacks the visually hidden" in p for p in found)
    assert any("This field is required." in p for p in found)
    good = """<html><head><title>Error: Sign up – TalentHub</title></head><body>
      <div class="govuk-error-summary"><div><ul><li><a href="#id_name">Enter your name</a></li>
      </ul></div></div><p class="govuk-error-message">
      <span class="govuk-visually-hidden">Error:</span> Enter your name</p>
      <input id="id_name" name="name"></body></html>"""
    assert problems_with_error_page(good) == []


@pytest.mark.django_db
def test_every_form_shows_errors_the_govuk_way(
    matrix_world,  # noqa: F811 - the imported fixture
    settings,
    quiet_request_log,  # noqa: F811 - the imported fixture
):
    world = matrix_world
    settings.MEDIA_ROOT = world.objects["media_root"]
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        login_as(client, world.users[role])
        clients[role] = client

    violations, answered_with_errors, posted = [], [], 0
    # One URL of each pattern whose form someone could open is enough: the same form
    # and template serve the pattern's other objects.
    done_patterns = set()
    for item in site_visits(world, []):
        if item.capability or item.url.startswith(("/accounts/logout/", "/accounts/3rdparty")):
            continue
        pattern = resolve(urlsplit(item.url).path).route
        if pattern in done_patterns:
            continue
        for role in ROLES:
            response = clients[role].get(item.url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            forms = [
                f
                for f in Page(html).forms
                if f.method == "post"
                and f.visible
                and urlsplit(f.action).netloc in ("", "testserver")
            ]
            if not forms:
                continue
            done_patterns.add(pattern)
            for form in forms:
                target = form.action or item.url
                answer = clients[role].post(target, form.fields)
                posted += 1
                if answer.status_code != 200:
                    continue
                page_html = answer.content.decode()
                found = problems_with_error_page(page_html)
                if Page(page_html).summary or found:
                    answered_with_errors.append(f"{role} {target}")
                violations += [f"{role:14} POST {target}: {p}" for p in found]
            break

    assert not violations, f"{len(violations)} problems:\n" + "\n".join(sorted(set(violations)))
    # The walk must reach the forms, or it proves nothing.
    assert len(answered_with_errors) >= 25, (posted, answered_with_errors)
