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


# Whether the page scrolls sideways and, if it does, the first few elements that stick
# out past the window's right edge (or whose text overflows them), outside any scroll
# container of their own: what to fix.
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const scrolls = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const own = getComputedStyle(el).overflowX;
    const spills = own === 'visible' && el.scrollWidth > el.clientWidth + 1
      && r.left + el.scrollWidth > width;
    if ((r.right > width + 1 || spills) && r.width > 0 && !scrolls(el)) {
      const cls = typeof el.className === 'string' && el.className
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${cls}`);
    }
  }
  return `${document.documentElement.scrollWidth}px wide; ${out.slice(-5).join(', ')}`;
}"""
# Widths every checked page must fit without sideways scrolling (WCAG 1.4.10: 320 CSS
# px is 1280 px at 400% zoom), and where axe runs a second time (a phone).
REFLOW_WIDTHS = (375, 320)


def _axe(page, context):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    width = page.viewport_size["width"] if page.viewport_size else "?"
    assert results.violations_count == 0, f"{page.url} at {width}px\n{results.generate_report()}"


def assert_accessible(page, context=None, *, reflow=True):
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page; fail on any violation,
    and on any JavaScript error seen so far (a blocked script counts). Then, unless
    ``reflow=False``, the same page at 375 px (axe again) and 320 px wide: nothing may
    stick out sideways (a wide table scrolls inside its own wrapper); the window's size
    is put back afterwards."""
    # A click that navigates returns once the new page is committed, not loaded: wait, or
    # axe may check the page before (or while) it is replaced.
    page.wait_for_load_state("load")
    _axe(page, context)
    errors = getattr(page, "console_errors", [])
    assert not errors, f"JavaScript errors on {page.url}: {errors}"
    size = page.viewport_size
    if not reflow or size is None:
        return
    try:
        for width in REFLOW_WIDTHS:
            if width >= size["width"]:
                continue
            page.set_viewport_size({"width": width, "height": size["height"]})
            overflow = page.evaluate(_OVERFLOW_JS)
            report = os.environ.get("TALENTHUB_REFLOW_REPORT")
            if report and overflow:
                with open(report, "a") as out:
                    out.write(f"{width}\t{page.url}\t{overflow}\n")
            else:
                assert not overflow, f"{page.url} scrolls sideways at {width}px: {overflow}"
            if width == REFLOW_WIDTHS[0]:
                _axe(page, context)
    finally:
        page.set_viewport_size(size)


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
    page.wait_for_url("**/home/")
    return page
