"""/healthz for monitoring (issue 17): Celery's broker and the outbox backlog besides the
database and Redis; ``scope=web`` for a load balancer asks only what serving pages needs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from talenthub.celery import app
from talenthub.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _waiting(count: int, minutes_ago: int, status=OutboundEmail.Status.PENDING):
    created = timezone.now() - timedelta(minutes=minutes_ago)
    rows = OutboundEmail.objects.bulk_create(
        OutboundEmail(to=f"m{i}@example.org", subject="s", body_text="b", status=status)
        for i in range(count)
    )
    OutboundEmail.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=created)


@pytest.fixture
def backlog_limits(settings):
    settings.TALENTHUB = {
        **settings.TALENTHUB,
        "OUTBOX_BACKLOG_MINUTES": 30,
        "OUTBOX_BACKLOG_THRESHOLD": 5,
    }


def test_every_check_is_reported(client, backlog_limits):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "redis", "broker", "outbox"}
    assert response.json()["checks"]["outbox"] == "ok"


def test_a_backlog_over_the_threshold_is_503(client, backlog_limits):
    _waiting(5, minutes_ago=31)
    _waiting(10, minutes_ago=5)  # recent: being sent now
    _waiting(10, minutes_ago=60, status=OutboundEmail.Status.SENT)
    _waiting(10, minutes_ago=60, status=OutboundEmail.Status.FAILED)  # a person's, not a backlog
    assert client.get("/healthz").status_code == 200
    _waiting(1, minutes_ago=45)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] == (
        "error: over 5 emails waiting more than 30 minutes"
    )
    # A load balancer's check is not failed by email being late.
    assert client.get("/healthz?scope=web").status_code == 200


def test_the_backlog_check_is_one_query(client, backlog_limits, django_assert_num_queries):
    from talenthub.core.views import _check_outbox

    _waiting(50, minutes_ago=31)
    with django_assert_num_queries(1), pytest.raises(Exception, match="over 5 emails"):
        _check_outbox()


def test_a_broker_that_is_down_is_503(client, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")
    assert client.get("/healthz?scope=web").status_code == 200


@pytest.mark.redis
def test_a_real_broker_is_ok(client):
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"


def test_web_scope_checks_only_the_database_and_redis(client):
    response = client.get("/healthz?scope=web")
    assert set(response.json()["checks"]) == {"database", "redis"}


def test_an_unknown_scope_is_refused(client):
    assert client.get("/healthz?scope=everything").status_code == 400
