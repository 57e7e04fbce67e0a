import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import CommandError, call_command

from talenthub.core.choices import Region
from talenthub.core.demo import DEMO_PASSWORD
from talenthub.core.models import Organisation, User
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_stack")]

# The organisations issue 2 names, as the demo spells them.
DERBYSHIRE = [
    "Derby City Council",
    "Derbyshire County Council",
    "East Midlands Ambulance Service",
    "Derbyshire Hospitals NHS Foundation Trust",
    "University of Derby",
    "South Derbyshire District Council",
]
PROVIDERS = ["West Midlands Employers", "HPMA London Academy", "Midlands Regional Talent Board"]
PARTNERS = ["CIPD", "Local Government Association"]  # co-badge programmes; run none


def readme_demo_accounts() -> list[str]:
    """The email in the first column of each row of the README's "Demo accounts" table,
    so the test follows the README as accounts are added."""
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Demo accounts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\|\s*`([^`]+@[^`]+)`\s*\|", section, flags=re.MULTILINE)


@pytest.fixture
def demo():
    call_command("load_demo")


def test_demo_data_loads_twice_without_duplicates():
    call_command("load_demo")
    counts = (Organisation.objects.count(), User.objects.count())
    call_command("load_demo")
    assert (Organisation.objects.count(), User.objects.count()) == counts
    assert Organisation.objects.filter(name="West Midlands Employers", is_provider=True).exists()
    assert User.objects.get(email="admin@talenthub.example").is_superuser


def test_demo_has_the_organisations_of_the_seeds(demo):
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=DERBYSHIRE)}
    assert sorted(by_name) == sorted(DERBYSHIRE)
    assert {o.region for o in by_name.values()} == {Region.EAST_MIDLANDS}
    assert not any(o.is_provider for o in by_name.values())
    assert set(
        Organisation.objects.filter(name__in=PROVIDERS, is_provider=True).values_list(
            "name", flat=True
        )
    ) == set(PROVIDERS)
    assert set(
        Organisation.objects.filter(name__in=PARTNERS, is_provider=False).values_list(
            "name", flat=True
        )
    ) == set(PARTNERS)


def test_readme_lists_the_demo_accounts():
    """The parser finds the table (or the next test would check nothing)."""
    accounts = readme_demo_accounts()
    assert "admin@talenthub.example" in accounts
    assert "priya.member@example.com" in accounts
    assert len(accounts) >= 6


def _demo_code(settings) -> str:
    """The code ``manage.py demo_totp_code`` prints, as the README tells a newcomer."""
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_totp_code", stdout=out)
    settings.DEBUG = False
    return out.getvalue().strip()


@pytest.mark.staff_without_mfa
def test_every_readme_demo_account_signs_in_with_the_demo_password(demo, client, settings):
    """Staff accounts then give the code the README's command prints, and reach the admin."""
    assert DEMO_PASSWORD == "talenthub-demo"  # the password the README gives
    assert "TALENTHUBDEMOTOTPSECRETABCDEFGH2" in (settings.BASE_DIR / "README.md").read_text()
    for email in readme_demo_accounts():
        user = User.objects.get(email=email, is_active=True)
        response = client.post(
            "/accounts/login/", {"login": email, "password": "talenthub-demo"}, follow=False
        )
        assert response.status_code == 302, f"{email} could not sign in"
        if user.is_staff or user.is_superuser:
            assert response["Location"] == "/accounts/2fa/authenticate/", email
            response = client.post("/accounts/2fa/authenticate/", {"code": _demo_code(settings)})
            assert response.status_code == 302, f"{email}: the demo code was refused"
            assert client.get("/admin/").status_code == 200, email
        assert client.session.get("_auth_user_id") == str(user.pk)
        client.logout()


def test_demo_staff_are_enrolled_but_never_a_real_address(demo):
    real = UserFactory(email="someone@nhs.net", is_staff=True)
    call_command("load_demo")
    assert not Authenticator.objects.filter(user=real).exists()
    staff = User.objects.filter(is_staff=True)
    assert staff.count() > 3
    for user in staff.exclude(pk=real.pk):
        assert Authenticator.objects.filter(user=user, type="totp").exists(), user.email


def test_the_demo_code_command_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_totp_code")


def test_a_wrong_password_does_not_sign_a_demo_account_in(demo, client):
    response = client.post(
        "/accounts/login/", {"login": "priya.member@example.com", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


class TestRefusesProduction:
    """On a DEBUG=0 stack the demo would make a superuser with the public password."""

    @pytest.fixture(autouse=True)
    def _production(self, demo_stack, settings, monkeypatch):
        # After demo_stack (the module's), which it overrides.
        settings.DEBUG = False
        monkeypatch.delenv("TALENTHUB_DEMO_PASSWORD", raising=False)

    def test_refused_without_the_flag(self):
        with pytest.raises(CommandError, match="--allow-production"):
            call_command("load_demo", stdout=io.StringIO())
        assert not User.objects.exists()

    @pytest.mark.parametrize("password", [None, "", DEMO_PASSWORD, "short", "password123"])
    def test_refused_with_the_flag_but_no_strong_password_of_its_own(self, monkeypatch, password):
        if password is not None:
            monkeypatch.setenv("TALENTHUB_DEMO_PASSWORD", password)
        with pytest.raises(CommandError, match="TALENTHUB_DEMO_PASSWORD"):
            call_command("load_demo", "--allow-production", stdout=io.StringIO())
        assert not User.objects.exists()

    def test_loads_with_the_flag_and_the_operators_password(self, client, monkeypatch):
        monkeypatch.setenv("TALENTHUB_DEMO_PASSWORD", "plum-orbit-canal-42-sextant")
        call_command("load_demo", "--allow-production", stdout=io.StringIO())
        admin = User.objects.get(email="admin@talenthub.example")
        assert admin.is_superuser
        assert not admin.check_password(DEMO_PASSWORD)
        assert admin.check_password("plum-orbit-canal-42-sextant")
        for user in User.objects.filter(is_staff=True):
            assert not user.check_password(DEMO_PASSWORD), user.email
