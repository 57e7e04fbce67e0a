import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from talenthub.core.choices import Region
from talenthub.core.demo import DEMO_PASSWORD
from talenthub.core.models import Organisation, User

pytestmark = pytest.mark.django_db

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


def test_every_readme_demo_account_signs_in_with_the_demo_password(demo, client):
    assert DEMO_PASSWORD == "talenthub-demo"  # the password the README gives
    for email in readme_demo_accounts():
        assert User.objects.filter(email=email, is_active=True).exists(), email
        response = client.post(
            "/accounts/login/", {"login": email, "password": "talenthub-demo"}, follow=False
        )
        assert response.status_code == 302, f"{email} could not sign in"
        assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)
        client.logout()


def test_a_wrong_password_does_not_sign_a_demo_account_in(demo, client):
    response = client.post(
        "/accounts/login/", {"login": "priya.member@example.com", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.fixture(autouse=True)
def _demo_stack(settings):
    """load_demo refuses a DEBUG=0 stack (tests/core/test_demo.py); these are demo stacks."""
    settings.DEBUG = True


class TestRefusesProduction:
    """On a DEBUG=0 stack the demo would make a superuser with the public password."""

    @pytest.fixture(autouse=True)
    def _production(self, settings, monkeypatch):
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
