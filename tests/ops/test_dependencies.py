"""The lock files agree with pyproject.toml, and this environment runs what they pin."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{lock}: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.txt", ["main"]), ("requirements-dev.txt", ["main", "dev"])],
)
def test_every_declared_dependency_is_pinned_within_its_range(lock, groups):
    project = _project()
    declared = {"main": project["dependencies"], "dev": project["optional-dependencies"]["dev"]}
    pins = _pins(lock)
    for group in groups:
        for spec in declared[group]:
            requirement = Requirement(spec)
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is in pyproject.toml but not in {lock}: make lock"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"{lock} pins {name}=={pins[name]}, outside {requirement.specifier}: make lock"
            )


def test_the_dev_lock_pins_the_runtime_set_at_the_same_versions():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_this_environment_runs_the_locked_versions():
    drifted = {}
    for name, version in _pins("requirements-dev.txt").items():
        installed = metadata.version(name)
        if installed != version:
            drifted[name] = (installed, version)
    assert drifted == {}, "installed ≠ locked (run make install): " + repr(drifted)
