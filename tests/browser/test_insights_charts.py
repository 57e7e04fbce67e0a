"""The insights charts are readable at every width (issue 15, item 2): at a phone's
375 px and at 320 px (400% zoom) every word of every chart renders at 12 px or more —
a chart may scroll sideways inside its own region, but is never scaled down to fit —
and every chart has a visible title and axis labels, not only an accessible name."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.cohorts.factories import AttendanceFactory, FeedbackFactory, SessionFactory
from tests.compact.factories import ActionFactory
from tests.events.factories import BookingFactory, EventFactory
from tests.factories import PASSWORD
from tests.insights.builders import ended_cohort, journeys
from tests.insights.factories import AnalystFactory

PAGES = [
    "/insights/events/",
    "/insights/programmes/",
    "/insights/journey/?characteristic=disability",
    "/insights/representation/?characteristic=ethnicity",
    "/insights/compacts/",
]

# For every chart: the smallest rendered font size of its words (the CSS font size times
# the scale the SVG is drawn at), its visible caption, and its axis labels.
CHARTS_JS = """() => [...document.querySelectorAll('svg.th-chart')].map((svg) => {
  const sizes = [...svg.querySelectorAll('text')].map((t) =>
    parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const figure = svg.closest('figure');
  const caption = figure && figure.querySelector('figcaption');
  const box = caption && caption.getBoundingClientRect();
  const style = caption && getComputedStyle(caption);
  const visible = !!caption && box.width > 20 && box.height > 10
    && style.visibility !== 'hidden' && style.clipPath === 'none' && style.clip === 'auto';
  return {
    id: svg.id || svg.getAttribute('aria-labelledby'),
    title: svg.querySelector('title').textContent,
    smallest: Math.min(...sizes),
    caption: visible ? caption.textContent.trim() : null,
    axes: [...svg.querySelectorAll('text.th-chart__axis')].map((t) => t.textContent),
  };
})"""


@pytest.fixture
def analyst_page(page):
    cohort = ended_cohort()
    journeys(cohort, {"applied": 9, "completed": 9}, {"ethnicity": "white_british"})
    journeys(cohort, {"completed": 2}, {"ethnicity": "asian_indian"})
    participant = cohort.participants.first()
    AttendanceFactory(session=SessionFactory(cohort=cohort), participant=participant)
    FeedbackFactory(participant=participant)
    ActionFactory(lead_person=None)
    held = timezone.now() - timedelta(days=2)
    event = EventFactory(starts_at=held, booking_opens_at=held - timedelta(days=20),
                         booking_closes_at=held - timedelta(hours=1))  # fmt: skip
    BookingFactory(event=event, confirmed_at=held - timedelta(days=5), attendance="attended")
    analyst = AnalystFactory(is_staff=True)
    sign_in(page, analyst.email, PASSWORD)
    page.wait_for_url("**/home/")
    return page


def test_charts_are_readable_and_titled_at_phone_widths(analyst_page):
    page = analyst_page
    problems = []
    for path in PAGES:
        for width in (1280, 375, 320):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(path)
            expect(page.locator("svg.th-chart").first).to_be_attached()
            charts = page.evaluate(CHARTS_JS)
            assert charts, path
            for chart in charts:
                where = f"{path} at {width}px, chart {chart['title']!r}"
                if chart["smallest"] < 12:
                    problems.append(f"{where}: text at {chart['smallest']:.1f}px")
                if chart["caption"] != chart["title"]:
                    problems.append(f"{where}: visible title {chart['caption']!r}")
                if not chart["axes"]:
                    problems.append(f"{where}: no axis labels")
        page.set_viewport_size({"width": 1280, "height": 800})
        assert_accessible(page)
    assert not problems, "\n".join(problems)
