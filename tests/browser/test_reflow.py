"""Reflow at 320 px (WCAG 1.4.10: 1280 px at 400% zoom) on every page a person can reach
from the home page by following links, as each kind of user, on the demo data: the
pages the journeys check are not all the pages there are. Each role's crawl follows
same-site links breadth first (at most ``PER_ROLE`` pages, at most ``PER_SHAPE`` pages
of one shape such as /events/<slug>/), and every page must fit 320 px with nothing
sticking out; every failure is reported at once."""

import re
from collections import Counter
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command

from tests.browser.conftest import _OVERFLOW_JS
from tests.factories import PASSWORD

# load_demo refuses a DEBUG=0 stack: these are demo stacks (conftest.py).
pytestmark = pytest.mark.usefixtures("demo_stack")

PER_ROLE = 45
PER_SHAPE = 2
ROLES = [
    None,
    "priya.member@example.com",
    "amara.okafor@example.com",
    "aspire.alumnus.001@example.com",
    "rebecca.manager@wme.example",
    "elisabeth.secretariat@ddep.example",
    "talent.manager@mrtb.example",
    "insights.analyst@talenthub.example",
]
# Not pages to look at: downloads, feeds, leaving, and forms that act on GET.
SKIP = re.compile(
    r"^/(admin/|static/|media/)|/logout|/delete|\.(ics|csv|pdf|xlsx|json)$|/download|"
    r"/certificate\.pdf|/unsubscribe/|/data/$"
)


def shape(path: str) -> str:
    """/events/leading-change-2027/ and /events/talent-summit/ have one shape."""
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:1] + ["*" for _ in parts[1:]])


# Where a signed-in person's own pages start (then whatever they link to).
PERSONAL = [
    "/accounts/profile/",
    "/events/my-bookings/",
    "/events/manage/demand/",
    "/cohorts/",
    "/cohorts/manage/",
    "/alumni/",
    "/alumni/me/",
    "/alumni/me/career/",
    "/alumni/mentoring/",
    "/alumni/outcomes/",
    "/alumni/talent/",
    "/alumni/talent/vacancies/",
    "/compacts/derbyshire/actions/",
    "/insights/",
    "/insights/journey/",
    "/insights/representation/",
    "/insights/programmes/",
    "/insights/events/",
    "/insights/compacts/",
]


def crawl(page, live_server, failures, *, start, done=frozenset()):
    """Visit pages breadth first from ``start``, skipping those in ``done`` (looked at
    already as another role: signed-in roles spend their pages on their own)."""
    seen, shapes, queue = set(done), Counter(), list(start)
    host = urlparse(live_server.url).netloc
    visited = set()
    while queue and len(visited) < PER_ROLE:
        path = queue.pop(0)
        if path in seen or SKIP.search(path) or shapes[shape(path)] >= PER_SHAPE:
            continue
        seen.add(path)
        visited.add(path)
        shapes[shape(path)] += 1
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        overflow = page.evaluate(_OVERFLOW_JS)
        if overflow:
            failures.append(f"{path}: {overflow}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlparse(urldefrag(href)[0])
            if url.netloc == host and url.path not in seen:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return visited


def test_every_page_reached_by_links_fits_320px(browser, live_server):
    call_command("load_demo")
    failures, visited = [], 0
    for email in ROLES:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 320, "height": 640}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        if email:
            page.goto("/accounts/login/")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_load_state("load")
        role_failures = []
        if email is None:
            public = crawl(page, live_server, role_failures, start=["/"])
            visited += len(public)
        else:
            visited += len(crawl(page, live_server, role_failures, start=PERSONAL, done=public))
        failures += [f"{email or 'anonymous'} {f}" for f in role_failures]
        context.close()
    assert not failures, "\n".join(failures)
    assert visited > 120, visited  # the crawl really went round
