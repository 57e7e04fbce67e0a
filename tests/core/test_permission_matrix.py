"""The permission matrix, first share: the members, the analyst and the superuser (the
machinery and the other share: ``tests/permission_matrix_support.py``, docs/testing.md).
"""

from pathlib import Path

import pytest

from tests.permission_matrix_support import (
    ROLE_SHARES,
    ROLES,
    matrix_world,  # noqa: F401 - a fixture
    quiet_request_log,  # noqa: F401 - a fixture
    sweep_share,
)

SHARE = Path(__file__).name


def test_every_role_is_swept_once():
    """The shares together are every role, each once, and each share has its file."""
    shared = [role for roles in ROLE_SHARES.values() for role in roles]
    assert sorted(shared) == sorted(ROLES)
    for name in ROLE_SHARES:
        assert (Path(__file__).parent / name).is_file(), name


@pytest.mark.django_db
def test_no_role_sees_another_partys_private_data(
    matrix_world,  # noqa: F811 - the imported fixture
    settings,
    quiet_request_log,  # noqa: F811 - the imported fixture
    monkeypatch,
):
    sweep_share(matrix_world, SHARE, settings, monkeypatch)
