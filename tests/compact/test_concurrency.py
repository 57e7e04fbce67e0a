"""Two secretariat users press "send" on the same e-bulletin at once: it is sent once."""

import threading

import pytest
from django.db import connection

from compact import services
from compact.models import Bulletin
from talenthub.core.models import OutboundEmail
from tests.compact.factories import BulletinFactory, NewsItemFactory
from tests.factories import MemberFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulletin_sends_send_once():
    bulletin = BulletinFactory()
    NewsItemFactory(bulletin=bulletin)
    for user in [MemberFactory() for _ in range(3)]:
        services.bulletin_subscribe(compact=bulletin.compact, user=user)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            services.bulletin_send(bulletin=bulletin)
            outcomes.append("sent")
        except services.CompactError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "sent"]
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.SENT
    assert (
        OutboundEmail.objects.filter(key__startswith=f"compact.bulletin:{bulletin.pk}:").count()
        == 3
    )
