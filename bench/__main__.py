"""Run every benchmark module in bench/ (each defines ``run() -> list[str]``) and print
its report lines. Benchmarks measure; they never fail a build."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import django


def main(selected: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talenthub.settings")
    # The development profile, as `make bench` runs it (a benchmark that measures the
    # production profile, bench_booking_storm, sets DEBUG=0 for its own server).
    os.environ.setdefault("TALENTHUB_ENV", "dev")
    django.setup()
    here = Path(__file__).parent
    names = [m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")]
    for name in sorted(names):
        if selected and name not in selected:
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        for line in module.run():
            print(f"   {line}")
    if not names:
        print("no benchmarks yet")


if __name__ == "__main__":
    # Module names first; anything from the first option on is the module's own
    # (bench_pages reads --scale and the like from sys.argv).
    args = sys.argv[1:]
    options_at = next((i for i, a in enumerate(args) if a.startswith("-")), len(args))
    main(args[:options_at])
