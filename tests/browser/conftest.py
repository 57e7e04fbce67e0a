"""Playwright against Django's live server, in Debian's Chromium (never a downloaded
browser). Every page a journey reaches should be checked with ``assert_accessible``.

Without /usr/bin/chromium these tests skip with a reason, except under
TALENTHUB_REQUIRE_SERVICES=1 (CI), where they fail.
"""

import os
import re
import shutil

import pytest

from conftest import REQUIRE_SERVICES

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason}, but TALENTHUB_REQUIRE_SERVICES=1 says browser tests must run")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    # Console errors, uncaught exceptions and failed sub-resources (a script, stylesheet or
    # image that 404s or is blocked). A page that is itself a 404 is not an error here.
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            page.console_errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    yield page
    context.close()


def assert_accessible(page, context=None):
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page; fail on any violation,
    and on any JavaScript error seen so far (a blocked script counts)."""
    from axe_playwright_python.sync_playwright import Axe

    # A click that navigates returns once the new page is committed, not loaded: wait, or
    # axe may check the page before (or while) it is replaced.
    page.wait_for_load_state("load")
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    errors = getattr(page, "console_errors", [])
    assert not errors, f"JavaScript errors on {page.url}: {errors}"


def sign_in(page, email, password):
    """Sign in through the real form; every signed-in journey passes this page, so it is
    checked here, once filled in and before it is submitted."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    assert_accessible(page)
    page.get_by_role("button", name="Sign In").click()


def link_in_email(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, f"no link in email: {body}"
    return match.group(0)


@pytest.fixture
def signed_in_page(page, member):
    """``page`` signed in as ``member`` (through the real sign-in form)."""
    from tests.factories import PASSWORD

    sign_in(page, member.email, PASSWORD)
    page.wait_for_url("**/accounts/profile/")
    return page
