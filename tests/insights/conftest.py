import pytest

from .factories import AnalystFactory


@pytest.fixture
def analyst(db):
    return AnalystFactory()


@pytest.fixture
def secretariat(db):
    from compact.models import CompactRole
    from tests.compact.factories import RoleFactory

    return RoleFactory(role=CompactRole.Role.SECRETARIAT).user
