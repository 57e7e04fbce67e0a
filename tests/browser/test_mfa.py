"""Journeys: a staff member without a second factor is turned away from the admin and
sets one up; then signs in with a code from the app, and with a recovery code."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, ManagerFactory
from tests.mfa import recovery_codes, totp_code


def _sign_out(page):
    page.goto("/accounts/logout/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign Out").click()
    page.wait_for_url("**/")


def test_staff_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(page):
    staff = ManagerFactory()
    sign_in(page, staff.email, PASSWORD)
    page.wait_for_url("**/home/")

    # The admin refuses them and says why.
    page.goto("/admin/events/event/")
    page.wait_for_url("**/accounts/2fa/required/?next=%2Fadmin%2Fevents%2Fevent%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_text("staff accounts must use a second step")).to_be_visible()
    assert_accessible(page)

    # Setting up an app: allauth asks for the password again, then shows the QR code.
    page.get_by_role("button", name="Set up an authenticator app").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(
        "000000" if totp_code(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="Activate").click()
    assert_accessible(page)  # the error, on the same page
    expect(page.locator(".govuk-error-message")).to_be_visible()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    # Recovery codes, then on to the page they asked for.
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert_accessible(page)
    codes = recovery_codes(staff)
    assert codes[0] in page.locator("#recovery_codes").input_value()
    page.get_by_role("link", name="continue to TalentHub administration").click()
    page.wait_for_url("**/admin/events/event/")
    expect(page.locator("#site-name")).to_contain_text("TalentHub administration")

    # Sign out; signing in again asks for a code.
    page.goto("/")
    _sign_out(page)
    sign_in(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/home/")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_contain_text("TalentHub administration")

    # And with a recovery code instead of the app.
    page.goto("/")
    _sign_out(page)
    sign_in(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(codes[1])
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/home/")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_contain_text("TalentHub administration")
