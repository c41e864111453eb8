"""Fixtures for every test, and the count of the authorization matrix printed at the end.

The count's hooks live here, not in tests/access/: under pytest-xdist the controller
collects nothing, so only this top-level conftest is loaded where the summary is printed.
"""

import sys
from typing import Any

import hypothesis
import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

# Hypothesis times each example; with the suite on every core of a machine that is busy
# anyway (pytest-xdist), a slow draw says the machine is loaded, not that the code is
# wrong. The examples and what they check stay the same.
hypothesis.settings.register_profile(
    "koers", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("koers")

_MATRIX = "tests.access.matrix"
_pairs_from_workers: list[int] = []


def _pairs_checked_here() -> int:
    # Read without importing: a run that never loaded the matrix checked no pair.
    matrix = sys.modules.get(_MATRIX)
    return int(getattr(matrix, "CHECKED_PAIRS", 0))


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand its count to the controller
        workeroutput["matrix_pairs"] = _pairs_checked_here()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _pairs_from_workers.append(int(getattr(node, "workeroutput", {}).get("matrix_pairs", 0)))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    pairs = _pairs_checked_here() + sum(_pairs_from_workers)
    if pairs:
        terminalreporter.write_line(f"authorization matrix: {pairs} (view, role) pairs checked")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests run in the default language (Dutch) with a fast password hasher, and each
    starts with an empty cache: the log-in rate limits count in it, and a run that logs
    in often (the browser journeys) would otherwise be refused with 429 after a minute's
    worth of other tests' log-ins. The database cache (the default) is a table of the
    test database, which every test leaves as it found it (rolled back, or flushed);
    another cache is cleared here."""
    settings.LANGUAGE_CODE = "nl"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()
