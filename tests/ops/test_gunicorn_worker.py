"""Each gunicorn worker freezes what it loaded (gunicorn.conf.py, ``post_worker_init``):
the objects alive once the app and its URLconf are imported leave the collector's
generations, so Python's full collections stop walking them (issue 16)."""

from tests.ops.processes import django_process_ok

SCRIPT = """
import gc, json, runpy, sys
from talenthub.wsgi import application  # as a gunicorn worker loads the app
conf = runpy.run_path("gunicorn.conf.py")
before = (gc.get_freeze_count(), "talenthub.urls" in sys.modules)
conf["post_worker_init"](None)
after = (gc.get_freeze_count(), "talenthub.urls" in sys.modules, len(gc.get_objects()))
print(json.dumps({"before": before, "after": after}))
"""


def test_a_worker_freezes_the_app_it_loaded():
    import json

    result = django_process_ok("-c", SCRIPT)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["before"] == [0, False]
    frozen, urls_loaded, tracked = figures["after"]
    # The URLconf (every view, every admin) was imported first, then frozen with the rest.
    assert urls_loaded
    assert frozen > 100_000
    assert tracked < frozen / 10  # what the collector still walks
