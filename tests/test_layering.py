"""Domain rooms never speak HTTP: import-linter cannot forbid a Django submodule, so we do."""

import ast
from pathlib import Path

import koers

DOMAIN_ROOMS = ("core", "audit", "notify", "organisation", "rulebook", "access", "cycles", "goals",
                "conversations", "evaluations", "consequences",
                "development", "tasks")


def test_domain_rooms_do_not_import_django_http():
    offenders = []
    root = Path(koers.__file__).parent
    for room in DOMAIN_ROOMS:
        for path in (root / room).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path}: {n}" for n in names if n.startswith("django.http")]
    assert offenders == []
