"""The permission matrix, second share: the programme managers and the compact roles
(the machinery: ``tests/permission_matrix_support.py``; the first share and the check
that the shares cover every role: ``test_permission_matrix.py``)."""

from pathlib import Path

import pytest

from tests.permission_matrix_support import (
    matrix_world,  # noqa: F401 - a fixture
    quiet_request_log,  # noqa: F401 - a fixture
    sweep_share,
)

SHARE = Path(__file__).name


@pytest.mark.django_db
def test_no_manager_sees_another_partys_private_data(
    matrix_world,  # noqa: F811 - the imported fixture
    settings,
    quiet_request_log,  # noqa: F811 - the imported fixture
    monkeypatch,
):
    sweep_share(matrix_world, SHARE, settings, monkeypatch)
