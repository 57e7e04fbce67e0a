"""Catalogue and programme page with many programmes: response time and query count.

The data is created inside a transaction that is rolled back at the end, so the
benchmark leaves the configured database as it found it. ``BENCH_PROGRAMMES`` sets the
number of programmes (default 2,000, each with 2 versions of 5 modules)."""

import datetime
import os
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

PROGRAMMES = int(os.environ.get("BENCH_PROGRAMMES", "2000"))


class _Rollback(Exception):
    pass


def _make_data():
    from programmes.models import Module, Programme, ProgrammeCareerLevel, ProgrammeVersion
    from talenthub.core.choices import Region, Sector
    from talenthub.core.models import Organisation

    owner, _ = Organisation.objects.get_or_create(
        slug="bench-provider",
        defaults={
            "name": "Bench provider",
            "sector": Sector.OTHER,
            "region": Region.NATIONAL,
            "is_provider": True,
        },
    )
    kinds = Programme.Kind.values
    programmes = Programme.objects.bulk_create(
        Programme(
            title=f"Bench programme {n:05d}",
            slug=f"bench-programme-{n:05d}",
            kind=kinds[n % len(kinds)],
            owner=owner,
            summary=f"Leadership, workforce strategy and change, number {n}.",
            status=Programme.Status.PUBLISHED,
        )
        for n in range(PROGRAMMES)
    )
    ProgrammeCareerLevel.objects.bulk_create(
        ProgrammeCareerLevel(programme=p, level=1 + n % 4) for n, p in enumerate(programmes)
    )
    versions = ProgrammeVersion.objects.bulk_create(
        ProgrammeVersion(programme=p, name=name, launched_on=datetime.date(year, 1, 1))
        for p in programmes
        for name, year in (("First", 2014), ("Second", 2019))
    )
    Module.objects.bulk_create(
        Module(version=v, order=order, title=f"Module {order}: digital workforce planning")
        for v in versions
        for order in range(1, 6)
    )
    return programmes[PROGRAMMES // 2]


def _measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, url
    return f"{url}: {elapsed * 1000:.0f} ms, {len(queries)} queries"


def run() -> list[str]:
    lines = [f"{PROGRAMMES} programmes, 2 versions x 5 modules each ({connection.vendor})"]
    try:
        with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
            sample = _make_data()
            client = Client()
            for url in [
                "/programmes/",
                "/programmes/?kind=workshop&career_level=3",
                "/programmes/?q=workforce",
                "/programmes/?q=digital+planning&page=3",
                sample.get_absolute_url(),
            ]:
                client.get(url)  # warm up
                lines.append(_measure(client, url))
            raise _Rollback
    except _Rollback:
        pass
    return lines
