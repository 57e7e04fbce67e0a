"""Dependencies between apps point down only (docs/architecture.md).

Reads every module of every app (migrations aside: they record history, not design) and
finds each reference to another app: ``import``/``from … import`` anywhere, inside
functions too; ``apps.get_model("app", …)`` and ``get_model("app.Model")``; and model
references written as strings (``ForeignKey("programmes.Programme")``). An app may refer
to the apps in the layers below its own, never to one in its own layer or above: so there
is no cycle, and an app can be read, tested and changed knowing only what is below it.

Inside an app the same holds for reads and writes: ``selectors`` (reads) never import
``services`` (writes), which may use selectors.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Bottom first. Apps in one layer are siblings: neither may refer to the other.
LAYERS: list[tuple[str, ...]] = [
    ("talenthub.core",),
    ("programmes",),
    ("resources",),
    ("events", "cohorts"),
    ("alumni", "compact"),
    ("insights",),
    # The public API reads every domain app (docs/api.md).
    ("api",),
]
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}
# An app's label (in "label.Model" strings and get_model) is its last dotted part.
APP_OF_LABEL = {app.rsplit(".", 1)[-1]: app for app in LAYER_OF}
MODEL_STRING = re.compile(r"^(?P<label>[a-z_]+)\.[A-Z]\w*$")


@dataclass(frozen=True)
class Reference:
    source: str  # the app whose module refers
    target: str  # the app referred to
    where: str  # path:line
    what: str

    def __str__(self):
        return f"{self.where}: {self.source} -> {self.target} ({self.what})"


def app_of_module(module: str) -> str | None:
    for app in sorted(LAYER_OF, key=len, reverse=True):
        if module == app or module.startswith(app + "."):
            return app
    return None


def app_modules(app: str):
    for path in sorted((ROOT / app.replace(".", "/")).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def references_in(path: Path, source_app: str) -> list[Reference]:
    """Every reference from the module at ``path`` (of ``source_app``) to another app."""
    where = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    found = []

    def add(target, node, what):
        if target and target != source_app:
            found.append(Reference(source_app, target, f"{where}:{node.lineno}", what))

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=where)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(app_of_module(alias.name), node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            add(app_of_module(node.module), node, f"from {node.module} import …")
        elif isinstance(node, ast.Call) and _called_name(node) == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                label = first.value.split(".")[0]
                add(APP_OF_LABEL.get(label), node, f"get_model({first.value!r}, …)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = MODEL_STRING.match(node.value)
            if match:
                add(APP_OF_LABEL.get(match["label"]), node, f"{node.value!r}")
    return found


def _called_name(call: ast.Call) -> str | None:
    return getattr(call.func, "attr", None) or getattr(call.func, "id", None)


def upward_references(paths_by_app) -> list[Reference]:
    """The references to an app in the same layer or above."""
    return [
        reference
        for app, paths in paths_by_app.items()
        for path in paths
        for reference in references_in(path, app)
        if LAYER_OF[reference.target] >= LAYER_OF[reference.source]
    ]


def selectors_importing_services(app: str) -> list[str]:
    found = []
    for path in app_modules(app):
        relative = path.relative_to(ROOT / app.replace(".", "/"))
        if relative.parts[0] not in ("selectors", "selectors.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = node.module or ""
            names = [alias.name for alias in node.names]
            absolute = node.level == 0 and module.startswith(f"{app}.services")
            relative_import = node.level > 0 and (
                module.split(".")[0] == "services" or (not module and "services" in names)
            )
            if absolute or relative_import:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def upward_relation_names() -> dict[str, dict[str, str]]:
    """For each app, the query names of the reverse relations its models get from models
    of the apps above it (``SubsidyAllocation`` ← ``Participant.subsidy_allocation`` gives
    programmes "participant"), each with the model that declares the relation. A lookup
    through one of them (``"participant__cohort__provider"``) is a reference up written as
    a string: no import shows it."""
    from django.apps import apps

    names: dict[str, dict[str, str]] = {app: {} for app in LAYER_OF}
    for model in apps.get_models():
        app = app_of_module(model.__module__)
        if app is None:
            continue
        for relation in model._meta.get_fields():
            if not (relation.auto_created and relation.is_relation and not relation.concrete):
                continue
            source = app_of_module(relation.related_model.__module__)
            if source is not None and LAYER_OF[source] > LAYER_OF[app]:
                names[app][relation.name] = relation.related_model._meta.label
    return names


def upward_lookups_in(path: Path, app: str, names: dict[str, str]) -> list[Reference]:
    """Strings and keyword arguments in the module at ``path`` that are ORM lookups
    (with ``__``) starting with one of ``names``."""
    where = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    found = []

    def check(text, node):
        head, sep, _rest = text.partition("__")
        if sep and head in names:
            target = app_of_module(names[head].split(".")[0]) or names[head]
            found.append(Reference(app, target, f"{where}:{node.lineno}", f"lookup {text!r}"))

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=where)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            check(node.value, node)
        elif isinstance(node, ast.keyword) and node.arg:
            check(node.arg, node.value)
    return found


# --- the rules -----------------------------------------------------------------------


def test_every_app_refers_only_to_the_layers_below_it():
    paths_by_app = {app: list(app_modules(app)) for app in LAYER_OF}
    violations = upward_references(paths_by_app)
    assert not violations, "References up or across a layer:\n" + "\n".join(map(str, violations))


def test_no_app_looks_up_through_a_relation_from_an_app_above_it():
    """Issue 14: programmes/admin.py scoped subsidy allocations by the string
    "participant__cohort__provider", reaching into cohorts without an import."""
    names = upward_relation_names()
    violations = [
        reference
        for app in LAYER_OF
        for path in app_modules(app)
        for reference in upward_lookups_in(path, app, names[app])
    ]
    assert not violations, "Lookups up a layer:\n" + "\n".join(map(str, violations))


def test_selectors_never_import_their_apps_services():
    violations = [where for app in LAYER_OF for where in selectors_importing_services(app)]
    assert not violations, "Selectors importing services:\n" + "\n".join(violations)


def test_installed_apps_lists_the_domain_apps_in_dependency_order():
    """The settings say "Domain apps, in dependency order" (and the demo loads in that
    order): each app comes after every app in a layer below it."""
    listed = [app for app in settings.INSTALLED_APPS if app in LAYER_OF]
    assert sorted(listed) == sorted(LAYER_OF), "every layered app is installed, and only those"
    depths = [LAYER_OF[app] for app in listed]
    assert depths == sorted(depths), f"INSTALLED_APPS order {listed} is not bottom-up"


# --- the checker sees what it must see ----------------------------------------------


def _module(tmp_path, source):
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    return path


def test_the_checker_sees_imports_in_functions_get_model_and_model_strings(tmp_path):
    path = _module(
        tmp_path,
        "from django.apps import apps\n"
        "from programmes.models import Programme\n"
        "def f():\n"
        "    from cohorts.selectors import cohorts_upcoming_for_programme\n"
        "    import events.models\n"
        "    return apps.get_model('compact', 'Compact'), apps.get_model('alumni.AlumniProfile')\n"
        "FK_TARGET = 'insights.EqualityRelease'\n",
    )
    targets = {reference.target for reference in references_in(path, "resources")}
    assert targets == {"programmes", "cohorts", "events", "compact", "alumni", "insights"}


def test_the_checker_refuses_up_across_and_allows_down(tmp_path):
    up = _module(tmp_path, "from insights import reports\n")
    assert [r.target for r in upward_references({"cohorts": [up]})] == ["insights"]
    across = _module(tmp_path, "def f():\n    from events.models import Event\n")
    assert [r.target for r in upward_references({"cohorts": [across]})] == ["events"]
    down = _module(tmp_path, "from programmes.models import P\nfrom talenthub.core import x\n")
    assert upward_references({"cohorts": [down]}) == []


def test_the_checker_sees_a_lookup_through_a_relation_from_above(tmp_path):
    names = upward_relation_names()
    assert names["programmes"]["participant"] == "cohorts.Participant"
    path = _module(
        tmp_path,
        'LOOKUP = "participant__cohort__provider"\n'
        "def f(qs, p):\n"
        "    return qs.filter(participant__cohort=p), qs.filter(programme__owner=p)\n",
    )
    found = upward_lookups_in(path, "programmes", names["programmes"])
    assert [(r.target, r.what) for r in found] == [
        ("cohorts", "lookup 'participant__cohort__provider'"),
        ("cohorts", "lookup 'participant__cohort'"),
    ]
