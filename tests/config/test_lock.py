"""The lock files (bin/lock) pin what pyproject.toml asks for, with hashes: bin/setup and
the container image install from them with --require-hashes, so a lock that falls
behind pyproject.toml would install something other than what the code was written for."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import koers

ROOT = Path(koers.__file__).resolve().parent.parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$")


def pins(name: str) -> dict[str, tuple[str, int]]:
    """Package → (version, number of hashes) in requirements/<name>.txt."""
    result: dict[str, tuple[str, int]] = {}
    package = ""
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        if match := PIN.match(line):
            package = canonicalize_name(match.group(1))
            result[package] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and package:
            version, hashes = result[package]
            result[package] = (version, hashes + 1)
    return result


@pytest.mark.parametrize(("lock", "wanted"), [
    ("app.txt", PROJECT["dependencies"]),
    ("test.txt", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
])
def test_every_dependency_is_pinned_within_its_range_with_hashes(lock, wanted):
    pinned = pins(lock)
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements/{lock}: run bin/lock"
        version, hashes = pinned[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in requirements/{lock} is outside {requirement.specifier}: "
            "run bin/lock")
        assert hashes >= 1


def test_every_pin_carries_a_hash_and_the_app_runs_on_the_versions_it_is_tested_with():
    app, test = pins("app.txt"), pins("test.txt")
    assert all(hashes for _, hashes in app.values())
    assert all(hashes for _, hashes in test.values())
    assert {name: app[name][0] for name in app} == {name: test[name][0] for name in app}
