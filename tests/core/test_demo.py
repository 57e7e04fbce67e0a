import pytest
from django.core.management import call_command

from talenthub.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates():
    call_command("load_demo")
    counts = (Organisation.objects.count(), User.objects.count())
    call_command("load_demo")
    assert (Organisation.objects.count(), User.objects.count()) == counts
    assert Organisation.objects.filter(name="West Midlands Employers", is_provider=True).exists()
    assert User.objects.get(email="admin@talenthub.example").is_superuser
