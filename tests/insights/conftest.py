import pytest

from .factories import AnalystFactory


@pytest.fixture
def analyst(db):
    return AnalystFactory()
