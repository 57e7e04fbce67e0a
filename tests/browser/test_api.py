"""Journeys: a member makes an API token on their account page, uses it, and revokes it;
the API's docs page renders under the site's CSP (a blocked inline script or style
would be a console error)."""

import re

from playwright.sync_api import expect

from api.models import ApiToken
from tests.browser.conftest import assert_accessible


def test_make_use_and_revoke_a_token(signed_in_page, member, client):
    page = signed_in_page
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="API access tokens").click()
    expect(page.locator("h1")).to_have_text("API access tokens")
    assert_accessible(page)

    page.get_by_role("button", name="Make token").click()  # no name: the error summary
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Token name").fill("Trust intranet widget")
    page.get_by_label("Read and bookings").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("h1")).to_have_text("Your new token")
    assert_accessible(page)
    raw = page.locator("#token-value").input_value()
    assert re.fullmatch(r"th_[A-Za-z0-9_-]{43}", raw)
    token = ApiToken.objects.get(user=member)
    assert token.scope == "bookings"

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["email"] == member.email

    page.get_by_role("link", name="Back to your tokens").click()
    expect(page.get_by_role("cell", name="Trust intranet widget", exact=True)).to_be_visible()
    assert raw not in page.content()
    page.get_by_role("link", name="Revoke Trust intranet widget").click()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".govuk-tag", has_text="Revoked")).to_be_visible()
    assert_accessible(page)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_api_docs_render_under_the_sites_csp(page):
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("TalentHub API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    # Swagger UI is a third-party page: axe is not run on it (its own markup is not
    # GOV.UK's); what this checks is that nothing on it was blocked or failed.
    page.wait_for_load_state("networkidle")
    assert not page.console_errors, page.console_errors
