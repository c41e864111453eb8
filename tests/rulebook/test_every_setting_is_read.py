"""A policy setting that no code reads must not exist: HR would change it and nothing
would happen. Every field of ``Policy`` (the presets' rules and the settings HR may
change, ``rulebook.registry.SETTINGS``) is read somewhere outside the rulebook's own
definitions: as an attribute (``policy.appeal_days``), by its name
(``getattr(policy, "…")``, a registry lookup) or by a name built from a prefix
(``f"guiding_questions_{kind}"``), in Python or in a template.

Each reader is covered by the tests of its room; this test fails the day a setting is
added that nothing reads, or the last reader of one goes."""

import ast
import dataclasses
import re
from pathlib import Path

import pytest

from koers.rulebook.presets import Policy

SOURCE = Path(__file__).resolve().parents[2] / "src" / "koers"
# Where the settings are defined, not read.
DEFINITIONS = {SOURCE / "rulebook" / "registry.py", SOURCE / "rulebook" / "presets.py"}


def _python_reads() -> tuple[set[str], set[str], set[str]]:
    attributes: set[str] = set()
    strings: set[str] = set()
    prefixes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or path in DEFINITIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                attributes.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values \
                    and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
    return attributes, strings, prefixes


def _template_reads() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.html"):
        found |= set(re.findall(r"policy\.(\w+)", path.read_text(encoding="utf-8")))
    return found


ATTRIBUTES, STRINGS, PREFIXES = _python_reads()
TEMPLATES = _template_reads()


@pytest.mark.parametrize("name", [field.name for field in dataclasses.fields(Policy)])
def test_every_policy_setting_is_read(name: str) -> None:
    read = (name in ATTRIBUTES or name in STRINGS or name in TEMPLATES
            or any(prefix and name.startswith(prefix) for prefix in PREFIXES))
    assert read, f"the policy setting {name} is read by no code: use it or remove it"
